package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowStatus;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.ChildWorkflowTest.ChildImpl;
import dev.durable.workflow.ChildWorkflowTest.Parent;
import dev.durable.workflow.ChildWorkflowTest.ParentImpl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps between a parent and its child are separate writes of two runs; a failed write or a
 * restart between them must not lose a child's start, its result, or its parent close policy.
 */
class ChildWorkflowFaultTest {
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  @TempDir Path dir;
  private TestEnv env;
  private volatile FaultyStore store;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir, b -> b.wrapStore(s -> store = new FaultyStore(s)));
    startWorker();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ParentImpl.class, ChildImpl.class));
  }

  @AfterEach
  void close() {
    store.heal();
    env.close();
  }

  private void start(String workflowId, String mode, String arg) {
    WorkflowClient.start(env.newWorkflow(Parent.class, workflowId)::run, mode, arg);
  }

  private void awaitInjected(int faults) {
    Eventually.eventually(faults + " injected faults", () -> store.injected.get() >= faults);
  }

  /** Moves the clock on to the retry until {@code check} holds (the retry is armed when the failure is handled). */
  private void advanceUntil(String what, java.util.function.BooleanSupplier check) {
    env.advanceToTimersUntil(what, RETRY_DELAY, check);
  }

  @Test
  void childWhoseStartFailedToBeWrittenIsStartedOnceWritesWorkAgain() {
    store.failWrites(FaultyStore.appending("p", "ChildWorkflowExecutionStarted"));
    start("p", "sync", "Ada");
    awaitInjected(1);
    assertTrue(env.stub("p-child").describe().isEmpty(), "the child's start was in the failed write");
    assertTrue(env.eventTypes("p").contains("StartChildWorkflowExecutionInitiated"));

    store.heal();
    advanceUntil("p to close", () -> env.describe("p").isClosed());
    assertEquals("hello Ada", env.result("p", String.class));
  }

  @Test
  void childInitiatedBeforeARestartIsStartedAfterIt() {
    store.failWrites(FaultyStore.appending("p", "ChildWorkflowExecutionStarted"));
    start("p", "sync", "Bob");
    awaitInjected(1);

    env.restartServer();
    startWorker();
    assertEquals("hello Bob", env.result("p", String.class));
    assertEquals(1, env.eventTypes("p").stream().filter("ChildWorkflowExecutionStarted"::equals).count());
  }

  @Test
  void childResultThatFailedToReachTheParentIsRecordedAfterARestart() {
    store.failWrites(FaultyStore.appending("p", "ChildWorkflowExecutionCompleted"));
    start("p", "catch", "wait");
    env.awaitEvent("p", "ChildWorkflowExecutionStarted");
    env.awaitEvent("p-child", "WorkflowTaskCompleted");
    env.stub("p-child").signal("release", "done");
    env.awaitDescription("p-child", "completion", d -> d.status() == WorkflowStatus.COMPLETED);
    awaitInjected(1);
    assertEquals(WorkflowStatus.RUNNING, env.describe("p").status());

    env.restartServer();
    startWorker();
    assertEquals("ok wait:done", env.result("p", String.class));
  }

  @Test
  void signalToAChildIsDeliveredOnceWhenTheParentsRecordOfTheDeliveryIsLost() {
    // The parent's own write after the delivery (it has no events: it only clears what was sent) fails.
    store.failWrites(t -> t.state().workflowId.equals("p") && t.newEvents().isEmpty());
    start("p", "signal", "twice");
    env.awaitEvent("p", "SignalChildWorkflowExecutionInitiated");
    env.awaitEvent("p-child", "WorkflowExecutionSignaled");
    awaitInjected(1);

    env.restartServer();
    startWorker();
    env.stub("p-child").signal("release", "from test");

    assertEquals("got [from parent, from test]", env.result("p", String.class));
    assertEquals(2, env.eventTypes("p-child").stream().filter("WorkflowExecutionSignaled"::equals).count());
  }

  @Test
  void parentClosePolicyWhoseWriteFailedIsAppliedOnceWritesWorkAgain() {
    store.failWrites(FaultyStore.appending("p-child", "WorkflowExecutionTerminated"));
    start("p", "TERMINATE", "");
    assertEquals("left p-child", env.result("p", String.class));
    awaitInjected(1);
    assertEquals(WorkflowStatus.RUNNING, env.describe("p-child").status());

    store.heal();
    advanceUntil("the child to be terminated", () -> env.describe("p-child").status() == WorkflowStatus.TERMINATED);
  }

  @Test
  void parentClosePolicyIsAppliedAlsoWhenTheClosedParentWasDeletedMeanwhile() {
    store.failWrites(FaultyStore.appending("p-child", "WorkflowExecutionTerminated"));
    start("p", "TERMINATE", "");
    assertEquals("left p-child", env.result("p", String.class));
    awaitInjected(1);
    String parentRun = env.describe("p").runId();
    assertEquals(List.of(parentRun), env.stub("p").delete());

    store.heal();
    advanceUntil("the child to be terminated", () -> env.describe("p-child").status() == WorkflowStatus.TERMINATED);
    assertTrue(env.stub("p-child").getHistory().toJson().contains("parent workflow 'p' (run " + parentRun
        + ") closed and was deleted; parent close policy TERMINATE"));
  }
}
