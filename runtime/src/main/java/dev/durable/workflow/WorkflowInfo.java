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
 * @param attempt the attempt of this run, from 1; always 1 while workflows are not retried
 * @param startTime when the server started the run (the time of its {@code WorkflowExecutionStarted} event)
 * @param searchAttributes the run's search attributes by name, as set when it started and by
 *     {@link Workflow#upsertSearchAttributes} so far; unmodifiable
 */
public record WorkflowInfo(
    String workflowId, String runId, String workflowType, String taskQueue, int attempt, Instant startTime,
    Map<String, Object> searchAttributes) {

  /** Creates the facts; the search attributes are copied (null means none). */
  public WorkflowInfo {
    searchAttributes = searchAttributes == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(searchAttributes));
  }

  /** Facts about a run without search attributes. */
  public WorkflowInfo(String workflowId, String runId, String workflowType, String taskQueue, int attempt,
      Instant startTime) {
    this(workflowId, runId, workflowType, taskQueue, attempt, startTime, Map.of());
  }
}
