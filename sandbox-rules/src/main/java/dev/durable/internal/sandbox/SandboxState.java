package dev.durable.internal.sandbox;

/**
 * Marks workflow threads. It is null on every other thread, so a shim or guard off a workflow
 * thread costs one thread-local load.
 */
public final class SandboxState {
  private static final ThreadLocal<SandboxState> CURRENT = new ThreadLocal<>();

  final WorkflowHooks hooks;
  boolean inGuard;

  private SandboxState(WorkflowHooks hooks) {
    this.hooks = hooks;
  }

  /** Marks the calling thread as running workflow code of the run behind {@code hooks}. Returns the previous hooks. */
  public static WorkflowHooks enter(WorkflowHooks hooks) {
    SandboxState prev = CURRENT.get();
    CURRENT.set(new SandboxState(hooks));
    return prev == null ? null : prev.hooks;
  }

  /** Restores the marking {@link #enter} replaced (null clears it). */
  public static void restore(WorkflowHooks previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(new SandboxState(previous));
    }
  }

  /** Returns the hooks of the calling workflow thread, or null on any other thread. */
  public static WorkflowHooks hooks() {
    SandboxState s = CURRENT.get();
    return s == null ? null : s.hooks;
  }

  static SandboxState current() {
    return CURRENT.get();
  }
}
