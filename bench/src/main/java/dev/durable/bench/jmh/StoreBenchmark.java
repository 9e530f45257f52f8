package dev.durable.bench.jmh;

import dev.durable.common.RetryOptions;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.EventAttributes.ActivityTaskCompleted;
import dev.durable.internal.model.EventAttributes.ActivityTaskScheduled;
import dev.durable.internal.model.EventAttributes.WorkflowExecutionCompleted;
import dev.durable.internal.model.EventAttributes.WorkflowExecutionStarted;
import dev.durable.internal.model.EventAttributes.WorkflowTaskCompleted;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.model.RunIds;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.rocks.RocksStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * (ASYNC); from one thread, and from four at once, where synced writes share fsyncs. The
 * {@code hello} benchmarks write the four transitions of a hello workflow on a new run each time
 * (start, task completed with the activity scheduled, activity completed, task completed with the
 * run), so the listing indexes and the open set change the way they do in the engine; run ids are
 * made as the engine makes them ({@code RunIds}), which decides where in RocksDB's tables their keys go.
 *
 * <p>Wall time per operation on a shared machine mostly measures the load and the fsyncs; after
 * each iteration the benchmark also prints, on stderr, the CPU per operation: of the whole process
 * (RocksDB's flushes and compactions, but also the JIT and GC) and of the benchmark threads alone
 * (their own writes, and as write-group leaders the memtable inserts, log writes and fsyncs of
 * the others).
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
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong ops = new AtomicLong();
  private long workerCpuAtStart;
  private Payload name;
  private Payload greeting;
  private long cpuAtStart;
  private long opsAtStart;

  @Setup
  public void open() throws IOException {
    dir = Files.createTempDirectory("durable-jmh-store-");
    store = RocksStore.open(dir, "SYNC".equals(durability));
    Instant now = Instant.now();
    state = new ExecutionState();
    state.workflowId = "bench-1";
    state.runId = RunIds.next(now);
    state.workflowType = "Hello";
    state.taskQueue = "bench";
    state.startTime = now;
    state.workflowTaskTimeout = Duration.ofSeconds(10);
    name = JsonConverter.DEFAULT.toPayload("World", () -> "input");
    greeting = JsonConverter.DEFAULT.toPayload("Hello, World!", () -> "result");
    scheduled = new ActivityTaskScheduled(1, "Greet", null, List.of(name),
        new ActivitySpec(null, Duration.ofSeconds(10), null, null, RetryPolicy.of(RetryOptions.getDefaultInstance())));
    store.apply(new Store.Transition(state, List.of(), true, true));
  }

  /** Marks the start of a measured (or warm-up) iteration for the CPU figure. */
  @Setup(Level.Iteration)
  public void iterationStart() {
    cpuAtStart = processCpuNanos();
    opsAtStart = ops.get();
    workerCpuAtStart = workerCpuNanos();
  }

  /** Prints the CPU per operation of the iteration that just ended. */
  @TearDown(Level.Iteration)
  public void iterationEnd() {
    long n = ops.get() - opsAtStart;
    if (n > 0) {
      System.err.printf("  [cpu] %.1f us of process CPU per op, [threads] %.1f us of benchmark-thread CPU per op"
          + " (%d ops)%n", (processCpuNanos() - cpuAtStart) / 1e3 / n, (workerCpuNanos() - workerCpuAtStart) / 1e3 / n, n);
    }
  }

  /** The CPU time of the benchmark's worker threads so far. */
  private static long workerCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
      if (t.getThreadName().contains("jmh-worker")) {
        sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
      }
    }
    return sum;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  @TearDown
  public void close() throws IOException {
    store.close();
    TempDirs.delete(dir);
  }

  @Benchmark
  public void hello() {
    helloRun();
  }

  @Benchmark
  @Threads(4)
  public void helloFrom4Threads() {
    helloRun();
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

  private void helloRun() {
    ops.incrementAndGet();
    long n = runs.incrementAndGet();
    Instant now = Instant.now();
    ExecutionState s = new ExecutionState();
    s.workflowId = "hello-" + n;
    s.runId = RunIds.next(now);
    s.workflowType = "Hello";
    s.taskQueue = "bench";
    s.startTime = now;
    s.workflowTaskTimeout = Duration.ofSeconds(10);
    s.workflowTaskPending = true;
    s.nextEventId = 2;
    store.apply(new Store.Transition(s, List.of(new HistoryEvent(1, now, new WorkflowExecutionStarted(s.workflowId,
        s.workflowType, s.taskQueue, List.of(name), s.workflowTaskTimeout, 2, null, null, null))), true, true));
    s.workflowTaskPending = false;
    s.lastCompletedTaskEventId = 2;
    PendingActivity a = new PendingActivity();
    a.seq = 1;
    a.scheduledEventId = 3;
    a.activityType = "Greet";
    a.spec = scheduled.spec();
    a.scheduledTime = now;
    a.attemptScheduledTime = now;
    s.activities.put(1, a);
    s.nextEventId = 4;
    store.apply(new Store.Transition(s, List.of(new HistoryEvent(2, now, new WorkflowTaskCompleted(1, now, "bench")),
        new HistoryEvent(3, now, scheduled)), false, true));
    s.activities.clear();
    s.workflowTaskPending = true;
    s.nextEventId = 5;
    store.apply(new Store.Transition(s, List.of(new HistoryEvent(4, now,
        new ActivityTaskCompleted(1, 3, 1, greeting))), false, true));
    s.workflowTaskPending = false;
    s.lastCompletedTaskEventId = 5;
    s.status = WorkflowStatus.COMPLETED;
    s.closeTime = now;
    s.result = greeting;
    s.nextEventId = 7;
    store.apply(new Store.Transition(s, List.of(new HistoryEvent(5, now, new WorkflowTaskCompleted(4, now, "bench")),
        new HistoryEvent(6, now, new WorkflowExecutionCompleted(greeting))), false, true));
  }

  private void apply() {
    ops.incrementAndGet();
    long id = nextEventId.getAndAdd(2);
    Instant now = Instant.now();
    store.apply(new Store.Transition(state, List.of(
        new HistoryEvent(id, now, new WorkflowTaskCompleted(id - 1, now, "bench")),
        new HistoryEvent(id + 1, now, scheduled)), false, true));
  }
}
