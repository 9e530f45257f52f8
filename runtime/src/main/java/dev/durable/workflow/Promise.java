package dev.durable.workflow;

import dev.durable.internal.replay.Promises;
import java.time.Duration;
import java.util.Collection;

/**
 * The result of work that runs alongside the workflow code: an activity started with
 * {@link Async}, a {@link Workflow#newPromise() completable promise}, or a promise derived from
 * others. Promises are deterministic: they complete in the order history records their outcomes,
 * so replay reaches the same state.
 *
 * <p>Callbacks given to {@link #thenApply} and {@link #handle} run as soon as the promise
 * completes, possibly outside any workflow thread; they must not block (no activities, sleeps or
 * {@code get()} on incomplete promises).
 *
 * @param <T> the type of the value
 */
public interface Promise<T> {
  /**
   * Blocks the workflow thread until the promise completes and returns its value.
   *
   * @return the value
   * @throws RuntimeException the failure the promise completed with, such as an
   *     {@link dev.durable.failure.ActivityFailure}
   * @throws dev.durable.failure.CanceledFailure when the workflow is canceled while waiting
   */
  T get();

  /**
   * Like {@link #get()}, waiting at most {@code timeout} on a durable timer. A timeout is not a
   * failure: this returns null and the promise stays pending, to be waited for again or given up
   * on. Call {@link #isCompleted()} to tell a timeout from a null value.
   *
   * <pre>{@code
   * String answer = approval.get(Duration.ofDays(2));
   * if (!approval.isCompleted()) { escalate(); }
   * }</pre>
   *
   * @param timeout the longest wait; zero or negative does not wait (and starts no timer)
   * @return the value, or null if the promise has not completed within {@code timeout}
   * @throws RuntimeException the failure the promise completed with
   * @throws dev.durable.failure.CanceledFailure when the workflow is canceled while waiting
   */
  T get(Duration timeout);

  /** Returns whether the promise has completed, with a value or a failure. Never blocks. */
  boolean isCompleted();

  /**
   * Blocks until the promise completes and returns its failure, or null when it completed with a value.
   *
   * @return the failure, or null
   */
  RuntimeException getFailure();

  /**
   * Returns a promise of {@code fn} applied to this promise's value. If this promise fails, or
   * {@code fn} throws, the returned promise fails with that exception.
   *
   * @param fn computes the new value; must not block
   * @param <R> the new value's type
   * @return the derived promise
   */
  <R> Promise<R> thenApply(Functions.Func1<? super T, ? extends R> fn);

  /**
   * Returns a promise of {@code fn} applied to this promise's outcome: the value and null on
   * success, null and the failure on failure. Use it to recover from a failure.
   *
   * @param fn computes the new value; must not block
   * @param <R> the new value's type
   * @return the derived promise
   */
  <R> Promise<R> handle(Functions.Func2<? super T, RuntimeException, ? extends R> fn);

  /**
   * Returns a promise that completes when every one of {@code promises} has completed, or fails
   * as soon as one of them fails (with that failure).
   *
   * @param promises the promises to wait for
   * @return a promise of null
   */
  static Promise<Void> allOf(Collection<? extends Promise<?>> promises) {
    return Promises.allOf(promises);
  }

  /**
   * Returns a promise that completes when every one of {@code promises} has completed, or fails
   * as soon as one of them fails.
   *
   * @param promises the promises to wait for
   * @return a promise of null
   */
  static Promise<Void> allOf(Promise<?>... promises) {
    return Promises.allOf(java.util.List.of(promises));
  }

  /**
   * Returns a promise that completes as the first of {@code promises} to complete does: with its
   * value or its failure. If several have already completed, the first in iteration order wins.
   *
   * @param promises at least one promise
   * @param <V> the type of the values
   * @return the promise of the first outcome
   */
  static <V> Promise<V> anyOf(Collection<? extends Promise<? extends V>> promises) {
    return Promises.anyOf(promises);
  }

  /**
   * Returns a promise that completes as the first of {@code promises} to complete does.
   *
   * @param promises at least one promise
   * @return the promise of the first outcome
   */
  static Promise<Object> anyOf(Promise<?>... promises) {
    return Promises.anyOf(java.util.List.of(promises));
  }
}
