package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.common.RetryOptions;
import dev.durable.common.DurableException;
import dev.durable.internal.store.Store;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.failure.ApplicationFailure;
import dev.durable.worker.Worker;
import dev.durable.client.WorkflowStatus;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start made while a worker's poller waits hands the run's first workflow task to it at once, and
 * that task's completion writes the start with its own events, in one write. That write is not
 * synced: the start is acknowledged once a later synced write (the run's next step) carried it to
 * disk, or once it was synced on its own, when the next step takes longer or something shows the
 * run. If the write fails, the start fails and nothing of the run is recorded; if the task takes
 * longer than a moment, the start is written on its own.
 */
class FirstTaskHandOverTest {
  static final List<String> START_AND_FIRST_TASK =
      List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled");
  static final List<String> RESULT_AND_CLOSE =
      List.of("ActivityTaskCompleted", "WorkflowTaskCompleted", "WorkflowExecutionCompleted");
  static final List<List<String>> START_WRITTEN_ALONE = List.of(List.of("WorkflowExecutionStarted"),
      List.of("WorkflowTaskCompleted", "ActivityTaskScheduled"), RESULT_AND_CLOSE);

  @WorkflowInterface
  public interface Slow {
    /** With {@code gated}, its first task waits (on a real latch) for the test, then it stamps. */
    @WorkflowMethod
    String run(boolean gated);
  }

  /** Holds the first workflow task of a {@link Slow} run until the test opens it (no agent in these tests). */
  static volatile CountDownLatch gate = new CountDownLatch(0);

  public static final class SlowImpl implements Slow {
    @Override
    public String run(boolean gated) {
      if (gated && !Workflow.isReplaying()) {
        try {
          assertTrue(gate.await(30, TimeUnit.SECONDS), "the test opens the gate");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Workflow.newActivityStub(StorageFaultTest.Stamp.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1)).build()).stamp("form");
    }
  }

  @WorkflowInterface
  public interface FailsOnce {
    @WorkflowMethod
    String run(String input);
  }

  /** Fails its first attempt in its first workflow task. */
  public static final class FailsOnceImpl implements FailsOnce {
    @Override
    public String run(String input) {
      int attempt = Workflow.getInfo().attempt();
      if (attempt == 1) {
        throw ApplicationFailure.newFailure("attempt 1 fails", "Flaky");
      }
      return "attempt " + attempt + " with " + input;
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private Worker worker;
  private volatile FaultyStore store;
  private final GatedStamp stamp = new GatedStamp();

  /** Counts its executions, and holds each until {@link #gate} opens. */
  static final class GatedStamp implements StorageFaultTest.Stamp {
    final AtomicInteger executions = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public String stamp(String what) {
      executions.incrementAndGet();
      try {
        assertTrue(gate.await(30, TimeUnit.SECONDS), "the test opens the gate");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "stamped " + what;
    }
  }
  /** The event types of each write that reached the store, in order. */
  private final List<List<String>> writes = new CopyOnWriteArrayList<>();
  /** Whether each of those writes was synced. */
  private final List<Boolean> synced = new CopyOnWriteArrayList<>();
  private volatile Predicate<Store.Transition> fault = t -> false;
  private static final Duration LONG = Duration.ofMinutes(1);

  /**
   * Starts a server whose starts wait up to {@code firstTaskWait} for their first task (long, where a
   * test checks the combined write: a first task in a fresh JVM can take longer than the default
   * 2 ms), and a worker.
   */
  private void open(Duration firstTaskWait) {
    env = TestEnv.open(dir, b -> b.firstTaskWait(firstTaskWait).wrapStore(s -> {
      store = new FaultyStore(s);
      store.failOrList(() -> fault, writes, synced);
      return store;
    }));
    worker = env.startWorker(b -> b.registerWorkflowImplementationTypes(SlowImpl.class,
        FailsOnceImpl.class).registerActivitiesImplementations(stamp));
  }

  @AfterEach
  void close() {
    gate.countDown();
    stamp.gate.countDown();
    fault = t -> false;
    if (env != null) {
      env.close();
    }
  }

  private void start(String id, boolean gated) {
    WorkflowClient.start(env.newWorkflow(Slow.class, id)::run, gated);
  }

  /** Waits until a workflow-task poller waits with nothing owed to it: the next start hands its task over. */
  private void awaitIdlePoller() {
    Eventually.eventually("a waiting poller", () -> env.server().workflowTasksServed(TestEnv.TASK_QUEUE));
  }

  @Test
  void theStartIsWrittenWithItsFirstTasksCompletion() {
    open(LONG);
    awaitIdlePoller();
    start("one", false);

    assertEquals(List.of(START_AND_FIRST_TASK, RESULT_AND_CLOSE), writes,
        "acknowledged once the next step's synced write carried the start to disk");
    assertEquals(List.of(false, true), synced);
    assertEquals(0, store.logSyncs.get(), "no fsync of its own for the start");
    assertEquals("stamped form", env.result("one", String.class));
    assertEquals(1, stamp.executions.get());
  }

  @Test
  void aStartWrittenWithoutSyncIsSyncedBeforeAnythingShowsTheRun() throws Exception {
    Thread starter = startHeld("held");
    assertTrue(starter.isAlive(), "not acknowledged while a crash could lose it");

    assertEquals(WorkflowStatus.RUNNING, env.describe("held").status());
    assertEquals(1, store.logSyncs.get(), "describe synced the start before showing the run");
    awaitStarted(starter); // that sync acknowledges the start too

    stamp.gate.countDown();
    assertEquals("stamped form", env.result("held", String.class));
    assertEquals(List.of(START_AND_FIRST_TASK, RESULT_AND_CLOSE), writes);
    assertEquals(1, stamp.executions.get());
  }

  /** What the thread {@link #startHeld} starts on saw: its failure, if any, and its interrupt status at the end. */
  private final AtomicReference<Throwable> starterFailure = new AtomicReference<>();
  private final AtomicBoolean starterInterrupted = new AtomicBoolean();

  /**
   * Starts {@code id} on a thread of its own while its activity waits at the gate, and returns that
   * thread once the start is written with the first task, without a sync.
   */
  private Thread startHeld(String id) {
    open(LONG);
    stamp.gate = new CountDownLatch(1);
    awaitIdlePoller();
    Thread starter = new Thread(() -> {
      try {
        start(id, false);
      } catch (Throwable t) {
        starterFailure.set(t);
      }
      starterInterrupted.set(Thread.currentThread().isInterrupted());
    });
    AtomicInteger applied = new AtomicInteger(); // writes are listed before they reach the store
    store.failWritesAfterApplying(t -> applied.incrementAndGet() < 0);
    starter.start();
    Eventually.eventually("the start written with the first task", () -> applied.get() == 1);
    assertEquals(List.of(false), synced);
    return starter;
  }

  /** Waits for the start call on {@code starter} to return, without a failure. */
  private void awaitStarted(Thread starter) throws InterruptedException {
    starter.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(starter.isAlive(), "the start returned");
    assertNull(starterFailure.get());
  }

  @Test
  void aStartWhoseWriteWithItsFirstTaskFailsFailsAndRecordsNothing() {
    open(LONG);
    awaitIdlePoller();
    fault = FaultyStore.appending("lost", "WorkflowTaskCompleted"); // the first task's completion, which carries the start

    DurableException e = assertThrows(DurableException.class, () -> start("lost", false));

    assertEquals("DURABLE-302", e.getCode());
    assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    assertTrue(env.stub("lost").describe().isEmpty(), "nothing of the run is recorded");
    assertEquals(List.of(), writes);
    assertEquals(0, stamp.executions.get(), "the unrecorded task scheduled nothing");

    fault = t -> false;
    awaitIdlePoller();
    start("lost", false);
    assertEquals("stamped form", env.result("lost", String.class));
    assertEquals(1, stamp.executions.get());
  }

  @Test
  void aWriteReportedAsFailedThatWasRecordedStillStartsTheRun() {
    open(LONG);
    awaitIdlePoller();
    store.failWritesAfterApplying(FaultyStore.appending("acked", "WorkflowExecutionStarted"));

    start("acked", false); // the server reads back what the store holds: the start is there

    store.failWritesAfterApplying(t -> false);
    assertEquals(List.of(START_AND_FIRST_TASK), writes);
    // To the storage retry of the run's next step, 1 s on.
    env.advanceToTimersUntil("acked to close", Duration.ofSeconds(1), () -> env.describe("acked").isClosed());
    assertEquals("stamped form", env.result("acked", String.class));
    assertEquals(1, stamp.executions.get());
  }

  @Test
  void aStartWhoseNextStepTakesLongerSyncsTheLogItself() throws Exception {
    Thread starter = startHeld("long");

    starter.interrupt(); // as its wait running out: the start call stops waiting and syncs the log itself
    awaitStarted(starter);
    assertTrue(starterInterrupted.get(), "the caller's interrupt is kept");
    assertEquals(1, store.logSyncs.get());
    assertEquals(List.of(START_AND_FIRST_TASK), writes);
    assertEquals(List.of(false), synced);

    stamp.gate.countDown();
    assertEquals("stamped form", env.result("long", String.class));
  }

  @Test
  void aRunWhoseFirstTaskFailsItIsRetriedFromTheStartWrittenWithThatTask() {
    open(LONG);
    awaitIdlePoller();
    String first = WorkflowClient.start(env.client().newWorkflowStub(FailsOnce.class,
        WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("flaky")
            .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).build()).build())::run,
        "input").getRunId();

    // The retry reads the failed run's input from its start event, which the same write records.
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "WorkflowExecutionFailed"), writes.get(0));
    env.advanceToTimersUntil("the retry run", Duration.ofSeconds(1),
        () -> env.describe("flaky").isClosed() && !env.describe("flaky").runId().equals(first));
    assertEquals("attempt 2 with input", env.result("flaky", String.class));
  }

  @Test
  void aStartWhoseFirstTaskTakesLongerIsWrittenOnItsOwn() {
    open(Duration.ofMillis(50));
    gate = new CountDownLatch(1);
    awaitIdlePoller();
    start("slow", true); // returns although the first task still waits for the gate

    assertEquals(List.of(List.of("WorkflowExecutionStarted")), writes);
    assertTrue(env.stub("slow").describe().isPresent());

    gate.countDown();
    assertEquals("stamped form", env.result("slow", String.class));
    assertEquals(START_WRITTEN_ALONE, writes);
  }

  @Test
  void aStartWithNoPollerWaitingIsWrittenOnItsOwn() {
    open(Duration.ofMillis(50)); // a poll just before the worker closed may make the start wait that long
    env.closeWorker(worker);

    start("later", false);
    assertEquals(List.of(List.of("WorkflowExecutionStarted")), writes);

    env.startWorker(b -> b.registerWorkflowImplementationTypes(SlowImpl.class).registerActivitiesImplementations(stamp));
    assertEquals("stamped form", env.result("later", String.class));
    assertEquals(START_WRITTEN_ALONE, writes);
  }
}
