package dev.durable.workflow;

import dev.durable.internal.Checks;
import java.time.Duration;

/**
 * What may change when a run continues as new ({@link Workflow#continueAsNew(ContinueAsNewOptions,
 * Object...)}): the workflow type, task queue, run timeout and workflow task timeout. Options
 * left unset keep the current run's values. The execution timeout cannot change: it bounds the
 * whole chain of runs.
 */
public final class ContinueAsNewOptions {
  private final String workflowType;
  private final String taskQueue;
  private final Duration workflowRunTimeout;
  private final Duration workflowTaskTimeout;

  private ContinueAsNewOptions(Builder b) {
    this.workflowType = b.workflowType;
    this.taskQueue = b.taskQueue;
    this.workflowRunTimeout = b.workflowRunTimeout;
    this.workflowTaskTimeout = b.workflowTaskTimeout;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Returns the workflow type of the new run, or null for the current one. */
  public String getWorkflowType() {
    return workflowType;
  }

  /** Returns the task queue of the new run, or null for the current one. */
  public String getTaskQueue() {
    return taskQueue;
  }

  /** Returns the run timeout of the new run, or null for the current one. */
  public Duration getWorkflowRunTimeout() {
    return workflowRunTimeout;
  }

  /** Returns the workflow task timeout of the new run, or null for the current one. */
  public Duration getWorkflowTaskTimeout() {
    return workflowTaskTimeout;
  }

  /** Builds {@link ContinueAsNewOptions}; {@link #build()} rejects invalid values (DURABLE-201). */
  public static final class Builder {
    private String workflowType;
    private String taskQueue;
    private Duration workflowRunTimeout;
    private Duration workflowTaskTimeout;

    private Builder() {}

    /** Sets the workflow type of the new run (its worker must register it). */
    public Builder setWorkflowType(String workflowType) {
      this.workflowType = workflowType;
      return this;
    }

    /** Sets the task queue of the new run. */
    public Builder setTaskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    /** Sets the run timeout of the new run. */
    public Builder setWorkflowRunTimeout(Duration timeout) {
      this.workflowRunTimeout = timeout;
      return this;
    }

    /** Sets the workflow task timeout of the new run. */
    public Builder setWorkflowTaskTimeout(Duration timeout) {
      this.workflowTaskTimeout = timeout;
      return this;
    }

    /** Validates the values and builds the options. */
    public ContinueAsNewOptions build() {
      if (workflowType != null) {
        Checks.name("workflowType", workflowType);
      }
      if (taskQueue != null) {
        Checks.name("taskQueue", taskQueue);
      }
      Checks.positiveOrNull("workflowRunTimeout", workflowRunTimeout);
      Checks.positiveOrNull("workflowTaskTimeout", workflowTaskTimeout);
      return new ContinueAsNewOptions(this);
    }
  }
}
