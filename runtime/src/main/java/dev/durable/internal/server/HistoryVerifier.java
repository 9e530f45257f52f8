package dev.durable.internal.server;

import dev.durable.client.HistoryVerification;
import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.EventAttributes.ActivityTaskCompleted;
import dev.durable.internal.model.EventAttributes.ActivityTaskFailed;
import dev.durable.internal.model.EventAttributes.ActivityTaskScheduled;
import dev.durable.internal.model.EventAttributes.TimerCanceled;
import dev.durable.internal.model.EventAttributes.TimerFired;
import dev.durable.internal.model.EventAttributes.TimerStarted;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.model.PendingChild;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks a run's stored history against the rules every history follows, and its stored mutable
 * state against what the history implies. The server's transitions keep the two consistent; this
 * is the independent check that they did, after crashes, faults and restores.
 */
final class HistoryVerifier {
  private final List<String> problems = new ArrayList<>();
  private final Map<Integer, Long> activitiesScheduledBy = new HashMap<>();
  private final Map<Integer, Long> activityOutcomes = new HashMap<>();
  private final Map<Integer, Long> openActivities = new TreeMap<>();
  private final Map<Integer, String> activityTypes = new HashMap<>();
  private final Map<Integer, Long> timersStartedBy = new HashMap<>();
  private final Map<Integer, Long> timerOutcomes = new HashMap<>();
  private final Map<Integer, Instant> openTimers = new TreeMap<>();
  private EventAttributes.WorkflowExecutionStarted started;
  private Instant startTime;
  /** When a reset made this run (the time of the last reset record), or null. */
  private Instant resetAt;
  private WorkflowStatus status = WorkflowStatus.RUNNING;
  private Payload result;
  private FailureInfo failure;
  private String terminationReason;
  private long closedBy;
  private long lastCompletedTask;
  /** The last event of the last completed task's batch (its WorkflowTaskCompleted and command events). */
  private long lastBatchEnd;
  private boolean cancelRequested;
  /** Child workflows without an outcome yet: seq to "initiatedEventId STATE". */
  private final Map<Integer, String> openChildren = new TreeMap<>();
  private final Map<Integer, Long> childrenInitiatedBy = new HashMap<>();
  /** Signals and cancel requests to other workflows: who initiated each, outcomes, and those without one yet. */
  private final Map<Integer, Long> externalInitiatedBy = new HashMap<>();
  private final Map<Integer, Long> externalOutcomes = new HashMap<>();
  private final Map<Integer, Long> openExternal = new TreeMap<>();
  private String continuedAs;
  /** The search attributes the start and the upserts so far set. */
  private java.util.Map<String, dev.durable.internal.model.SearchAttributeValue> searchAttributes = new java.util.TreeMap<>();
  /** Accepted updates: the event that completed each, or 0 while running. */
  private final Map<String, Long> updates = new TreeMap<>();

  private HistoryVerifier() {}

  /** Verifies one run; {@code state} is null when the store has no mutable state for it. */
  static HistoryVerification verify(String workflowId, String runId, ExecutionState state, List<HistoryEvent> events) {
    HistoryVerifier v = new HistoryVerifier();
    v.readEvents(events);
    if (state == null) {
      v.problems.add("the store has no mutable state for run " + runId);
    } else {
      v.compare(state, events.size());
    }
    return new HistoryVerification(workflowId, runId, events.size(), v.problems);
  }

  private void readEvents(List<HistoryEvent> events) {
    boolean inBatch = false;
    for (int i = 0; i < events.size(); i++) {
      HistoryEvent e = events.get(i);
      long id = e.eventId();
      if (id != i + 1) {
        problems.add("event ids must be contiguous from 1, but position " + (i + 1) + " holds event " + id);
        return; // every later rule relies on the ids
      }
      String at = "event " + id + " (" + e.eventType() + ")";
      if (closedBy != 0) {
        problems.add(at + " follows the close event " + closedBy + "; nothing may follow a close event");
        return;
      }
      EventAttributes a = e.attributes();
      boolean command = a instanceof EventAttributes.CommandEvent;
      if (command && !inBatch) {
        problems.add(at + " records a command but does not follow a WorkflowTaskCompleted or a command of the same task");
      }
      if (id == 1 && !(a instanceof EventAttributes.WorkflowExecutionStarted)) {
        problems.add(at + ": a history must start with WorkflowExecutionStarted");
      }
      read(at, id, e.timestamp(), a);
      inBatch = a instanceof EventAttributes.WorkflowTaskCompleted || (inBatch && command);
      if (inBatch) {
        lastBatchEnd = id;
      }
    }
    if (events.isEmpty()) {
      problems.add("the history is empty; it must start with WorkflowExecutionStarted");
    }
  }

