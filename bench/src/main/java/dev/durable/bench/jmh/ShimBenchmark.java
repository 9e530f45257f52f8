package dev.durable.bench.jmh;

import dev.durable.internal.sandbox.SandboxState;
import dev.durable.internal.sandbox.Shims;
import dev.durable.internal.sandbox.Violation;
import dev.durable.internal.sandbox.WorkflowHooks;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a rewritten call site costs: a shim against the JDK call it replaces, off a workflow thread
 * (the shim checks a thread-local and calls the original), and on a thread marked as a workflow
 * thread (the shim asks the run's hooks).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ShimBenchmark {

  @Benchmark
  public long systemCurrentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Benchmark
  public long shimCurrentTimeMillis() {
    return Shims.currentTimeMillis();
  }

  @Benchmark
  public Instant instantNow() {
    return Instant.now();
  }

  @Benchmark
  public Instant shimInstantNow() {
    return Shims.instantNow();
  }

  /** What {@code Instant.now()} was rewritten to before {@code Shims.instantNow}: a default-zone clock per call. */
  @Benchmark
  public Instant instantNowOfTheDefaultZoneShim() {
    return Instant.now(Shims.clockDefaultZone());
  }

  @Benchmark
  public UUID uuidRandomUUID() {
    return UUID.randomUUID();
  }

  @Benchmark
  public UUID shimRandomUUID() {
    return Shims.randomUUID();
  }

  @Benchmark
  public long shimCurrentTimeMillisOnWorkflowThread(WorkflowThread marked) {
    return Shims.currentTimeMillis();
  }

  @Benchmark
  public Instant shimInstantNowOnWorkflowThread(WorkflowThread marked) {
    return Shims.instantNow();
  }

  @Benchmark
  public UUID shimRandomUUIDOnWorkflowThread(WorkflowThread marked) {
    return Shims.randomUUID();
  }

  /** Marks the benchmark thread as a workflow thread (setup runs on the thread that owns the state). */
  @State(Scope.Thread)
  public static class WorkflowThread {
    private WorkflowHooks previous;

    @Setup(Level.Iteration)
    public void enter() {
      previous = SandboxState.enter(new FixedHooks());
    }

    @TearDown(Level.Iteration)
    public void exit() {
      if (SandboxState.hooks() == null) {
        throw new IllegalStateException("the benchmark thread lost its workflow-thread mark");
      }
      SandboxState.restore(previous);
    }
  }

  /** Hooks like a workflow run's: a fixed workflow time and a seeded random stream. */
  static final class FixedHooks implements WorkflowHooks {
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Random random = new Random(42);

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public Random random() {
      return random;
    }

    @Override
    public UUID randomUUID() {
      // A version-4 UUID from the seeded stream, as the runtime makes it.
      long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
      long lsb = (random.nextLong() & ~(0xCL << 60)) | (0x8L << 60);
      return new UUID(msb, lsb);
    }

    @Override
    public void sleep(Duration duration) {
      throw new IllegalStateException("the shim benchmarks never sleep");
    }

    @Override
    public boolean await(Duration timeout, java.util.function.BooleanSupplier condition) {
      throw new IllegalStateException("the shim benchmarks never wait");
    }

    @Override
    public void violation(Violation violation) {
      throw new IllegalStateException("the shim benchmarks never report violations");
    }
  }
}
