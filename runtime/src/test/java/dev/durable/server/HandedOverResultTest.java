package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.activity.LocalActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.store.Store;
import dev.durable.testing.TestEnv;
import dev.durable.worker.Worker;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An activity's result handed to the workflow task the same thread runs next is written with that
 * task's completion, in one write; whatever shows the run to the outside first writes it, and so
 * does closing the server.
 */
class HandedOverResultTest {
  @WorkflowInterface
  public interface Errand {
    /** Stamps once; with {@code gated}, then waits (on a real latch) for the test before returning. */
    @WorkflowMethod
    String run(boolean gated);
  }

  /** Lets the test hold a workflow task in the middle of its run (no agent in these tests). */
  static volatile CountDownLatch entered = new CountDownLatch(1);
  static volatile CountDownLatch gate = new CountDownLatch(0);

  public static final class ErrandImpl implements Errand {
    @Override
    public String run(boolean gated) {
      StorageFaultTest.Stamp stamp = Workflow.newActivityStub(StorageFaultTest.Stamp.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1)).build());
      String out = stamp.stamp("form");
      if (gated && !Workflow.isReplaying()) {
        entered.countDown();
        try {
          assertTrue(gate.await(30, TimeUnit.SECONDS), "the test opens the gate");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return out;
    }
  }

  @WorkflowInterface
  public interface Notified {
    @WorkflowMethod
    String run();
  }

  /** Stamps, then tells the outside world through a local activity. */
  public static final class NotifiedImpl implements Notified {
    @Override
    public String run() {
      StorageFaultTest.Stamp stamp = Workflow.newActivityStub(StorageFaultTest.Stamp.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1)).build());
      Notify notify = Workflow.newLocalActivityStub(Notify.class,
          LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      String out = stamp.stamp("form");
      notify.notify(out);
      return out;
    }
  }

  @ActivityInterface
  public interface Notify {
    void notify(String what);
  }

  @TempDir Path dir;
  private TestEnv env;
  private Worker worker;
  private final StorageFaultTest.CountingStamp stamp = new StorageFaultTest.CountingStamp();
  /** The event types of each write of workflow "errand", in order. */
  private final List<List<String>> writes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    entered = new CountDownLatch(1);
    gate = new CountDownLatch(1);
    // Each start is written on its own here (FirstTaskHandOverTest covers a start written with its first task).
    env = TestEnv.open(dir, b -> b.firstTaskWait(Duration.ZERO).wrapStore(s -> {
      FaultyStore recording = new FaultyStore(s);
      recording.failWrites(t -> {
        if (t.state().workflowId.equals("errand")) {
          writes.add(types(t));
        }
        return false;
      });
      return recording;
    }));
    worker = env.startWorker(b -> b.registerWorkflowImplementationTypes(ErrandImpl.class)
        .registerActivitiesImplementations(stamp));
  }

  @AfterEach
  void close() {
    gate.countDown();
    env.close();
  }

  private static List<String> types(Store.Transition t) {
    return t.newEvents().stream().map(HistoryEvent::eventType).toList();
  }

  private void start(boolean gated) {
    WorkflowClient.start(env.newWorkflow(Errand.class, "errand")::run, gated);
  }

  private void awaitEntered() throws InterruptedException {
    assertTrue(entered.await(30, TimeUnit.SECONDS), "the workflow task after the activity started");
  }

  @Test
  void theResultIsWrittenWithTheCompletionOfTheWorkflowTaskItWasHandedTo() {
    start(false);
    assertEquals("stamped form", env.result("errand", String.class));

    assertEquals(List.of(
        List.of("WorkflowExecutionStarted"),
        List.of("WorkflowTaskCompleted", "ActivityTaskScheduled"),
        List.of("ActivityTaskCompleted", "WorkflowTaskCompleted", "WorkflowExecutionCompleted")), writes);
    assertEquals(1, stamp.executions.get());
  }

  @Test
  void aDescriptionWhileThatTaskRunsWritesTheResultFirst() throws Exception {
    start(true);
    awaitEntered();
    assertEquals(List.of("WorkflowTaskCompleted", "ActivityTaskScheduled"), writes.get(writes.size() - 1),
        "the result is not written yet");

    assertEquals(List.of(), env.describe("errand").pendingActivities(), "the description shows the result");
    assertEquals(List.of("ActivityTaskCompleted"), writes.get(writes.size() - 1), "written before it was shown");
    assertTrue(env.eventTypes("errand").contains("ActivityTaskCompleted"));

    gate.countDown();
    assertEquals("stamped form", env.result("errand", String.class));
    assertEquals(List.of("WorkflowTaskCompleted", "WorkflowExecutionCompleted"), writes.get(writes.size() - 1));
    assertEquals(1, stamp.executions.get());
  }

  @Test
  void aHistoryReadWhileThatTaskRunsWritesTheResultFirst() throws Exception {
    start(true);
    awaitEntered();

    assertTrue(env.eventTypes("errand").contains("ActivityTaskCompleted"), "the history shows the result");
    assertEquals(List.of("ActivityTaskCompleted"), writes.get(writes.size() - 1), "written before it was shown");

    gate.countDown();
    assertEquals("stamped form", env.result("errand", String.class));
    assertEquals(1, stamp.executions.get());
  }

  @Test
  void aLocalActivityRunsOnlyOnceTheResultItWasGivenIsWritten() {
    List<List<String>> writtenBeforeNotify = new CopyOnWriteArrayList<>();
    env.closeWorker(worker);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(NotifiedImpl.class)
        .registerActivitiesImplementations(stamp, (Notify) what -> writtenBeforeNotify.addAll(writes)));
    WorkflowClient.start(env.newWorkflow(Notified.class, "errand")::run);

    assertEquals("stamped form", env.result("errand", String.class));
    assertEquals(List.of(
        List.of("WorkflowExecutionStarted"),
        List.of("WorkflowTaskCompleted", "ActivityTaskScheduled"),
        List.of("ActivityTaskCompleted")), writtenBeforeNotify, "the result went out only once written");
  }

  @Test
  void closingTheServerWritesAResultKeptForATaskThatCannotCompleteAnyMore() throws Exception {
    start(true);
    awaitEntered();
    env.closeServerUnderRunningWorkers();
    gate.countDown(); // the task's completion now reaches a closed server and is lost

    env.restartServer();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ErrandImpl.class).registerActivitiesImplementations(stamp));
    // No clock advance: the restarted server dispatches the lost task again at once. Moving the clock
    // past the task timeout would time out that new attempt too, and each retry after it.
    assertEquals("stamped form", env.result("errand", String.class));
    assertEquals(1, stamp.executions.get(), "the result was written at the close: the activity did not run again");
  }
}
