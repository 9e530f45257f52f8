package dev.durable.internal.worker;

import dev.durable.internal.LazyLogger;
import dev.durable.internal.sandbox.Sandbox;
import java.util.concurrent.atomic.AtomicBoolean;

/** Tells, once per JVM, that workflows run without the determinism sandbox, or refuses to. */
public final class SandboxCheck {
  private static final System.Logger LOG = LazyLogger.of(SandboxCheck.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  static final String FLAG = "-javaagent:/path/to/durable.jar";

  private SandboxCheck() {}

  /** Fails with DURABLE-121 when {@code required} and the agent is absent; else warns once. */
  public static void check(boolean required) {
    if (Sandbox.isInstalled()) {
      if (Sandbox.mode() == Sandbox.Mode.OFF && WARNED.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "DURABLE-120 the determinism sandbox is switched off (mode=off):"
            + " workflow code is not checked and Instant.now(), new Random(), Thread.sleep() are not made deterministic.");
      }
      return;
    }
    if (required) {
      throw new IllegalStateException("DURABLE-121 this worker requires the determinism sandbox, but the JVM was not"
          + " started with the agent. Add " + FLAG + " to the java command line (see docs/sandbox.md).");
    }
    if (WARNED.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, "DURABLE-120 the determinism sandbox is off: the JVM was started without "
          + FLAG + ". Workflows still run, and Workflow.now()/sleep()/newRandom() stay deterministic, but plain"
          + " Instant.now(), new Random(), Thread.sleep() and I/O in workflow code are neither made deterministic nor"
          + " reported. Add the flag, or call setRequireSandbox(true) to refuse to start without it.");
    }
  }
}
