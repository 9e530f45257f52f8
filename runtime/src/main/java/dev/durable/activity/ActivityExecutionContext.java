package dev.durable.activity;

import java.util.Optional;

/** What a running activity can ask of the engine; obtained with {@link Activity#getExecutionContext()}. */
public interface ActivityExecutionContext {
  /** Returns facts about this attempt. */
  ActivityInfo getInfo();

  /**
   * Records progress. The details are stored, and handed to the next attempt if this one fails
   * (see {@link #getHeartbeatDetails}). An activity with a heartbeat timeout must call this more
   * often than the timeout.
   *
   * @param details progress to keep, serializable by the data converter, or null
   * @throws dev.durable.failure.CanceledFailure if the activity is no longer needed (its workflow
   *     closed or was canceled); stop and clean up
   */
  void heartbeat(Object details);

  /**
   * Returns the details of the last heartbeat recorded before this attempt started, for example
   * to resume a long job where the previous attempt stopped.
   *
   * @param type the type to read them as
   * @return the details, or empty if none were recorded
   */
  <V> Optional<V> getHeartbeatDetails(Class<V> type);
}
