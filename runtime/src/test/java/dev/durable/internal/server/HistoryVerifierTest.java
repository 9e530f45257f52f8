package dev.durable.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.HistoryVerification;
import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PendingActivity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule of the history validator finds its kind of damage, and names the event or the state
 * field. Real histories are verified by the server, fault, crash and load tests; here each test
 * takes a valid history and breaks one thing.
 */
class HistoryVerifierTest {
  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
  private static final Payload RESULT = new Payload(Payload.JSON, "\"done\"".getBytes(StandardCharsets.UTF_8));

  private final List<HistoryEvent> events = new ArrayList<>();
  private final ExecutionState state = new ExecutionState();

  /** A run waiting for activity 1 and timer 2, as the server stores it. */
  private void openRun() {
    add(new EventAttributes.WorkflowExecutionStarted("wf", "Errand", "q", List.of(), Duration.ofSeconds(10), 1, null, null));
    add(new EventAttributes.WorkflowTaskCompleted(1, T, "worker"));
    add(new EventAttributes.ActivityTaskScheduled(1, "Fetch", null, List.of(), null));
    add(new EventAttributes.TimerStarted(2, Duration.ofMinutes(1), T.plusSeconds(60)));
    state.workflowId = "wf";
    state.runId = "run";
    state.workflowType = "Errand";
    state.taskQueue = "q";
    state.startTime = T;
    state.nextEventId = 5;
    state.lastCompletedTaskEventId = 2;
    PendingActivity pa = new PendingActivity();
    pa.seq = 1;
    pa.scheduledEventId = 3;
    pa.activityType = "Fetch";
    state.activities.put(1, pa);
    state.timers.put(2, T.plusSeconds(60));
  }

  /** The same run after both came back and the workflow completed. */
  private void closedRun() {
    openRun();
    add(new EventAttributes.ActivityTaskCompleted(1, 3, 1, RESULT));
    add(new EventAttributes.TimerFired(2));
    add(new EventAttributes.WorkflowTaskCompleted(6, T, "worker"));
    add(new EventAttributes.WorkflowExecutionCompleted(RESULT));
    state.nextEventId = 9;
    state.lastCompletedTaskEventId = 7;
    state.activities.clear();
    state.timers.clear();
    state.status = WorkflowStatus.COMPLETED;
    state.closeTime = T;
    state.result = RESULT;
  }

  private void add(EventAttributes a) {
    events.add(new HistoryEvent(events.size() + 1, T, a));
  }

  private List<String> problems() {
    HistoryVerification v = HistoryVerifier.verify("wf", "run", state, events);
    assertEquals(events.size(), v.eventCount());
    return v.problems();
  }

  private void assertOneProblem(String expected) {
    List<String> problems = problems();
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(expected, problems.get(0));
  }

  @Test
  void wellFormedOpenAndClosedRunsHaveNoProblems() {
    openRun();
    assertEquals(List.of(), problems());
    events.clear();
    closedRun();
    assertEquals(List.of(), problems());
  }

  @Test
  void aClosedRunMayStillDeliverOnlyARequestItsHistoryShowsInFlight() {
    openRun();
    add(new EventAttributes.SignalExternalWorkflowExecutionInitiated(3, "other", null, "poke", List.of()));
    add(new EventAttributes.WorkflowExecutionTerminated("enough"));
    state.nextEventId = 7;
    state.activities.clear();
    state.timers.clear();
    state.status = WorkflowStatus.TERMINATED;
    state.closeTime = T;
    state.failure = FailureInfo.simple(FailureInfo.TERMINATED, null, "enough", true);
    state.externalRequests = new java.util.TreeMap<>(java.util.Map.of(3, 5L));
    assertEquals(List.of(), problems());

    state.externalRequests.put(4, 2L);
    assertOneProblem("stored state: closed run still delivers external request 4 (event 2), which the history does"
        + " not show in flight");
  }

  @Test
  void gapInTheEventIdsIsReported() {
    closedRun();
    events.set(4, new HistoryEvent(7, T, events.get(4).attributes()));
    List<String> problems = problems();
    assertEquals("event ids must be contiguous from 1, but position 5 holds event 7", problems.get(0), problems.toString());
  }

  @Test
  void completionOfAnActivityThatWasNeverScheduledIsReported() {
    openRun();
    add(new EventAttributes.ActivityTaskCompleted(9, 3, 1, RESULT));
    state.nextEventId = 6;
    state.workflowTaskPending = true;
    assertOneProblem("event 5 (ActivityTaskCompleted) is an outcome of activity 9, which no earlier event started");
  }

