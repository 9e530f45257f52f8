package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.failure.CanceledFailure;
import dev.durable.failure.TerminatedFailure;
import dev.durable.testing.ManualClock;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The untyped stub: results with a timeout, cancel, terminate, describe and history. */
class WorkflowStubTest {
  @ActivityInterface
  public interface Chores {
    String doChore(String name);
  }

  @WorkflowInterface
  public interface Household {
    /** Runs the chore as an activity, or waits forever when {@code chore} is null. */
    @WorkflowMethod
    String run(String chore);
  }

  public static final class HouseholdImpl implements Household {
    private final Chores chores = Workflow.newActivityStub(Chores.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1)).build());

    @Override
    public String run(String chore) {
      if (chore == null) {
        Workflow.await(() -> false);
      }
      return chores.doChore(chore);
    }
  }

  /** Chores called "slow" wait for {@link #release}, heartbeating before and after. */
  static final class ChoresImpl implements Chores {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CompletableFuture<Throwable> heartbeatAfterRelease = new CompletableFuture<>();

    @Override
    public String doChore(String name) {
      if (name.equals("slow")) {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        try {
          Activity.getExecutionContext().heartbeat("still here");
          heartbeatAfterRelease.complete(null);
        } catch (RuntimeException e) {
          heartbeatAfterRelease.complete(e);
          throw e;
        }
      }
      return name + " done";
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final ChoresImpl chores = new ChoresImpl();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(HouseholdImpl.class).registerActivitiesImplementations(chores));
  }

  @AfterEach
  void close() {
    chores.release.countDown();
    env.close();
  }

  private WorkflowExecution start(String id, String chore) {
    return WorkflowClient.start(env.newWorkflow(Household.class, id)::run, chore);
  }

  @Test
  void getResultWithATimeoutThrowsTimeoutExceptionWhileTheWorkflowRuns() {
    start("forever", null);
    TimeoutException e = assertThrows(TimeoutException.class,
        () -> env.stub("forever").getResult(Duration.ofMillis(10), String.class));
    assertEquals("workflow 'forever' is still running after PT0.01S", e.getMessage());
  }

  @Test
  void getResultWithATimeoutReturnsTheResultOfAClosedRun() throws TimeoutException {
    start("quick", "dishes");
    assertEquals("dishes done", env.stub("quick").getResult(Duration.ofSeconds(10), String.class));
  }

  @Test
  void cancelEndsAWorkflowBlockedInAwaitAsCanceled() {
    start("cancel-me", null);
    env.awaitEvent("cancel-me", "WorkflowTaskCompleted");

    env.stub("cancel-me").cancel();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> env.stub("cancel-me").getResult(String.class));
    assertEquals(WorkflowStatus.CANCELED, e.getStatus());
    CanceledFailure cause = assertInstanceOf(CanceledFailure.class, e.getCause());
    assertEquals("workflow 'cancel-me' was canceled during Workflow.await", cause.getOriginalMessage());
    assertEquals(WorkflowStatus.CANCELED, env.describe("cancel-me").status());
    List<String> events = env.eventTypes("cancel-me");
    assertTrue(events.contains("WorkflowExecutionCancelRequested"), events.toString());
    assertEquals("WorkflowExecutionCanceled", events.get(events.size() - 1));

    WorkflowNotFoundException again = assertThrows(WorkflowNotFoundException.class, () -> env.stub("cancel-me").cancel());
    assertTrue(again.getMessage().startsWith("DURABLE-207 cannot cancel workflow 'cancel-me': its latest run "),
        again.getMessage());
  }

  @Test
  void cancelEndsAWorkflowWaitingForAnActivityAndTheActivityLearnsItAtItsNextHeartbeat() throws Exception {
    start("cancel-activity", "slow");
    assertTrue(chores.started.await(10, TimeUnit.SECONDS));

    env.stub("cancel-activity").cancel();
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> env.stub("cancel-activity").getResult(String.class));
    assertEquals(WorkflowStatus.CANCELED, e.getStatus());
    assertEquals("workflow 'cancel-activity' was canceled while waiting for activity DoChore",
        ((CanceledFailure) e.getCause()).getOriginalMessage());

    chores.release.countDown();
    assertInstanceOf(CanceledFailure.class, chores.heartbeatAfterRelease.get(10, TimeUnit.SECONDS));
  }

  @Test
  void terminateClosesTheRunAtOnceWithTheReason() {
    start("stop-me", null);
    env.awaitEvent("stop-me", "WorkflowTaskCompleted");

    env.stub("stop-me").terminate("operator said so");
    assertEquals(WorkflowStatus.TERMINATED, env.describe("stop-me").status());
    List<WorkflowHistory.Event> events = env.stub("stop-me").getHistory().getEvents();
    WorkflowHistory.Event last = events.get(events.size() - 1);
    assertEquals("WorkflowExecutionTerminated", last.eventType());
    assertEquals("{\"reason\":\"operator said so\"}", last.attributesJson());

    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> env.stub("stop-me").getResult(String.class));
    assertEquals(WorkflowStatus.TERMINATED, e.getStatus());
    assertEquals("operator said so", assertInstanceOf(TerminatedFailure.class, e.getCause()).getOriginalMessage());

    WorkflowNotFoundException again = assertThrows(WorkflowNotFoundException.class,
        () -> env.stub("stop-me").terminate("twice"));
    assertTrue(again.getMessage().startsWith("DURABLE-207 cannot terminate workflow 'stop-me': its latest run "),
        again.getMessage());
  }

  @Test
  void describeShowsTheRunItsTimesAndItsPendingActivities() throws Exception {
    WorkflowExecution e = start("described", "slow");
    assertTrue(chores.started.await(10, TimeUnit.SECONDS));
    PendingActivityInfo pending = env.awaitPendingActivity("described", "the running chore", p -> p.state().equals("STARTED"));
    WorkflowDescription d = env.describe("described");

    assertEquals("described", d.workflowId());
    assertEquals(e.runId(), d.runId());
    assertEquals("Household", d.workflowType());
    assertEquals(TestEnv.TASK_QUEUE, d.taskQueue());
    assertEquals(WorkflowStatus.RUNNING, d.status());
    assertEquals(ManualClock.START, d.startTime());
    assertNull(d.closeTime());
    assertEquals(3, d.historyLength(), "started, task completed, activity scheduled");
    assertEquals(1, d.workflowTaskAttempt());
    assertNull(d.lastWorkflowTaskFailure());
    assertEquals(new PendingActivityInfo("DoChore", "1", "STARTED", 1, ManualClock.START, null, null, null), pending);

    env.clock().advance(Duration.ofMinutes(5));
    chores.release.countDown();
    assertEquals("slow done", env.result("described", String.class));
    WorkflowDescription closed = env.describe("described");
    assertEquals(WorkflowStatus.COMPLETED, closed.status());
    assertEquals(ManualClock.START.plus(Duration.ofMinutes(5)), closed.closeTime());
    assertEquals(List.of(), closed.pendingActivities());
    assertTrue(closed.isClosed());
    assertEquals(6, closed.historyLength());
  }

  @Test
  void historyListsTheEventsInOrderAndItsJsonRoundTrips() {
    WorkflowExecution e = start("history", "laundry");
    assertEquals("laundry done", env.result("history", String.class));

    WorkflowHistory history = env.stub("history").getHistory();
    assertEquals("history", history.getWorkflowId());
    assertEquals(e.runId(), history.getRunId());
    List<WorkflowHistory.Event> events = history.getEvents();
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled",
        "ActivityTaskCompleted", "WorkflowTaskCompleted", "WorkflowExecutionCompleted"),
        events.stream().map(WorkflowHistory.Event::eventType).toList());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), events.stream().map(WorkflowHistory.Event::eventId).toList());
    assertEquals("{\"result\":{\"json\":\"laundry done\"}}", events.get(5).attributesJson());

    String json = history.toJson();
    assertTrue(json.contains("\"eventType\" : \"ActivityTaskScheduled\""), json);
    WorkflowHistory read = WorkflowHistory.fromJson(json);
    assertEquals(history.getWorkflowId(), read.getWorkflowId());
    assertEquals(history.getRunId(), read.getRunId());
    assertEquals(events, read.getEvents());
    assertEquals(json, read.toJson());
  }

  @Test
  void historyFromJsonRejectsTextThatIsNotAHistory() {
    IllegalArgumentException noEvents = assertThrows(IllegalArgumentException.class, () -> WorkflowHistory.fromJson("{}"));
    assertEquals("DURABLE-218 not a workflow history: the JSON has no \"events\" field", noEvents.getMessage());
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
        () -> WorkflowHistory.fromJson("{\n  \"events\": [ {"));
    assertTrue(broken.getMessage().startsWith("DURABLE-218 cannot read workflow history JSON at line 2"), broken.getMessage());
  }
}
