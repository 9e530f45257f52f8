package dev.durable.internal.model;

import dev.durable.common.RetryOptions;
import dev.durable.internal.Deadlines;
import java.time.Duration;
import java.util.List;

/** The data form of {@link RetryOptions}, as recorded in history. */
public record RetryPolicy(
    Duration initialInterval,
    double backoffCoefficient,
    Duration maximumInterval,
    int maximumAttempts,
    List<String> doNotRetry) {

  /** Converts public options to their recorded form. */
  public static RetryPolicy of(RetryOptions o) {
    return new RetryPolicy(o.getInitialInterval(), o.getBackoffCoefficient(), o.getMaximumInterval(),
        o.getMaximumAttempts(), o.getDoNotRetry());
  }

  /** Returns the delay after the given failed attempt (1-based), capped at the maximum interval. */
  public Duration backoffAfter(int attempt) {
    double millis = Deadlines.millis(initialInterval) * Math.pow(backoffCoefficient, Math.max(0, attempt - 1));
    long capped = (long) Math.min(millis, (double) Deadlines.millis(maximumInterval));
    return Duration.ofMillis(capped);
  }

  /** Returns whether another attempt may follow the given failed attempt of a failure. */
  public boolean allowsRetry(int attempt, FailureInfo failure) {
    if (failure.nonRetryable() || doNotRetry.contains(failure.type())) {
      return false;
    }
    return maximumAttempts == 0 || attempt < maximumAttempts;
  }
}
