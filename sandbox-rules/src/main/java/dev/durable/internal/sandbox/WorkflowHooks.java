package dev.durable.internal.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * What shims and guards ask of the workflow run the current thread belongs to. Implemented by
 * the runtime; every method returns values that are the same on replay.
 */
public interface WorkflowHooks {
  /** Returns the workflow time (never moves backwards within a run). */
  Instant now();

  /** Returns the run's deterministic random source. */
  Random random();

  /** Returns a deterministic random UUID. */
  UUID randomUUID();

  /** Sleeps on a durable timer. */
  void sleep(Duration duration);

  /**
   * Waits durably until {@code condition} holds ({@code Workflow.await}): the condition is checked
   * again whenever the run's state changes, as by a signal or an update.
   *
   * @param timeout how long to wait at most, on a durable timer; null: no limit
   * @return whether the condition holds (false: the timer fired first)
   */
  boolean await(Duration timeout, BooleanSupplier condition);

  /** Reports a violation; throws it when the sandbox enforces. */
  void violation(Violation violation);

  /**
   * The version of the replay semantics the run started with (the runtime's {@code
   * ReplaySemantics}). A shim added in a later version does what the plain call does for a run
   * started before it, so that the run replays as it ran: see {@link Shims#JAVA17_SHIMS}.
   */
  default int replaySemantics() {
    return Integer.MAX_VALUE;
  }
}
