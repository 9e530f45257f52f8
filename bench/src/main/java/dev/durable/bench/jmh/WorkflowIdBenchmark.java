package dev.durable.bench.jmh;

import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.RunIds;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.rocks.RocksStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The lookup every start of a workflow id makes: which run the id has, answered by the store for
 * an id it does not hold in memory (a fresh store after a reopen). {@code newId} looks up ids that
 * were never started (every new workflow's start; their keys fall among the stored ones, as new
 * ids do), {@code knownId} ids that were. The store holds {@code ids} workflow ids, written in
 * eight parts with a reopen after each, so they are in several table files as in a store that has
 * been running for a while.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class WorkflowIdBenchmark {
  private static final int PARTS = 8;

  @Param({"400000"})
  public int ids;

  private Path dir;
  private RocksStore store;
  private long next;

  @Setup
  public void fill() throws IOException {
    dir = Files.createTempDirectory("durable-jmh-ids-");
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int part = 0; part < PARTS; part++) {
      try (RocksStore s = RocksStore.open(dir, false)) { // closing flushes this part into a table file
        List<Store.Transition> batch = new ArrayList<>();
        for (int i = part * (ids / PARTS); i < (part + 1) * (ids / PARTS); i++) {
          ExecutionState e = new ExecutionState();
          e.workflowId = "order-" + i;
          e.runId = RunIds.next(start.plusMillis(i));
          e.workflowType = "Order";
          e.taskQueue = "orders";
          e.startTime = start.plusMillis(i);
          batch.add(new Store.Transition(e, List.of(), true, false));
          if (batch.size() == 1_000) {
            s.applyAll(batch);
            batch.clear();
          }
        }
        if (!batch.isEmpty()) {
          s.applyAll(batch);
        }
      }
    }
    store = RocksStore.open(dir, false);
  }

  @TearDown
  public void close() throws IOException {
    store.close();
    TempDirs.delete(dir);
  }

  @Benchmark
  public Object newId() {
    return store.currentRunId("order-" + (ids + next++)); // among the stored ids' keys, but never stored
  }

  @Benchmark
  public Object knownId() {
    return store.currentRunId("order-" + Math.floorMod(next++ * 7919, ids));
  }
}
