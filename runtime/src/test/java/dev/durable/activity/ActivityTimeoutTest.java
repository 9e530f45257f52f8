package dev.durable.activity;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowClient;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.TimeoutFailure;
import dev.durable.testing.ManualClock;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-to-close, schedule-to-close, schedule-to-start and heartbeat timeouts, on a manual clock. */
class ActivityTimeoutTest {
  @ActivityInterface
  public interface Slow {
    String work();
  }

  /** The activity options the workflow uses; null means not set. */
  public record Limits(Duration startToClose, Duration scheduleToClose, Duration scheduleToStart, Duration heartbeat,
      String taskQueue) {}

  @WorkflowInterface
  public interface SlowWorkflow {
    @WorkflowMethod
    String run(Limits limits);
  }

  public static final class SlowWorkflowImpl implements SlowWorkflow {
    @Override
    public String run(Limits l) {
      Slow slow = Workflow.newActivityStub(Slow.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(l.startToClose())
          .setScheduleToCloseTimeout(l.scheduleToClose())
          .setScheduleToStartTimeout(l.scheduleToStart())
          .setHeartbeatTimeout(l.heartbeat())
          .setTaskQueue(l.taskQueue())
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).build())
          .build());
      try {
        return slow.work();
      } catch (ActivityFailure e) {
        TimeoutFailure t = (TimeoutFailure) e.getCause();
        return "gave up after attempt " + e.getAttempt() + ": " + t.getTimeoutType() + ": " + t.getOriginalMessage();
      }
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

  /** Blocks the listed attempts (after an optional heartbeat) until released; other attempts return at once. */
  static final class SlowActivities implements Slow {
    final List<Integer> started = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch release = new CountDownLatch(1);
    private final Set<Integer> blocking;
    final Semaphore beatRequested = new Semaphore(0);
    final Semaphore beatDone = new Semaphore(0);
    private final boolean heartbeatFirst;
    private final boolean beatOnRequest;

    SlowActivities(Set<Integer> blocking, boolean heartbeatFirst, boolean beatOnRequest) {
      this.blocking = blocking;
      this.heartbeatFirst = heartbeatFirst;
      this.beatOnRequest = beatOnRequest;
    }

    @Override
    public String work() {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      int attempt = ctx.getInfo().attempt();
      String resumed = ctx.getHeartbeatDetails(String.class).map(d -> " resumed from '" + d + "'").orElse("");
      if (heartbeatFirst) {
        ctx.heartbeat("progress of attempt " + attempt);
      }
      if (beatOnRequest) {
        beatRequested.acquireUninterruptibly();
        ctx.heartbeat("beat of attempt " + attempt);
        beatDone.release();
      }
      started.add(attempt);
      if (blocking.contains(attempt)) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "late attempt " + attempt;
      }
      return "attempt " + attempt + resumed;
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private ManualClock clock;
  private SlowActivities activities;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    clock = env.clock();
  }

  @AfterEach
  void close() {
    if (activities != null) {
      activities.release.countDown();
      activities.beatRequested.release(100);
    }
    env.close();
  }

  private void worker(Set<Integer> blocking, boolean heartbeatFirst) {
    worker(new SlowActivities(blocking, heartbeatFirst, false));
  }

  private void worker(SlowActivities slow) {
    activities = slow;
    env.startWorker(b -> b.registerWorkflowImplementationTypes(SlowWorkflowImpl.class, SentinelImpl.class)
        .registerActivitiesImplementations(activities));
  }

  private void start(String id, Limits limits) {
    WorkflowClient.start(env.newWorkflow(SlowWorkflow.class, id)::run, limits);
  }

  private void awaitAttemptRunning(String id, int attempt) {
    eventually("attempt " + attempt + " to run", () -> activities.started.contains(attempt));
    env.awaitPendingActivity(id, "attempt " + attempt + " started", p -> p.state().equals("STARTED") && p.attempt() == attempt);
  }

