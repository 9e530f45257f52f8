package dev.durable.internal.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Workflow hooks with fixed answers, recording sleeps and violations: a workflow thread without a runtime. */
public final class FakeHooks implements WorkflowHooks {
  /** The workflow time every shim reads. */
  public static final Instant NOW = Instant.parse("2031-02-03T04:05:06.007008009Z");
  /** The seed of the run's random stream. */
  public static final long SEED = 7;
  /** What {@link #randomUUID()} returns. */
  public static final UUID UUID_VALUE = UUID.fromString("00000000-0000-4000-8000-000000000042");

  public final Random random = new Random(SEED);
  public final List<Duration> sleeps = new ArrayList<>();
  public final List<Violation> violations = new ArrayList<>();
  /** The replay semantics of the run: every shim acts unless a test sets an older one. */
  public int replaySemantics = Integer.MAX_VALUE;
  /** Runs inside {@link #violation} after recording it, to test reentrancy or throwing. */
  public Consumer<Violation> onViolation = v -> {};

  @Override
  public Instant now() {
    return NOW;
  }

  @Override
  public Random random() {
    return random;
  }

  @Override
  public UUID randomUUID() {
    return UUID_VALUE;
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
  }

  /**
   * Runs inside {@link #await} before the condition is checked: what a signal handler would do
   * while the workflow thread waits (count a latch down, complete a future), or nothing.
   */
  public Runnable whileAwaiting = () -> {};
  /** The timeout of each {@link #await} (null: none). */
  public final List<Duration> awaits = new ArrayList<>();

  @Override
  public boolean await(Duration timeout, BooleanSupplier condition) {
    awaits.add(timeout);
    whileAwaiting.run();
    return condition.getAsBoolean();
  }

  @Override
  public int replaySemantics() {
    return replaySemantics;
  }

  @Override
  public void violation(Violation violation) {
    violations.add(violation);
    onViolation.accept(violation);
  }
}
