package dev.durable.internal.model;

/** Server-side state of one child workflow between its initiation and its outcome in the parent. */
public final class PendingChild {
  /** Recorded in the parent; the child is not started yet (the server starts it, again after a crash). */
  public static final String INITIATED = "INITIATED";
  /** The child run is started; its outcome is recorded in the parent when its chain closes. */
  public static final String STARTED = "STARTED";

  public int seq;
  public long initiatedEventId;
  public String workflowId;
  public String workflowType;
  /** The first run of the child, once started. */
  public String runId;
  public String state = INITIATED;
  public String parentClosePolicy;
  /** Whether the parent asked the child to cancel; a child not started yet starts with the request. */
  public boolean cancelRequested;
  /** Ids of the parent's SignalChildWorkflowExecutionInitiated events not yet delivered to the child. */
  public java.util.List<Long> signalsToDeliver = new java.util.ArrayList<>();
}
