package dev.durable.failure;

/** The run was terminated by a client; reported to whoever waits for its result. */
public final class TerminatedFailure extends DurableFailure {
  /**
   * Creates the failure.
   *
   * @param reason the reason given to terminate
   */
  public TerminatedFailure(String reason) {
    super("terminated: " + reason, reason, null);
  }
}
