package dev.durable.activity;

import dev.durable.common.RetryOptions;
import dev.durable.internal.Checks;
import java.time.Duration;

/**
 * How the local activities of one stub run ({@code Workflow.newLocalActivityStub}): timeouts and
 * retries. A local activity runs in the worker, inside the workflow task that calls it, so keep it
 * short: well under the workflow task timeout (10 s by default).
 *
 * <p>At least one of {@code startToCloseTimeout} (one attempt) and {@code scheduleToCloseTimeout}
 * (all attempts) is required. Retries use {@link RetryOptions} (default: unlimited attempts, 1 s
 * initial interval, doubling); a backoff shorter than {@link #getLocalRetryThreshold()} is waited
 * out in the worker, a longer one becomes a durable workflow timer.
 */
public final class LocalActivityOptions {
  private final Duration scheduleToCloseTimeout;
  private final Duration startToCloseTimeout;
  private final RetryOptions retryOptions;
  private final Duration localRetryThreshold;

  private LocalActivityOptions(Builder b) {
    this.scheduleToCloseTimeout = b.scheduleToCloseTimeout;
    this.startToCloseTimeout = b.startToCloseTimeout;
    this.retryOptions = b.retryOptions != null ? b.retryOptions : RetryOptions.getDefaultInstance();
    this.localRetryThreshold = b.localRetryThreshold;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the limit for all attempts together, backoffs included, or null. */
  public Duration getScheduleToCloseTimeout() {
    return scheduleToCloseTimeout;
  }

  /** Returns the limit for one attempt, or null (then the schedule-to-close timeout limits it). */
  public Duration getStartToCloseTimeout() {
    return startToCloseTimeout;
  }

  /** Returns the retry options. */
  public RetryOptions getRetryOptions() {
    return retryOptions;
  }

  /**
   * Returns the longest backoff waited out in the worker, within the workflow task; a longer one
   * ends the task with the attempt's failure recorded and a durable timer for the next attempt.
   */
  public Duration getLocalRetryThreshold() {
    return localRetryThreshold;
  }

  /** Builds {@link LocalActivityOptions}; {@link #build()} rejects invalid values. */
  public static final class Builder {
    private Duration scheduleToCloseTimeout;
    private Duration startToCloseTimeout;
    private RetryOptions retryOptions;
    private Duration localRetryThreshold = Duration.ofSeconds(1);

    private Builder() {}

    /** Sets the limit for all attempts together, backoffs included. */
    public Builder setScheduleToCloseTimeout(Duration timeout) {
      this.scheduleToCloseTimeout = timeout;
      return this;
    }

    /** Sets the limit for one attempt; an attempt that takes longer fails with a timeout and may be retried. */
    public Builder setStartToCloseTimeout(Duration timeout) {
      this.startToCloseTimeout = timeout;
      return this;
    }

    /** Sets the retry options (initial interval, coefficient, maximum attempts, doNotRetry types). */
    public Builder setRetryOptions(RetryOptions retryOptions) {
      this.retryOptions = retryOptions;
      return this;
    }

    /** Sets the longest backoff waited out inside the workflow task (default 1 s); longer ones use a workflow timer. */
    public Builder setLocalRetryThreshold(Duration threshold) {
      this.localRetryThreshold = threshold;
      return this;
    }

    /** Validates the values and builds the options. */
    public LocalActivityOptions build() {
      Checks.positiveOrNull("scheduleToCloseTimeout", scheduleToCloseTimeout);
      Checks.positiveOrNull("startToCloseTimeout", startToCloseTimeout);
      Checks.positive("localRetryThreshold", localRetryThreshold);
      if (scheduleToCloseTimeout == null && startToCloseTimeout == null) {
        throw Checks.invalid("LocalActivityOptions needs startToCloseTimeout (the limit for one attempt) "
            + "or scheduleToCloseTimeout (the limit for all attempts); neither was set");
      }
      return new LocalActivityOptions(this);
    }
  }
}
