package dev.durable.client;

import dev.durable.common.DurableException;

/** No workflow with the given id exists, or it is closed where a running one was needed (DURABLE-207). */
public final class WorkflowNotFoundException extends DurableException {
  /**
   * Creates the exception.
   *
   * @param message names the workflow id and what was attempted
   */
  public WorkflowNotFoundException(String message) {
    super("DURABLE-207", message);
  }
}
