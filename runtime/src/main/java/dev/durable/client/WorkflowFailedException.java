package dev.durable.client;

import dev.durable.common.DurableException;

/**
 * The workflow whose result was asked for did not complete: it failed, was canceled or was
 * terminated. {@link #getCause()} is the whole failure chain, rebuilt from the history
 * (for example an {@link dev.durable.failure.ActivityFailure} caused by an
 * {@link dev.durable.failure.ApplicationFailure}).
 */
public final class WorkflowFailedException extends DurableException {
  private final WorkflowExecution execution;
  private final WorkflowStatus status;

  /**
   * Creates the exception.
   *
   * @param execution the run
   * @param workflowType its type
   * @param status how it closed
   * @param cause the failure chain
   */
  public WorkflowFailedException(WorkflowExecution execution, String workflowType, WorkflowStatus status, Throwable cause) {
    super("DURABLE-211", "workflow '" + execution.workflowId() + "' (run " + execution.runId() + ", " + workflowType
        + ") ended " + status + (cause == null ? "" : ": " + cause.getMessage()), cause);
    this.execution = execution;
    this.status = status;
  }

  /** Returns the run that failed. */
  public WorkflowExecution getExecution() {
    return execution;
  }

  /** Returns how the run closed: FAILED, CANCELED, TERMINATED or TIMED_OUT. */
  public WorkflowStatus getStatus() {
    return status;
  }
}
