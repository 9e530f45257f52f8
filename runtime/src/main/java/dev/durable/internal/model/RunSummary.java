package dev.durable.internal.model;

import dev.durable.client.WorkflowStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What listing needs to know about a run: the fields filters look at. Stores keep it next to
 * their indexes, so that a filter is checked without reading the run's whole state or history.
 *
 * @param workflowId the workflow id
 * @param runId the run id
 * @param workflowType the workflow type
 * @param taskQueue the task queue
 * @param status the status
 * @param startTime when the run started
 * @param closeTime when it closed, or null while it runs
 * @param searchAttributes its search attributes, by name
 */
public record RunSummary(
    String workflowId,
    String runId,
    String workflowType,
    String taskQueue,
    WorkflowStatus status,
    Instant startTime,
    Instant closeTime,
    Map<String, SearchAttributeValue> searchAttributes) {

  /** Creates the summary; the attributes are copied and sorted. */
  public RunSummary {
    searchAttributes = searchAttributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(searchAttributes));
  }

  /**
   * Compares every component, as a record's generated equals does, but in plain code: the
   * generated one goes through method handles, costly before the JIT has compiled them, and the
   * store compares summaries at every write.
   */
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof RunSummary r && Objects.equals(runId, r.runId) && status == r.status
        && Objects.equals(closeTime, r.closeTime) && Objects.equals(workflowId, r.workflowId)
        && Objects.equals(workflowType, r.workflowType) && Objects.equals(taskQueue, r.taskQueue)
        && Objects.equals(startTime, r.startTime) && searchAttributes.equals(r.searchAttributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(workflowId, runId, workflowType, taskQueue, status, startTime, closeTime, searchAttributes);
  }

  /** Returns the summary of a run's state. */
  public static RunSummary of(ExecutionState s) {
    return new RunSummary(s.workflowId, s.runId, s.workflowType, s.taskQueue, s.status, s.startTime, s.closeTime,
        s.searchAttributes);
  }
}
