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

  /**
   * Returns the task token of this attempt: printable, URL-safe text that names the workflow run,
   * the activity and the attempt. Hand it to whoever completes the activity later, with
   * {@link dev.durable.client.ActivityCompletionClient} (see {@link #doNotCompleteOnReturn()}).
   * It stays valid across server restarts, until the attempt ends; a retry is a new attempt with
   * a new token.
   */
  String getTaskToken();

  /**
   * Makes the return of the activity method report nothing: the attempt stays started on the
   * server until someone completes, fails or cancels it by its {@linkplain #getTaskToken() task
   * token} with {@link dev.durable.client.ActivityCompletionClient}, or until its start-to-close
   * or heartbeat timeout fires (then the retry policy applies as for any attempt). The worker's
   * activity slot is free as soon as the method returns. An exception thrown by the method still
   * fails the attempt.
   *
   * <pre>{@code
   * public void requestApproval(String orderId) {
   *   ActivityExecutionContext ctx = Activity.getExecutionContext();
   *   approvals.ask(orderId, ctx.getTaskToken()); // the approver's tool completes it later
   *   ctx.doNotCompleteOnReturn();
   * }
   * }</pre>
   */
  void doNotCompleteOnReturn();
}
