package dev.durable.workflow;

import dev.durable.client.WorkflowIdReusePolicy;
import dev.durable.common.RetryOptions;
import dev.durable.internal.Checks;
import java.time.Duration;

/**
 * How a child workflow is started from workflow code with
 * {@link Workflow#newChildWorkflowStub(Class, ChildWorkflowOptions)}: its workflow id, task
 * queue, timeouts, retry options, {@link ParentClosePolicy} and id reuse policy. Every option
 * has a default, so {@code ChildWorkflowOptions.newBuilder().build()} is valid.
 */
public final class ChildWorkflowOptions {
  private static final ChildWorkflowOptions DEFAULTS = newBuilder().build();

  private final String workflowId;
  private final String taskQueue;
  private final Duration workflowExecutionTimeout;
  private final Duration workflowRunTimeout;
  private final Duration workflowTaskTimeout;
  private final RetryOptions retryOptions;
  private final ParentClosePolicy parentClosePolicy;
  private final WorkflowIdReusePolicy workflowIdReusePolicy;

  private ChildWorkflowOptions(Builder b) {
    this.workflowId = b.workflowId;
    this.taskQueue = b.taskQueue;
    this.workflowExecutionTimeout = b.workflowExecutionTimeout;
    this.workflowRunTimeout = b.workflowRunTimeout;
    this.workflowTaskTimeout = b.workflowTaskTimeout;
    this.retryOptions = b.retryOptions;
    this.parentClosePolicy = b.parentClosePolicy;
    this.workflowIdReusePolicy = b.workflowIdReusePolicy;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the options with every default. */
  public static ChildWorkflowOptions getDefaultInstance() {
    return DEFAULTS;
  }

  /** Returns the child's workflow id, or null to derive one from the parent's run id and the call's position. */
  public String getWorkflowId() {
    return workflowId;
  }

  /** Returns the child's task queue, or null for the parent's. */
  public String getTaskQueue() {
    return taskQueue;
  }

  /** Returns how long the child's whole chain of runs may take, or null for no limit. */
  public Duration getWorkflowExecutionTimeout() {
    return workflowExecutionTimeout;
  }

  /** Returns how long one run of the child may take, or null for no limit. */
  public Duration getWorkflowRunTimeout() {
    return workflowRunTimeout;
  }

  /** Returns how long one workflow task of the child may take. */
  public Duration getWorkflowTaskTimeout() {
    return workflowTaskTimeout;
  }

  /** Returns how a failed run of the child is retried, or null for no retry. */
  public RetryOptions getRetryOptions() {
    return retryOptions;
  }

  /** Returns what happens to the child when the parent run closes first. */
  public ParentClosePolicy getParentClosePolicy() {
    return parentClosePolicy;
  }

  /** Returns what the start does when the child's workflow id was used before. */
  public WorkflowIdReusePolicy getWorkflowIdReusePolicy() {
    return workflowIdReusePolicy;
  }

  /** Builds {@link ChildWorkflowOptions}; {@link #build()} rejects invalid values (DURABLE-201). */
  public static final class Builder {
    private String workflowId;
    private String taskQueue;
    private Duration workflowExecutionTimeout;
    private Duration workflowRunTimeout;
    private Duration workflowTaskTimeout = Duration.ofSeconds(10);
    private RetryOptions retryOptions;
    private ParentClosePolicy parentClosePolicy = ParentClosePolicy.TERMINATE;
    private WorkflowIdReusePolicy workflowIdReusePolicy = WorkflowIdReusePolicy.ALLOW_DUPLICATE;

    private Builder() {}

    /**
     * Sets the child's workflow id. Default: the parent's run id followed by {@code -child-} and
     * the call's position in the run, the same on every replay. At most 1,000 characters, not
     * blank, without control characters.
     */
    public Builder setWorkflowId(String workflowId) {
      this.workflowId = workflowId;
      return this;
    }

    /** Sets the child's task queue (default: the parent's). */
    public Builder setTaskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    /** Sets how long the child's whole chain of runs (retries, continue-as-new) may take (default: no limit). */
    public Builder setWorkflowExecutionTimeout(Duration timeout) {
      this.workflowExecutionTimeout = timeout;
      return this;
    }

    /** Sets how long one run of the child may take (default: no limit). */
    public Builder setWorkflowRunTimeout(Duration timeout) {
      this.workflowRunTimeout = timeout;
      return this;
    }

    /** Sets how long one workflow task of the child may take (default 10 s). */
    public Builder setWorkflowTaskTimeout(Duration timeout) {
      this.workflowTaskTimeout = timeout;
      return this;
    }

    /**
     * Sets how a failed run of the child is retried: a new run of the same workflow id with the
     * same input starts after the backoff (default: no retry). See
     * {@link dev.durable.client.WorkflowOptions.Builder#setRetryOptions}.
     */
    public Builder setRetryOptions(RetryOptions retryOptions) {
      this.retryOptions = retryOptions;
      return this;
    }

    /** Sets what happens to the child when the parent run closes first (default {@link ParentClosePolicy#TERMINATE}). */
    public Builder setParentClosePolicy(ParentClosePolicy policy) {
      this.parentClosePolicy = policy;
      return this;
    }

    /**
     * Sets what the start does when the child's workflow id was used before (default
     * {@link WorkflowIdReusePolicy#ALLOW_DUPLICATE}). {@code TERMINATE_IF_RUNNING} is not
     * allowed: a workflow does not terminate other runs by starting a child.
     */
    public Builder setWorkflowIdReusePolicy(WorkflowIdReusePolicy policy) {
      this.workflowIdReusePolicy = policy;
      return this;
    }

    /** Validates the values and builds the options. */
    public ChildWorkflowOptions build() {
      if (workflowId != null) {
        Checks.workflowId(workflowId);
      }
      if (taskQueue != null) {
        Checks.name("taskQueue", taskQueue);
      }
      Checks.positiveOrNull("workflowExecutionTimeout", workflowExecutionTimeout);
      Checks.positiveOrNull("workflowRunTimeout", workflowRunTimeout);
      Checks.positive("workflowTaskTimeout", workflowTaskTimeout);
      if (parentClosePolicy == null) {
        throw Checks.invalid("parentClosePolicy must not be null; allowed: "
            + java.util.Arrays.toString(ParentClosePolicy.values()));
      }
      if (workflowIdReusePolicy == null || workflowIdReusePolicy == WorkflowIdReusePolicy.TERMINATE_IF_RUNNING) {
        throw Checks.invalid("workflowIdReusePolicy of a child workflow must be ALLOW_DUPLICATE,"
            + " ALLOW_DUPLICATE_FAILED_ONLY or REJECT_DUPLICATE, got " + workflowIdReusePolicy);
      }
      return new ChildWorkflowOptions(this);
    }
  }
}