  @Test
  void completionNamingTheWrongSchedulingEventIsReported() {
    openRun();
    add(new EventAttributes.ActivityTaskCompleted(1, 4, 1, RESULT));
    state.nextEventId = 6;
    state.workflowTaskPending = true;
    state.activities.clear();
    assertOneProblem("event 5 (ActivityTaskCompleted) names scheduledEventId 4, but activity 1 was scheduled by event 3");
  }

  @Test
  void secondOutcomeOfOneActivityIsReported() {
    openRun();
    add(new EventAttributes.ActivityTaskCompleted(1, 3, 1, RESULT));
    add(new EventAttributes.ActivityTaskFailed(1, 3, 2, FailureInfo.simple("APPLICATION", "Boom", "boom", false)));
    state.nextEventId = 7;
    state.workflowTaskPending = true;
    state.activities.clear();
    assertOneProblem("event 6 (ActivityTaskFailed) is a second outcome of activity 1; event 5 already ended it");
  }

  @Test
  void activityScheduledTwiceWithOneSeqIsReported() {
    openRun();
    add(new EventAttributes.WorkflowTaskCompleted(4, T, "worker"));
    add(new EventAttributes.ActivityTaskScheduled(1, "Fetch", null, List.of(), null));
    state.nextEventId = 7;
    state.lastCompletedTaskEventId = 5;
    List<String> problems = problems();
    assertTrue(problems.contains("event 6 (ActivityTaskScheduled) starts activity 1 again; event 3 already started it"),
        problems.toString());
  }

  @Test
  void timerFiredWithoutATimerStartedIsReported() {
    openRun();
    add(new EventAttributes.TimerFired(5));
    state.nextEventId = 6;
    state.workflowTaskPending = true;
    assertOneProblem("event 5 (TimerFired) is an outcome of timer 5, which no earlier event started");
  }

  @Test
  void timerThatFiresAndIsCanceledIsReported() {
    openRun();
    add(new EventAttributes.TimerFired(2));
    add(new EventAttributes.WorkflowTaskCompleted(5, T, "worker"));
    add(new EventAttributes.TimerCanceled(2));
    state.nextEventId = 8;
    state.lastCompletedTaskEventId = 6;
    state.timers.clear();
    assertOneProblem("event 7 (TimerCanceled) is a second outcome of timer 2; event 5 already ended it");
  }

  @Test
  void eventAfterTheCloseEventIsReported() {
    closedRun();
    add(new EventAttributes.WorkflowExecutionSignaled("late", List.of()));
    state.nextEventId = 10;
    assertOneProblem("event 9 (WorkflowExecutionSignaled) follows the close event 8; nothing may follow a close event");
  }

  @Test
  void workflowTaskCompletedThatSawItsOwnIdOrLaterIsReported() {
    openRun();
    events.set(1, new HistoryEvent(2, T, new EventAttributes.WorkflowTaskCompleted(2, T, "worker")));
    assertOneProblem("event 2 (WorkflowTaskCompleted) says its task saw up to event 2; it must be at least the"
        + " previous WorkflowTaskCompleted (0) and before its own id");
  }

  @Test
  void commandEventOutsideAWorkflowTaskIsReported() {
    openRun();
    add(new EventAttributes.WorkflowExecutionSignaled("go", List.of()));
    add(new EventAttributes.TimerStarted(3, Duration.ofMinutes(1), T.plusSeconds(60)));
    state.nextEventId = 7;
    state.timers.put(3, T.plusSeconds(60));
    state.workflowTaskPending = true;
    assertOneProblem("event 6 (TimerStarted) records a command but does not follow a WorkflowTaskCompleted or a"
        + " command of the same task");
  }

  @Test
  void historyThatDoesNotStartWithWorkflowExecutionStartedIsReported() {
    openRun();
    events.set(0, new HistoryEvent(1, T, new EventAttributes.WorkflowExecutionSignaled("go", List.of())));
    List<String> problems = problems();
    assertEquals("event 1 (WorkflowExecutionSignaled): a history must start with WorkflowExecutionStarted",
        problems.get(0), problems.toString());
  }

  @Test
  void storedStatusThatDiffersFromTheCloseEventIsReported() {
    closedRun();
    state.status = WorkflowStatus.RUNNING;
    List<String> problems = problems();
    assertTrue(problems.contains("stored state: status is RUNNING, but the history gives COMPLETED"), problems.toString());
  }

