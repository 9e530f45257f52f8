package dev.durable.bench;

import dev.durable.server.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * replay: one workflow with 10000 completed activity steps; a new worker (empty cache) answers a
 * query, which replays the whole history. Closed runs are never cached, so every query replays.
 * Three queries on a 1,000-step workflow first warm the replay code up (as in a worker that has run
 * a while); without them the first figure is mostly the JIT compiling the decoder.
 *
 * <p>{@code -Dbench.replay.dir=<dir>} keeps the data dir: the first run builds both histories there,
 * later runs reuse them and only measure the queries (for working on replay without building
 * 10,000 steps each time). {@code -Dbench.profile} profiles the first measured query only (see
 * {@link Profiler}), or the one {@code -Dbench.replay.profiled=<index from 0>} names.
 */
final class ReplayBench {
  static final int STEPS = 10_000;
  static final int QUERIES = Integer.getInteger("bench.replay.queries", 3);
  static final int WARM_UP_STEPS = 1_000;
  /** The query that {@code -Dbench.profile} profiles: the first (0) by default. */
  static final int PROFILED = Integer.getInteger("bench.replay.profiled", 0);

  private ReplayBench() {}

  /**
   * Waits (at most 20 s) until the JIT compilers have been idle for half a second: with
   * {@code -Dbench.replay.settle=true}, the measured queries run on the code the warm-up got
   * compiled, without the compilations still queued when it ended (off by default: the figure
   * is then the first query as it comes).
   */
  private static void settleJit() {
    var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return;
    }
    long deadline = System.nanoTime() + 20_000_000_000L;
    long last = jit.getTotalCompilationTime();
    int idle = 0;
    while (idle < 5 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long now = jit.getTotalCompilationTime();
      idle = now == last ? idle + 1 : 0;
      last = now;
    }
  }

  static void run() {
    String keep = System.getProperty("bench.replay.dir");
    Path dir = keep == null ? null : Path.of(keep);
    boolean reuse = dir != null && Files.exists(dir.resolve("db").resolve("CURRENT"));
    try (Engine e = dir == null ? Engine.fresh(Durability.SYNC)
        : Engine.start(dir, Durability.SYNC, java.time.Clock.systemUTC(), true, false)) {
      long buildNanos = 0;
      if (!reuse) {
        long t0 = System.nanoTime();
        Main.check(STEPS, e.newStub(Workflows.Steps.class, "replay").run(STEPS), "the workflow of " + STEPS + " steps");
        buildNanos = System.nanoTime() - t0;
        Main.check(WARM_UP_STEPS, e.newStub(Workflows.Steps.class, "replay-warm-up").run(WARM_UP_STEPS), "warm-up workflow");
      }
      var stub = e.client.newUntypedWorkflowStub("replay");
      long events = stub.describe().orElseThrow().historyLength();

      // A worker that has been running a while has its replay code compiled: warm it on a short
      // history first, so that the figure is the replay's cost, not the JIT's.
      e.startWorker();
      for (int i = 0; i < 3; i++) {
        Main.check(WARM_UP_STEPS, e.client.newUntypedWorkflowStub("replay-warm-up").query("done", Integer.class),
            "warm-up query");
      }
      if (Boolean.getBoolean("bench.replay.settle")) {
        settleJit();
      }
      List<Double> queryMs = new ArrayList<>();
      List<Double> queryCpuMs = new ArrayList<>();
      for (int i = 0; i < QUERIES; i++) {
        System.err.println("replay: query " + (i + 1) + " of " + QUERIES);
        if (i == PROFILED) {
          Profiler.start("replay");
        }
        long c0 = Load.processCpuNanos();
        long q0 = System.nanoTime();
        Integer done = stub.query("done", Integer.class);
        queryMs.add(Report.round(Report.millis(System.nanoTime() - q0)));
        queryCpuMs.add(Report.round(Report.millis(Load.processCpuNanos() - c0)));
        if (i == PROFILED) {
          Profiler.stop();
        }
        Main.check(STEPS, done, "query result after replay");
      }
      Report r = Report.of("replay").set("n", STEPS);
      if (!reuse) {
        r.set("seconds", Report.seconds(buildNanos)).set("steps_per_s", STEPS / Report.seconds(buildNanos));
      }
      r.durable(Durability.SYNC).set("replay_ms", queryMs.get(0)).notes("history of " + events + " events " + (reuse ? "reused from " + dir : "built in 'seconds' by one workflow"
              + " (steps_per_s = its sequential step rate)") + ";"
              + " worker closed and a new one started, 3 warm-up queries on a " + WARM_UP_STEPS + "-step workflow"
              + (Boolean.getBoolean("bench.replay.settle") ? " and a wait until the JIT was idle" : "") + ", then "
              + QUERIES + " queries on the closed run, each a full replay: "
              + queryMs + " ms (replay_ms = the first), process CPU during each: " + queryCpuMs + " ms; "
              + Engine.WORKER_SETTINGS)
          .print();
    }
  }
}
