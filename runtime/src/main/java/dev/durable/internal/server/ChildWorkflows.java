package dev.durable.internal.server;

import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.PendingChild;
import java.util.Map;

/** The events a parent records about its children, built from the children's state. */
final class ChildWorkflows {
  /** Failure type of a child start refused because its workflow id is taken. */
  static final String ALREADY_STARTED = "dev.durable.client.WorkflowAlreadyStartedException";

  private ChildWorkflows() {}

  /** The parent's event for a child chain whose last run {@code child} closed. */
  static EventAttributes outcome(PendingChild pc, ExecutionState child) {
    return switch (child.status) {
      case COMPLETED -> new EventAttributes.ChildWorkflowExecutionCompleted(pc.seq, pc.initiatedEventId, pc.workflowId,
          child.runId, child.result);
      case FAILED -> new EventAttributes.ChildWorkflowExecutionFailed(pc.seq, pc.initiatedEventId, pc.workflowId,
          child.runId, child.failure);
      case CANCELED -> new EventAttributes.ChildWorkflowExecutionCanceled(pc.seq, pc.initiatedEventId, pc.workflowId,
          child.runId, child.failure);
      case TIMED_OUT -> new EventAttributes.ChildWorkflowExecutionTimedOut(pc.seq, pc.initiatedEventId, pc.workflowId,
          child.runId, child.failure);
      case TERMINATED -> new EventAttributes.ChildWorkflowExecutionTerminated(pc.seq, pc.initiatedEventId,
          pc.workflowId, child.runId, child.failure);
      default -> throw new IllegalStateException("child run " + child.runId + " is " + child.status
          + ", not the end of its chain");
    };
  }

  /** The cause a parent sees when its child could not be started. */
  static FailureInfo alreadyStarted(String message) {
    return new FailureInfo(FailureInfo.APPLICATION, ALREADY_STARTED, message, "", null, true, Map.of(), null);
  }
}
