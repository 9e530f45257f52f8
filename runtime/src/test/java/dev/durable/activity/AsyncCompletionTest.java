package dev.durable.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.ActivityCompletionClient;
import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowClient;
import dev.durable.common.DurableException;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.testing.ManualClock;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Async;
import dev.durable.workflow.CancellationScope;
import dev.durable.workflow.Promise;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asynchronous activity completion: an activity hands out its task token and returns without
 * completing; an {@link ActivityCompletionClient} completes, fails or heartbeats it later.
 */
class AsyncCompletionTest {
  /** How describe shows an attempt whose method returned and that waits for its token. */
  private static final String AWAITING = "AWAITING_COMPLETION";

  @ActivityInterface
  public interface Approvals {
    String ask(String order);
  }

  /**
   * What the workflow asks for.
   *
   * @param orders one activity per order, all at once
   * @param startToClose the activities' start-to-close timeout
   * @param heartbeat their heartbeat timeout, or null
   */
  public record Plan(List<String> orders, Duration startToClose, Duration heartbeat) {}

  @WorkflowInterface
  public interface ApprovalWorkflow {
    @WorkflowMethod
    String run(Plan plan);
  }

  public static final class ApprovalWorkflowImpl implements ApprovalWorkflow {
    @Override
    public String run(Plan plan) {
      Approvals approvals = Workflow.newActivityStub(Approvals.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(plan.startToClose())
          .setHeartbeatTimeout(plan.heartbeat())
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).build())
          .build());
      List<Promise<String>> answers = new ArrayList<>();
      for (String order : plan.orders()) {
        answers.add(Async.function(approvals::ask, order));
      }
      List<String> out = new ArrayList<>();
      for (Promise<String> answer : answers) {
        try {
          out.add(answer.get());
        } catch (ActivityFailure e) {
          ApplicationFailure cause = (ApplicationFailure) e.getCause();
          out.add("failed after attempt " + e.getAttempt() + ": " + cause.getType() + ": "
              + cause.getOriginalMessage());
        }
      }
      return String.join(", ", out);
    }
  }

  @WorkflowInterface
  public interface CancelableApproval {
    @WorkflowMethod
    String run(String order);

    @SignalMethod
    void stop();
  }

  /** Asks, then cancels the question on {@code stop} and waits until the activity reports its cancellation. */
  public static final class CancelableApprovalImpl implements CancelableApproval {
    private boolean stop;

    @Override
    public String run(String order) {
      Approvals approvals = Workflow.newActivityStub(Approvals.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(1))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .build());
      List<Promise<String>> answer = new ArrayList<>();
      CancellationScope scope = Workflow.newCancellationScope(() -> answer.add(Async.function(approvals::ask, order)));
      scope.run();
      Workflow.await(() -> stop);
      scope.cancel("no longer needed");
      try {
        return answer.get(0).get();
      } catch (ActivityFailure e) {
        return "activity: " + e.getCause().getClass().getSimpleName();
      }
    }

    @Override
    public void stop() {
      stop = true;
    }
  }

  @WorkflowInterface
  public interface Sentinel {
    @WorkflowMethod
    void run(Duration sleep);
  }

  /** Its timer fires after every server timer due earlier: seeing it fire means those ran. */
  public static final class SentinelImpl implements Sentinel {
    @Override
    public void run(Duration sleep) {
      Workflow.sleep(sleep);
    }
  }

  /** One call of the activity: what it handed out and what it saw. */
  record Asked(String order, String token, int attempt, String heartbeatDetails) {}

  /** Hands every call's token to the test and returns without completing. */
  static final class ApprovalsImpl implements Approvals {
    final BlockingQueue<Asked> asked = new LinkedBlockingQueue<>();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String ask(String order) {
      calls.incrementAndGet();
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      asked.add(new Asked(order, ctx.getTaskToken(), ctx.getInfo().attempt(),
          ctx.getHeartbeatDetails(String.class).orElse(null)));
      ctx.doNotCompleteOnReturn();
      return "not the result";
    }

    Asked next() throws InterruptedException {
      Asked a = asked.poll(10, TimeUnit.SECONDS);
      assertNotNull(a, "the activity did not run");
      return a;
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private ManualClock clock;
  private final ApprovalsImpl approvals = new ApprovalsImpl();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    clock = env.clock();
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ApprovalWorkflowImpl.class, SentinelImpl.class,
        CancelableApprovalImpl.class).registerActivitiesImplementations(approvals));
  }

  private void start(String id, Plan plan) {
    WorkflowClient.start(env.newWorkflow(ApprovalWorkflow.class, id)::run, plan);
  }

  private static Plan plan(String... orders) {
    return new Plan(List.of(orders), Duration.ofHours(1), null);
  }

  private ActivityCompletionClient completions() {
    return env.client().newActivityCompletionClient();
  }

  private static DurableException refused(String code, Runnable call) {
    DurableException e = assertThrows(DurableException.class, call::run);
    assertEquals(code, e.getCode(), e.getMessage());
    return e;
  }

  @Test
  void activityCompletedByTokenGivesTheWorkflowItsResult() throws InterruptedException {
    startWorker();
    start("approve", plan("order-1"));
    Asked asked = approvals.next();
    assertTrue(asked.token().matches("[A-Za-z0-9_-]+"), asked.token());
    PendingActivityInfo pa = env.awaitPendingActivity("approve", "the attempt to stay started after its return",
        p -> p.state().equals(AWAITING));
    assertEquals(1, pa.attempt());
    assertFalse(env.eventTypes("approve").contains("ActivityTaskCompleted"), "the return reported nothing");

    DurableException noCancel = refused("DURABLE-235", () -> completions().reportCancellation(asked.token(), null));
    assertTrue(noCancel.getMessage().contains("the workflow did not ask to cancel it"), noCancel.getMessage());

    completions().complete(asked.token(), "approved by alice");
    assertEquals("approved by alice", env.result("approve", String.class));
    assertEquals(1, approvals.calls.get());

    DurableException again = refused("DURABLE-234", () -> completions().complete(asked.token(), "twice"));
    assertTrue(again.getMessage().contains("is no longer pending: its workflow 'approve' (run "
        + env.describe("approve").runId() + ") is closed: COMPLETED."), again.getMessage());
  }

  @Test
  void activityIsCompletedByWorkflowIdAndActivityId() throws InterruptedException {
    startWorker();
    start("by-id", plan("order-2"));
    approvals.next();
    PendingActivityInfo pa = env.awaitPendingActivity("by-id", "the attempt started", p -> p.state().equals(AWAITING));

    completions().complete("by-id", pa.activityId(), "approved by id");
    assertEquals("approved by id", env.result("by-id", String.class));
  }

  @Test
  void failureByTokenIsRetriedAndTheNextAttemptHasANewToken() throws InterruptedException {
    startWorker();
    start("retry", plan("order-3"));
    Asked first = approvals.next();
    env.awaitPendingActivity("retry", "attempt 1 started", p -> p.state().equals(AWAITING));

    completions().fail(first.token(), ApplicationFailure.newFailure("the approver is away", "Away"));
    PendingActivityInfo backoff = env.awaitPendingActivity("retry", "the retry", p -> p.state().equals("BACKOFF"));
    assertEquals(2, backoff.attempt());
    assertEquals("Away: the approver is away", backoff.lastFailure());

    clock.advance(Duration.ofSeconds(1));
    Asked second = approvals.next();
    assertEquals(2, second.attempt());
    assertNotEquals(first.token(), second.token());
    completions().complete(second.token(), "approved on attempt 2");
    assertEquals("approved on attempt 2", env.result("retry", String.class));
  }

  @Test
  void nonRetryableFailureByTokenFailsTheActivityWithItsType() throws InterruptedException {
    startWorker();
    start("reject", plan("order-4"));
    Asked asked = approvals.next();

    completions().fail(asked.token(), ApplicationFailure.newNonRetryableFailure("too expensive", "Rejected"));
    assertEquals("failed after attempt 1: Rejected: too expensive", env.result("reject", String.class));
    assertEquals(1, approvals.calls.get());
  }

  @Test
  void tokenStaysValidAcrossAServerRestart() throws InterruptedException {
    startWorker();
    start("restart", plan("order-5"));
    Asked asked = approvals.next();
    env.awaitPendingActivity("restart", "the attempt started", p -> p.state().equals(AWAITING));

    env.restartServer(); // and no worker until the completion is recorded
    completions().complete(asked.token(), "approved after the restart");
    startWorker();
    assertEquals("approved after the restart", env.result("restart", String.class));
    assertEquals(1, approvals.calls.get(), "the completed attempt is not dispatched again");
  }

  @Test
  void anAttemptAwaitingItsTokenIsNotRunAgainAfterARestartAndKeepsItsTimeout() throws InterruptedException {
    startWorker();
    start("kept", new Plan(List.of("order-9"), Duration.ofSeconds(30), null));
    Asked first = approvals.next();
    env.awaitPendingActivity("kept", "the attempt to await its token", p -> p.state().equals(AWAITING));

    env.restartServer(); // with a worker at once: an attempt dispatched again would run on it
    startWorker();
    env.awaitPendingActivity("kept", "the attempt to await its token still", p -> p.state().equals(AWAITING));
    clock.advance(Duration.ofSeconds(30)); // its start-to-close timeout, counted from its start before the restart
    env.awaitPendingActivity("kept", "the retry after the timeout", p -> p.state().equals("BACKOFF"));
    clock.advance(Duration.ofSeconds(1));
    Asked second = approvals.next();
    assertEquals(2, second.attempt(), "the next call is the retry, not attempt 1 run again");
    assertEquals(2, approvals.calls.get());
    refused("DURABLE-234", () -> completions().complete(first.token(), "too late"));
    completions().complete(second.token(), "approved");
    assertEquals("approved", env.result("kept", String.class));
  }

  @Test
  void staleTokenIsRefusedOnceTheStartToCloseTimeoutFiredAndARetryBegan() throws InterruptedException {
    startWorker();
    start("stale", new Plan(List.of("order-6"), Duration.ofSeconds(10), null));
    Asked first = approvals.next();
    env.awaitPendingActivity("stale", "attempt 1 started", p -> p.state().equals(AWAITING));

    clock.advance(Duration.ofSeconds(10));
    env.awaitPendingActivity("stale", "the retry after the timeout", p -> p.state().equals("BACKOFF"));
    clock.advance(Duration.ofSeconds(1));
    Asked second = approvals.next();
    env.awaitPendingActivity("stale", "attempt 2 started", p -> p.state().equals(AWAITING) && p.attempt() == 2);

    DurableException stale = refused("DURABLE-234", () -> completions().complete(first.token(), "too late"));
    String runId = env.describe("stale").runId();
    assertTrue(stale.getMessage().startsWith("DURABLE-234 activity 1 (Ask) attempt 1 of workflow 'stale' run " + runId
        + " is no longer pending: attempt 2 is running."), stale.getMessage());
    completions().complete(second.token(), "in time");
    assertEquals("in time", env.result("stale", String.class));
  }

  @Test
  void heartbeatsByTokenKeepTheAttemptAliveAndTheirDetailsGoToTheNextAttempt() throws InterruptedException {
    startWorker();
    start("beat", new Plan(List.of("order-7"), Duration.ofHours(1), Duration.ofSeconds(5)));
    Asked first = approvals.next();
    env.awaitPendingActivity("beat", "attempt 1 started", p -> p.state().equals(AWAITING));

    clock.advance(Duration.ofSeconds(3));
    assertFalse(completions().heartbeat(first.token(), "half way"), "no cancellation was requested");
    WorkflowClient.start(env.newWorkflow(Sentinel.class, "sentinel")::run, Duration.ofMillis(2050));
    env.awaitEvent("sentinel", "TimerStarted");
    // Past the deadline of the start (+5 s), before the one the heartbeat set (+8 s).
    clock.advance(Duration.ofMillis(2100));
    env.result("sentinel", Void.class); // the heartbeat check, due earlier, has run by now
    PendingActivityInfo alive = env.describe("beat").pendingActivities().get(0);
    assertEquals(AWAITING, alive.state());
    assertEquals(1, alive.attempt());
    assertEquals(ManualClock.START.plusSeconds(3), alive.lastHeartbeatTime());

    // Silent past the heartbeat's deadline: the attempt times out, and the next one resumes.
    clock.advance(Duration.ofSeconds(3));
    env.awaitPendingActivity("beat", "the retry after the heartbeat timeout", p -> p.state().equals("BACKOFF"));
    clock.advance(Duration.ofSeconds(1));
    Asked second = approvals.next();
    assertEquals(2, second.attempt());
    assertEquals("half way", second.heartbeatDetails());
    completions().complete(second.token(), "done");
    assertEquals("done", env.result("beat", String.class));
  }

  @Test
  void heartbeatByTokenTellsOfACancellationRequestAndReportCancellationEndsTheActivityCanceled()
      throws InterruptedException {
    startWorker();
    WorkflowClient.start(env.client().newWorkflowStub(CancelableApproval.class, TestEnv.options("withdraw"))::run,
        "order-8");
    Asked asked = approvals.next();
    env.awaitPendingActivity("withdraw", "the attempt started", p -> p.state().equals(AWAITING));
    assertFalse(completions().heartbeat(asked.token(), "waiting"), "no cancellation was requested yet");

    env.stub("withdraw").signal("stop");
    env.awaitPendingActivity("withdraw", "the cancellation request", p -> p.state().equals("CANCEL_REQUESTED"));
    assertTrue(completions().heartbeat(asked.token(), "still waiting"), "the workflow asked to cancel it");
    completions().reportCancellation(asked.token(), "withdrawn");
    assertEquals("activity: CanceledFailure", env.result("withdraw", String.class));
    assertTrue(env.eventTypes("withdraw").contains("ActivityTaskCanceled"), env.eventTypes("withdraw").toString());
  }

  @Test
  void malformedTokensAndUnknownRunsAreRefused() {
    DurableException malformed = refused("DURABLE-233", () -> completions().complete("not-a-token", "x"));
    assertTrue(malformed.getMessage().startsWith("DURABLE-233 the task token 'not-a-token' is not one Durable issued:"),
        malformed.getMessage());
    assertTrue(malformed.getMessage().contains("ActivityExecutionContext.getTaskToken()"), malformed.getMessage());

    DurableException badId = refused("DURABLE-233", () -> completions().complete("some-workflow", "first", "x"));
    assertTrue(badId.getMessage().contains("activity id 'first' is not one Durable issued"), badId.getMessage());

    // Well formed, for a run this server does not have.
    String unknownRun = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("1:00000000-0000-7000-8000-000000000000:1:1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    DurableException unknown = refused("DURABLE-234", () -> completions().heartbeat(unknownRun, null));
    assertTrue(unknown.getMessage().contains("its run 00000000-0000-7000-8000-000000000000 is unknown to this server"),
        unknown.getMessage());

    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> completions().complete(" ", 1));
    assertTrue(blank.getMessage().contains("taskToken"), blank.getMessage());
  }

  @Test
  void anActivityAwaitingCompletionHoldsNoActivitySlot() throws InterruptedException {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ApprovalWorkflowImpl.class)
        .registerActivitiesImplementations(approvals).setMaxConcurrentActivityTasks(1));
    start("slots", plan("order-a", "order-b"));
    Asked a = approvals.next();
    Asked b = approvals.next(); // ran on the one slot while the first awaits its completion
    env.awaitDescription("slots", "both attempts started", d -> d.pendingActivities().size() == 2
        && d.pendingActivities().stream().allMatch(p -> p.state().equals(AWAITING)));

    completions().complete(b.token(), b.order() + " approved");
    completions().complete(a.token(), a.order() + " approved");
    assertEquals("order-a approved, order-b approved", env.result("slots", String.class));
  }
}
