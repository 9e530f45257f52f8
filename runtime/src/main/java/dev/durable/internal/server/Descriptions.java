package dev.durable.internal.server;

import dev.durable.client.PendingActivityInfo;
import dev.durable.client.PendingChildInfo;
import dev.durable.client.WorkflowDescription;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.model.PendingChild;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the public description of a run from its mutable state. */
final class Descriptions {
  private Descriptions() {}

  static WorkflowDescription of(ExecutionState s, Instant now) {
    List<PendingActivityInfo> activities = new ArrayList<>();
    for (PendingActivity pa : s.activities.values()) {
      // A running attempt the workflow asked to stop: it learns so at its next heartbeat.
      String state = pa.cancelRequested ? "CANCEL_REQUESTED"
          : pa.awaitingCompletionSince != null && PendingActivity.STARTED.equals(pa.state) ? "AWAITING_COMPLETION"
          : pa.state;
      activities.add(new PendingActivityInfo(pa.activityType, Integer.toString(pa.seq), state, pa.attempt,
          pa.scheduledTime, pa.lastHeartbeatTime, pa.nextAttemptTime,
          pa.lastFailure == null ? null : pa.lastFailure.summary()));
    }
    String lastTaskFailure = s.lastWorkflowTaskFailure == null ? null : s.lastWorkflowTaskFailure.message();
    List<PendingChildInfo> children = new ArrayList<>();
    for (PendingChild c : s.children.values()) {
      children.add(new PendingChildInfo(c.workflowId, c.workflowType, c.runId, c.state));
    }
    return new WorkflowDescription(s.workflowId, s.runId, s.workflowType, s.taskQueue, s.status, s.startTime,
        s.closeTime, s.nextEventId - 1, List.copyOf(activities), s.workflowTaskAttempt, lastTaskFailure,
        dev.durable.internal.model.SearchAttributes.toJava(s.searchAttributes),
        s.links.parentWorkflowId(), s.links.parentRunId(), s.links.continuedFromRunId(), s.links.attempt(),
        List.copyOf(children), s.links.cronSchedule(), s.firstTaskAt, s.schedulePaused);
  }
}