  private void read(String at, long id, Instant timestamp, EventAttributes a) {
    if (a instanceof EventAttributes.WorkflowExecutionStarted s) {
      if (started != null) {
        problems.add(at + " starts the run a second time");
      }
      started = s;
      startTime = timestamp;
      if (s.searchAttributes() != null) {
        searchAttributes.putAll(s.searchAttributes());
      }
    } else if (RunResets.isResetRecord(a)) {
      resetAt = timestamp;
    } else if (a instanceof EventAttributes.UpsertWorkflowSearchAttributes u) {
      searchAttributes.putAll(u.searchAttributes());
    } else if (a instanceof EventAttributes.WorkflowTaskCompleted t) {
      if (t.lastSeenEventId() >= id || t.lastSeenEventId() < lastCompletedTask) {
        problems.add(at + " says its task saw up to event " + t.lastSeenEventId() + "; it must be at least the previous"
            + " WorkflowTaskCompleted (" + lastCompletedTask + ") and before its own id");
      }
      lastCompletedTask = id;
    } else if (a instanceof ActivityTaskScheduled s) {
      opened(at, id, s.seq(), "activity", activitiesScheduledBy, openActivities, id);
      activityTypes.put(s.seq(), s.activityType());
    } else if (a instanceof ActivityTaskCompleted c) {
      activityOutcome(at, id, c.seq(), c.scheduledEventId());
    } else if (a instanceof ActivityTaskFailed f) {
      activityOutcome(at, id, f.seq(), f.scheduledEventId());
    } else if (a instanceof EventAttributes.ActivityTaskCanceled c) {
      activityOutcome(at, id, c.seq(), c.scheduledEventId());
    } else if (a instanceof EventAttributes.ActivityTaskCancelRequested c) {
      Long scheduledBy = activitiesScheduledBy.get(c.seq());
      if (scheduledBy == null) {
        problems.add(at + " requests cancellation of activity " + c.seq() + ", which no earlier event scheduled");
      } else if (c.scheduledEventId() != 0 && c.scheduledEventId() != scheduledBy) {
        problems.add(at + " names scheduledEventId " + c.scheduledEventId() + ", but activity " + c.seq()
            + " was scheduled by event " + scheduledBy);
      }
    } else if (a instanceof EventAttributes.WorkflowUpdateAccepted u) {
      if (updates.putIfAbsent(u.updateId(), 0L) != null) {
        problems.add(at + " accepts update '" + u.updateId() + "' a second time");
      }
    } else if (a instanceof EventAttributes.WorkflowUpdateCompleted u) {
      Long completedBy = updates.get(u.updateId());
      if (completedBy == null) {
        problems.add(at + " completes update '" + u.updateId() + "', which no earlier event accepted");
      } else if (completedBy != 0) {
        problems.add(at + " completes update '" + u.updateId() + "' again; event " + completedBy + " already did");
      } else {
        updates.put(u.updateId(), id);
      }
    } else if (a instanceof TimerStarted t) {
      opened(at, id, t.seq(), "timer", timersStartedBy, openTimers, t.fireAt());
    } else if (a instanceof TimerFired t) {
      closed(at, id, t.seq(), "timer", timersStartedBy, timerOutcomes, openTimers);
    } else if (a instanceof TimerCanceled t) {
      closed(at, id, t.seq(), "timer", timersStartedBy, timerOutcomes, openTimers);
    } else if (a instanceof EventAttributes.WorkflowExecutionCancelRequested) {
      cancelRequested = true;
    } else if (a instanceof EventAttributes.WorkflowExecutionCompleted c) {
      close(id, WorkflowStatus.COMPLETED);
      result = c.result();
    } else if (a instanceof EventAttributes.WorkflowExecutionFailed f) {
      close(id, WorkflowStatus.FAILED);
      failure = f.failure();
    } else if (a instanceof EventAttributes.WorkflowExecutionCanceled c) {
      close(id, WorkflowStatus.CANCELED);
      failure = c.failure();
    } else if (a instanceof EventAttributes.WorkflowExecutionTerminated t) {
      close(id, WorkflowStatus.TERMINATED);
      terminationReason = t.reason();
    } else if (a instanceof EventAttributes.WorkflowExecutionTimedOut t) {
      close(id, WorkflowStatus.TIMED_OUT);
      failure = t.failure();
    } else if (a instanceof EventAttributes.WorkflowExecutionContinuedAsNew c) {
      close(id, WorkflowStatus.CONTINUED_AS_NEW);
      continuedAs = c.newRunId();
    } else if (a instanceof EventAttributes.StartChildWorkflowExecutionInitiated i) {
      Long earlier = childrenInitiatedBy.putIfAbsent(i.seq(), id);
      if (earlier != null) {
        problems.add(at + " initiates child " + i.seq() + " again; event " + earlier + " already did");
      } else {
        openChildren.put(i.seq(), id + " " + PendingChild.INITIATED);
      }
    } else if (a instanceof EventAttributes.ChildWorkflowExecutionStarted c) {
      childEvent(at, c.seq(), c.initiatedEventId(), PendingChild.INITIATED);
      openChildren.computeIfPresent(c.seq(), (k, v) -> c.initiatedEventId() + " " + PendingChild.STARTED);
    } else if (a instanceof EventAttributes.StartChildWorkflowExecutionFailed f) {
      childEvent(at, f.seq(), f.initiatedEventId(), PendingChild.INITIATED);
      openChildren.remove(f.seq());
    } else if (a instanceof EventAttributes.ChildOutcome o) {
      childEvent(at, o.seq(), o.initiatedEventId(), PendingChild.STARTED);
      openChildren.remove(o.seq());
    } else if (a instanceof EventAttributes.SignalExternalWorkflowExecutionInitiated i) {
      opened(at, id, i.seq(), "external request", externalInitiatedBy, openExternal, id);
    } else if (a instanceof EventAttributes.RequestCancelExternalWorkflowExecutionInitiated i) {
      opened(at, id, i.seq(), "external request", externalInitiatedBy, openExternal, id);
    } else if (a instanceof EventAttributes.ExternalOutcome o) {
      Long initiatedBy = externalInitiatedBy.get(o.seq());
      if (initiatedBy != null && initiatedBy != o.initiatedEventId()) {
        problems.add(at + " names initiatedEventId " + o.initiatedEventId() + ", but external request " + o.seq()
            + " was initiated by event " + initiatedBy);
      }
      closed(at, id, o.seq(), "external request", externalInitiatedBy, externalOutcomes, openExternal);
    }
  }

