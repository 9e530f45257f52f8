package dev.durable.bench;

import dev.durable.server.Durability;
import java.util.Arrays;

/** latency: 50 warm-up, then 300 hello workflows one at a time; start-to-result percentiles. */
final class LatencyBench {
  static final int WARM_UP = Integer.getInteger("bench.latency.warmup", 50);
  static final int N = 300;

  private LatencyBench() {}

  static void run(Durability durability, boolean remote) {
    try (Engine e = Engine.fresh(durability, remote)) {
      for (int i = 0; i < WARM_UP; i++) {
        Main.check("Hello, w" + i + "!", e.newStub(Workflows.Hello.class, "warm-" + i).sayHello("w" + i), "warm-up " + i);
      }
      long[] nanos = new long[N];
      Load.ThreadTimes times0 = Load.ThreadTimes.now();
      long cpu0 = Load.processCpuNanos();
      Profiler.start("latency");
      for (int i = 0; i < N; i++) {
        var stub = e.newStub(Workflows.Hello.class, "latency-" + i);
        String name = "n" + i; // made before the clock starts: only start -> result is timed
        long t0 = System.nanoTime();
        String greeting = stub.sayHello(name);
        nanos[i] = System.nanoTime() - t0;
        Main.check("Hello, n" + i + "!", greeting, "workflow latency-" + i);
      }
      Profiler.stop();
      long cpuNanos = Load.processCpuNanos() - cpu0;
      Load.ThreadTimes times = Load.ThreadTimes.now().since(times0);
      long total = Arrays.stream(nanos).sum();
      Arrays.sort(nanos);
      Report.of(remote ? "latency-remote" : "latency").throughput(N, 1, Report.seconds(total))
          .set("p50_ms", Report.millis(percentile(nanos, 50)))
          .set("p99_ms", Report.millis(percentile(nanos, 99)))
          .durable(durability)
          .notes("one client thread, start -> result through the typed stub; min " + Report.round(Report.millis(nanos[0]))
              + " ms, max " + Report.round(Report.millis(nanos[N - 1])) + " ms; seconds = sum of the " + N
              + " latencies; in the measured window: process CPU " + Report.round(cpuNanos / 1e6 / N)
              + " ms per workflow" + times.noteAfterSemicolon() + "; " + Engine.settings(remote))
          .print();
    }
  }

  /** The nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
