package dev.durable.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a history event records. Events written because workflow code produced a command
 * ({@link CommandEvent}) follow the {@link WorkflowTaskCompleted} of the task that produced them;
 * every other event is input for the workflow code.
 */
public sealed interface EventAttributes {

  /** Events recorded from a workflow's commands; replay checks them against the code. */
  sealed interface CommandEvent extends EventAttributes {}

  /** Events that close the run. */
  sealed interface CloseEvent extends CommandEvent {}

  /**
   * The run started.
   *
   * @param replaySemantics the version of the engine's replay semantics the run was started with
   *     (how shims and markers behave); a newer engine replays old histories the old way
   * @param workflowExecutionTimeout how long the workflow may run, or null for no limit
   * @param workflowRunTimeout how long this run may run, or null for no limit
   * @param searchAttributes the run's initial search attributes; null or empty for none
   * @param links the run's parent, predecessor, attempt and retry policy; null for none
   * @param lastCompletionResult for a run of a cron schedule, the result of the last run of the
   *     schedule that completed; null for none (left out of the stored form then)
   */
  record WorkflowExecutionStarted(
      String workflowId,
      String workflowType,
      String taskQueue,
      List<Payload> input,
      Duration workflowTaskTimeout,
      int replaySemantics,
      Duration workflowExecutionTimeout,
      Duration workflowRunTimeout,
      java.util.Map<String, SearchAttributeValue> searchAttributes,
      RunLinks links,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      Payload lastCompletionResult) implements EventAttributes {

    /** A start without a last completion result. */
    public WorkflowExecutionStarted(String workflowId, String workflowType, String taskQueue, List<Payload> input,
        Duration workflowTaskTimeout, int replaySemantics, Duration workflowExecutionTimeout,
        Duration workflowRunTimeout, java.util.Map<String, SearchAttributeValue> searchAttributes, RunLinks links) {
      this(workflowId, workflowType, taskQueue, input, workflowTaskTimeout, replaySemantics, workflowExecutionTimeout,
          workflowRunTimeout, searchAttributes, links, null);
    }

    /** A start without links (a first, top-level run without retry policy). */
    public WorkflowExecutionStarted(String workflowId, String workflowType, String taskQueue, List<Payload> input,
        Duration workflowTaskTimeout, int replaySemantics, Duration workflowExecutionTimeout,
        Duration workflowRunTimeout, java.util.Map<String, SearchAttributeValue> searchAttributes) {
      this(workflowId, workflowType, taskQueue, input, workflowTaskTimeout, replaySemantics, workflowExecutionTimeout,
          workflowRunTimeout, searchAttributes, null);
    }

    /** A start without search attributes or links. */
    public WorkflowExecutionStarted(String workflowId, String workflowType, String taskQueue, List<Payload> input,
        Duration workflowTaskTimeout, int replaySemantics, Duration workflowExecutionTimeout,
        Duration workflowRunTimeout) {
      this(workflowId, workflowType, taskQueue, input, workflowTaskTimeout, replaySemantics, workflowExecutionTimeout,
          workflowRunTimeout, null, null);
    }

    /** Returns the run's links, never null (histories written before links existed have none). */
    public RunLinks linksOrNone() {
      return links == null ? RunLinks.NONE : links;
    }
  }

  /**
   * A workflow task finished; the command events it produced follow.
   *
   * @param lastSeenEventId the last event the worker had seen when it ran the code
   * @param workflowTime the time workflow code saw during the task
   * @param identity the worker that ran it
   */
  record WorkflowTaskCompleted(long lastSeenEventId, Instant workflowTime, String identity)
      implements EventAttributes {}

  /** A workflow task failed; recorded for the first failure of a streak only. */
  record WorkflowTaskFailed(int attempt, FailureInfo failure, String identity) implements EventAttributes {}

  record ActivityTaskScheduled(
      int seq, String activityType, String taskQueue, List<Payload> input, ActivitySpec spec)
      implements CommandEvent {}

  record ActivityTaskCompleted(int seq, long scheduledEventId, int attempt, Payload result)
      implements EventAttributes {}

  /** The activity's final failure: retries are exhausted, not allowed, or it timed out. */
  record ActivityTaskFailed(int seq, long scheduledEventId, int attempt, FailureInfo failure)
      implements EventAttributes {}

  record TimerStarted(int seq, Duration duration, Instant fireAt) implements CommandEvent {}

