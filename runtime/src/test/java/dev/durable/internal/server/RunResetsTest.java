package dev.durable.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.ResetPoint;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.RunLinks;
import dev.durable.internal.store.Store;
import java.time.Duration;
import java.time.Instant;
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
    s.links = new RunLinks(null, null, 0, null, null, 1, null, null, null, "*/10 * * * *");
    s.schedulePaused = true;
    return s;
  }

  @Test
  void theNewRunKeepsTheHistoryBeforeThePointAndWhatWasPendingThenAndInheritsTheLinksAndThePause() {
    List<HistoryEvent> history = history();
    assertEquals(5, RunResets.resolve("w", "old-run", history, ResetPoint.lastWorkflowTask()));
    assertEquals(2, RunResets.resolve("w", "old-run", history, ResetPoint.firstWorkflowTask()));

    Store.Transition t = RunResets.newRun(old(), history, 5, "fix", List.of(), T0.plusSeconds(60));
    ExecutionState s = t.state();
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "TimerStarted",
        "WorkflowExecutionSignaled", "WorkflowTaskFailed"),
        t.newEvents().stream().map(HistoryEvent::eventType).toList());
    assertEquals(6, s.nextEventId);
    assertEquals(2, s.lastCompletedTaskEventId);
    assertEquals(T0.plus(Duration.ofHours(1)), s.timers.get(1), "the timer keeps its firing time");
    assertTrue(s.workflowTaskPending);
    assertEquals("old-run", s.links.continuedFromRunId());
    assertEquals("*/10 * * * *", s.links.cronSchedule());
    assertTrue(s.schedulePaused, "a paused schedule stays paused for the runs after the reset one");
    assertTrue(t.newRun());
    assertFalse(s.status.isClosed());
  }
}
