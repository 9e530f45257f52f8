package dev.durable.internal.model;

import java.time.Duration;
import java.util.List;

/**
 * What workflow code asks the server to do. Each command becomes one command event in the same
 * atomic write that records the workflow task's completion.
 */
public sealed interface Command {

  /** Returns a short description for error messages, such as {@code schedule activity Charge}. */
  String describe();

  record ScheduleActivity(int seq, String activityType, String taskQueue, List<Payload> input, ActivitySpec spec)
      implements Command {
    @Override
    public String describe() {
      return "schedule activity " + activityType + " (seq " + seq + ")";
    }
  }

  record StartTimer(int seq, Duration duration) implements Command {
    @Override
    public String describe() {
      return "start timer " + seq + " for " + duration;
    }
  }

  record CancelTimer(int seq) implements Command {
    @Override
    public String describe() {
      return "cancel timer " + seq;
    }
  }

  record RecordMarker(String markerName, String markerId, Payload data) implements Command {
    @Override
    public String describe() {
      return "SignalDropped".equals(markerName)
          ? "drop signal '" + markerId + "' (no @SignalMethod handles it)"
          : "record " + markerName + " marker '" + markerId + "'";
    }
  }

  /**
   * Sets search attributes of the run (adding or replacing each name given).
   *
   * @param attributes the attributes to set, by name
   */
  record UpsertSearchAttributes(java.util.Map<String, SearchAttributeValue> attributes) implements Command {
    /** Copies and sorts the attributes. */
    public UpsertSearchAttributes {
      attributes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(attributes));
    }

    @Override
    public String describe() {
      return "upsert search attributes " + attributes.keySet();
    }
  }

  record CompleteWorkflow(Payload result) implements Command {
    @Override
    public String describe() {
      return "complete the workflow";
    }
  }

  record FailWorkflow(FailureInfo failure) implements Command {
    @Override
    public String describe() {
      return "fail the workflow with " + failure.summary();
    }
  }

  record CancelWorkflow(FailureInfo failure) implements Command {
    @Override
    public String describe() {
      return "end the workflow as canceled";
    }
  }

  /** Starts a child workflow; see {@code EventAttributes.StartChildWorkflowExecutionInitiated}. */
  record StartChildWorkflow(
      int seq,
      String workflowId,
      String workflowType,
      String taskQueue,
      List<Payload> input,
      Duration workflowTaskTimeout,
      Duration workflowExecutionTimeout,
      Duration workflowRunTimeout,
      RetryPolicy retryPolicy,
      String parentClosePolicy,
      String workflowIdReusePolicy) implements Command {
    @Override
    public String describe() {
      return "start child workflow " + workflowType + " with id '" + workflowId + "' (seq " + seq + ")";
    }
  }

  /** Sends a signal to the child started as {@code seq} (its current run, once it is started). */
  record SignalChild(int seq, String signalName, List<Payload> input) implements Command {
    @Override
    public String describe() {
      return "signal '" + signalName + "' to child workflow (seq " + seq + ")";
    }
  }

  /** Asks the child started as {@code seq} to cancel (its current run, once it is started). */
  record RequestCancelChild(int seq) implements Command {
    @Override
    public String describe() {
      return "request cancel of child workflow (seq " + seq + ")";
    }
  }

  /** Sends a signal to another workflow, by its id: to run {@code runId}, or its current run when that is null. */
  record SignalExternal(int seq, String workflowId, String runId, String signalName, List<Payload> input)
      implements Command {
    @Override
    public String describe() {
      return "signal '" + signalName + "' to workflow '" + workflowId + "'" + (runId == null ? "" : " run " + runId)
          + " (seq " + seq + ")";
    }
  }

  /** Asks another workflow, by its id, to cancel: run {@code runId}, or its current run when that is null. */
  record RequestCancelExternal(int seq, String workflowId, String runId) implements Command {
    @Override
    public String describe() {
      return "request cancel of workflow '" + workflowId + "'" + (runId == null ? "" : " run " + runId) + " (seq "
          + seq + ")";
    }
  }

  /** Ends the run and starts a new one of the same workflow id; null fields keep the run's values. */
  record ContinueAsNew(String workflowType, String taskQueue, List<Payload> input, Duration workflowTaskTimeout,
      Duration workflowRunTimeout) implements Command {
    @Override
    public String describe() {
      return "continue as new";
    }
  }

  /** Asks the server to cancel an activity; see {@code ActivityTaskCancelRequested}. */
  record RequestCancelActivity(int seq) implements Command {
    @Override
    public String describe() {
      return "request cancellation of activity " + seq;
    }
  }

  /** An update handler finished: with a result, or with a failure (then {@code result} is null). */
  record CompleteUpdate(String updateId, Payload result, FailureInfo failure) implements Command {
    @Override
    public String describe() {
      return "complete update '" + updateId + "'";
    }
  }
}