  record TimerFired(int seq) implements EventAttributes {}

  record TimerCanceled(int seq) implements CommandEvent {}

  /**
   * A value recorded by workflow code so that replay returns it instead of computing it again: a
   * version of a change ({@code Version}), a side effect ({@code SideEffect}) or a mutable side
   * effect ({@code MutableSideEffect}).
   *
   * @param markerName the kind of marker
   * @param markerId the change id, side-effect sequence number or mutable-side-effect id
   * @param data the recorded value
   */
  record MarkerRecorded(String markerName, String markerId, Payload data) implements CommandEvent {}

  /**
   * Workflow code set search attributes ({@code Workflow.upsertSearchAttributes}); each name given
   * is added or replaced, the others stay.
   *
   * @param searchAttributes the attributes set, by name
   */
  record UpsertWorkflowSearchAttributes(java.util.Map<String, SearchAttributeValue> searchAttributes)
      implements CommandEvent {}

  /**
   * A signal arrived.
   *
   * @param sender the workflow run that sent it with an external workflow stub; null when a client
   *     (or a parent, to its child) sent it, and then left out of the stored form
   */
  record WorkflowExecutionSignaled(String signalName, List<Payload> input,
      @JsonInclude(JsonInclude.Include.NON_NULL) ExternalSender sender) implements EventAttributes {
    /** A signal from a client or a parent. */
    public WorkflowExecutionSignaled(String signalName, List<Payload> input) {
      this(signalName, input, null);
    }
  }

  /**
   * The workflow run that sent a signal to another workflow: a delivery re-driven after a crash
   * looks for it in the receiver's history, so that the signal arrives once.
   *
   * @param initiatedEventId the sender's {@link SignalExternalWorkflowExecutionInitiated} event
   */
  record ExternalSender(String workflowId, String runId, long initiatedEventId) {}

  record WorkflowExecutionCancelRequested(String reason) implements EventAttributes {}

  record WorkflowExecutionCompleted(Payload result) implements CloseEvent {}

  record WorkflowExecutionFailed(FailureInfo failure) implements CloseEvent {}

  record WorkflowExecutionCanceled(FailureInfo failure) implements CloseEvent {}

  /** Termination is ordered by a client, not by workflow code, but it closes the run too. */
  record WorkflowExecutionTerminated(String reason) implements EventAttributes {}

  /**
   * The server closed the run because its execution or run timeout passed; like termination, no
   * workflow code decides it.
   *
   * @param failure the {@code TIMEOUT} failure {@code getResult} reports
   */
  record WorkflowExecutionTimedOut(FailureInfo failure) implements EventAttributes {}

  // ---------------------------------------------------------------- child workflows and run chains

  /**
   * Workflow code asked to start a child workflow; the server starts it after this is recorded.
   *
   * @param seq the child's id in the parent run
   * @param workflowId the child's workflow id
   * @param parentClosePolicy what happens to the child when the parent run closes
   * @param workflowIdReusePolicy what the start does when the child's id was used before
   */
  record StartChildWorkflowExecutionInitiated(
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
      String workflowIdReusePolicy) implements CommandEvent {}

  /** The child run was started (recorded in the same write that started it). */
  record ChildWorkflowExecutionStarted(int seq, long initiatedEventId, String workflowId, String runId)
      implements EventAttributes {}

  /** The child could not be started: its id is running, or its reuse policy refused it. */
  record StartChildWorkflowExecutionFailed(int seq, long initiatedEventId, String workflowId, FailureInfo failure)
      implements EventAttributes {}

  /**
   * Workflow code sent a signal to its child {@code seq}; the server delivers it to the child's
   * current run exactly once (or drops it, logged, if the child has closed).
   */
  record SignalChildWorkflowExecutionInitiated(int seq, String workflowId, String signalName, List<Payload> input)
      implements CommandEvent {}

  /** Workflow code asked its child {@code seq} to cancel; the server delivers the request to the child. */
  record ChildWorkflowCancelRequested(int seq, String workflowId) implements CommandEvent {}

  /**
   * Workflow code sent a signal to another workflow by its id; the server delivers it to that
   * workflow's run {@code runId} (its current run when null, then left out of the stored form),
   * once, then records {@link ExternalWorkflowExecutionSignaled} or
   * {@link SignalExternalWorkflowExecutionFailed}.
   */
  record SignalExternalWorkflowExecutionInitiated(int seq, String workflowId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String runId, String signalName, List<Payload> input)
      implements CommandEvent {}

