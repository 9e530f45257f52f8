package dev.durable.client;

import dev.durable.common.DurableException;

/**
 * A start was refused because of the workflow id's earlier use: a run with the id is still
 * running (code DURABLE-208), or its latest run closed and the start's
 * {@link WorkflowIdReusePolicy} does not allow the id again (code DURABLE-226).
 */
public final class WorkflowAlreadyStartedException extends DurableException {
  private final WorkflowExecution running;

  /**
   * Creates the exception for an id whose run is still running (DURABLE-208).
   *
   * @param running the run that holds the id
   * @param workflowType its type
   */
  public WorkflowAlreadyStartedException(WorkflowExecution running, String workflowType) {
    super("DURABLE-208", "workflow id '" + running.workflowId() + "' is already running (run " + running.runId()
        + ", " + workflowType + "). Wait for it with getResult(), or pick another workflow id.");
    this.running = running;
  }

  /**
   * Creates the exception for an id whose latest run closed, when the reuse policy forbids
   * starting it again (DURABLE-226).
   *
   * @param last the latest run of the id
   * @param workflowType its type
   * @param status how it closed
   * @param policy the policy of the refused start
   */
  public WorkflowAlreadyStartedException(WorkflowExecution last, String workflowType, WorkflowStatus status,
      WorkflowIdReusePolicy policy) {
    super("DURABLE-226", "workflow id '" + last.workflowId() + "' was already used (run " + last.runId() + ", "
        + workflowType + ", " + status + ") and the start's id reuse policy " + policy + " does not allow it again"
        + (policy == WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY ? " after a COMPLETED run" : "")
        + ". Read its result with getResult(), pick another workflow id, or start with another policy.");
    this.running = last;
  }

  /**
   * Recreates the exception a standalone server reported, with its code and message as the
   * server wrote them.
   *
   * @param code DURABLE-208 or DURABLE-226
   * @param message the message without its code
   * @param run the run that holds the id
   */
  public WorkflowAlreadyStartedException(String code, String message, WorkflowExecution run) {
    super(code, message);
    this.running = run;
  }

  /**
   * Returns the run that holds the id: the running run for DURABLE-208, the latest (closed) run
   * for DURABLE-226.
   */
  public WorkflowExecution getRunningExecution() {
    return running;
  }
}