  /** Checks that an event about child {@code seq} follows its initiation, in the state it needs. */
  private void childEvent(String at, int seq, long initiatedEventId, String needed) {
    String current = openChildren.get(seq);
    String expected = initiatedEventId + " " + needed;
    if (!expected.equals(current)) {
      problems.add(at + " is about child " + seq + " initiated by event " + initiatedEventId + " in state " + needed
          + ", but the history has it as " + (current == null ? "not pending" : "'" + current + "'"));
    }
  }

  private <V> void opened(String at, long id, int seq, String kind, Map<Integer, Long> openedBy,
      Map<Integer, V> open, V value) {
    Long earlier = openedBy.putIfAbsent(seq, id);
    if (earlier != null) {
      problems.add(at + " starts " + kind + " " + seq + " again; event " + earlier + " already started it");
      return;
    }
    open.put(seq, value);
  }

  private void activityOutcome(String at, long id, int seq, long scheduledEventId) {
    Long scheduledBy = activitiesScheduledBy.get(seq);
    if (scheduledBy != null && scheduledBy != scheduledEventId) {
      problems.add(at + " names scheduledEventId " + scheduledEventId + ", but activity " + seq + " was scheduled by"
          + " event " + scheduledBy);
    }
    closed(at, id, seq, "activity", activitiesScheduledBy, activityOutcomes, openActivities);
  }

  private void closed(String at, long id, int seq, String kind, Map<Integer, Long> openedBy,
      Map<Integer, Long> outcomes, Map<Integer, ?> open) {
    if (!openedBy.containsKey(seq)) {
      problems.add(at + " is an outcome of " + kind + " " + seq + ", which no earlier event started");
    } else if (outcomes.containsKey(seq)) {
      problems.add(at + " is a second outcome of " + kind + " " + seq + "; event " + outcomes.get(seq)
          + " already ended it");
    } else {
      outcomes.put(seq, id);
      open.remove(seq);
    }
  }

  private void close(long id, WorkflowStatus closedAs) {
    closedBy = id;
    status = closedAs;
  }

