package dev.durable.client;

import dev.durable.internal.Checks;
import java.time.Duration;

/** How a workflow is started: its task queue (required), its id and its workflow task timeout. */
public final class WorkflowOptions {
  private final String taskQueue;
  private final String workflowId;
  private final Duration workflowTaskTimeout;

  private WorkflowOptions(Builder b) {
    this.taskQueue = b.taskQueue;
    this.workflowId = b.workflowId;
    this.workflowTaskTimeout = b.workflowTaskTimeout;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
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

  /** Builds {@link WorkflowOptions}; {@link #build()} rejects invalid values. */
  public static final class Builder {
    private String taskQueue;
    private String workflowId;
    private Duration workflowTaskTimeout = Duration.ofSeconds(10);

    private Builder() {}

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

    /** Validates the values and builds the options. */
    public WorkflowOptions build() {
      Checks.notBlank("taskQueue", taskQueue);
      if (workflowId != null) {
        Checks.workflowId(workflowId);
      }
      Checks.positive("workflowTaskTimeout", workflowTaskTimeout);
      return new WorkflowOptions(this);
    }
  }
}
