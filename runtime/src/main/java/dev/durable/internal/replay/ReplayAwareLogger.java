package dev.durable.internal.replay;

import dev.durable.internal.LazyLogger;
import dev.durable.internal.sandbox.SandboxState;
import dev.durable.internal.sandbox.WorkflowHooks;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The logger of {@code Workflow.getLogger}: drops every message while the calling workflow code
 * replays, so a restart or a cache eviction does not log the same lines again. Off workflow
 * threads it logs like any logger.
 */
public final class ReplayAwareLogger implements System.Logger {
  private final System.Logger delegate;

  /** Creates the logger; the JDK logger behind it is looked up at its first use. */
  public ReplayAwareLogger(String name) {
    this.delegate = LazyLogger.of(name);
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public boolean isLoggable(Level level) {
    return !replaying() && outsideSandbox(() -> delegate.isLoggable(level));
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    if (!replaying()) {
      outsideSandbox(() -> {
        delegate.log(level, bundle, msg, thrown);
        return null;
      });
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    if (!replaying()) {
      outsideSandbox(() -> {
        delegate.log(level, bundle, format, params);
        return null;
      });
    }
  }

  private static boolean replaying() {
    WorkflowRun run = WorkflowRun.current();
    return run != null && run.isReplaying();
  }

  /**
   * Runs {@code call} with the determinism sandbox off: a log line is no workflow decision, and
   * under the sandbox the record would be stamped with workflow time (the sandbox redirects the
   * clock) instead of the wall-clock time an operator reading the log expects.
   */
  private static <T> T outsideSandbox(Supplier<T> call) {
    WorkflowHooks hooks = SandboxState.hooks();
    if (hooks == null) {
      return call.get();
    }
    SandboxState.restore(null);
    try {
      return call.get();
    } finally {
      SandboxState.restore(hooks);
    }
  }
}
