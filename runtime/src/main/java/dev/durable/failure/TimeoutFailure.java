package dev.durable.failure;

/** A timeout was hit; {@link #getTimeoutType()} says which. */
public final class TimeoutFailure extends DurableFailure {
  private final TimeoutType timeoutType;

  /**
   * Creates the failure.
   *
   * @param message what timed out
   * @param timeoutType which limit was hit
   */
  public TimeoutFailure(String message, TimeoutType timeoutType) {
    super(timeoutType + " timeout: " + message, message, null);
    this.timeoutType = timeoutType;
  }

  /** Returns which limit was hit. */
  public TimeoutType getTimeoutType() {
    return timeoutType;
  }
}
