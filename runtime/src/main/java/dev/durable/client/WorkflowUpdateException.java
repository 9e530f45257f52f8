package dev.durable.client;

import dev.durable.common.DurableException;

/**
 * An update did not produce a result: its validator rejected it (DURABLE-241; nothing was
 * recorded), its handler threw (DURABLE-243; {@link #getCause()} is the failure), the workflow
 * has no such update (DURABLE-240), the workflow closed before the handler finished or was closed
 * already (DURABLE-242), or no worker validated it in time (DURABLE-244).
 */
public final class WorkflowUpdateException extends DurableException {
  private final String workflowId;
  private final String updateName;
  private final String updateId;

  /**
   * Creates the exception.
   *
   * @param code the DURABLE code
   * @param workflowId the workflow the update was sent to
   * @param updateName the update's name
   * @param updateId the update's id
   * @param message what happened and what to do
   * @param cause the validator's or handler's failure, or null
   */
  public WorkflowUpdateException(String code, String workflowId, String updateName, String updateId, String message,
      Throwable cause) {
    super(code, message, cause);
    this.workflowId = workflowId;
    this.updateName = updateName;
    this.updateId = updateId;
  }

  /** Returns the id of the workflow the update was sent to. */
  public String getWorkflowId() {
    return workflowId;
  }

  /** Returns the update's name. */
  public String getUpdateName() {
    return updateName;
  }

  /** Returns the update's id. */
  public String getUpdateId() {
    return updateId;
  }
}
