package dev.durable.client;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.common.DurableException;
import dev.durable.failure.ApplicationFailure;
import dev.durable.failure.TimeoutFailure;
import dev.durable.failure.TimeoutType;
import dev.durable.testing.Hopper;
import dev.durable.testing.ManualClock;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.ChildWorkflowOptions;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInfo;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WorkflowStub#reset}: a new run goes on from a completed workflow task of the latest run,
 * with the code the worker has now; what came before the point is kept, signals after it are
 * delivered again, and what was pending at the point is pending again. Also run over gRPC
 * (remote/pom.xml).
 */
class ResetWorkflowTest {
  /** The "deployed code" of {@link CheckoutImpl}: true until the bug is fixed. */
  static volatile boolean discountBug;
  static final AtomicInteger PRICE_CALLS = new AtomicInteger();
  static final AtomicInteger STEP_CALLS = new AtomicInteger();
  /** Completed to let {@link Steps#step} return. */
  static volatile CompletableFuture<Void> gate;

  @ActivityInterface
  public interface Steps {
    int price(String item);

    String step(String name);
  }

  public static final class StepsImpl implements Steps {
    @Override
    public int price(String item) {
      PRICE_CALLS.incrementAndGet();
      return 100;
    }

    @Override
    public String step(String name) {
      STEP_CALLS.incrementAndGet();
      gate.join();
      return name + " done";
    }
  }

