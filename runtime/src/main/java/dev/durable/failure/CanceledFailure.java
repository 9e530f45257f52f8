package dev.durable.failure;

/**
 * Thrown at a workflow's next blocking call after a client canceled it, or after the
 * {@link dev.durable.workflow.CancellationScope} the call runs in was canceled. A workflow method
 * that lets it propagate ends the run as canceled. In an activity, {@code heartbeat()} throws it
 * once the workflow asked to cancel the activity: stop, clean up, and let it propagate (that
 * acknowledges the cancellation).
 */
public final class CanceledFailure extends DurableFailure {
  /**
   * Creates the failure.
   *
   * @param message why it was canceled
   */
  public CanceledFailure(String message) {
    this(message, null);
  }

  /**
   * Creates the failure with a cause, such as how a canceled activity's last attempt ended.
   *
   * @param message why it was canceled
   * @param cause what ended with the cancellation, or null
   */
  public CanceledFailure(String message, Throwable cause) {
    super("canceled: " + message, message, cause);
  }
}
