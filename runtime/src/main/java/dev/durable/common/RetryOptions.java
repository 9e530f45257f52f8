package dev.durable.common;

import dev.durable.internal.Checks;
import dev.durable.internal.Deadlines;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a failed activity is retried: exponential backoff starting at the initial interval,
 * multiplied by the backoff coefficient after each attempt and capped at the maximum interval.
 *
 * <p>Defaults: initial interval 1 s, coefficient 2.0, maximum interval 100 times the initial
 * interval, and unlimited attempts: activities are <b>retried forever by default</b>. Failures
 * whose type is listed in {@link Builder#setDoNotRetry(String...)}, and failures built with
 * {@link dev.durable.failure.ApplicationFailure#newNonRetryableFailure}, are not retried.
 */
public final class RetryOptions {
  private static final RetryOptions DEFAULT = newBuilder().build();

  private final Duration initialInterval;
  private final double backoffCoefficient;
  private final Duration maximumInterval;
  private final int maximumAttempts;
  private final List<String> doNotRetry;

  private RetryOptions(Builder b) {
    this.initialInterval = b.initialInterval;
    this.backoffCoefficient = b.backoffCoefficient;
    this.maximumInterval = b.maximumInterval != null ? b.maximumInterval : Deadlines.times(b.initialInterval, 100);
    this.maximumAttempts = b.maximumAttempts;
    this.doNotRetry = List.copyOf(b.doNotRetry);
  }

  /** Returns a builder with the default values. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns a builder initialised from {@code options}. */
  public static Builder newBuilder(RetryOptions options) {
    Builder b = new Builder();
    b.initialInterval = options.initialInterval;
    b.backoffCoefficient = options.backoffCoefficient;
    b.maximumInterval = options.maximumInterval;
    b.maximumAttempts = options.maximumAttempts;
    b.doNotRetry = options.doNotRetry;
    return b;
  }

  /** Returns the default retry options: retry forever with exponential backoff from 1 s. */
  public static RetryOptions getDefaultInstance() {
    return DEFAULT;
  }

  /** Returns the delay before the first retry. */
  public Duration getInitialInterval() {
    return initialInterval;
  }

  /** Returns the factor applied to the delay after each attempt. */
  public double getBackoffCoefficient() {
    return backoffCoefficient;
  }

  /** Returns the longest delay between two attempts. */
  public Duration getMaximumInterval() {
    return maximumInterval;
  }

  /** Returns the maximum number of attempts, including the first; 0 means unlimited. */
  public int getMaximumAttempts() {
    return maximumAttempts;
  }

  /** Returns the failure types that are never retried. */
  public List<String> getDoNotRetry() {
    return doNotRetry;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryOptions r
        && initialInterval.equals(r.initialInterval)
        && backoffCoefficient == r.backoffCoefficient
        && maximumInterval.equals(r.maximumInterval)
        && maximumAttempts == r.maximumAttempts
        && doNotRetry.equals(r.doNotRetry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(initialInterval, backoffCoefficient, maximumInterval, maximumAttempts, doNotRetry);
  }

  @Override
  public String toString() {
    return "RetryOptions{initialInterval=" + initialInterval + ", backoffCoefficient=" + backoffCoefficient
        + ", maximumInterval=" + maximumInterval + ", maximumAttempts=" + maximumAttempts
        + ", doNotRetry=" + doNotRetry + "}";
  }

  /** Builds {@link RetryOptions}; {@link #build()} rejects invalid values. */
  public static final class Builder {
    private Duration initialInterval = Duration.ofSeconds(1);
    private double backoffCoefficient = 2.0;
    private Duration maximumInterval;
    private int maximumAttempts;
    private List<String> doNotRetry = List.of();

    private Builder() {}

    /** Sets the delay before the first retry (default 1 s). */
    public Builder setInitialInterval(Duration initialInterval) {
      this.initialInterval = initialInterval;
      return this;
    }

    /** Sets the factor applied to the delay after each attempt; at least 1.0 (default 2.0). */
    public Builder setBackoffCoefficient(double backoffCoefficient) {
      this.backoffCoefficient = backoffCoefficient;
      return this;
    }

    /** Sets the longest delay between attempts (default 100 times the initial interval). */
    public Builder setMaximumInterval(Duration maximumInterval) {
      this.maximumInterval = maximumInterval;
      return this;
    }

    /** Sets the maximum number of attempts including the first; 0 means unlimited (the default). */
    public Builder setMaximumAttempts(int maximumAttempts) {
      this.maximumAttempts = maximumAttempts;
      return this;
    }

    /**
     * Lists failure types that are not retried. A failure's type is the fully qualified class
     * name of the exception the activity threw, or the type given to an
     * {@link dev.durable.failure.ApplicationFailure}.
     */
    public Builder setDoNotRetry(String... types) {
      this.doNotRetry = List.of(types);
      return this;
    }

    /** Validates the values and builds the options. */
    public RetryOptions build() {
      Checks.positive("initialInterval", initialInterval);
      Checks.positiveOrNull("maximumInterval", maximumInterval);
      if (!(backoffCoefficient >= 1.0) || Double.isInfinite(backoffCoefficient)) {
        throw Checks.invalid("backoffCoefficient must be a finite number >= 1.0, got " + backoffCoefficient);
      }
      Checks.atLeast("maximumAttempts (0 = unlimited)", maximumAttempts, 0);
      if (maximumInterval != null && maximumInterval.compareTo(initialInterval) < 0) {
        throw Checks.invalid("maximumInterval must be >= initialInterval (" + initialInterval + "), got " + maximumInterval);
      }
      for (String t : doNotRetry) {
        Checks.notBlank("doNotRetry entry", t);
      }
      return new RetryOptions(this);
    }
  }
}
