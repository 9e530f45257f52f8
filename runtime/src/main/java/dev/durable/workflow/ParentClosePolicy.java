package dev.durable.workflow;

/**
 * What happens to a child workflow that is still running when its parent run closes (completes,
 * fails, is canceled, terminated, times out or continues as new). The server applies it, also
 * after a restart that happened between the parent's close and the child's.
 */
public enum ParentClosePolicy {
  /** The child is terminated (the default): no child outlives the run that waits for it. */
  TERMINATE,
  /** The child is asked to cancel: its next blocking call throws {@code CanceledFailure}. */
  REQUEST_CANCEL,
  /** The child runs on as if it had been started by a client. */
  ABANDON
}
