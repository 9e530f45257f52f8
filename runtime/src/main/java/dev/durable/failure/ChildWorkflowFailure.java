package dev.durable.failure;

/**
 * Thrown in a parent workflow when a child workflow failed, was canceled, terminated, timed out,
 * or could not be started. {@link #getCause()} says why: an {@link ApplicationFailure} (the
 * child's own failure, or type {@code dev.durable.client.WorkflowAlreadyStartedException} when
 * its id was taken), a {@link TimeoutFailure}, a {@link CanceledFailure} or a
 * {@link TerminatedFailure}.
 */
public final class ChildWorkflowFailure extends DurableFailure {
  private final String workflowId;
  private final String runId;
  private final String workflowType;

  /**
   * Creates the failure.
   *
   * @param workflowId the child's workflow id
   * @param runId the child's last run, or null when it did not start
   * @param workflowType the child's workflow type
   * @param cause why it failed
   */
  public ChildWorkflowFailure(String workflowId, String runId, String workflowType, Throwable cause) {
    super("Child workflow " + workflowType + " (id '" + workflowId + "'" + (runId == null ? "" : ", run " + runId)
        + ") failed" + (cause == null ? "" : ": " + cause.getMessage()), "child workflow failed", cause);
    this.workflowId = workflowId;
    this.runId = runId;
    this.workflowType = workflowType;
  }

  /** Returns the child's workflow id. */
  public String getWorkflowId() {
    return workflowId;
  }

  /** Returns the child's last run id, or null when it was not started. */
  public String getRunId() {
    return runId;
  }

  /** Returns the child's workflow type. */
  public String getWorkflowType() {
    return workflowType;
  }
}
