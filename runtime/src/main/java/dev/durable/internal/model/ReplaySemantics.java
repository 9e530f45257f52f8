package dev.durable.internal.model;

/**
 * Versions of the engine's replay semantics: how shims, markers and command matching behave.
 * Each run records the version it started with in {@code WorkflowExecutionStarted}; a newer
 * engine that changes the semantics keeps replaying old runs the old way.
 */
public final class ReplaySemantics {
  /** The first release. */
  public static final int V1 = 1;
  /**
   * Cancellation scopes: canceling the scope of a pending activity records a request to cancel it
   * ({@code ActivityTaskCancelRequested}), and a scope's timers are canceled when it is (in the
   * order they were started). Under V1 a workflow cancel only ended the wait for an activity, and
   * each thread waiting for a timer canceled it when it woke.
   */
  public static final int V2_ACTIVITY_CANCELLATION = 2;
  /** The semantics new runs start with. */
  public static final int CURRENT = V2_ACTIVITY_CANCELLATION;

  private ReplaySemantics() {}
}
