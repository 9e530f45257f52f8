package dev.durable.failure;

/** Which limit a {@link TimeoutFailure} hit. */
public enum TimeoutType {
  /** One attempt ran longer than its start-to-close timeout (retried). */
  START_TO_CLOSE,
  /** The task waited in its queue longer than its schedule-to-start timeout (not retried). */
  SCHEDULE_TO_START,
  /** All attempts together took longer than the schedule-to-close timeout (not retried). */
  SCHEDULE_TO_CLOSE,
  /** An attempt did not heartbeat within its heartbeat timeout (retried). */
  HEARTBEAT,
  /** A workflow passed its workflow execution timeout; the server closed the run. */
  WORKFLOW_EXECUTION,
  /** A workflow run passed its workflow run timeout; the server closed the run. */
  WORKFLOW_RUN
}