  @Test
  void storedResultThatDiffersFromTheCloseEventIsReported() {
    closedRun();
    state.result = new Payload(Payload.JSON, "\"other\"".getBytes(StandardCharsets.UTF_8));
    assertOneProblem("stored state: result is \"other\", but the history gives \"done\"");
  }

  @Test
  void storedPendingActivitiesAndTimersThatDifferFromTheHistoryAreReported() {
    openRun();
    state.activities.clear();
    state.timers.put(7, T);
    List<String> problems = problems();
    assertEquals(List.of(
        "stored state: pending activities (seq=scheduledEventId) is {}, but the history gives {1=3}",
        "stored state: pending timers (seq=fireAt) is {2=2030-01-01T00:01:00Z, 7=2030-01-01T00:00:00Z}, but the"
            + " history gives {2=2030-01-01T00:01:00Z}"), problems);
  }

  @Test
  void storedNextEventIdThatDiffersFromTheHistoryIsReported() {
    openRun();
    state.nextEventId = 4;
    assertOneProblem("stored state: nextEventId is 4, but the history gives 5");
  }

  @Test
  void aResetRunStartsAtItsResetAndAnotherStartTimeIsReported() {
    openRun();
    Instant resetAt = T.plusSeconds(90);
    events.add(new HistoryEvent(5, resetAt, new EventAttributes.WorkflowTaskFailed(1, FailureInfo.simple(
        FailureInfo.WORKFLOW_TASK, RunResets.RESET_FAILURE_TYPE, "reset from run old at event 5", true),
        RunResets.IDENTITY)));
    state.nextEventId = 6;
    state.workflowTaskPending = true;
    state.startTime = resetAt;
    assertEquals(List.of(), problems());
    state.startTime = T; // as a reset stored it before its run timeout counted from the reset
    assertEquals(List.of(), problems());

    state.startTime = T.plusSeconds(30);
    assertOneProblem("stored state: startTime (of the reset) is 2030-01-01T00:00:30Z, but the history gives"
        + " 2030-01-01T00:01:30Z");
  }

  @Test
  void inputWithoutAPendingWorkflowTaskIsReported() {
    openRun();
    add(new EventAttributes.ActivityTaskCompleted(1, 3, 1, RESULT));
    state.nextEventId = 6;
    state.activities.clear();
    assertOneProblem("stored state: workflowTaskPending is false, but the history gives true");
  }

  @Test
  void missingMutableStateIsReported() {
    openRun();
    HistoryVerification v = HistoryVerifier.verify("wf", "run", null, events);
    assertEquals(List.of("the store has no mutable state for run run"), v.problems());
  }

  /** A run that initiated child 3, whose start the server recorded. */
  private void runWithChild() {
    openRun();
    add(new EventAttributes.StartChildWorkflowExecutionInitiated(3, "wf-child", "Child", "q", List.of(),
        Duration.ofSeconds(10), null, null, null, "TERMINATE", "ALLOW_DUPLICATE"));
    add(new EventAttributes.ChildWorkflowExecutionStarted(3, 5, "wf-child", "child-run"));
    state.nextEventId = 7;
    state.workflowTaskPending = true;
    dev.durable.internal.model.PendingChild child = new dev.durable.internal.model.PendingChild();
    child.seq = 3;
    child.initiatedEventId = 5;
    child.workflowId = "wf-child";
    child.workflowType = "Child";
    child.runId = "child-run";
    child.state = dev.durable.internal.model.PendingChild.STARTED;
    state.children.put(3, child);
  }

  @Test
  void pendingChildMustMatchTheHistory() {
    runWithChild();
    assertEquals(List.of(), problems());

    state.children.clear();
    assertOneProblem("stored state: pending children (seq=initiatedEventId state) is {}, but the history gives"
        + " {3=5 STARTED}");
  }

  @Test
  void childOutcomeWithoutItsStartIsReported() {
    runWithChild();
    events.remove(events.size() - 1); // the ChildWorkflowExecutionStarted
    add(new EventAttributes.ChildWorkflowExecutionCompleted(3, 5, "wf-child", "child-run", RESULT));
    state.children.clear();
    assertOneProblem("event 6 (ChildWorkflowExecutionCompleted) is about child 3 initiated by event 5 in state"
        + " STARTED, but the history has it as '5 INITIATED'");
  }