  /**
   * Workflow code asked another workflow, by its id, to cancel; the server records the request in
   * that workflow's run {@code runId} (its current run when null), then
   * {@link ExternalWorkflowExecutionCancelRequested} or
   * {@link RequestCancelExternalWorkflowExecutionFailed}.
   */
  record RequestCancelExternalWorkflowExecutionInitiated(int seq, String workflowId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String runId) implements CommandEvent {}

  /** Outcomes of a signal or cancel request to another workflow. */
  sealed interface ExternalOutcome extends EventAttributes {
    int seq();

    long initiatedEventId();

    String workflowId();
  }

  /** The signal was recorded in run {@code runId} of the other workflow. */
  record ExternalWorkflowExecutionSignaled(int seq, long initiatedEventId, String workflowId, String runId)
      implements ExternalOutcome {}

  /** The signal could not be delivered: no open run has the workflow id (or the run it named is closed). */
  record SignalExternalWorkflowExecutionFailed(int seq, long initiatedEventId, String workflowId, FailureInfo failure)
      implements ExternalOutcome {}

  /** The cancel request was recorded in run {@code runId} of the other workflow (or it had one already). */
  record ExternalWorkflowExecutionCancelRequested(int seq, long initiatedEventId, String workflowId, String runId)
      implements ExternalOutcome {}

  /** The cancel request could not be delivered: no open run has the workflow id (or the run it named is closed). */
  record RequestCancelExternalWorkflowExecutionFailed(int seq, long initiatedEventId, String workflowId,
      FailureInfo failure) implements ExternalOutcome {}

  /** Outcomes of a child, one event type per way it closed. */
  sealed interface ChildOutcome extends EventAttributes {
    int seq();

    long initiatedEventId();

    String workflowId();

    String runId();
  }

  record ChildWorkflowExecutionCompleted(int seq, long initiatedEventId, String workflowId, String runId,
      Payload result) implements ChildOutcome {}

  record ChildWorkflowExecutionFailed(int seq, long initiatedEventId, String workflowId, String runId,
      FailureInfo failure) implements ChildOutcome {}

  record ChildWorkflowExecutionCanceled(int seq, long initiatedEventId, String workflowId, String runId,
      FailureInfo failure) implements ChildOutcome {}

  record ChildWorkflowExecutionTimedOut(int seq, long initiatedEventId, String workflowId, String runId,
      FailureInfo failure) implements ChildOutcome {}

  record ChildWorkflowExecutionTerminated(int seq, long initiatedEventId, String workflowId, String runId,
      FailureInfo failure) implements ChildOutcome {}

  /**
   * The run ended by continuing as new: the server started {@code newRunId} with the same workflow
   * id in the same write.
   */
  record WorkflowExecutionContinuedAsNew(String newRunId, String workflowType, String taskQueue, List<Payload> input,
      Duration workflowTaskTimeout, Duration workflowRunTimeout) implements CloseEvent {}

  /**
   * Workflow code asked to cancel an activity (its cancellation scope was canceled). The activity
   * ends with {@link ActivityTaskCanceled} at once if no attempt runs, or when the running attempt
   * acknowledges (fails after learning it at a heartbeat); it may still complete instead.
   *
   * @param scheduledEventId the event that scheduled it, or 0 when it had already ended
   */
  record ActivityTaskCancelRequested(int seq, long scheduledEventId) implements CommandEvent {}

  /** The activity ended because its cancellation was requested; {@code failure} says so (kind ACTIVITY, cause CANCELED). */
  record ActivityTaskCanceled(int seq, long scheduledEventId, int attempt, FailureInfo failure)
      implements EventAttributes {}

  /**
   * The workflow's validator accepted an update; its handler runs in the next workflow task. A
   * rejected update is never recorded.
   *
   * @param updateId the id the client gave (or generated), unique within the run
   * @param updateName the {@code @UpdateMethod} name
   * @param input the arguments
   */
  record WorkflowUpdateAccepted(String updateId, String updateName, List<Payload> input) implements EventAttributes {}

  /**
   * An update handler returned ({@code result}) or threw a {@code DurableFailure} ({@code failure}).
   *
   * @param updateId the update's id
   */
  record WorkflowUpdateCompleted(String updateId, Payload result, FailureInfo failure) implements CommandEvent {}
}
