package dev.durable.failure;

/**
 * Thrown in workflow code when an activity failed for good: retries were exhausted or not
 * allowed, or it timed out. {@link #getCause()} says why (an {@link ApplicationFailure},
 * {@link TimeoutFailure} or {@link CanceledFailure}).
 */
public final class ActivityFailure extends DurableFailure {
  private final String activityType;
  private final String activityId;
  private final int attempt;

  /**
   * Creates the failure.
   *
   * @param activityType the activity type
   * @param activityId the activity's id in the run
   * @param attempt the last attempt
   * @param cause why it failed
   */
  public ActivityFailure(String activityType, String activityId, int attempt, Throwable cause) {
    super("Activity " + activityType + " (id " + activityId + ") failed after " + attempt
        + (attempt == 1 ? " attempt" : " attempts") + (cause == null ? "" : ": " + cause.getMessage()),
        "activity failed", cause);
    this.activityType = activityType;
    this.activityId = activityId;
    this.attempt = attempt;
  }

  /** Returns the activity type. */
  public String getActivityType() {
    return activityType;
  }

  /** Returns the activity's id within the run. */
  public String getActivityId() {
    return activityId;
  }

  /** Returns the number of the last attempt. */
  public int getAttempt() {
    return attempt;
  }
}
