package dev.durable.bench.jmh;

import dev.durable.common.RetryOptions;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.EventAttributes.ActivityTaskScheduled;
import dev.durable.internal.model.EventAttributes.WorkflowTaskCompleted;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.rocks.RocksStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One store transition as a completed workflow task writes it: the run's state plus two events
 * (WorkflowTaskCompleted, ActivityTaskScheduled) in one RocksDB write batch, synced (SYNC) or not
 * (ASYNC); from one thread, and from four at once, where synced writes share fsyncs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StoreBenchmark {
  @Param({"SYNC", "ASYNC"})
  public String durability;

  private Path dir;
  private RocksStore store;
  private ExecutionState state;
  private ActivityTaskScheduled scheduled;
  private final AtomicLong nextEventId = new AtomicLong(2);

  @Setup
  public void open() throws IOException {
    dir = Files.createTempDirectory("durable-jmh-store-");
    store = RocksStore.open(dir, "SYNC".equals(durability));
    Instant now = Instant.now();
    state = new ExecutionState();
    state.workflowId = "bench-1";
    state.runId = UUID.randomUUID().toString();
    state.workflowType = "Hello";
    state.taskQueue = "bench";
    state.startTime = now;
    state.workflowTaskTimeout = Duration.ofSeconds(10);
    scheduled = new ActivityTaskScheduled(1, "Greet", null, List.of(JsonConverter.DEFAULT.toPayload("World", () -> "input")),
        new ActivitySpec(null, Duration.ofSeconds(10), null, null, RetryPolicy.of(RetryOptions.getDefaultInstance())));
    store.apply(new Store.Transition(state, List.of(), true, true));
  }

  @TearDown
  public void close() throws IOException {
    store.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public void transition() {
    apply();
  }

  @Benchmark
  @Threads(4)
  public void transitionFrom4Threads() {
    apply();
  }

  private void apply() {
    long id = nextEventId.getAndAdd(2);
    Instant now = Instant.now();
    store.apply(new Store.Transition(state, List.of(
        new HistoryEvent(id, now, new WorkflowTaskCompleted(id - 1, now, "bench")),
        new HistoryEvent(id + 1, now, scheduled)), false, true));
  }
}
