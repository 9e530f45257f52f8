package dev.durable.failure;

/**
 * Thrown at a workflow's next blocking call after a client canceled it. A workflow method that
 * lets it propagate ends the run as canceled.
 */
public final class CanceledFailure extends DurableFailure {
  /**
   * Creates the failure.
   *
   * @param message why it was canceled
   */
  public CanceledFailure(String message) {
    super("canceled: " + message, message, null);
  }
}
