package dev.durable.workflow;

import java.time.Instant;
import java.util.Map;

/**
 * Facts about the running workflow, from {@link Workflow#getInfo()}. They are the same on every
 * replay, so workflow code may branch on them.
 *
 * @param workflowId the workflow id
 * @param runId the id of this run
 * @param workflowType the workflow type name
 * @param taskQueue the task queue of its workflow tasks
 * @param attempt the attempt of this run, from 1; above 1 when the run retries a failed one
 *     ({@code WorkflowOptions.Builder.setRetryOptions})
 * @param startTime when the server started the run (the time of its {@code WorkflowExecutionStarted}
 *     event); in a run a reset made, the start time of the run it replaced (see
 *     {@code continuedFromRunId}), while {@code WorkflowStub.describe()} shows the reset's time
 * @param searchAttributes the run's search attributes by name, as set when it started and by
 *     {@link Workflow#upsertSearchAttributes} so far; unmodifiable
 * @param continuedFromRunId the run this one continues (after {@link Workflow#continueAsNew} or a
 *     retry), or null for the first run of the workflow id. A run a reset made
 *     ({@code WorkflowStub.reset}) keeps the start event of the run it replaced, since its history
 *     before the reset point is copied as it is, so its code sees the value the replaced run saw,
 *     not the replaced run's id: the code before the point made its decisions with that value, and
 *     replaying them must see the same. {@code WorkflowStub.describe()} names the replaced run.
 * @param parentWorkflowId the parent's workflow id when this is a child workflow, else null
 * @param parentRunId the parent's run id when this is a child workflow, else null
 * @param historyLength the number of events in the run's history as the code sees it now (at the
 *     start of the current workflow task; the same on replay): compare it with a bound to decide
 *     when to {@link Workflow#continueAsNew}
 * @param cronSchedule the cron schedule this run belongs to
 *     ({@code WorkflowOptions.Builder.setCronSchedule}), or null
 */
public record WorkflowInfo(
    String workflowId, String runId, String workflowType, String taskQueue, int attempt, Instant startTime,
    Map<String, Object> searchAttributes, String continuedFromRunId, String parentWorkflowId, String parentRunId,
    long historyLength, String cronSchedule) {

  /** Creates the facts; the search attributes are copied (null means none). */
  public WorkflowInfo {
    searchAttributes = searchAttributes == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(searchAttributes));
  }

  /** Facts of a run without a cron schedule. */
  public WorkflowInfo(String workflowId, String runId, String workflowType, String taskQueue, int attempt,
      Instant startTime, Map<String, Object> searchAttributes, String continuedFromRunId, String parentWorkflowId,
      String parentRunId, long historyLength) {
    this(workflowId, runId, workflowType, taskQueue, attempt, startTime, searchAttributes, continuedFromRunId,
        parentWorkflowId, parentRunId, historyLength, null);
  }

  /** Facts of a first, top-level run. */
  public WorkflowInfo(String workflowId, String runId, String workflowType, String taskQueue, int attempt,
      Instant startTime, Map<String, Object> searchAttributes) {
    this(workflowId, runId, workflowType, taskQueue, attempt, startTime, searchAttributes, null, null, null, 0);
  }

  /** Facts of a first, top-level run without search attributes. */
  public WorkflowInfo(String workflowId, String runId, String workflowType, String taskQueue, int attempt,
      Instant startTime) {
    this(workflowId, runId, workflowType, taskQueue, attempt, startTime, Map.of());
  }
}
