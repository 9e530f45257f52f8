package dev.durable.workflow;

/**
 * A promise that workflow code completes itself, for example from a signal handler that the
 * workflow method waits for. Created by {@link Workflow#newPromise()}.
 *
 * @param <T> the type of the value
 */
public interface CompletablePromise<T> extends Promise<T> {
  /**
   * Completes the promise with {@code value}, unless it has already completed.
   *
   * @param value the value, may be null
   * @return true if this call completed the promise, false if it was already completed
   */
  boolean complete(T value);

  /**
   * Completes the promise with {@code failure}, unless it has already completed; {@code get()}
   * then throws it.
   *
   * @param failure the failure, not null
   * @return true if this call completed the promise, false if it was already completed
   */
  boolean completeExceptionally(RuntimeException failure);
}
