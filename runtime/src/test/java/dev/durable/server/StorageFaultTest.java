package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ApplicationFailure;
import dev.durable.internal.server.ServerCore;
import dev.durable.internal.store.Store;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed write (a full disk, an I/O error) fails the call with DURABLE-302 and records nothing
 * of it; workflows whose writes succeed carry on; once the fault is gone the affected workflows
 * go on from what was recorded, after the storage retry delay (1 s on the test clock).
 */
class StorageFaultTest {
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  @ActivityInterface
  public interface Stamp {
    String stamp(String what);
  }

  static final class CountingStamp implements Stamp {
    final AtomicInteger executions = new AtomicInteger();

    @Override
    public String stamp(String what) {
      executions.incrementAndGet();
      return "stamped " + what;
    }
  }

  @WorkflowInterface
  public interface Errand {
    /** {@code signal}: waits for one; {@code activity}: stamps; {@code timer}: sleeps a minute. */
    @WorkflowMethod
    String run(String mode);

    @SignalMethod
    void note(String text);
  }

  public static final class ErrandImpl implements Errand {
    private final Stamp stamp = Workflow.newActivityStub(Stamp.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1)).build());
    private final List<String> notes = new ArrayList<>();

    @Override
    public String run(String mode) {
      switch (mode) {
        case "signal":
          Workflow.await(() -> !notes.isEmpty());
          return "noted " + notes;
        case "activity":
          return stamp.stamp("form");
        case "twice":
          return stamp.stamp("a") + ", " + stamp.stamp("b");
        case "retried":
          if (Workflow.getInfo().attempt() == 1) {
            throw ApplicationFailure.newFailure("attempt 1 fails", "Flaky");
          }
          return "attempt " + Workflow.getInfo().attempt();
        default:
          Workflow.sleep(Duration.ofMinutes(1));
          return "slept";
      }
    }

    @Override
    public void note(String text) {
      notes.add(text);
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private volatile FaultyStore store;
  private final CountingStamp stamp = new CountingStamp();

  @BeforeEach
  void open() {
    // Each start is written on its own here, so a fault hits the write it names (FirstTaskHandOverTest
    // covers a start written together with its first task).
    env = TestEnv.open(dir, b -> b.firstTaskWait(Duration.ZERO).wrapStore(s -> store = new FaultyStore(s)));
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ErrandImpl.class).registerActivitiesImplementations(stamp));
  }

  @AfterEach
  void close() {
    store.heal();
    env.close();
  }

  private void start(String id, String mode) {
    WorkflowClient.start(env.newWorkflow(Errand.class, id)::run, mode);
  }

  private String stored(String id) {
    return env.describe(id) + "\n" + env.stub(id).getHistory().toJson();
  }

  /**
   * Moves the clock on to the retry until the workflow closes, and returns its result. The retry is
   * armed when the server has handled the failed write, which the test cannot observe.
   */
  private String resultAfterRetries(String id) {
    env.advanceToTimersUntil(id + " to close", RETRY_DELAY, () -> env.describe(id).isClosed());
    return env.result(id, String.class);
  }

  private void awaitInjected(int faults) {
    Eventually.eventually(faults + " injected faults", () -> store.injected.get() >= faults);
  }

  @Test
  void failedStartRecordsNothingAndTheSameStartSucceedsOnceTheDiskIsBack() {
    store.failWrites(t -> true);

    DurableException e = assertThrows(DurableException.class, () -> start("first", "signal"));

    assertEquals("DURABLE-302", e.getCode());
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    assertTrue(env.stub("first").describe().isEmpty());
    assertEquals(List.of(), env.client().listWorkflows(false, 10));

    store.heal();
    start("first", "signal");
    env.stub("first").signal("note", "hello");
    assertEquals("noted [hello]", env.result("first", String.class));
  }

  @Test
  void failedSignalLeavesTheHistoryAsItWasWhileOtherWorkflowsCarryOn() {
    start("stuck", "signal");
    start("fine", "signal");
    env.awaitEvent("stuck", "WorkflowTaskCompleted");
    String before = stored("stuck");
    store.failWrites(FaultyStore.ofWorkflow("stuck"));

    DurableException e = assertThrows(DurableException.class, () -> env.stub("stuck").signal("note", "lost"));

    assertEquals("DURABLE-302", e.getCode());
    assertEquals(before, stored("stuck"));
    env.stub("fine").signal("note", "kept");
    assertEquals("noted [kept]", env.result("fine", String.class));

    store.heal();
    env.stub("stuck").signal("note", "again");
    assertEquals("noted [again]", env.result("stuck", String.class));
  }

  @Test
  void aWorkflowTaskReArmedAfterAFailedWriteWaitsIdleForTheRetryDelay() {
    start("idle", "signal");
    env.awaitEvent("idle", "WorkflowTaskCompleted");
    store.failWrites(FaultyStore.appending("idle", "WorkflowTaskCompleted"));
    env.stub("idle").signal("note", "kept"); // recorded; the completion of the task it makes ready fails
    awaitInjected(1);

    // Idle until the delay passes, as after a failed task: time skipping may move the clock there.
    ServerCore core = (ServerCore) env.server().workflowService();
    Eventually.eventually("the server to be idle, its task waiting for the retry delay", core::isIdle);
    store.heal();
    env.clock().advance(RETRY_DELAY);
    assertEquals("noted [kept]", env.result("idle", String.class));
  }

  @Test
  void activityResultLostToAFailedWriteIsProducedAgainOnceTheDiskIsBack() {
    store.failWrites(FaultyStore.appending("stamp", "ActivityTaskCompleted"));
    start("stamp", "activity");
    awaitInjected(1);

    assertEquals(1, stamp.executions.get());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled"),
        env.eventTypes("stamp"));
    assertEquals(WorkflowStatus.RUNNING, env.describe("stamp").status());

    store.heal();
    assertEquals("stamped form", resultAfterRetries("stamp"));
    assertEquals(2, stamp.executions.get(), "at least once: the first execution's result was never recorded");
    assertEquals(1, env.eventTypes("stamp").stream().filter("ActivityTaskCompleted"::equals).count());
  }

  @Test
  void workflowTaskHandedToTheActivityThreadWhoseCommandsCannotBeWrittenRunsAgainOnceTheDiskIsBack() {
    // The first activity's result makes the next workflow task ready, which the activity thread
    // takes and runs itself; the result is written with that task's commands (scheduling the
    // second activity), and that write fails: the result is lost with it.
    Predicate<Store.Transition> scheduling = FaultyStore.appending("twice", "ActivityTaskScheduled");
    AtomicInteger schedulings = new AtomicInteger();
    store.failWrites(t -> scheduling.test(t) && schedulings.incrementAndGet() >= 2);
    start("twice", "twice");
    awaitInjected(1);

    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled"),
        env.eventTypes("twice"), "the kept result went with the failed write; nothing half-written");
    assertEquals(WorkflowStatus.RUNNING, env.describe("twice").status());
    assertEquals(1, stamp.executions.get());

    store.heal();
    assertEquals("stamped a, stamped b", resultAfterRetries("twice"));
    assertEquals(3, stamp.executions.get(), "at least once: the first result was never recorded, so it runs again");
    assertEquals(2, env.eventTypes("twice").stream().filter("ActivityTaskCompleted"::equals).count());
  }

  @Test
  void workflowTaskWhoseCommandsCannotBeWrittenRecordsNothingAndRunsAgainOnceTheDiskIsBack() {
    store.failWrites(FaultyStore.appending("decide", "WorkflowTaskCompleted"));
    start("decide", "activity");
    awaitInjected(1);

    assertEquals(List.of("WorkflowExecutionStarted"), env.eventTypes("decide"));
    assertEquals(0, stamp.executions.get(), "no activity was scheduled by the unrecorded task");

    store.heal();
    assertEquals("stamped form", resultAfterRetries("decide"));
  }

  @Test
  void workflowTaskWhoseCommandsFailHalfWayLeavesNothingHalfDoneAndRunsAgainOnceTheDiskIsBack() {
    store.failEventReads(); // the retry of a failed run reads the run's start event
    WorkflowClient.start(env.client().newWorkflowStub(Errand.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("half").setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1)).build()).build())::run, "retried");
    awaitInjected(1);

    assertEquals(List.of("WorkflowExecutionStarted"), env.eventTypes("half"), "nothing of the task is recorded");
    assertEquals(WorkflowStatus.RUNNING, env.describe("half").status(), "nor shown");

    store.heal();
    // The task runs again after the storage retry delay and fails the run; the retry waits for its backoff.
    env.advanceToTimersUntil("the retry run to close", RETRY_DELAY,
        () -> env.describe("half").attempt() == 2 && env.describe("half").isClosed());
    assertEquals("attempt 2", env.result("half", String.class));
    // Closing the environment checks every history against its state: nothing half-applied was written later.
  }

  @Test
  void timerWhoseFiringCannotBeWrittenFiresOnceTheDiskIsBack() {
    start("nap", "timer");
    env.awaitEvent("nap", "TimerStarted");
    store.failWrites(FaultyStore.appending("nap", "TimerFired"));
    env.clock().advance(Duration.ofMinutes(1));
    awaitInjected(1);

    assertTrue(!env.eventTypes("nap").contains("TimerFired"), env.eventTypes("nap").toString());

    store.heal();
    assertEquals("slept", resultAfterRetries("nap"));
  }

  @Test
  void timersDueTogetherAreWrittenWithoutASyncEachAndTheTimerThreadSyncsTheLogAfterThem() {
    int n = 20;
    for (int i = 0; i < n; i++) {
      start("nap-" + i, "timer");
    }
    for (int i = 0; i < n; i++) {
      env.awaitEvent("nap-" + i, "TimerStarted");
    }
    int before = store.steps.size();
    env.clock().advance(Duration.ofMinutes(1));
    for (int i = 0; i < n; i++) {
      assertEquals("slept", env.result("nap-" + i, String.class));
    }
    Predicate<FaultyStore.Step> timerThreadSync = s -> s.write() == null && s.thread().equals("durable-timers");
    Eventually.eventually("the timer thread to sync the log", () -> store.steps.stream().anyMatch(timerThreadSync));

    List<FaultyStore.Step> steps = store.steps.subList(before, store.steps.size());
    List<FaultyStore.Step> fired = steps.stream().filter(s -> s.appends("TimerFired")).toList();
    assertEquals(n, fired.size());
    assertTrue(fired.stream().noneMatch(s -> s.write().durable()), "a TimerFired write was synced on its own");
    assertTrue(fired.stream().allMatch(s -> s.thread().equals("durable-timers")));
    long syncs = steps.stream().filter(timerThreadSync).count();
    assertTrue(syncs >= 1 && syncs < n / 2, syncs + " syncs by the timer thread for " + n + " timers due together");
    int lastFired = steps.lastIndexOf(fired.get(n - 1));
    assertTrue(steps.subList(lastFired, steps.size()).stream().anyMatch(timerThreadSync),
        "the timer thread synced the log before the last TimerFired write");
  }

  @Test
  void writeReportedAsFailedAfterItWasRecordedIsReadBackAndDeliveredOnce() {
    start("ambiguous", "signal");
    env.awaitEvent("ambiguous", "WorkflowTaskCompleted");
    store.failWritesAfterApplying(FaultyStore.appending("ambiguous", "WorkflowExecutionSignaled"));

    // The caller cannot tell whether the change was recorded; the server re-reads what the store holds.
    assertThrows(DurableException.class, () -> env.stub("ambiguous").signal("note", "maybe"));
    store.heal();

    assertEquals("noted [maybe]", resultAfterRetries("ambiguous"));
    assertEquals(1, env.eventTypes("ambiguous").stream().filter("WorkflowExecutionSignaled"::equals).count());
  }

  @Test
  void startReportedAsFailedAfterItWasRecordedIsReadBackAndRuns() {
    store.failWritesAfterApplying(FaultyStore.appending("recorded", "WorkflowExecutionStarted"));

    start("recorded", "activity"); // the server reads back what the store holds: the run is there, so the start succeeds
    store.heal();

    assertEquals("stamped form", env.result("recorded", String.class));
    assertEquals(1, stamp.executions.get());
  }

  @Test
  void storeThatCanNeitherWriteNorReadBackStopsTheServerAndARestartGoesOnFromWhatIsStored() {
    start("broken", "signal");
    env.awaitEvent("broken", "WorkflowTaskCompleted");
    CompletableFuture<RuntimeException> told = new CompletableFuture<>();
    env.server().onStoppedByFailure(told::complete);
    store.failWrites(t -> true);
    store.failReadsAfterAFailedWrite();

    DurableException e = assertThrows(DurableException.class, () -> env.stub("broken").signal("note", "lost"));
    assertEquals("DURABLE-302", e.getCode());
    assertEquals(e.getMessage(), told.join().getMessage(), "the listener gets the write's failure");

    // Serving on could show, or later write, a change that was never recorded.
    DurableException stopped = assertThrows(DurableException.class, () -> env.stub("broken").describe());
    assertEquals("DURABLE-213", stopped.getCode());
    assertTrue(stopped.getMessage().contains("the server stopped after a write and the read that followed it failed"),
        stopped.getMessage());
    store.heal();
    env.restartServer();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ErrandImpl.class).registerActivitiesImplementations(stamp));
    env.stub("broken").signal("note", "after the restart");
    assertEquals("noted [after the restart]", env.result("broken", String.class));
  }

  @Test
  void failedReadFailsTheCallWithDurable302AndChangesNothing() {
    start("read", "signal");
    env.awaitEvent("read", "WorkflowTaskCompleted");
    String before = stored("read");
    store.failReads();

    DurableException e = assertThrows(DurableException.class, () -> env.stub("read").getHistory());

    assertEquals("DURABLE-302", e.getCode());
    store.heal();
    assertEquals(before, stored("read"));
  }
}
