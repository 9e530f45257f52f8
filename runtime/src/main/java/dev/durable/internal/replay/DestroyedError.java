package dev.durable.internal.replay;

/**
 * Unwinds a workflow thread whose run was evicted or finished. It is an {@code Error} so that
 * {@code catch (Exception e)} in workflow code does not stop it.
 */
final class DestroyedError extends Error {
  DestroyedError() {
    super("workflow run destroyed", null, false, false);
  }
}
