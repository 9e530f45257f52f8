package dev.durable.activity;

import dev.durable.common.RetryOptions;
import dev.durable.internal.Checks;
import java.time.Duration;

/**
 * How the activities of one stub are scheduled: timeouts, retries and task queue.
 *
 * <p>At least one of {@code startToCloseTimeout} (the limit for one attempt) and
 * {@code scheduleToCloseTimeout} (the limit for all attempts together) is required.
 */
public final class ActivityOptions {
  private final Duration scheduleToCloseTimeout;
  private final Duration startToCloseTimeout;
  private final Duration scheduleToStartTimeout;
  private final Duration heartbeatTimeout;
  private final RetryOptions retryOptions;
  private final String taskQueue;
  private final ActivityCancellationType cancellationType;

  private ActivityOptions(Builder b) {
    this.scheduleToCloseTimeout = b.scheduleToCloseTimeout;
    this.startToCloseTimeout = b.startToCloseTimeout;
    this.scheduleToStartTimeout = b.scheduleToStartTimeout;
    this.heartbeatTimeout = b.heartbeatTimeout;
    this.retryOptions = b.retryOptions != null ? b.retryOptions : RetryOptions.getDefaultInstance();
    this.taskQueue = b.taskQueue;
    this.cancellationType = b.cancellationType;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the limit for all attempts together, or null. */
  public Duration getScheduleToCloseTimeout() {
    return scheduleToCloseTimeout;
  }

  /** Returns the limit for one attempt, or null. */
  public Duration getStartToCloseTimeout() {
    return startToCloseTimeout;
  }

  /** Returns how long a task may wait in the queue before a worker takes it, or null. */
  public Duration getScheduleToStartTimeout() {
    return scheduleToStartTimeout;
  }

  /** Returns the longest gap allowed between two heartbeats of an attempt, or null. */
  public Duration getHeartbeatTimeout() {
    return heartbeatTimeout;
  }

  /** Returns the retry options (the defaults retry forever). */
  public RetryOptions getRetryOptions() {
    return retryOptions;
  }

  /** Returns the task queue, or null for the workflow's own task queue. */
  public String getTaskQueue() {
    return taskQueue;
  }

  /** Returns what canceling the activity's cancellation scope does (default {@code TRY_CANCEL}). */
  public ActivityCancellationType getCancellationType() {
    return cancellationType;
  }

  /** Builds {@link ActivityOptions}; {@link #build()} rejects invalid values. */
  public static final class Builder {
    private Duration scheduleToCloseTimeout;
    private Duration startToCloseTimeout;
    private Duration scheduleToStartTimeout;
    private Duration heartbeatTimeout;
    private RetryOptions retryOptions;
    private String taskQueue;
    private ActivityCancellationType cancellationType = ActivityCancellationType.TRY_CANCEL;

    private Builder() {}

    /** Sets the limit for all attempts together, retries and backoff included. */
    public Builder setScheduleToCloseTimeout(Duration timeout) {
      this.scheduleToCloseTimeout = timeout;
      return this;
    }

    /** Sets the limit for one attempt; an attempt that takes longer fails and is retried. */
    public Builder setStartToCloseTimeout(Duration timeout) {
      this.startToCloseTimeout = timeout;
      return this;
    }

    /** Sets how long a task may wait in the queue before a worker takes it (not retried). */
    public Builder setScheduleToStartTimeout(Duration timeout) {
      this.scheduleToStartTimeout = timeout;
      return this;
    }

    /** Sets the longest gap allowed between two heartbeats; a silent attempt fails and is retried. */
    public Builder setHeartbeatTimeout(Duration timeout) {
      this.heartbeatTimeout = timeout;
      return this;
    }

    /** Sets the retry options. */
    public Builder setRetryOptions(RetryOptions retryOptions) {
      this.retryOptions = retryOptions;
      return this;
    }

    /** Sets the task queue the activity is dispatched to (default: the workflow's own). */
    public Builder setTaskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    /** Sets what canceling the activity's cancellation scope does; see {@link ActivityCancellationType}. */
    public Builder setCancellationType(ActivityCancellationType cancellationType) {
      if (cancellationType == null) {
        throw Checks.invalid("cancellationType must be TRY_CANCEL, WAIT_CANCELLATION_COMPLETED or ABANDON, got null");
      }
      this.cancellationType = cancellationType;
      return this;
    }

    /** Validates the values and builds the options. */
    public ActivityOptions build() {
      Checks.positiveOrNull("scheduleToCloseTimeout", scheduleToCloseTimeout);
      Checks.positiveOrNull("startToCloseTimeout", startToCloseTimeout);
      Checks.positiveOrNull("scheduleToStartTimeout", scheduleToStartTimeout);
      Checks.positiveOrNull("heartbeatTimeout", heartbeatTimeout);
      if (scheduleToCloseTimeout == null && startToCloseTimeout == null) {
        throw Checks.invalid("ActivityOptions needs startToCloseTimeout (the limit for one attempt) "
            + "or scheduleToCloseTimeout (the limit for all attempts); neither was set");
      }
      if (taskQueue != null) {
        Checks.name("taskQueue", taskQueue);
      }
      return new ActivityOptions(this);
    }
  }
}
