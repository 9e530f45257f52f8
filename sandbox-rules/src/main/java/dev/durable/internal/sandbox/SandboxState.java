package dev.durable.internal.sandbox;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Marks workflow threads. It is null on every other thread, so a shim or guard off a workflow
 * thread costs one thread-local load, and only a volatile read while no thread is marked (class
 * loading at start, a process whose workers are idle).
 */
public final class SandboxState {
  private static final ThreadLocal<SandboxState> CURRENT = new ThreadLocal<>();
  /** How many threads are marked now; a thread is counted before it is marked and after it is cleared. */
  private static final AtomicInteger MARKED = new AtomicInteger();

  final WorkflowHooks hooks;
  boolean inGuard;

  private SandboxState(WorkflowHooks hooks) {
    this.hooks = hooks;
  }

  /** Marks the calling thread as running workflow code of the run behind {@code hooks}. Returns the previous hooks. */
  public static WorkflowHooks enter(WorkflowHooks hooks) {
    SandboxState prev = CURRENT.get();
    if (prev == null) {
      MARKED.incrementAndGet();
    }
    CURRENT.set(new SandboxState(hooks));
    return prev == null ? null : prev.hooks;
  }

  /** Restores the marking {@link #enter} replaced (null clears it). */
  public static void restore(WorkflowHooks previous) {
    boolean marked = CURRENT.get() != null;
    if (previous == null) {
      if (marked) {
        CURRENT.remove();
        MARKED.decrementAndGet();
      }
    } else {
      if (!marked) {
        MARKED.incrementAndGet();
      }
      CURRENT.set(new SandboxState(previous));
    }
  }

  /** Returns the hooks of the calling workflow thread, or null on any other thread. */
  public static WorkflowHooks hooks() {
    SandboxState s = current();
    return s == null ? null : s.hooks;
  }

  /** How many threads are marked now (for tests). */
  static int markedThreads() {
    return MARKED.get();
  }

  static SandboxState current() {
    return MARKED.get() == 0 ? null : CURRENT.get();
  }
}