  @Test
  void continuedAsNewRunMustNameTheRunThatFollows() {
    openRun();
    add(new EventAttributes.ActivityTaskCompleted(1, 3, 1, RESULT));
    add(new EventAttributes.WorkflowTaskCompleted(5, T, "worker"));
    add(new EventAttributes.WorkflowExecutionContinuedAsNew("next-run", "Errand", "q", List.of(), null, null));
    state.nextEventId = 8;
    state.lastCompletedTaskEventId = 6;
    state.activities.clear();
    state.timers.clear();
    state.status = WorkflowStatus.CONTINUED_AS_NEW;
    state.nextRunId = "next-run";
    assertEquals(List.of(), problems());

    state.nextRunId = "other-run";
    assertOneProblem("stored state: nextRunId is other-run, but the history gives next-run");
  }

  @Test
  void searchAttributesThatDisagreeWithTheUpsertsAreReported() {
    openRun();
    var stage = new dev.durable.internal.model.SearchAttributeValue(
        dev.durable.internal.model.SearchAttributeValue.Type.KEYWORD, List.of("paid"));
    add(new EventAttributes.WorkflowTaskCompleted(4, T, "worker"));
    add(new EventAttributes.UpsertWorkflowSearchAttributes(java.util.Map.of("Stage", stage)));
    state.nextEventId = 7;
    state.lastCompletedTaskEventId = 5;
    state.searchAttributes.put("Stage", stage);
    assertEquals(List.of(), problems());
    state.searchAttributes.clear();
    assertOneProblem("stored state: searchAttributes is {}, but the history gives {Stage=SearchAttributeValue[type=KEYWORD,"
        + " values=[paid]]}");
  }

  /** The open run after a task that requested cancellation of activity 1 (which then ended canceled). */
  private void canceledActivity() {
    openRun();
    add(new EventAttributes.WorkflowExecutionSignaled("stop", List.of()));
    add(new EventAttributes.WorkflowTaskCompleted(5, T, "worker"));
    add(new EventAttributes.ActivityTaskCancelRequested(1, 3));
    add(new EventAttributes.ActivityTaskCanceled(1, 3, 1, FailureInfo.simple("ACTIVITY", "Canceled", "canceled", true)));
    state.nextEventId = 9;
    state.lastCompletedTaskEventId = 6;
    state.workflowTaskPending = true;
    state.activities.clear();
  }

  @Test
  void activityCancellationIsAnOutcomeOfItsActivity() {
    canceledActivity();
    assertEquals(List.of(), problems());
    add(new EventAttributes.ActivityTaskCompleted(1, 3, 1, RESULT));
    state.nextEventId = 10;
    assertOneProblem("event 9 (ActivityTaskCompleted) is a second outcome of activity 1; event 8 already ended it");
  }

  @Test
  void cancellationRequestForAnActivityNeverScheduledIsReported() {
    canceledActivity();
    events.set(6, new HistoryEvent(7, T, new EventAttributes.ActivityTaskCancelRequested(5, 0)));
    assertOneProblem("event 7 (ActivityTaskCancelRequested) requests cancellation of activity 5, which no earlier"
        + " event scheduled");
  }

  @Test
  void updatesMustBeAcceptedBeforeTheyCompleteAndCompleteOnceAndTheStateKeepsThem() {
    openRun();
    add(new EventAttributes.WorkflowUpdateAccepted("u1", "add", List.of()));
    add(new EventAttributes.WorkflowTaskCompleted(5, T, "worker"));
    add(new EventAttributes.WorkflowUpdateCompleted("u1", RESULT, null));
    state.nextEventId = 8;
    state.lastCompletedTaskEventId = 6;
    state.updates.put("u1", 7L);
    assertEquals(List.of(), problems());

    add(new EventAttributes.WorkflowUpdateCompleted("u1", RESULT, null));
    add(new EventAttributes.WorkflowUpdateCompleted("u2", RESULT, null));
    state.nextEventId = 10;
    List<String> problems = problems();
    assertEquals(List.of("event 8 (WorkflowUpdateCompleted) completes update 'u1' again; event 7 already did",
        "event 9 (WorkflowUpdateCompleted) completes update 'u2', which no earlier event accepted"), problems);

    events.subList(7, 9).clear();
    state.nextEventId = 8;
    state.updates.put("u1", 0L);
    assertOneProblem("stored state: updates (id=completing event) is {u1=0}, but the history gives {u1=7}");
  }
}
