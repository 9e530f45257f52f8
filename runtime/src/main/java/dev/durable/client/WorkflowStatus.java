package dev.durable.client;

/** The state of a workflow run. Every state but {@link #RUNNING} is closed and final. */
public enum WorkflowStatus {
  /** The run is in progress. */
  RUNNING,
  /** The workflow method returned; the result is stored. */
  COMPLETED,
  /** The workflow method threw a failure; it is stored. */
  FAILED,
  /** The run was canceled and the workflow method ended with a cancellation. */
  CANCELED,
  /** The run was terminated by a client; no workflow code ran after that. */
  TERMINATED,
  /**
   * The run passed its workflow execution or run timeout; the server closed it and no more
   * workflow code ran (see {@link WorkflowOptions.Builder#setWorkflowExecutionTimeout}).
   */
  TIMED_OUT,
  /**
   * The run ended by continuing as new ({@code Workflow.continueAsNew}): a new run with the same
   * workflow id carries on, and {@code getResult} follows it.
   */
  CONTINUED_AS_NEW;

  /** Returns whether the run is closed. */
  public boolean isClosed() {
    return this != RUNNING;
  }
}
