package dev.durable.internal.model;

/**
 * Versions of the engine's replay semantics: how shims, markers and command matching behave.
 * Each run records the version it started with in {@code WorkflowExecutionStarted}; a newer
 * engine that changes the semantics keeps replaying old runs the old way.
 */
public final class ReplaySemantics {
  /** The first release. */
  public static final int V1 = 1;
  /** The semantics new runs start with. */
  public static final int CURRENT = V1;

  private ReplaySemantics() {}
}
