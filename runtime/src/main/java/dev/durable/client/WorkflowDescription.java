package dev.durable.client;

import java.time.Instant;
import java.util.List;

/**
 * What the server knows about a workflow run, as returned by {@link WorkflowStub#describe()}.
 *
 * @param workflowId the workflow id
 * @param runId the run id
 * @param workflowType the workflow type name
 * @param taskQueue the task queue its workflow tasks go to
 * @param status the run's status
 * @param startTime when the run started
 * @param closeTime when it closed, or null while running
 * @param historyLength the number of events in its history
 * @param pendingActivities the activities it waits for
 * @param workflowTaskAttempt the attempt of the current workflow task; above 1 means it failed
 * @param lastWorkflowTaskFailure the last workflow task failure (code, message and source line),
 *     or null when the last workflow task did not fail
 */
public record WorkflowDescription(
    String workflowId,
    String runId,
    String workflowType,
    String taskQueue,
    WorkflowStatus status,
    Instant startTime,
    Instant closeTime,
    long historyLength,
    List<PendingActivityInfo> pendingActivities,
    int workflowTaskAttempt,
    String lastWorkflowTaskFailure) {

  /** Returns whether the run is closed (completed, failed, canceled, terminated or timed out). */
  public boolean isClosed() {
    return status.isClosed();
  }
}
