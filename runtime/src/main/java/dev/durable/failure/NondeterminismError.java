package dev.durable.failure;

/**
 * Replay found that the workflow code no longer does what its history recorded (code
 * DURABLE-110). The message names the workflow, the history event, what history recorded there,
 * what the code did instead and the source line that did it.
 *
 * <p>By default it fails the workflow <i>task</i>: the workflow keeps running and the task is
 * retried with backoff until compatible code is deployed. It is an {@code Error}, so
 * {@code catch (Exception e)} in workflow code cannot swallow it.
 */
public final class NondeterminismError extends Error {
  /**
   * Creates the error.
   *
   * @param message the full explanation, starting with {@code DURABLE-110}
   */
  public NondeterminismError(String message) {
    super(message);
  }
}
