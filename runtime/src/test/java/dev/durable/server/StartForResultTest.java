package dev.durable.server;

import static dev.durable.server.FirstTaskHandOverTest.RESULT_AND_CLOSE;
import static dev.durable.server.FirstTaskHandOverTest.START_AND_FIRST_TASK;
import static dev.durable.server.FirstTaskHandOverTest.START_WRITTEN_ALONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowAlreadyStartedException;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.internal.server.ServerCore;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A typed stub's workflow method starts the workflow and waits for its result. When no poller is
 * free to take the run's first task at once, the start is kept unwritten until that task's
 * completion writes both (one write, synced), and the call goes straight on to wait. Nothing shows
 * the run meanwhile; asking for its workflow id writes the start first, and so does a timer after
 * {@link ServerCore#KEPT_START_LIMIT}. A failed write fails the caller's wait and records nothing.
 */
class StartForResultTest {

  @TempDir Path dir;
  private TestEnv env;
  private FaultyStore store;
  private final FirstTaskHandOverTest.GatedStamp stamp = new FirstTaskHandOverTest.GatedStamp();
  /** The event types of each write that reached the store, in order, and whether each was synced. */
  private final List<List<String>> writes = new CopyOnWriteArrayList<>();
  private final List<Boolean> synced = new CopyOnWriteArrayList<>();
  private volatile Predicate<dev.durable.internal.store.Store.Transition> fault = t -> false;
  /** What the call on {@link #caller} returned or threw. */
  private final AtomicReference<Object> outcome = new AtomicReference<>();
  private Thread caller;

  /** A server whose starts may wait long for their first task (see FirstTaskHandOverTest), and no worker yet. */
  @BeforeEach
  void open() {
    env = TestEnv.open(dir, b -> b.firstTaskWait(Duration.ofMinutes(1)).wrapStore(s -> {
      store = new FaultyStore(s);
      store.failOrList(() -> fault, writes, synced);
      return store;
    }));
  }

  @AfterEach
  void close() throws InterruptedException {
    stamp.gate.countDown();
    fault = t -> false;
    env.close();
    if (caller != null) {
      caller.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  /** Calls the workflow method of a typed stub of {@code id} on a thread of its own; returns once its start is kept. */
  private void callKept(String id) {
    caller = new Thread(() -> {
      try {
        outcome.set(env.newWorkflow(FirstTaskHandOverTest.Slow.class, id).run(false));
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    caller.start();
    Eventually.eventually("the start kept for its caller", () -> env.server().startKeptForResult(id));
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(FirstTaskHandOverTest.SlowImpl.class)
        .registerActivitiesImplementations(stamp));
  }

  /** Waits for the call on {@link #caller} to end and returns what it returned or threw. */
  private Object outcome() throws InterruptedException {
    caller.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(caller.isAlive(), "the call returned");
    return outcome.get();
  }

  @Test
  void theStartIsWrittenWithItsFirstTaskAndTheCallWaitsForTheResultMeanwhile() throws InterruptedException {
    callKept("one");
    assertEquals(List.of(), writes, "nothing written before the first task");

    startWorker();

    assertEquals("stamped form", outcome());
    assertEquals(List.of(START_AND_FIRST_TASK, RESULT_AND_CLOSE), writes);
    assertEquals(List.of(true, true), synced, "the first write is synced: no start call waits to sync it");
    assertEquals(1, stamp.executions.get());
    assertFalse(env.server().startKeptForResult("one"));
  }

  @Test
  void askingForTheWorkflowIdWritesTheKeptStartFirst() throws InterruptedException {
    callKept("asked");

    assertEquals(WorkflowStatus.RUNNING, env.describe("asked").status());
    assertEquals(List.of(List.of("WorkflowExecutionStarted")), writes);
    assertEquals(List.of(true), synced);
    var again = assertThrows(WorkflowAlreadyStartedException.class,
        () -> WorkflowClient.start(env.newWorkflow(FirstTaskHandOverTest.Slow.class, "asked")::run, false));
    assertEquals("DURABLE-208", again.getCode());

    startWorker();
    assertEquals("stamped form", outcome());
    assertEquals(START_WRITTEN_ALONE, writes);
  }

  @Test
  void aStartKeptUntilTheLimitIsWrittenByATimer() throws InterruptedException {
    callKept("late");

    env.clock().advance(ServerCore.KEPT_START_LIMIT);
    Eventually.eventually("the start written by its timer", () -> !env.server().startKeptForResult("late"));
    assertEquals(List.of(List.of("WorkflowExecutionStarted")), writes);
    assertTrue(caller.isAlive(), "the caller still waits for the result");

    startWorker();
    assertEquals("stamped form", outcome());
    assertEquals(START_WRITTEN_ALONE, writes);
  }

  @Test
  void aFailedWriteOfTheStartFailsTheCallAndRecordsNothing() throws InterruptedException {
    fault = FaultyStore.appending("lost", "WorkflowTaskCompleted"); // the first task's completion, which carries the start
    callKept("lost");

    startWorker();

    DurableException e = assertInstanceOf(DurableException.class, outcome());
    assertEquals("DURABLE-302", e.getCode());
    assertTrue(String.valueOf(e.getCause()).contains("No space left on device"), String.valueOf(e.getCause()));
    assertTrue(env.stub("lost").describe().isEmpty(), "nothing of the run is recorded");
    assertEquals(List.of(), writes);
    assertEquals(0, stamp.executions.get(), "the unrecorded task scheduled nothing");

    fault = t -> false;
    assertEquals("stamped form", env.newWorkflow(FirstTaskHandOverTest.Slow.class, "lost").run(false));
    assertEquals(1, stamp.executions.get());
  }
}
