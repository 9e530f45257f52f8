package dev.durable.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.ResetPoint;
import dev.durable.common.DurableException;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.RunLinks;
import dev.durable.internal.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run a reset builds from a history, without a server: what it keeps, what it adds, what it inherits. */
class RunResetsTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private static HistoryEvent event(long id, EventAttributes a) {
    return new HistoryEvent(id, T0.plusSeconds(id), a);
  }

  /** A cron run: started, a task that started a timer, a signal, a second task. */
  private static List<HistoryEvent> history() {
    return List.of(
        event(1, new EventAttributes.WorkflowExecutionStarted("w", "Report", "q", List.of(), Duration.ofSeconds(10),
            1, null, null)),
        event(2, new EventAttributes.WorkflowTaskCompleted(1, T0, "worker")),
        event(3, new EventAttributes.TimerStarted(1, Duration.ofHours(1), T0.plus(Duration.ofHours(1)))),
        event(4, new EventAttributes.WorkflowExecutionSignaled("note", List.of())),
        event(5, new EventAttributes.WorkflowTaskCompleted(4, T0, "worker")));
  }

  private static ExecutionState old() {
    ExecutionState s = new ExecutionState();
    s.workflowId = "w";
    s.runId = "old-run";
    s.startTime = T0;
    s.links = new RunLinks(null, null, 0, null, null, 1, null, null, null, "*/10 * * * *");
    s.schedulePaused = true;
    return s;
  }

  @Test
  void theNewRunKeepsTheHistoryBeforeThePointAndWhatWasPendingThenAndInheritsTheLinksAndThePause() {
    List<HistoryEvent> history = history();
    assertEquals(5, RunResets.resolve("w", "old-run", history, ResetPoint.lastWorkflowTask()));
    assertEquals(2, RunResets.resolve("w", "old-run", history, ResetPoint.firstWorkflowTask()));

    Store.Transition t = RunResets.newRun(old(), history, 5, "fix", "fix-812", List.of(), T0.plusSeconds(60));
    ExecutionState s = t.state();
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "TimerStarted",
        "WorkflowExecutionSignaled", "WorkflowTaskFailed"),
        t.newEvents().stream().map(HistoryEvent::eventType).toList());
    assertEquals(6, s.nextEventId);
    assertEquals(2, s.lastCompletedTaskEventId);
    assertEquals(T0.plus(Duration.ofHours(1)), s.timers.get(1), "the timer keeps its firing time");
    assertTrue(s.workflowTaskPending);
    assertEquals("old-run", s.links.continuedFromRunId());
    assertEquals(T0.plusSeconds(60), s.startTime, "it starts at the reset: its run timeout counts from there");
    assertEquals(T0, s.links.executionStartTime(), "its execution timeout counts from the chain's first start");
    assertEquals(history.get(0), t.newEvents().get(0), "its start event is copied as it is");
    assertEquals("*/10 * * * *", s.links.cronSchedule());
    assertTrue(s.schedulePaused, "a paused schedule stays paused for the runs after the reset one");
    assertTrue(t.newRun());
    assertFalse(s.status.isClosed());
    assertEquals("fix-812", RunResets.requestId(t.newEvents()), "its reset's record names the request id");
    assertEquals(null, RunResets.requestId(history), "no reset made the old run");
  }

  @Test
  void anActivityPendingAtThePointIsScheduledAgainAtTheResetSoItsScheduleToCloseTimeoutCountsFromThere() {
    var spec = new dev.durable.internal.model.ActivitySpec(Duration.ofMinutes(10), Duration.ofMinutes(1), null, null,
        null);
    List<HistoryEvent> history = List.of(history().get(0), history().get(1),
        event(3, new EventAttributes.ActivityTaskScheduled(1, "Charge", null, List.of(), spec)),
        event(4, new EventAttributes.WorkflowExecutionSignaled("note", List.of())),
        event(5, new EventAttributes.WorkflowTaskCompleted(4, T0, "worker")));
    Instant later = T0.plus(Duration.ofHours(2)); // long after its schedule-to-close timeout of the old schedule

    ExecutionState s = RunResets.newRun(old(), history, 5, null, null, List.of(), later).state();

    assertEquals(3, s.activities.get(1).scheduledEventId);
    assertEquals(later, s.activities.get(1).scheduledTime);
    assertEquals(1, s.activities.get(1).attempt, "from its first attempt");
  }

  @Test
  void aResetOfAResetRunKeepsTheChainsExecutionTimeoutAndOneAfterItPassedIsRefused() {
    List<HistoryEvent> history = new ArrayList<>(history());
    history.set(0, event(1, new EventAttributes.WorkflowExecutionStarted("w", "Report", "q", List.of(),
        Duration.ofSeconds(10), 1, Duration.ofHours(1), null)));
    ExecutionState second = RunResets.newRun(old(), history, 5, null, null, List.of(), T0.plusSeconds(600)).state();
    ExecutionState third = RunResets.newRun(second, history, 5, null, null, List.of(), T0.plusSeconds(1200)).state();
    assertEquals(T0, third.links.executionStartTime());
    assertEquals(T0.plus(Duration.ofHours(1)), third.executionDeadline());
    assertEquals(null, RunResets.requestId(RunResets.newRun(second, history, 5, null, null, List.of(),
        T0.plusSeconds(1200)).newEvents()), "a reset without a request id records none");

    DurableException late = assertThrows(DurableException.class,
        () -> RunResets.newRun(third, history, 5, null, null, List.of(), T0.plus(Duration.ofHours(1))));
    assertEquals("DURABLE-239", late.getCode());
    assertTrue(late.getMessage().contains("cannot reset workflow 'w': its workflow execution timeout of PT1H, counted"
        + " from its first run's start at 2030-01-01T00:00:00Z, passed at 2030-01-01T01:00:00Z"), late.getMessage());
  }
}
