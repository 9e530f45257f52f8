package dev.durable.client;

import dev.durable.common.DurableException;

/** A query could not be answered: unknown name, a failing handler, or no worker answered (DURABLE-209). */
public final class WorkflowQueryException extends DurableException {
  /**
   * Creates the exception.
   *
   * @param message names the workflow, the query and the reason
   * @param cause the handler's failure, or null
   */
  public WorkflowQueryException(String message, Throwable cause) {
    super("DURABLE-209", message, cause);
  }
}
