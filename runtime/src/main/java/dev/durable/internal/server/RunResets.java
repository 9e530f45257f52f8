package dev.durable.internal.server;

import dev.durable.client.ResetPoint;
import dev.durable.common.DurableException;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.model.RunIds;
import dev.durable.internal.model.SearchAttributes;
import dev.durable.internal.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the run a reset starts: the old run's history before the reset point, copied as it is,
 * then a {@code WorkflowTaskFailed} recording the reset and the input the new run gets again, with
 * the state that history implies (what was pending at the point is pending again).
 */
final class RunResets {
  /** The failure type of the {@code WorkflowTaskFailed} a reset records. */
  static final String RESET_FAILURE_TYPE = "dev.durable.ResetWorkflow";
  /** The identity the reset's {@code WorkflowTaskFailed} names in place of a worker's. */
  static final String IDENTITY = "reset";
  /** The attribute of the reset's failure that holds the request id of the reset, when it had one. */
  static final String REQUEST_ID = "requestId";

  private RunResets() {}

  /**
   * Returns whether {@code a} is the {@code WorkflowTaskFailed} a reset records. In a run's history
   * the last one is the record of the reset that made the run: the history copied before it may
   * hold the records of earlier resets.
   */
  static boolean isResetRecord(EventAttributes a) {
    return a instanceof EventAttributes.WorkflowTaskFailed f && IDENTITY.equals(f.identity()) && f.failure() != null
        && RESET_FAILURE_TYPE.equals(f.failure().type());
  }