  /** Compares the stored mutable state with the one the events imply. */
  private void compare(ExecutionState s, int eventCount) {
    expect("nextEventId", s.nextEventId, eventCount + 1L);
    expect("status", s.status, status);
    if (started != null) {
      expect("workflowId", s.workflowId, started.workflowId());
      expect("workflowType", s.workflowType, started.workflowType());
      expect("taskQueue", s.taskQueue, started.taskQueue());
      // A reset run starts at its reset (one reset before that rule kept its start event's time).
      boolean resetStart = resetAt != null && !Objects.equals(s.startTime, startTime);
      expect(resetStart ? "startTime (of the reset)" : "startTime", s.startTime, resetStart ? resetAt : startTime);
    }
    expect("lastCompletedTaskEventId", s.lastCompletedTaskEventId, lastCompletedTask);
    boolean cancelBuffered = s.bufferedEvents.stream()
        .anyMatch(e -> e.attributes() instanceof EventAttributes.WorkflowExecutionCancelRequested);
    expect("cancelRequested", s.cancelRequested, cancelRequested || cancelBuffered);
    expect("searchAttributes", s.searchAttributes == null ? java.util.Map.of() : s.searchAttributes, searchAttributes);
    Map<String, Long> expectedUpdates = new TreeMap<>(updates);
    s.bufferedEvents.forEach(e -> {
      if (e.attributes() instanceof EventAttributes.WorkflowUpdateAccepted u) {
        expectedUpdates.putIfAbsent(u.updateId(), 0L);
      }
    });
    expect("updates (id=completing event)", new TreeMap<>(s.updates), expectedUpdates);
    switch (status) {
      case CONTINUED_AS_NEW -> expect("nextRunId", s.nextRunId, continuedAs);
      case COMPLETED -> expect("result", s.result, result);
      case FAILED, CANCELED, TIMED_OUT -> expect("failure", s.failure, failure);
      case TERMINATED -> expect("termination reason", s.failure == null ? null : s.failure.message(), terminationReason);
      default -> { }
    }
    if (status.isClosed()) {
      expect("pending activities", s.activities.keySet(), java.util.Set.of());
      expect("pending timers", s.timers.keySet(), java.util.Set.of());
      expect("workflowTaskPending", s.workflowTaskPending, false);
      expect("buffered events", s.bufferedEvents.size(), 0);
      // The server may close a run while its requests are in flight; each is forgotten once delivered.
      s.externalRequests.forEach((seq, initiatedEventId) -> {
        if (!initiatedEventId.equals(openExternal.get(seq))) {
          problems.add("stored state: closed run still delivers external request " + seq + " (event "
              + initiatedEventId + "), which the history does not show in flight");
        }
      });
      return;
    }
    Map<Integer, Long> storedActivities = new TreeMap<>();
    for (PendingActivity pa : s.activities.values()) {
      storedActivities.put(pa.seq, pa.scheduledEventId);
      String type = activityTypes.get(pa.seq);
      if (type != null && !type.equals(pa.activityType)) {
        problems.add("stored state: pending activity " + pa.seq + " has type " + pa.activityType + ", but event "
            + pa.scheduledEventId + " scheduled " + type);
      }
    }
    expect("pending activities (seq=scheduledEventId)", storedActivities, openActivities);
    expect("pending timers (seq=fireAt)", new TreeMap<>(s.timers), openTimers);
    Map<Integer, String> storedChildren = new TreeMap<>();
    s.children.forEach((seq, c) -> storedChildren.put(seq, c.initiatedEventId + " " + c.state));
    expect("pending children (seq=initiatedEventId state)", storedChildren, openChildren);
    Map<Integer, Long> expectedExternal = new TreeMap<>(openExternal);
    s.bufferedEvents.forEach(e -> {
      if (e.attributes() instanceof EventAttributes.ExternalOutcome o) {
        expectedExternal.remove(o.seq()); // recorded in the state, appended to the history after the running task
      }
    });
    expect("pending external requests (seq=initiatedEventId)", new TreeMap<>(s.externalRequests), expectedExternal);
    // Input events after the last completed task's commands are what a pending workflow task is for.
    boolean taskDue = eventCount > lastBatchEnd || !s.bufferedEvents.isEmpty();
    expect("workflowTaskPending", s.workflowTaskPending, taskDue);
  }

  private void expect(String field, Object stored, Object fromHistory) {
    if (!Objects.equals(stored, fromHistory)) {
      problems.add("stored state: " + field + " is " + stored + ", but the history gives " + fromHistory);
    }
  }
}