  @Test
  void attemptThatExceedsItsStartToCloseTimeoutFailsAndIsRetried() {
    worker(Set.of(1), false);
    start("stc", new Limits(Duration.ofSeconds(10), null, null, null, null));
    awaitAttemptRunning("stc", 1);

    clock.advance(Duration.ofSeconds(10));
    PendingActivityInfo pa = env.awaitPendingActivity("stc", "the retry after the timeout", p -> p.state().equals("BACKOFF"));
    assertEquals(2, pa.attempt());
    assertEquals("dev.durable.failure.TimeoutFailure: activity Work attempt 1 exceeded its START_TO_CLOSE timeout of PT10S",
        pa.lastFailure());
    assertEquals(clock.instant().plusSeconds(1), pa.nextAttemptTime());

    clock.advance(Duration.ofSeconds(1));
    assertEquals("attempt 2", env.result("stc", String.class));
    assertEquals(List.of(1, 2), activities.started);
  }

  @Test
  void scheduleToCloseTimeoutEndsTheActivityForGood() {
    worker(Set.of(1), false);
    start("s2c", new Limits(null, Duration.ofSeconds(30), null, null, null));
    awaitAttemptRunning("s2c", 1);

    clock.advance(Duration.ofSeconds(30));
    assertEquals("gave up after attempt 1: SCHEDULE_TO_CLOSE: activity Work attempt 1 exceeded its SCHEDULE_TO_CLOSE"
        + " timeout of PT30S", env.result("s2c", String.class));
    assertEquals(List.of(1), activities.started);
  }

  @Test
  void scheduleToStartTimeoutEndsAnActivityNoWorkerTakes() {
    worker(Set.of(), false);
    start("s2s", new Limits(Duration.ofSeconds(10), null, Duration.ofSeconds(5), null, "queue-nobody-polls"));
    env.awaitPendingActivity("s2s", "the activity to be scheduled", p -> p.state().equals("SCHEDULED"));

    clock.advance(Duration.ofSeconds(5));
    assertEquals("gave up after attempt 1: SCHEDULE_TO_START: activity Work attempt 1 exceeded its SCHEDULE_TO_START"
        + " timeout of PT5S", env.result("s2s", String.class));
    assertEquals(List.of(), activities.started);
  }

  @Test
  void silentAttemptFailsOnHeartbeatTimeoutAndTheNextAttemptGetsTheLastHeartbeatDetails() {
    worker(Set.of(1), true);
    start("hb", new Limits(Duration.ofHours(1), null, null, Duration.ofSeconds(5), null));
    awaitAttemptRunning("hb", 1);
    PendingActivityInfo running = env.awaitPendingActivity("hb", "the heartbeat", p -> p.lastHeartbeatTime() != null);
    assertEquals(ManualClock.START, running.lastHeartbeatTime());

    clock.advance(Duration.ofSeconds(5));
    PendingActivityInfo pa = env.awaitPendingActivity("hb", "the retry after the heartbeat timeout",
        p -> p.state().equals("BACKOFF"));
    assertEquals(2, pa.attempt());
    assertEquals("dev.durable.failure.TimeoutFailure: activity Work attempt 1 exceeded its HEARTBEAT timeout of PT5S",
        pa.lastFailure());
    assertNotNull(pa.nextAttemptTime());

    clock.advance(Duration.ofSeconds(1));
    assertEquals("attempt 2 resumed from 'progress of attempt 1'", env.result("hb", String.class));
  }

  @Test
  void heartbeatsPushTheHeartbeatDeadlineBack() throws InterruptedException {
    worker(new SlowActivities(Set.of(1), false, true));
    start("pulse", new Limits(Duration.ofHours(1), null, null, Duration.ofSeconds(5), null));
    env.awaitPendingActivity("pulse", "attempt 1 started", p -> p.state().equals("STARTED"));

    clock.advance(Duration.ofSeconds(3));
    activities.beatRequested.release();
    assertTrue(activities.beatDone.tryAcquire(10, TimeUnit.SECONDS), "the activity did not heartbeat");
    WorkflowClient.start(env.newWorkflow(Sentinel.class, "sentinel")::run, Duration.ofMillis(2050));
    env.awaitEvent("sentinel", "TimerStarted");

    // Past the first heartbeat deadline (start + 5 s), before the one the heartbeat set (start + 8 s).
    clock.advance(Duration.ofMillis(2100));
    env.result("sentinel", Void.class); // the heartbeat check, due earlier, has run by now
    PendingActivityInfo pa = env.describe("pulse").pendingActivities().get(0);
    assertEquals("STARTED", pa.state());
    assertEquals(1, pa.attempt());
    assertEquals(ManualClock.START.plusSeconds(3), pa.lastHeartbeatTime());

    activities.release.countDown();
    assertEquals("late attempt 1", env.result("pulse", String.class));
  }
}
