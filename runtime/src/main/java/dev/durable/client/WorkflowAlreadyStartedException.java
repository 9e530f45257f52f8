package dev.durable.client;

import dev.durable.common.DurableException;

/** A workflow was started with the id of a run that is still running (code DURABLE-208). */
public final class WorkflowAlreadyStartedException extends DurableException {
  private final WorkflowExecution running;

  /**
   * Creates the exception.
   *
   * @param running the run that holds the id
   * @param workflowType its type
   */
  public WorkflowAlreadyStartedException(WorkflowExecution running, String workflowType) {
    super("DURABLE-208", "workflow id '" + running.workflowId() + "' is already running (run " + running.runId()
        + ", " + workflowType + "). Wait for it with getResult(), or pick another workflow id.");
    this.running = running;
  }

  /** Returns the run that holds the id. */
  public WorkflowExecution getRunningExecution() {
    return running;
  }
}
