package dev.durable.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.testing.ManualClock;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Activity retries are decided by the server: exponential backoff, attempt limits and non-retryable failures. */
class ActivityRetryTest {
  @ActivityInterface
  public interface Flaky {
    String call() throws IOException;
  }

  /** How the workflow configures retries, and whether it catches the activity's final failure. */
  public record Plan(int maximumAttempts, List<String> doNotRetry, boolean catchFailure, Duration scheduleToClose) {
    Plan(int maximumAttempts, List<String> doNotRetry, boolean catchFailure) {
      this(maximumAttempts, doNotRetry, catchFailure, null);
    }
  }

  @WorkflowInterface
  public interface FlakyWorkflow {
    @WorkflowMethod
    String run(Plan plan);
  }

  public static final class FlakyWorkflowImpl implements FlakyWorkflow {
    @Override
    public String run(Plan plan) {
      RetryOptions retry = RetryOptions.newBuilder()
          .setMaximumAttempts(plan.maximumAttempts())
          .setDoNotRetry(plan.doNotRetry().toArray(String[]::new))
          .build();
      Flaky flaky = Workflow.newActivityStub(Flaky.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1))
              .setScheduleToCloseTimeout(plan.scheduleToClose()).setRetryOptions(retry).build());
      if (!plan.catchFailure()) {
        return call(flaky);
      }
      try {
        return call(flaky);
      } catch (ActivityFailure e) {
        ApplicationFailure cause = (ApplicationFailure) e.getCause();
        return "caught " + e.getActivityType() + " after attempt " + e.getAttempt() + ": " + cause.getType() + ": "
            + cause.getOriginalMessage() + (cause.isNonRetryable() ? " (non-retryable)" : "");
      }
    }

    private static String call(Flaky flaky) {
      try {
        return flaky.call();
      } catch (IOException e) {
        throw new AssertionError("a stub never throws the activity's own exception", e);
      }
    }
  }

  /** Fails its first {@code failures} attempts with the given exception, then succeeds. */
  static final class FlakyActivities implements Flaky {
    final List<ActivityInfo> attempts = Collections.synchronizedList(new ArrayList<>());
    private final int failures;
    private final IntFunction<Exception> failure;

    FlakyActivities(int failures, IntFunction<Exception> failure) {
      this.failures = failures;
      this.failure = failure;
    }

    @Override
    public String call() throws IOException {
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      attempts.add(info);
      if (info.attempt() <= failures) {
        Exception e = failure.apply(info.attempt());
        if (e instanceof IOException io) {
          throw io;
        }
        throw (RuntimeException) e;
      }
      return "succeeded on attempt " + info.attempt();
    }

    List<Integer> attemptNumbers() {
      return attempts.stream().map(ActivityInfo::attempt).toList();
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private ManualClock clock;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    clock = env.clock();
  }

  @AfterEach
  void close() {
    env.close();
  }

  private FlakyActivities worker(int failures, IntFunction<Exception> failure) {
    FlakyActivities activities = new FlakyActivities(failures, failure);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(FlakyWorkflowImpl.class)
        .registerActivitiesImplementations(activities));
    return activities;
  }

  private static Exception ioFailure(int attempt) {
    return new IOException("boom on attempt " + attempt);
  }

  @Test
  void activityIsRetriedWithExponentialBackoffUntilItSucceeds() {
    FlakyActivities activities = worker(3, ActivityRetryTest::ioFailure);
    WorkflowClient.start(env.newWorkflow(FlakyWorkflow.class, "flaky")::run, new Plan(0, List.of(), false));

    for (int failed = 1; failed <= 3; failed++) {
      int next = failed + 1;
      Duration backoff = Duration.ofSeconds(1L << (failed - 1)); // 1 s, 2 s, 4 s
      PendingActivityInfo pa = env.awaitPendingActivity("flaky", "attempt " + next + " in backoff",
          p -> p.state().equals("BACKOFF") && p.attempt() == next);
      assertEquals("Call", pa.activityType());
      assertEquals("java.io.IOException: boom on attempt " + failed, pa.lastFailure());
      assertEquals(clock.instant().plus(backoff), pa.nextAttemptTime(), "backoff after attempt " + failed);
      assertEquals(ManualClock.START, pa.scheduledTime());
      clock.advance(backoff);
    }

    assertEquals("succeeded on attempt 4", env.result("flaky", String.class));
    assertEquals(List.of(1, 2, 3, 4), activities.attemptNumbers());
    List<String> events = env.eventTypes("flaky");
    assertEquals(1, events.stream().filter("ActivityTaskScheduled"::equals).count());
    assertEquals(1, events.stream().filter("ActivityTaskCompleted"::equals).count());
    assertFalse(events.contains("ActivityTaskFailed"), "attempts between are not in the history: " + events);
  }

  @Test
  void activityInfoDescribesTheAttempt() {
    FlakyActivities activities = worker(1, ActivityRetryTest::ioFailure);
    WorkflowClient.start(env.newWorkflow(FlakyWorkflow.class, "info")::run, new Plan(0, List.of(), false));
    env.awaitPendingActivity("info", "the retry backoff", p -> p.state().equals("BACKOFF"));
    clock.advance(Duration.ofSeconds(1));
    env.result("info", String.class);

    ActivityInfo second = activities.attempts.get(1);
    assertEquals("info", second.workflowId());
    assertEquals("FlakyWorkflow", second.workflowType());
    assertEquals("Call", second.activityType());
    assertEquals("1", second.activityId());
    assertEquals(2, second.attempt());
    assertEquals(ManualClock.START, second.scheduledTime(), "the first scheduling time, not the attempt's");
  }

  @Test
  void defaultRetryOptionsBackOffOneSecondThenDoubleAndNeverGiveUp() {
    RetryOptions defaults = RetryOptions.getDefaultInstance();
    assertEquals(Duration.ofSeconds(1), defaults.getInitialInterval());
    assertEquals(2.0, defaults.getBackoffCoefficient());
    assertEquals(Duration.ofSeconds(100), defaults.getMaximumInterval());
    assertEquals(0, defaults.getMaximumAttempts(), "0 means unlimited");
    assertEquals(defaults, ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(1)).build().getRetryOptions());
  }

  @Test
  void failureTypeListedInDoNotRetryIsNotRetried() {
    FlakyActivities activities = worker(Integer.MAX_VALUE, ActivityRetryTest::ioFailure);
    String result = env.newWorkflow(FlakyWorkflow.class, "no-retry").run(new Plan(0, List.of("java.io.IOException"), true));
    assertEquals("caught Call after attempt 1: java.io.IOException: boom on attempt 1", result);
    assertEquals(List.of(1), activities.attemptNumbers());
  }

  @Test
  void nonRetryableApplicationFailureIsNotRetried() {
    FlakyActivities activities = worker(Integer.MAX_VALUE,
        attempt -> ApplicationFailure.newNonRetryableFailure("card declined", "PaymentDeclined"));
    String result = env.newWorkflow(FlakyWorkflow.class, "declined").run(new Plan(0, List.of(), true));
    assertEquals("caught Call after attempt 1: PaymentDeclined: card declined (non-retryable)", result);
    assertEquals(List.of(1), activities.attemptNumbers());
  }

  @Test
  void activityStopsAfterMaximumAttemptsAndTheWorkflowSeesTheLastFailure() {
    FlakyActivities activities = worker(Integer.MAX_VALUE, ActivityRetryTest::ioFailure);
    WorkflowClient.start(env.newWorkflow(FlakyWorkflow.class, "limited")::run, new Plan(3, List.of(), true));
    env.awaitPendingActivity("limited", "attempt 2 in backoff", p -> p.attempt() == 2 && p.state().equals("BACKOFF"));
    clock.advance(Duration.ofSeconds(1));
    env.awaitPendingActivity("limited", "attempt 3 in backoff", p -> p.attempt() == 3 && p.state().equals("BACKOFF"));
    clock.advance(Duration.ofSeconds(2));

    assertEquals("caught Call after attempt 3: java.io.IOException: boom on attempt 3", env.result("limited", String.class));
    assertEquals(List.of(1, 2, 3), activities.attemptNumbers());
    assertTrue(env.eventTypes("limited").contains("ActivityTaskFailed"));
  }

  @Test
  void activityFailureThatEscapesTheWorkflowFailsItWithTheWholeChain() {
    worker(Integer.MAX_VALUE, ActivityRetryTest::ioFailure);
    FlakyWorkflow wf = env.newWorkflow(FlakyWorkflow.class, "escapes");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> wf.run(new Plan(1, List.of(), false)));

    assertEquals(WorkflowStatus.FAILED, e.getStatus());
    assertEquals("escapes", e.getExecution().workflowId());
    assertEquals("DURABLE-211", e.getCode());
    ActivityFailure activity = assertInstanceOf(ActivityFailure.class, e.getCause());
    assertEquals("Call", activity.getActivityType());
    assertEquals("1", activity.getActivityId());
    assertEquals(1, activity.getAttempt());
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, activity.getCause());
    assertEquals("java.io.IOException", cause.getType());
    assertEquals("boom on attempt 1", cause.getOriginalMessage());
    assertTrue(cause.getRemoteStackTrace().contains("FlakyActivities.call"), cause.getRemoteStackTrace());
    assertEquals(WorkflowStatus.FAILED, env.describe("escapes").status());
  }

  @Test
  void activityIsNotRetriedWhenTheNextAttemptWouldStartAfterTheScheduleToCloseDeadline() {
    FlakyActivities activities = worker(Integer.MAX_VALUE, ActivityRetryTest::ioFailure);
    WorkflowClient.start(env.newWorkflow(FlakyWorkflow.class, "deadline")::run,
        new Plan(0, List.of(), true, Duration.ofSeconds(5)));
    env.awaitPendingActivity("deadline", "attempt 2 in backoff", p -> p.attempt() == 2 && p.state().equals("BACKOFF"));
    clock.advance(Duration.ofSeconds(1));
    env.awaitPendingActivity("deadline", "attempt 3 in backoff", p -> p.attempt() == 3 && p.state().equals("BACKOFF"));
    clock.advance(Duration.ofSeconds(2));

    // Attempt 3 fails at 3 s; the next one would start at 7 s, after the 5 s deadline.
    assertEquals("caught Call after attempt 3: java.io.IOException: boom on attempt 3", env.result("deadline", String.class));
    assertEquals(List.of(1, 2, 3), activities.attemptNumbers());
  }

  @Test
  void retryBackoffSurvivesAServerRestart() {
    worker(1, ActivityRetryTest::ioFailure);
    WorkflowClient.start(env.newWorkflow(FlakyWorkflow.class, "restarted")::run, new Plan(0, List.of(), false));
    PendingActivityInfo before = env.awaitPendingActivity("restarted", "the retry backoff", p -> p.state().equals("BACKOFF"));

    env.restartServer();
    FlakyActivities afterRestart = worker(1, ActivityRetryTest::ioFailure);
    assertEquals(before, env.describe("restarted").pendingActivities().get(0), "the backoff is stored");

    clock.advance(Duration.ofSeconds(1));
    assertEquals("succeeded on attempt 2", env.result("restarted", String.class));
    assertEquals(List.of(2), afterRestart.attemptNumbers());
  }
}
