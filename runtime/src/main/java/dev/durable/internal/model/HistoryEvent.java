package dev.durable.internal.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;

/**
 * One entry of a workflow run's history. Event ids start at 1 and are contiguous; the
 * attributes say what happened.
 *
 * @param eventId the position in the history, from 1
 * @param timestamp when the server recorded it
 * @param attributes what happened
 */
@JsonSerialize(using = HistoryEventJson.class)
@JsonDeserialize(using = HistoryEventReader.class)
public record HistoryEvent(
    long eventId,
    Instant timestamp,
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "eventType")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = EventAttributes.WorkflowExecutionStarted.class, name = "WorkflowExecutionStarted"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowTaskCompleted.class, name = "WorkflowTaskCompleted"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowTaskFailed.class, name = "WorkflowTaskFailed"),
        @JsonSubTypes.Type(value = EventAttributes.ActivityTaskScheduled.class, name = "ActivityTaskScheduled"),
        @JsonSubTypes.Type(value = EventAttributes.ActivityTaskCompleted.class, name = "ActivityTaskCompleted"),
        @JsonSubTypes.Type(value = EventAttributes.ActivityTaskFailed.class, name = "ActivityTaskFailed"),
        @JsonSubTypes.Type(value = EventAttributes.TimerStarted.class, name = "TimerStarted"),
        @JsonSubTypes.Type(value = EventAttributes.TimerFired.class, name = "TimerFired"),
        @JsonSubTypes.Type(value = EventAttributes.TimerCanceled.class, name = "TimerCanceled"),
        @JsonSubTypes.Type(value = EventAttributes.MarkerRecorded.class, name = "MarkerRecorded"),
        @JsonSubTypes.Type(value = EventAttributes.UpsertWorkflowSearchAttributes.class, name = "UpsertWorkflowSearchAttributes"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowExecutionSignaled.class, name = "WorkflowExecutionSignaled"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowExecutionCancelRequested.class, name = "WorkflowExecutionCancelRequested"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowExecutionCompleted.class, name = "WorkflowExecutionCompleted"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowExecutionFailed.class, name = "WorkflowExecutionFailed"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowExecutionCanceled.class, name = "WorkflowExecutionCanceled"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowExecutionTerminated.class, name = "WorkflowExecutionTerminated"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowExecutionTimedOut.class, name = "WorkflowExecutionTimedOut"),
        @JsonSubTypes.Type(value = EventAttributes.StartChildWorkflowExecutionInitiated.class, name = "StartChildWorkflowExecutionInitiated"),
        @JsonSubTypes.Type(value = EventAttributes.ChildWorkflowExecutionStarted.class, name = "ChildWorkflowExecutionStarted"),
        @JsonSubTypes.Type(value = EventAttributes.StartChildWorkflowExecutionFailed.class, name = "StartChildWorkflowExecutionFailed"),
        @JsonSubTypes.Type(value = EventAttributes.ChildWorkflowExecutionCompleted.class, name = "ChildWorkflowExecutionCompleted"),
        @JsonSubTypes.Type(value = EventAttributes.ChildWorkflowExecutionFailed.class, name = "ChildWorkflowExecutionFailed"),
        @JsonSubTypes.Type(value = EventAttributes.ChildWorkflowExecutionCanceled.class, name = "ChildWorkflowExecutionCanceled"),
        @JsonSubTypes.Type(value = EventAttributes.ChildWorkflowExecutionTimedOut.class, name = "ChildWorkflowExecutionTimedOut"),
        @JsonSubTypes.Type(value = EventAttributes.ChildWorkflowExecutionTerminated.class, name = "ChildWorkflowExecutionTerminated"),
        @JsonSubTypes.Type(value = EventAttributes.SignalChildWorkflowExecutionInitiated.class, name = "SignalChildWorkflowExecutionInitiated"),
        @JsonSubTypes.Type(value = EventAttributes.ChildWorkflowCancelRequested.class, name = "ChildWorkflowCancelRequested"),
        @JsonSubTypes.Type(value = EventAttributes.SignalExternalWorkflowExecutionInitiated.class, name = "SignalExternalWorkflowExecutionInitiated"),
        @JsonSubTypes.Type(value = EventAttributes.RequestCancelExternalWorkflowExecutionInitiated.class, name = "RequestCancelExternalWorkflowExecutionInitiated"),
        @JsonSubTypes.Type(value = EventAttributes.ExternalWorkflowExecutionSignaled.class, name = "ExternalWorkflowExecutionSignaled"),
        @JsonSubTypes.Type(value = EventAttributes.SignalExternalWorkflowExecutionFailed.class, name = "SignalExternalWorkflowExecutionFailed"),
        @JsonSubTypes.Type(value = EventAttributes.ExternalWorkflowExecutionCancelRequested.class, name = "ExternalWorkflowExecutionCancelRequested"),
        @JsonSubTypes.Type(value = EventAttributes.RequestCancelExternalWorkflowExecutionFailed.class, name = "RequestCancelExternalWorkflowExecutionFailed"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowExecutionContinuedAsNew.class, name = "WorkflowExecutionContinuedAsNew"),
        @JsonSubTypes.Type(value = EventAttributes.ActivityTaskCancelRequested.class, name = "ActivityTaskCancelRequested"),
        @JsonSubTypes.Type(value = EventAttributes.ActivityTaskCanceled.class, name = "ActivityTaskCanceled"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowUpdateAccepted.class, name = "WorkflowUpdateAccepted"),
        @JsonSubTypes.Type(value = EventAttributes.WorkflowUpdateCompleted.class, name = "WorkflowUpdateCompleted"),
    })
    EventAttributes attributes) {

  /** Returns the same event with another id (used when buffered events are appended). */
  public HistoryEvent withEventId(long id) {
    return new HistoryEvent(id, timestamp, attributes);
  }

  /** Returns the event type name, as in the exported JSON. */
  public String eventType() {
    return attributes.getClass().getSimpleName();
  }
}
