package dev.durable.activity;

/**
 * What canceling the cancellation scope an activity was scheduled in does (see
 * {@code dev.durable.workflow.CancellationScope}). Whichever is chosen, the workflow code sees an
 * {@code ActivityFailure} whose cause is a {@code CanceledFailure} unless the activity finished
 * first.
 */
public enum ActivityCancellationType {
  /**
   * Asks the server to cancel the activity and fails the workflow's wait at once, without waiting
   * for the activity to stop. A running attempt learns it at its next heartbeat (which throws
   * {@code CanceledFailure}). The default.
   */
  TRY_CANCEL,
  /**
   * Asks the server to cancel the activity and waits until it has stopped: until the running
   * attempt acknowledges (its heartbeat threw and it ended), or at once if no attempt runs. An
   * activity that completes anyway returns its result.
   */
  WAIT_CANCELLATION_COMPLETED,
  /** Fails the workflow's wait at once and leaves the activity running; nothing is recorded. */
  ABANDON
}
