package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityOptions;
import dev.durable.internal.model.Command;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.Payload;
import dev.durable.internal.service.WorkflowService;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eager start: a typed stub's call (start, then wait for the result) on a task queue that a worker
 * in the same process polls runs the run's first workflow task on the calling thread, when the
 * worker has room, instead of waking a poller for it; its start is written with that task's
 * completion.
 */
class EagerStartTest {
  @TempDir Path dir;
  private TestEnv env;

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
    }
  }

  /** A local worker that completes each first task it is given with a fixed result. */
  private final class FakeWorker implements WorkflowService.LocalWorker {
    final boolean room;
    volatile String reservedType;
    volatile WorkflowService.WorkflowTask task;
    volatile Thread ranOn;
    volatile boolean released;

    FakeWorker(boolean room) {
      this.room = room;
    }

    @Override
    public boolean reserve(String workflowType) {
      reservedType = workflowType;
      return room;
    }

    @Override
    public void release() {
      released = true;
    }

    @Override
    public void run(WorkflowService.WorkflowTask t) {
      task = t;
      ranOn = Thread.currentThread();
      service().completeWorkflowTask(new WorkflowService.CompleteWorkflowTaskRequest(t.runId(), t.token(),
          List.of(new Command.CompleteWorkflow(json("\"done by the caller\""))), "fake"));
    }
  }

  private WorkflowService service() {
    return env.client().workflowService();
  }

  private static Payload json(String text) {
    return new Payload(Payload.JSON, text.getBytes(StandardCharsets.UTF_8));
  }

  private static WorkflowService.StartRequest request(String id) {
    return new WorkflowService.StartRequest(id, "Eager", TestEnv.TASK_QUEUE, List.of(), Duration.ofSeconds(10));
  }

  @Test
  void aLocalWorkerWithRoomRunsTheFirstTaskOnTheCallingThread() {
    env = TestEnv.open(dir);
    FakeWorker worker = new FakeWorker(true);
    service().addLocalWorker(TestEnv.TASK_QUEUE, worker);

    WorkflowService.StartResponse started = service().startForResult(request("eager"));

    assertEquals("Eager", worker.reservedType);
    assertSame(Thread.currentThread(), worker.ranOn, "run before the start call returned, on its thread");
    assertEquals(started.runId(), worker.task.runId());
    assertEquals(1, worker.task.attempt());
    assertEquals(List.of(EventAttributes.WorkflowExecutionStarted.class),
        worker.task.events().stream().map(e -> e.attributes().getClass()).toList());
    assertEquals("done by the caller", env.result("eager", String.class));
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "WorkflowExecutionCompleted"),
        env.eventTypes("eager"));
    assertFalse(worker.released, "the room was used, not given back");
  }

  @Test
  void withoutRoomOrAfterTheWorkerLeftTheFirstTaskIsQueuedForAPoller() {
    env = TestEnv.open(dir);
    FakeWorker full = new FakeWorker(false);
    service().addLocalWorker(TestEnv.TASK_QUEUE, full);
    service().startForResult(request("queued"));
    assertEquals("Eager", full.reservedType);
    assertEquals(null, full.task);

    FakeWorker gone = new FakeWorker(true);
    service().addLocalWorker(TestEnv.TASK_QUEUE, gone);
    service().removeLocalWorker(TestEnv.TASK_QUEUE, gone);
    service().startForResult(request("queued-2"));
    assertEquals(null, gone.reservedType, "a worker that left is not asked");

    for (String id : List.of("queued", "queued-2")) {
      Optional<WorkflowService.WorkflowTask> polled = service().pollWorkflowTask(
          new WorkflowService.PollRequest(TestEnv.TASK_QUEUE, "test", Duration.ofSeconds(30)));
      assertTrue(polled.isPresent(), "a poller gets the first task of " + id);
      assertEquals(1, polled.get().attempt());
    }
  }

  @Test
  void aStartThatFailsGivesTheRoomBack() {
    env = TestEnv.open(dir);
    FakeWorker worker = new FakeWorker(true);
    service().addLocalWorker(TestEnv.TASK_QUEUE, worker);
    service().startForResult(request("twice"));
    FakeWorker second = new FakeWorker(true);
    service().removeLocalWorker(TestEnv.TASK_QUEUE, worker);
    service().addLocalWorker(TestEnv.TASK_QUEUE, second);

    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.durable.common.DurableException.class,
        () -> service().startForResult(new WorkflowService.StartRequest("twice", "Eager", TestEnv.TASK_QUEUE,
            List.of(), Duration.ofSeconds(10), dev.durable.client.WorkflowIdReusePolicy.REJECT_DUPLICATE, null, null)));
    assertNotNull(e.getCode());
    assertTrue(second.released, "reserved, then given back when the start failed");
    assertEquals(null, second.task);
  }

  // ---------------------------------------------------------------- with a real worker

  @WorkflowInterface
  public interface Greeter {
    @WorkflowMethod
    String greet(String name);
  }

  public static final class GreeterImpl implements Greeter {
    @Override
    public String greet(String name) {
      return Workflow.newActivityStub(StorageFaultTest.Stamp.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build()).stamp(name);
    }
  }

  /** Holds each stamp until the test opens the gate. */
  static final class GatedStamp implements StorageFaultTest.Stamp {
    final CountDownLatch gate = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public String stamp(String what) {
      entered.countDown();
      try {
        assertTrue(gate.await(30, TimeUnit.SECONDS), "the test opens the gate");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "stamped " + what;
    }
  }

  /**
   * Starts a worker of {@link GreeterImpl} with {@code stamp}, then a thread that greets through a
   * typed stub (its result into {@code result}) once a poller waits; returns that thread once the
   * stamp (the first task's activity) is entered and held.
   */
  private Thread greetWhileTheStampIsHeld(String id, GatedStamp stamp, AtomicReference<String> result)
      throws InterruptedException {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(GreeterImpl.class)
        .registerActivitiesImplementations(stamp));
    Eventually.eventually("a waiting poller", () -> env.server().workflowTasksServed(TestEnv.TASK_QUEUE));
    Thread caller = new Thread(() -> result.set(env.newWorkflow(Greeter.class, id).greet("form")), "caller");
    caller.start();
    assertTrue(stamp.entered.await(30, TimeUnit.SECONDS));
    return caller;
  }

  @Test
  void theStartIsWrittenWithTheFirstTaskUnsyncedAndSyncedByATimerWhileTheChainRunsLong() throws Exception {
    List<List<String>> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Boolean> synced = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicReference<FaultyStore> store = new AtomicReference<>();
    env = TestEnv.open(dir, b -> b.firstTaskWait(Duration.ofMillis(2)).wrapStore(s -> {
      FaultyStore faulty = new FaultyStore(s);
      faulty.failOrList(() -> t -> false, writes, synced);
      store.set(faulty);
      return faulty;
    }));
    GatedStamp stamp = new GatedStamp();
    AtomicReference<String> result = new AtomicReference<>();
    Thread caller = greetWhileTheStampIsHeld("long", stamp, result);

    // The activity the first task scheduled runs (carried, for the caller) with the start written unsynced.
    assertEquals(List.of(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled")),
        writes);
    assertEquals(List.of(false), synced);
    assertEquals(0, store.get().logSyncs.get());
    env.clock().advance(Duration.ofMillis(2));
    Eventually.eventually("the timer to sync the start while the activity still runs",
        () -> store.get().logSyncs.get() == 1);
    assertTrue(caller.isAlive(), "the caller still runs the chain");

    stamp.gate.countDown();
    caller.join(TimeUnit.SECONDS.toMillis(30));
    assertEquals("stamped form", result.get());
  }

  @Test
  void theCallingThreadDrivesItsWorkflowsFirstTask() throws Exception {
    env = TestEnv.open(dir);
    GatedStamp stamp = new GatedStamp();
    AtomicReference<String> result = new AtomicReference<>();
    Thread caller = greetWhileTheStampIsHeld("greeter", stamp, result);
    // While the activity (handed over to the first task) runs, the caller's thread is the task's driver.
    String stack = Arrays.toString(caller.getStackTrace());
    assertTrue(stack.contains("WorkflowTaskHandler.handle"), stack);
    stamp.gate.countDown();
    caller.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(caller.isAlive());
    assertEquals("stamped form", result.get());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled",
        "ActivityTaskCompleted", "WorkflowTaskCompleted", "WorkflowExecutionCompleted"), env.eventTypes("greeter"));
    env.assertHistoriesValid();
  }
}
