package dev.durable.workflow;

import dev.durable.internal.replay.CancellationScopeImpl;

/**
 * A part of workflow code that can be canceled as a whole. Canceling a scope cancels the timers
 * and activities started in it (and in the {@code Async} work and child scopes started from it):
 * a blocked call in it throws {@link dev.durable.failure.CanceledFailure} (or an
 * {@link dev.durable.failure.ActivityFailure} caused by one, for an activity), and every later
 * blocking call in it throws {@code CanceledFailure} at once.
 *
 * <p>The workflow method runs in the root scope; {@code WorkflowStub.cancel()} cancels it. A
 * scope made with {@link Workflow#newDetachedCancellationScope} is not canceled with its parent,
 * which makes it the place for clean-up that must run after the workflow was canceled:
 *
 * <pre>{@code
 * try {
 *   booking.reserve(trip);
 *   Workflow.sleep(Duration.ofDays(7));
 * } catch (CanceledFailure e) {
 *   Workflow.newDetachedCancellationScope(() -> booking.release(trip)).run();
 *   throw e; // the run ends as CANCELED
 * }
 * }</pre>
 *
 * <p>Scopes are as deterministic as the rest of the workflow: cancellation from code happens at
 * the same point on replay, and a workflow cancel request is delivered at the point history
 * recorded it.
 */
public interface CancellationScope extends Runnable {

  /** Runs the scope's code on the calling workflow thread, with this scope as the current one. */
  @Override
  void run();

  /** Cancels the scope and its non-detached child scopes; does nothing when already canceled. */
  void cancel();

  /**
   * Cancels the scope and its non-detached child scopes, with a reason the {@code CanceledFailure}
   * messages quote.
   *
   * @param reason why, for messages
   */
  void cancel(String reason);

  /** Returns whether this scope was canceled (directly, or through a parent). */
  boolean isCancelRequested();

  /** Returns whether this scope is detached: not canceled when its parent is. */
  boolean isDetached();

  /** Returns the reason given to {@link #cancel(String)}, or null while not canceled. */
  String getCancellationReason();

  /** Returns a promise that completes with the reason when the scope is canceled. */
  Promise<String> getCancellationRequest();

  /**
   * Returns the scope the calling workflow code runs in.
   *
   * @throws IllegalStateException (DURABLE-210) outside workflow code
   */
  static CancellationScope current() {
    return CancellationScopeImpl.current();
  }
}
