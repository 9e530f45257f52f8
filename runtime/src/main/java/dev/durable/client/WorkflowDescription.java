package dev.durable.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the server knows about a workflow run, as returned by {@link WorkflowStub#describe()}.
 *
 * @param workflowId the workflow id
 * @param runId the run id
 * @param workflowType the workflow type name
 * @param taskQueue the task queue its workflow tasks go to
 * @param status the run's status
 * @param startTime when the run started; for a run a reset made ({@link WorkflowStub#reset}), the time
 *     of the reset, from which its workflow run timeout counts
 * @param closeTime when it closed, or null while running
 * @param historyLength the number of events in its history
 * @param pendingActivities the activities it waits for
 * @param workflowTaskAttempt the attempt of the current workflow task; above 1 means it failed
 * @param lastWorkflowTaskFailure the last workflow task failure (code, message and source line),
 *     or null when the last workflow task did not fail
 * @param searchAttributes the run's search attributes by name (values are {@code String},
 *     {@code Long}, {@code Double}, {@code Boolean}, {@code Instant} or {@code List<String>});
 *     unmodifiable
 * @param parentWorkflowId the parent's workflow id when this is a child workflow, else null
 * @param parentRunId the parent's run id when this is a child workflow, else null
 * @param continuedFromRunId the run this one continues (continue-as-new, a retry, or the run a reset
 *     replaced), or null
 * @param attempt the attempt of this run, from 1 (above 1 for a workflow retry)
 * @param pendingChildren the child workflows it has started and waits for
 * @param cronSchedule the cron schedule that starts the workflow's runs, or null for none
 * @param executionTime when the run's code starts (or started): its start time, or later for a
 *     run that waits for its cron schedule to fire or for a retry's backoff
 * @param schedulePaused whether the cron schedule is paused ({@link WorkflowStub#pauseSchedule}):
 *     a run waiting for its firing does not start until the schedule is resumed
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
    String lastWorkflowTaskFailure,
    Map<String, Object> searchAttributes,
    String parentWorkflowId,
    String parentRunId,
    String continuedFromRunId,
    int attempt,
    List<PendingChildInfo> pendingChildren,
    String cronSchedule,
    Instant executionTime,
    boolean schedulePaused) {

  /** Creates the description; the search attributes and pending children are copied (null means none). */
  public WorkflowDescription {
    searchAttributes = searchAttributes == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(searchAttributes));
    pendingChildren = pendingChildren == null ? List.of() : List.copyOf(pendingChildren);
    executionTime = executionTime == null ? startTime : executionTime;
  }

  /** A description of a run whose cron schedule, if any, is not paused. */
  public WorkflowDescription(String workflowId, String runId, String workflowType, String taskQueue,
      WorkflowStatus status, Instant startTime, Instant closeTime, long historyLength,
      List<PendingActivityInfo> pendingActivities, int workflowTaskAttempt, String lastWorkflowTaskFailure,
      Map<String, Object> searchAttributes, String parentWorkflowId, String parentRunId, String continuedFromRunId,
      int attempt, List<PendingChildInfo> pendingChildren, String cronSchedule, Instant executionTime) {
    this(workflowId, runId, workflowType, taskQueue, status, startTime, closeTime, historyLength, pendingActivities,
        workflowTaskAttempt, lastWorkflowTaskFailure, searchAttributes, parentWorkflowId, parentRunId,
        continuedFromRunId, attempt, pendingChildren, cronSchedule, executionTime, false);
  }

  /** A description of a run without a cron schedule whose code started with it. */
  public WorkflowDescription(String workflowId, String runId, String workflowType, String taskQueue,
      WorkflowStatus status, Instant startTime, Instant closeTime, long historyLength,
      List<PendingActivityInfo> pendingActivities, int workflowTaskAttempt, String lastWorkflowTaskFailure,
      Map<String, Object> searchAttributes, String parentWorkflowId, String parentRunId, String continuedFromRunId,
      int attempt, List<PendingChildInfo> pendingChildren) {
    this(workflowId, runId, workflowType, taskQueue, status, startTime, closeTime, historyLength, pendingActivities,
        workflowTaskAttempt, lastWorkflowTaskFailure, searchAttributes, parentWorkflowId, parentRunId,
        continuedFromRunId, attempt, pendingChildren, null, null, false);
  }

  /** A description of a first, top-level run without children. */
  public WorkflowDescription(String workflowId, String runId, String workflowType, String taskQueue,
      WorkflowStatus status, Instant startTime, Instant closeTime, long historyLength,
      List<PendingActivityInfo> pendingActivities, int workflowTaskAttempt, String lastWorkflowTaskFailure,
      Map<String, Object> searchAttributes) {
    this(workflowId, runId, workflowType, taskQueue, status, startTime, closeTime, historyLength, pendingActivities,
        workflowTaskAttempt, lastWorkflowTaskFailure, searchAttributes, null, null, null, 1, List.of());
  }

  /** A description of a first, top-level run without children or search attributes. */
  public WorkflowDescription(String workflowId, String runId, String workflowType, String taskQueue,
      WorkflowStatus status, Instant startTime, Instant closeTime, long historyLength,
      List<PendingActivityInfo> pendingActivities, int workflowTaskAttempt, String lastWorkflowTaskFailure) {
    this(workflowId, runId, workflowType, taskQueue, status, startTime, closeTime, historyLength, pendingActivities,
        workflowTaskAttempt, lastWorkflowTaskFailure, Map.of(), null, null, null, 1, List.of());
  }

  /** Returns whether the run is closed (completed, failed, canceled, terminated or timed out). */
  public boolean isClosed() {
    return status.isClosed();
  }
}