  /**
   * Returns the request id of the reset that made the run whose history is {@code history}, or
   * null when no reset made it or the reset had none.
   */
  static String requestId(List<HistoryEvent> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (isResetRecord(history.get(i).attributes())) {
        return ((EventAttributes.WorkflowTaskFailed) history.get(i).attributes()).failure().attributes()
            .get(REQUEST_ID);
      }
    }
    return null;
  }

  /**
   * Returns the id of the {@code WorkflowTaskCompleted} event {@code point} names in {@code history}.
   *
   * @throws DurableException DURABLE-236 when the history has no such completed task
   */
  static long resolve(String workflowId, String runId, List<HistoryEvent> history, ResetPoint point) {
    List<Long> tasks = history.stream().filter(e -> e.attributes() instanceof EventAttributes.WorkflowTaskCompleted)
        .map(HistoryEvent::eventId).toList();
    if (tasks.isEmpty()) {
      throw new DurableException("DURABLE-236", "cannot reset workflow '" + workflowId + "': its latest run " + runId
          + " has no completed workflow task to go back to. A run whose first task keeps failing needs no reset:"
          + " deploy the fixed code and the task runs again by itself.");
    }
    switch (point.kind()) {
      case FIRST_WORKFLOW_TASK:
        return tasks.get(0);
      case LAST_WORKFLOW_TASK:
        return tasks.get(tasks.size() - 1);
      default:
        if (tasks.contains(point.eventId())) {
          return point.eventId();
        }
        String what = point.eventId() > history.size() ? "does not exist (the history has " + history.size()
            + " events)" : "is a " + history.get((int) point.eventId() - 1).eventType();
        throw new DurableException("DURABLE-236", "cannot reset workflow '" + workflowId + "' to event "
            + point.eventId() + ": it " + what + ", not a WorkflowTaskCompleted. The completed workflow tasks of run "
            + runId + " are events " + list(tasks) + " (see `durable workflow show " + workflowId + "`).");
    }
  }

  /**
   * Returns the transition that starts the run replacing {@code old}, whose whole written history
   * is {@code history}, at the completed task {@code point}. The signals the old run received after
   * the point are delivered again, then those among {@code heldBack} (events it held back for a
   * running task). The reset's record names {@code requestId}, when not null.
   *
   * @throws DurableException DURABLE-237 when a child workflow, or a signal or cancel request to
   *     another workflow, was pending at the point; DURABLE-239 when the workflow's execution
   *     timeout has passed
   */
  static Store.Transition newRun(ExecutionState old, List<HistoryEvent> history, long point, String reason,
      String requestId, List<HistoryEvent> heldBack, Instant now) {
    List<HistoryEvent> kept = history.subList(0, (int) point - 1);
    ExecutionState s = new ExecutionState();
    s.workflowId = old.workflowId;
    s.runId = RunIds.next(now);
    // It starts now, so its run timeout counts from the reset, while its execution timeout, like a
    // continued run's, counts from the chain's first start. Its start event keeps the old time.
    s.startTime = now;
    // The same parent, retry policy, schedule and attempt; it continues the old run.
    s.links = RunChains.following(old, old.links.attempt(), old.links.firstWorkflowTaskBackoff());
    s.lastParentSignalEventId = old.lastParentSignalEventId;
    s.schedulePaused = old.schedulePaused; // it does not wait for a firing, but the runs after it would
    Map<Integer, HistoryEvent> children = new TreeMap<>(); // initiated, with no outcome yet
    Map<Long, HistoryEvent> external = new TreeMap<>(); // signals and cancel requests sent, with no outcome yet
    List<Integer> cancelRequested = new ArrayList<>();
    for (HistoryEvent e : kept) {
      EventAttributes a = e.attributes();
      if (a instanceof EventAttributes.WorkflowExecutionStarted st) {
        s.workflowType = st.workflowType();
        s.taskQueue = st.taskQueue();
        s.workflowTaskTimeout = st.workflowTaskTimeout();
        s.workflowExecutionTimeout = st.workflowExecutionTimeout();
        s.workflowRunTimeout = st.workflowRunTimeout();
        if (st.searchAttributes() != null) {
          s.searchAttributes.putAll(st.searchAttributes());
        }
      } else if (a instanceof EventAttributes.WorkflowTaskCompleted) {
        s.lastCompletedTaskEventId = e.eventId();
      } else if (a instanceof EventAttributes.ActivityTaskScheduled sc) {
        s.activities.put(sc.seq(), pending(sc, e, now));
      } else if (a instanceof EventAttributes.ActivityTaskCompleted c) {
        s.activities.remove(c.seq());
      } else if (a instanceof EventAttributes.ActivityTaskFailed f) {
        s.activities.remove(f.seq());
      } else if (a instanceof EventAttributes.ActivityTaskCanceled c) {
        s.activities.remove(c.seq());
      } else if (a instanceof EventAttributes.ActivityTaskCancelRequested c) {
        cancelRequested.add(c.seq());
      } else if (a instanceof EventAttributes.TimerStarted t) {
        s.timers.put(t.seq(), t.fireAt());
      } else if (a instanceof EventAttributes.TimerFired t) {
        s.timers.remove(t.seq());
      } else if (a instanceof EventAttributes.TimerCanceled t) {
        s.timers.remove(t.seq());
      } else if (a instanceof EventAttributes.WorkflowExecutionCancelRequested) {
        s.cancelRequested = true;
      } else if (a instanceof EventAttributes.UpsertWorkflowSearchAttributes u) {
        s.searchAttributes = SearchAttributes.merge(s.searchAttributes, u.searchAttributes(), s.workflowId);
      } else if (a instanceof EventAttributes.WorkflowUpdateAccepted u) {
        s.updates.put(u.updateId(), 0L);
      } else if (a instanceof EventAttributes.WorkflowUpdateCompleted u) {
        s.updates.put(u.updateId(), e.eventId());
      } else if (a instanceof EventAttributes.StartChildWorkflowExecutionInitiated i) {
        children.put(i.seq(), e);
      } else if (a instanceof EventAttributes.StartChildWorkflowExecutionFailed f) {
        children.remove(f.seq());
      } else if (a instanceof EventAttributes.ChildOutcome o) {
        children.remove(o.seq());
      } else if (a instanceof EventAttributes.SignalExternalWorkflowExecutionInitiated
          || a instanceof EventAttributes.RequestCancelExternalWorkflowExecutionInitiated) {
        external.put(e.eventId(), e);
      } else if (a instanceof EventAttributes.ExternalOutcome o) {
        external.remove(o.initiatedEventId());
      }
    }
    if (!external.isEmpty()) {
      HistoryEvent r = external.values().iterator().next();
      throw new DurableException("DURABLE-237", "cannot reset workflow '" + old.workflowId + "' to event " + point
          + ": its request to another workflow (event " + r.eventId() + ", " + r.eventType() + ") was still being"
          + " delivered then, and a reset cannot take a delivery back. Choose a completed workflow task before"
          + " event " + r.eventId() + ", or one after its outcome was recorded.");
    }
    if (!children.isEmpty()) {
      HistoryEvent c = children.values().iterator().next();
      String child = ((EventAttributes.StartChildWorkflowExecutionInitiated) c.attributes()).workflowId();
      throw new DurableException("DURABLE-237", "cannot reset workflow '" + old.workflowId + "' to event " + point
          + ": its child workflow '" + child + "' (initiated by event " + c.eventId() + ") had not closed by then,"
          + " and a reset cannot take a child back. Choose a completed workflow task before the child was"
          + " initiated, or one after its outcome was recorded.");
    }
    Instant deadline = s.executionDeadline();
    if (deadline != null && !now.isBefore(deadline)) {
      throw new DurableException("DURABLE-239", "cannot reset workflow '" + old.workflowId + "': its workflow"
          + " execution timeout of " + s.workflowExecutionTimeout + ", counted from its first run's start at "
          + s.links.executionStartTime() + ", passed at " + deadline + ", and the new run would keep it and time out"
          + " at once. To run the workflow again, start it anew with the same id: a new start gets a new execution"
          + " timeout.");
    }
    s.nextEventId = point;
    List<HistoryEvent> events = new ArrayList<>(kept);
    String message = "reset from run " + old.runId + " at event " + point
        + (reason == null || reason.isEmpty() ? "" : ": " + reason);
    FailureInfo resetFailure = new FailureInfo(FailureInfo.WORKFLOW_TASK, RESET_FAILURE_TYPE, message, "", null, true,
        requestId == null ? Map.of() : Map.of(REQUEST_ID, requestId), null);
    events.add(new HistoryEvent(s.nextEventId++, now, new EventAttributes.WorkflowTaskFailed(1, resetFailure,
        IDENTITY)));
    // An activity whose cancellation the code asked for, with its attempt running: no attempt runs now.
    for (int seq : cancelRequested) {
      PendingActivity pa = s.activities.remove(seq);
      if (pa != null) {
        events.add(new HistoryEvent(s.nextEventId++, now, ActivityCancellation.canceled(pa, null)));
      }
    }
    for (List<HistoryEvent> from : List.of(history.subList((int) point - 1, history.size()), heldBack)) {
      for (HistoryEvent e : from) {
        if (e.attributes() instanceof EventAttributes.WorkflowExecutionSignaled) {
          events.add(new HistoryEvent(s.nextEventId++, now, e.attributes()));
        }
      }
    }
    s.workflowTaskPending = true;
    return new Store.Transition(s, events, true, true);
  }

  /**
   * The activity {@code scheduled} scheduled, pending again from its first attempt, scheduled
   * {@code now}: its schedule-to-close timeout counts from the reset, as its run's timeout does.
   */
  private static PendingActivity pending(EventAttributes.ActivityTaskScheduled scheduled, HistoryEvent e,
      Instant now) {
    PendingActivity pa = new PendingActivity();
    pa.seq = scheduled.seq();
    pa.scheduledEventId = e.eventId();
    pa.activityType = scheduled.activityType();
    pa.taskQueue = scheduled.taskQueue();
    pa.spec = scheduled.spec();
    pa.scheduledTime = now;
    pa.attemptScheduledTime = now;
    pa.input = scheduled.input();
    return pa;
  }

  private static String list(List<Long> ids) {
    if (ids.size() > 12) {
      return ids.subList(0, 6).stream().map(String::valueOf).collect(Collectors.joining(", ")) + ", ..., "
          + ids.subList(ids.size() - 3, ids.size()).stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
    return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