  private static Steps steps() {
    return Workflow.newActivityStub(Steps.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5)).build());
  }

  @WorkflowInterface
  public interface Checkout {
    @WorkflowMethod
    String run(String item);
  }

  public static final class CheckoutImpl implements Checkout {
    @Override
    public String run(String item) {
      int price = steps().price(item);
      if (discountBug) {
        throw ApplicationFailure.newNonRetryableFailure("the discount made the price negative", "PricingBug");
      }
      return item + " charged " + (price * 9 / 10);
    }
  }

  /** Runs a step, and waits for two notes meanwhile. */
  @WorkflowInterface
  public interface Collector {
    @WorkflowMethod
    String run();

    @SignalMethod
    void note(String note);
  }

  public static final class CollectorImpl implements Collector {
    private final List<String> notes = new ArrayList<>();

    @Override
    public String run() {
      var step = dev.durable.workflow.Async.function(steps()::step, "a");
      Workflow.await(() -> notes.size() >= 1);
      String a = step.get();
      Workflow.await(() -> notes.size() >= 2);
      return a + " " + notes;
    }

    @Override
    public void note(String note) {
      notes.add(note);
    }
  }

  /** Waits an hour for three notes. */
  @WorkflowInterface
  public interface Reminder {
    @WorkflowMethod
    String run();

    @SignalMethod
    void note(String note);
  }

  public static final class ReminderImpl implements Reminder {
    private final List<String> notes = new ArrayList<>();

    @Override
    public String run() {
      boolean all = Workflow.await(Duration.ofHours(1), () -> notes.size() >= 3);
      return (all ? "all notes " : "timed out with notes ") + notes;
    }

    @Override
    public void note(String note) {
      notes.add(note);
    }
  }

  @WorkflowInterface
  public interface Parent {
    @WorkflowMethod
    String run();

    @SignalMethod
    void go();
  }

  public static final class ParentImpl implements Parent {
    private boolean go;

    @Override
    public String run() {
      Hopper child = Workflow.newChildWorkflowStub(Hopper.class,
          ChildWorkflowOptions.newBuilder().setWorkflowId("child").build());
      String landed = child.hop(0);
      Workflow.await(() -> go);
      return "parent heard: " + landed;
    }

    @Override
    public void go() {
      go = true;
    }
  }

  /** Waits for its release, then tells what {@link Workflow#getInfo()} says of its run. */
  @WorkflowInterface
  public interface Gate {
    @WorkflowMethod
    String run();

    @SignalMethod
    void release();
  }

  public static final class GateImpl implements Gate {
    private boolean released;

    @Override
    public String run() {
      Workflow.await(() -> released);
      WorkflowInfo info = Workflow.getInfo();
      return "released; continued from " + info.continuedFromRunId() + ", started " + info.startTime();
    }

    @Override
    public void release() {
      released = true;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    discountBug = false;
    PRICE_CALLS.set(0);
    STEP_CALLS.set(0);
    gate = new CompletableFuture<>();
    env = TestEnv.open(dir);
    startWorker();
  }

  private void startWorker() {
    env.startWorker(w -> w.registerWorkflowImplementationTypes(CheckoutImpl.class, CollectorImpl.class,
        ReminderImpl.class, ParentImpl.class, GateImpl.class, Hopper.Impl.class)
        .registerActivitiesImplementations(new StepsImpl()));
  }

  @AfterEach
  void close() {
    gate.complete(null);
    env.close();
  }

  private long completedTasks(String workflowId) {
    return env.eventTypes(workflowId).stream().filter("WorkflowTaskCompleted"::equals).count();
  }

  /** Starts a {@link Gate} with these timeouts (null for none) and waits for its first task. */
  private void startGate(String workflowId, Duration executionTimeout, Duration runTimeout) {
    WorkflowClient.start(env.client().newWorkflowStub(Gate.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId(workflowId).setWorkflowExecutionTimeout(executionTimeout)
        .setWorkflowRunTimeout(runTimeout).build())::run);
    env.awaitEvent(workflowId, "WorkflowTaskCompleted");
  }

  /**
   * Waits until the reset run of the gate "g" completed its task after the reset's record (its last
   * event until then): it waits for its release, idle.
   */
  private void awaitResetGateIdle() {
    eventually("the reset run's task", () -> {
      List<String> types = env.eventTypes("g");
      return types.get(types.size() - 1).equals("WorkflowTaskCompleted");
    });
  }

  private TimeoutFailure timedOut(String workflowId) {
    var e = assertThrows(WorkflowFailedException.class, () -> env.result(workflowId, String.class));
    assertEquals(WorkflowStatus.TIMED_OUT, e.getStatus());
    return assertInstanceOf(TimeoutFailure.class, e.getCause());
  }

  @Test
  void aRunThatTimedOutGetsItsWholeRunTimeoutAgainFromTheResetAndCompletes() {
    startGate("g", null, Duration.ofMinutes(10));
    String timedOutRun = env.describe("g").runId();
    env.clock().advance(Duration.ofMinutes(10));
    assertEquals(TimeoutType.WORKFLOW_RUN, timedOut("g").getTimeoutType());
    Instant resetAt = env.clock().instant();

    String run = env.stub("g").reset(ResetPoint.lastWorkflowTask(), "give it time").runId();
    awaitResetGateIdle();
    WorkflowDescription d = env.describe("g");
    assertEquals(run, d.runId());
    assertEquals(WorkflowStatus.RUNNING, d.status(), "its run timeout counts from the reset, not from the first start");
    assertEquals(resetAt, d.startTime(), "the reset run started at the reset");
    env.clock().advance(Duration.ofMinutes(9));
    assertEquals(WorkflowStatus.RUNNING, env.describe("g").status());

    env.stub("g").signal("release");
    assertTrue(env.result("g", String.class).startsWith("released"));
    assertEquals(timedOutRun, env.describe("g").continuedFromRunId());
    env.assertHistoriesValid();
  }

  @Test
  void theResetRunsCodeSeesTheStartItsHistoryCopiedWhileDescribeNamesTheReplacedRunAndTheReset() {
    startGate("g", null, null);
    String replaced = env.describe("g").runId();
    env.clock().advance(Duration.ofMinutes(5)); // idle: waiting for its release
    env.stub("g").reset(ResetPoint.firstWorkflowTask(), "again");
    awaitResetGateIdle();

    env.stub("g").signal("release");
    assertEquals("released; continued from null, started " + ManualClock.START, env.result("g", String.class),
        "the code before the point saw these facts, and its replay must see the same");
    WorkflowDescription d = env.describe("g");
    assertEquals(replaced, d.continuedFromRunId(), "describe() names the run the reset replaced");
    assertEquals(ManualClock.START.plus(Duration.ofMinutes(5)), d.startTime(), "and the reset's time");
  }

  @Test
  void theResetRunTimesOutOnceItsRunTimeoutPassedFromTheResetAlsoAcrossARestart() {
    startGate("g", null, Duration.ofMinutes(10));
    env.clock().advance(Duration.ofMinutes(10));
    timedOut("g");
    env.clock().advance(Duration.ofMinutes(5));
    Instant resetAt = env.clock().instant();

    env.stub("g").reset(ResetPoint.firstWorkflowTask(), null);
    awaitResetGateIdle();
    env.restartServer();
    startWorker();
    env.clock().advance(Duration.ofMinutes(10));

    assertEquals(TimeoutType.WORKFLOW_RUN, timedOut("g").getTimeoutType());
    assertEquals(resetAt.plus(Duration.ofMinutes(10)), env.describe("g").closeTime());
    env.assertHistoriesValid();
  }

  @Test
  void theExecutionTimeoutCountsFromTheFirstRunsStartAndAResetAfterItPassedIsRefused() {
    startGate("g", Duration.ofMinutes(30), Duration.ofMinutes(25));
    env.clock().advance(Duration.ofMinutes(20));
    env.stub("g").reset(ResetPoint.firstWorkflowTask(), "again"); // its run timeout would end at 00:45
    awaitResetGateIdle();
    env.clock().advance(Duration.ofMinutes(10));

    assertEquals(TimeoutType.WORKFLOW_EXECUTION, timedOut("g").getTimeoutType());
    WorkflowDescription timedOut = env.describe("g");
    assertEquals(ManualClock.START.plus(Duration.ofMinutes(30)), timedOut.closeTime());
    DurableException refused = assertThrows(DurableException.class,
        () -> env.stub("g").reset(ResetPoint.lastWorkflowTask(), "once more"));
    assertEquals("DURABLE-239", refused.getCode());
    assertTrue(refused.getMessage().contains("cannot reset workflow 'g': its workflow execution timeout of PT30M,"
        + " counted from its first run's start at 2030-01-01T00:00:00Z, passed at 2030-01-01T00:30:00Z"),
        refused.getMessage());
    assertEquals(timedOut.runId(), env.describe("g").runId(), "nothing changed");
    env.assertHistoriesValid();
  }

  @Test
  void aResetAskedAgainWithItsRequestIdReturnsTheRunItMadeAlsoAfterARestart() {
    startGate("g", null, null);
    String first = env.describe("g").runId();

    String made = env.stub("g").reset(ResetPoint.firstWorkflowTask(), "fix #812", "fix-812").runId();
    assertNotEquals(first, made);
    awaitResetGateIdle();
    assertEquals(made, env.stub("g").reset(ResetPoint.firstWorkflowTask(), "fix #812", "fix-812").runId(),
        "the answer was lost and the call made again: nothing more is reset");
    env.restartServer();
    startWorker();
    assertEquals(made, env.stub("g").reset(ResetPoint.lastWorkflowTask(), "fix #812", "fix-812").runId(),
        "the request id is stored with the run it made");
    assertEquals(made, env.describe("g").runId());
    assertEquals(2, runsOf("g"));
    String history = env.stub("g").getHistory().toJson();
    assertTrue(history.replace(" ", "").contains("\"requestId\":\"fix-812\""), "the reset's record: " + history);

    String other = env.stub("g").reset(ResetPoint.firstWorkflowTask(), "another fix", "fix-813").runId();
    assertNotEquals(made, other, "another request id is another reset");
    awaitResetGateIdle();
    String again = env.stub("g").reset(ResetPoint.firstWorkflowTask(), "fix #812", "fix-812").runId();
    assertNotEquals(other, again, "only the latest run answers for its request id: a later reset replaced it");
    assertEquals(4, runsOf("g"));
    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
        () -> env.stub("g").reset(ResetPoint.firstWorkflowTask(), "x", " "));
    assertEquals("DURABLE-201 requestId must be a non-empty string, got \" \"", blank.getMessage());
    env.stub("g").signal("release");
    assertTrue(env.result("g", String.class).startsWith("released"));
    env.assertHistoriesValid();
  }

  private long runsOf(String workflowId) {
    return env.client().listWorkflows(false, 100).stream().filter(d -> d.workflowId().equals(workflowId)).count();
  }

  @Test
  void aWorkflowThatFailedOnABugRunsTheFixedCodeFromItsLastTaskWithoutRunningItsActivitiesAgain() {
    discountBug = true;
    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
        () -> env.newWorkflow(Checkout.class, "order-1").run("book"));
    assertTrue(failed.getCause().getMessage().contains("negative"), failed.getCause().getMessage());
    String failedRun = env.describe("order-1").runId();

    discountBug = false; // the fix is deployed
    WorkflowExecution reset = env.stub("order-1").reset(ResetPoint.lastWorkflowTask(), "fixed the discount");

    assertEquals("book charged 90", env.result("order-1", String.class));
    assertEquals(1, PRICE_CALLS.get(), "the price came before the reset point: it is kept, not asked again");
    WorkflowDescription d = env.describe("order-1");
    assertEquals(reset.runId(), d.runId());
    assertNotEquals(failedRun, d.runId());
    assertEquals(WorkflowStatus.COMPLETED, d.status());
    assertEquals(failedRun, d.continuedFromRunId(), "the new run continues the one it replaced");
    List<String> types = env.eventTypes("order-1");
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled",
        "ActivityTaskCompleted", "WorkflowTaskFailed", "WorkflowTaskCompleted", "WorkflowExecutionCompleted"), types);
    String resetEvent = env.stub("order-1").getHistory().getEvents().get(4).toString();
    assertTrue(resetEvent.contains("reset from run " + failedRun + " at event 5: fixed the discount"), resetEvent);
    assertEquals(WorkflowStatus.FAILED, env.client().listWorkflows(false, 10).stream()
        .filter(x -> x.runId().equals(failedRun)).findFirst().orElseThrow().status(), "the old run stays as it ended");
    env.assertHistoriesValid();
    assertEquals(List.of(reset.runId(), failedRun), env.stub("order-1").delete(), "deleting erases both");
  }

  @Test
  void anOpenWorkflowIsTerminatedAndItsReplacementGetsTheSignalsAgainAndTheWaitingCallerItsResult() {
    WorkflowClient.start(env.newWorkflow(Collector.class, "c")::run);
    eventually("the step to run", () -> STEP_CALLS.get() == 1);
    env.stub("c").signal("note", "x");
    eventually("the note's task", () -> completedTasks("c") == 2);
    String oldRun = env.describe("c").runId();
    CompletableFuture<String> result = CompletableFuture.supplyAsync(
        () -> env.stub("c").getResult(String.class));

    String newRun = env.stub("c").reset(ResetPoint.firstWorkflowTask(), "start over").runId();

    assertEquals(newRun, env.describe("c").runId());
    WorkflowDescription old = env.client().listWorkflows(false, 10).stream()
        .filter(x -> x.runId().equals(oldRun)).findFirst().orElseThrow();
    assertEquals(WorkflowStatus.TERMINATED, old.status());
    eventually("the step to run again in the new run", () -> STEP_CALLS.get() == 2);
    // The new run's history: the start, the reset, the note delivered again, then the new run's own events.
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskFailed", "WorkflowExecutionSignaled"),
        env.eventTypes("c").subList(0, 3));

    gate.complete(null);
    env.stub("c").signal("note", "y");
    assertEquals("a done [x, y]", result.join(), "a caller waiting since before the reset gets the new run's result");
    env.assertHistoriesValid();
  }

  @Test
  void anActivityPendingAtThePointRunsAgainAndAnActivityResultAfterItIsDropped() {
    WorkflowClient.start(env.newWorkflow(Collector.class, "c")::run);
    eventually("the step to run", () -> STEP_CALLS.get() == 1);
    env.stub("c").signal("note", "x");
    eventually("the note's task", () -> completedTasks("c") == 2);

    env.stub("c").reset(ResetPoint.lastWorkflowTask(), null); // the task that took the note: the step is pending

    eventually("the step to run again in the new run", () -> STEP_CALLS.get() == 2);
    gate.complete(null); // both attempts return; the old run's is refused
    env.awaitEvent("c", "ActivityTaskCompleted");
    env.restartServer(); // the new run's state is stored whole
    startWorker();
    env.stub("c").signal("note", "y");
    assertEquals("a done [x, y]", env.result("c", String.class));
    List<String> types = env.eventTypes("c");
    assertEquals(1, types.stream().filter("ActivityTaskCompleted"::equals).count(), types.toString());
    assertEquals(2, types.stream().filter("WorkflowExecutionSignaled"::equals).count(), types.toString());
    env.assertHistoriesValid();
  }

  @Test
  void aTimerPendingAtThePointKeepsItsFiringTime() {
    WorkflowClient.start(env.newWorkflow(Reminder.class, "r")::run);
    env.awaitEvent("r", "TimerStarted");
    env.stub("r").signal("note", "a");
    eventually("the note's task", () -> completedTasks("r") == 2);
    env.stub("r").signal("note", "b");
    eventually("the second note's task", () -> completedTasks("r") == 3);

    env.stub("r").reset(ResetPoint.event(5), "forget b"); // the task that took note a
    eventually("the reset run to wait", () -> completedTasks("r") == 2 && env.eventTypes("r").size() > 5);

    env.clock().advance(Duration.ofMinutes(61));
    assertEquals("timed out with notes [a, b]", env.result("r", String.class), "b came after the point: delivered"
        + " again");
    assertTrue(env.eventTypes("r").contains("TimerFired"));
    env.assertHistoriesValid();
  }

  @Test
  void aResetChildStaysTheChildItsParentWaitsFor() {
    WorkflowClient.start(env.newWorkflow(Parent.class, "p")::run);
    eventually("the parent to wait", () -> completedTasks("p") == 2); // its second task recorded the child's start
    env.awaitEvent("child", "WorkflowTaskCompleted");

    env.stub("child").reset(ResetPoint.firstWorkflowTask(), "again");
    env.awaitEvent("child", "WorkflowTaskCompleted");
    env.stub("child").signal("land");
    assertEquals("landed", env.result("child", String.class));
    env.stub("p").signal("go");
    assertEquals("parent heard: landed", env.result("p", String.class),
        "the parent got the new run's outcome, not the old run's termination");
    env.assertHistoriesValid();
  }

  @Test
  void badResetPointsAreRefusedAndChangeNothing() {
    WorkflowClient.start(env.newWorkflow(Reminder.class, "r")::run);
    env.awaitEvent("r", "TimerStarted");
    String run = env.describe("r").runId();

    DurableException notATask = assertThrows(DurableException.class,
        () -> env.stub("r").reset(ResetPoint.event(3), "x"));
    assertEquals("DURABLE-236", notATask.getCode());
    assertTrue(notATask.getMessage().contains("cannot reset workflow 'r' to event 3: it is a TimerStarted, not a"
        + " WorkflowTaskCompleted. The completed workflow tasks of run " + run + " are events 2"),
        notATask.getMessage());
    DurableException beyond = assertThrows(DurableException.class,
        () -> env.stub("r").reset(ResetPoint.event(99), "x"));
    assertTrue(beyond.getMessage().contains("it does not exist (the history has 3 events)"), beyond.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> ResetPoint.event(0));
    assertTrue(zero.getMessage().startsWith("DURABLE-201 reset point event id must be at least 1"), zero.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> env.stub("r").reset(null, "x"));
    assertTrue(none.getMessage().startsWith("DURABLE-201 reset point must not be null"), none.getMessage());
    WorkflowNotFoundException unknown = assertThrows(WorkflowNotFoundException.class,
        () -> env.stub("nobody").reset(ResetPoint.lastWorkflowTask(), "x"));
    assertTrue(unknown.getMessage().contains("cannot reset workflow 'nobody'"), unknown.getMessage());

    assertEquals(run, env.describe("r").runId());
    assertEquals(WorkflowStatus.RUNNING, env.describe("r").status());
    assertEquals(1, env.client().listWorkflows(false, 10).size());
  }

  @Test
  void aChildThatHadNotClosedByThePointIsRefused() {
    WorkflowClient.start(env.newWorkflow(Parent.class, "p")::run);
    eventually("the parent to wait", () -> completedTasks("p") == 2);

    DurableException refused = assertThrows(DurableException.class,
        () -> env.stub("p").reset(ResetPoint.lastWorkflowTask(), "x"));
    assertEquals("DURABLE-237", refused.getCode());
    assertTrue(refused.getMessage().contains("cannot reset workflow 'p' to event 5: its child workflow 'child'"
        + " (initiated by event 3) had not closed by then"), refused.getMessage());
    assertEquals(WorkflowStatus.RUNNING, env.describe("p").status());
    env.stub("p").reset(ResetPoint.firstWorkflowTask(), "before the child"); // allowed: terminates the old child
    eventually("a new child run", () -> env.describe("child").status() == WorkflowStatus.RUNNING
        && env.client().listWorkflows(false, 10).stream().filter(x -> x.workflowId().equals("child")).count() == 2);
    env.stub("child").signal("land");
    env.stub("p").signal("go");
    assertEquals("parent heard: landed", env.result("p", String.class));
    env.assertHistoriesValid();
  }
}
