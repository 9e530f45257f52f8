package dev.durable.client;

import dev.durable.internal.Checks;
import java.time.Duration;

/**
 * How a workflow is started: its task queue (required), its id, what may happen to an id used
 * before ({@link WorkflowIdReusePolicy}), its timeouts, retries and cron schedule.
 */
public final class WorkflowOptions {
  private final String taskQueue;
  private final String workflowId;
  private final Duration workflowTaskTimeout;
  private final WorkflowIdReusePolicy workflowIdReusePolicy;
  private final Duration workflowExecutionTimeout;
  private final Duration workflowRunTimeout;
  private final dev.durable.common.RetryOptions retryOptions;
  private final java.util.Map<String, Object> searchAttributes;
  private final String cronSchedule;
  private final Duration startDelay;

  private WorkflowOptions(Builder b) {
    this.startDelay = b.startDelay;
    this.cronSchedule = b.cronSchedule == null ? null : b.cronSchedule.trim();
    this.retryOptions = b.retryOptions;
    // Most workflows have none: skip the checks and copies, which show while the JIT is cold.
    this.searchAttributes = b.searchAttributes != null && b.searchAttributes.isEmpty() ? java.util.Map.of()
        : dev.durable.internal.model.SearchAttributes.toJava(
            dev.durable.internal.model.SearchAttributes.toValues(b.searchAttributes));
    this.taskQueue = b.taskQueue;
    this.workflowId = b.workflowId;
    this.workflowTaskTimeout = b.workflowTaskTimeout;
    this.workflowIdReusePolicy = b.workflowIdReusePolicy;
    this.workflowExecutionTimeout = b.workflowExecutionTimeout;
    this.workflowRunTimeout = b.workflowRunTimeout;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns how long the server waits before the workflow's code first runs, or null for no wait. */
  public Duration getStartDelay() {
    return startDelay;
  }

  /** Returns the task queue workers poll for this workflow. */
  public String getTaskQueue() {
    return taskQueue;
  }

  /** Returns the workflow id, or null to generate one at start. */
  public String getWorkflowId() {
    return workflowId;
  }

  /** Returns how long one workflow task may run before the server retries it elsewhere. */
  public Duration getWorkflowTaskTimeout() {
    return workflowTaskTimeout;
  }

  /** Returns what a start does when the workflow id was used before. */
  public WorkflowIdReusePolicy getWorkflowIdReusePolicy() {
    return workflowIdReusePolicy;
  }

  /** Returns how long the workflow may run in all, or null for no limit. */
  public Duration getWorkflowExecutionTimeout() {
    return workflowExecutionTimeout;
  }

  /** Returns how long one run of the workflow may run, or null for no limit. */
  public Duration getWorkflowRunTimeout() {
    return workflowRunTimeout;
  }

  /** Returns how a failed run is retried, or null for no retry (the default). */
  public dev.durable.common.RetryOptions getRetryOptions() {
    return retryOptions;
  }

  /** Returns the cron schedule that starts each run, or null for a single run (the default). */
  public String getCronSchedule() {
    return cronSchedule;
  }

  /** Returns the search attributes the run starts with, by name (empty for none); unmodifiable. */
  public java.util.Map<String, Object> getSearchAttributes() {
    return searchAttributes;
  }

  /** Builds {@link WorkflowOptions}; {@link #build()} rejects invalid values. */
  public static final class Builder {
    private String taskQueue;
    private String workflowId;
    private Duration workflowTaskTimeout = Duration.ofSeconds(10);
    private WorkflowIdReusePolicy workflowIdReusePolicy = WorkflowIdReusePolicy.ALLOW_DUPLICATE;
    private Duration workflowExecutionTimeout;
    private Duration workflowRunTimeout;
    private dev.durable.common.RetryOptions retryOptions;
    private java.util.Map<String, ?> searchAttributes = java.util.Map.of();
    private String cronSchedule;
    private Duration startDelay;

    private Builder() {}

    /**
     * Delays the workflow's first workflow task (default: none, it runs at once). The run is
     * started and stored at once, so its id is taken, it is listed and described (its
     * {@code executionTime} is when its code will start), and it takes signals; its code starts
     * when the delay has passed, also across restarts. A signal-with-start for the waiting run
     * ends the delay at once (its signal needs an answer); plain signals wait with the run. Not
     * with {@link #setCronSchedule}, whose firings already say when runs start (DURABLE-201).
     */
    public Builder setStartDelay(Duration startDelay) {
      this.startDelay = startDelay;
      return this;
    }

    /**
     * Runs the workflow on a cron schedule (default: once, now). The first run's code starts when
     * the schedule first fires after the start; each time a run closes (completed, failed or
     * timed out) the server starts the next run with the same workflow id and input, whose code
     * starts at the schedule's next firing after that close. So runs never overlap, and a firing
     * while a run is still busy is skipped. A failed run is retried first if
     * {@link #setRetryOptions} allows; canceling or terminating the workflow ends the schedule, as
     * does its execution timeout. {@code getResult} therefore waits until then. The schedule
     * holds across restarts: the next run is stored with its start time.
     *
     * <p>The standard five fields (minute, hour, day of month, month, day of week) with
     * {@code *}, lists, ranges, steps and names ({@code JAN}, {@code MON}); {@code @hourly},
     * {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @yearly}; {@code @every 15m}
     * (every multiple of the interval since the epoch); times are UTC unless the expression starts
     * with {@code CRON_TZ=<zone> }, such as {@code CRON_TZ=Europe/Paris 0 9 * * MON-FRI}.
     * {@link #build()} refuses an invalid expression (DURABLE-201, naming the field). See
     * docs/workflows.md, "Cron schedules".
     */
    public Builder setCronSchedule(String cronSchedule) {
      this.cronSchedule = cronSchedule;
      return this;
    }

    /**
     * Makes the server retry the workflow when a run fails (default: no retry). A run that ends
     * with a failure that is retryable under {@code retryOptions} (not built with
     * {@code ApplicationFailure.newNonRetryableFailure}, its type not in {@code setDoNotRetry}),
     * or that passes its run timeout, is followed by a new run with the same workflow id and
     * input after the backoff; the backoff waits on a durable timer and {@code
     * Workflow.getInfo().attempt()} counts up. Attempts stop at {@code maximumAttempts} (0:
     * unlimited) or when the next run would start after the execution timeout. Canceled and
     * terminated runs are not retried. {@code getResult} waits for the last attempt.
     */
    public Builder setRetryOptions(dev.durable.common.RetryOptions retryOptions) {
      this.retryOptions = retryOptions;
      return this;
    }

    /** Sets the task queue; the worker must poll the same string. Required. */
    public Builder setTaskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    /**
     * Sets the workflow id, the business key of the workflow (such as {@code order-42}). Only one
     * run per id runs at a time. Default: a random UUID. At most 1,000 characters, not blank, and
     * without control characters.
     */
    public Builder setWorkflowId(String workflowId) {
      this.workflowId = workflowId;
      return this;
    }

    /** Sets how long one workflow task may take (default 10 s). */
    public Builder setWorkflowTaskTimeout(Duration timeout) {
      this.workflowTaskTimeout = timeout;
      return this;
    }

    /**
     * Sets what a start does when the workflow id was used before (default
     * {@link WorkflowIdReusePolicy#ALLOW_DUPLICATE}: a closed id starts again, a running one is
     * refused).
     */
    public Builder setWorkflowIdReusePolicy(WorkflowIdReusePolicy policy) {
      this.workflowIdReusePolicy = policy;
      return this;
    }

    /**
     * Sets how long the workflow may run in all, counted from its start on the server (default:
     * no limit). When it passes, the server closes the run as {@link WorkflowStatus#TIMED_OUT}
     * without running more workflow code: pending activities and timers are dropped, and
     * {@code getResult} throws {@link WorkflowFailedException} whose cause is a
     * {@link dev.durable.failure.TimeoutFailure}. The deadline is stored, so it holds across
     * server restarts; a deadline that passed while the server was down closes the run as soon
     * as the server starts.
     *
     * <p>The execution timeout spans the whole chain of runs of the workflow id (continue-as-new
     * and retries), counted from the first run's start; {@link #setWorkflowRunTimeout} limits
     * each run. A run ends at whichever comes first.
     */
    public Builder setWorkflowExecutionTimeout(Duration timeout) {
      this.workflowExecutionTimeout = timeout;
      return this;
    }

    /**
     * Sets how long one run of the workflow may run (default: no limit), counted from that run's
     * start, with the same effect as {@link #setWorkflowExecutionTimeout} when it passes. Each run
     * of a chain (continue-as-new, retries) gets its own run timeout; a run that times out this
     * way is retried if {@link #setRetryOptions} allows.
     */
    public Builder setWorkflowRunTimeout(Duration timeout) {
      this.workflowRunTimeout = timeout;
      return this;
    }

    /**
     * Sets the search attributes the run starts with (default: none), indexed so that
     * {@code WorkflowClient.listWorkflows(WorkflowFilter)} finds the run from its first moment.
     * Workflow code adds or changes them with {@code Workflow.upsertSearchAttributes}. Values may
     * be a {@code String}, {@code long}/{@code int}, {@code double}, {@code boolean},
     * {@code Instant} (or {@code OffsetDateTime}/{@code ZonedDateTime}) or a {@code List<String>};
     * {@link #build()} checks names (DURABLE-250), types (DURABLE-251) and sizes (DURABLE-253).
     */
    public Builder setSearchAttributes(java.util.Map<String, ?> searchAttributes) {
      this.searchAttributes = searchAttributes;
      return this;
    }

    /** Validates the values and builds the options. */
    public WorkflowOptions build() {
      Checks.name("taskQueue", taskQueue);
      if (workflowId != null) {
        Checks.workflowId(workflowId);
      }
      Checks.positive("workflowTaskTimeout", workflowTaskTimeout);
      if (workflowIdReusePolicy == null) {
        throw Checks.invalid("workflowIdReusePolicy must not be null; allowed: "
            + java.util.Arrays.toString(WorkflowIdReusePolicy.values()));
      }
      Checks.positiveOrNull("workflowExecutionTimeout", workflowExecutionTimeout);
      Checks.positiveOrNull("workflowRunTimeout", workflowRunTimeout);
      if (cronSchedule != null) {
        dev.durable.internal.CronSchedule.parse(cronSchedule);
      }
      checkStartDelay(startDelay, cronSchedule);
      if (searchAttributes == null || !searchAttributes.isEmpty()) {
        var values = dev.durable.internal.model.SearchAttributes.toValues(searchAttributes);
        dev.durable.internal.model.SearchAttributes.merge(java.util.Map.of(), values, String.valueOf(workflowId));
      }
      return new WorkflowOptions(this);
    }
  }

  /**
   * Fails unless {@code startDelay} is null or positive, and not given with a cron schedule. Not
   * API: the server checks what remote clients send with it too.
   */
  public static void checkStartDelay(Duration startDelay, String cronSchedule) {
    Checks.positiveOrNull("startDelay", startDelay);
    if (startDelay != null && cronSchedule != null) {
      throw Checks.invalid("startDelay cannot be combined with a cron schedule: the schedule's firings say when its"
          + " runs start. Drop one of setStartDelay and setCronSchedule.");
    }
  }
}
