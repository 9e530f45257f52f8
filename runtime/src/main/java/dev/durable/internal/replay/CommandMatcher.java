package dev.durable.internal.replay;

import dev.durable.internal.model.Command;
import dev.durable.internal.model.EventAttributes;

/** Decides whether a command produced on replay is the one history recorded at that position. */
final class CommandMatcher {
  private CommandMatcher() {}

  static boolean matches(Command c, EventAttributes e) {
    if (c instanceof Command.ScheduleActivity a && e instanceof EventAttributes.ActivityTaskScheduled s) {
      return a.seq() == s.seq() && a.activityType().equals(s.activityType());
    }
    if (c instanceof Command.StartTimer t && e instanceof EventAttributes.TimerStarted s) {
      return t.seq() == s.seq();
    }
    if (c instanceof Command.CancelTimer t && e instanceof EventAttributes.TimerCanceled s) {
      return t.seq() == s.seq();
    }
    if (c instanceof Command.RecordMarker r && e instanceof EventAttributes.MarkerRecorded m) {
      return r.markerName().equals(m.markerName()) && r.markerId().equals(m.markerId());
    }
    if (c instanceof Command.StartChildWorkflow sc && e instanceof EventAttributes.StartChildWorkflowExecutionInitiated i) {
      return sc.seq() == i.seq() && sc.workflowType().equals(i.workflowType()) && sc.workflowId().equals(i.workflowId());
    }
    if (c instanceof Command.SignalChild sc && e instanceof EventAttributes.SignalChildWorkflowExecutionInitiated si) {
      return sc.seq() == si.seq() && sc.signalName().equals(si.signalName());
    }
    if (c instanceof Command.RequestCancelChild r && e instanceof EventAttributes.ChildWorkflowCancelRequested q) {
      return r.seq() == q.seq();
    }
    if (c instanceof Command.SignalExternal se
        && e instanceof EventAttributes.SignalExternalWorkflowExecutionInitiated si) {
      return se.seq() == si.seq() && se.signalName().equals(si.signalName()) && se.workflowId().equals(si.workflowId())
          && java.util.Objects.equals(se.runId(), si.runId());
    }
    if (c instanceof Command.RequestCancelExternal r
        && e instanceof EventAttributes.RequestCancelExternalWorkflowExecutionInitiated q) {
      return r.seq() == q.seq() && r.workflowId().equals(q.workflowId()) && java.util.Objects.equals(r.runId(), q.runId());
    }
    if (c instanceof Command.UpsertSearchAttributes u && e instanceof EventAttributes.UpsertWorkflowSearchAttributes r) {
      // The names, not the values: the recorded values are what was indexed, and a value computed
      // differently on replay does not change what the code does next.
      return u.attributes().keySet().equals(r.searchAttributes().keySet());
    }
    if (c instanceof Command.RequestCancelActivity r && e instanceof EventAttributes.ActivityTaskCancelRequested q) {
      return r.seq() == q.seq();
    }
    if (c instanceof Command.CompleteUpdate u && e instanceof EventAttributes.WorkflowUpdateCompleted d) {
      return u.updateId().equals(d.updateId());
    }
    return (c instanceof Command.CompleteWorkflow && e instanceof EventAttributes.WorkflowExecutionCompleted)
        || (c instanceof Command.ContinueAsNew && e instanceof EventAttributes.WorkflowExecutionContinuedAsNew)
        || (c instanceof Command.FailWorkflow && e instanceof EventAttributes.WorkflowExecutionFailed)
        || (c instanceof Command.CancelWorkflow && e instanceof EventAttributes.WorkflowExecutionCanceled);
  }

  /** A short description of a command event for error messages. */
  static String summary(EventAttributes e) {
    if (e instanceof EventAttributes.ActivityTaskScheduled s) {
      return " activity=" + s.activityType() + " (id " + s.seq() + ")";
    }
    if (e instanceof EventAttributes.TimerStarted s) {
      return " timer " + s.seq() + " for " + s.duration();
    }
    if (e instanceof EventAttributes.TimerCanceled s) {
      return " timer " + s.seq();
    }
    if (e instanceof EventAttributes.StartChildWorkflowExecutionInitiated i) {
      return " child workflow " + i.workflowType() + " with id '" + i.workflowId() + "' (seq " + i.seq() + ")";
    }
    if (e instanceof EventAttributes.SignalExternalWorkflowExecutionInitiated i) {
      return " signal '" + i.signalName() + "' to workflow '" + i.workflowId() + "' (seq " + i.seq() + ")";
    }
    if (e instanceof EventAttributes.RequestCancelExternalWorkflowExecutionInitiated i) {
      return " cancel request to workflow '" + i.workflowId() + "' (seq " + i.seq() + ")";
    }
    if (e instanceof EventAttributes.UpsertWorkflowSearchAttributes u) {
      return " " + u.searchAttributes().keySet();
    }
    if (e instanceof EventAttributes.ActivityTaskCancelRequested q) {
      return " activity " + q.seq();
    }
    if (e instanceof EventAttributes.WorkflowUpdateCompleted d) {
      return " update '" + d.updateId() + "'";
    }
    if (e instanceof EventAttributes.MarkerRecorded m && "SignalDropped".equals(m.markerName())) {
      return " SignalDropped '" + m.markerId() + "' (the code that ran then had no handler for this signal)";
    }
    if (e instanceof EventAttributes.MarkerRecorded m) {
      return " " + m.markerName() + " '" + m.markerId() + "'";
    }
    return "";
  }
}
