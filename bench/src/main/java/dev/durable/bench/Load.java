package dev.durable.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Makes {@code n} blocking client calls with at most {@code inFlight} at once, one client thread each. */
final class Load {
  /** Process CPU nanoseconds (all threads) spent during the last {@link #run}. */
  static volatile long lastCpuNanos;

  private Load() {}

  /** Returns the CPU time of this process so far, in nanoseconds (-1 if the JVM cannot tell). */
  static long processCpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  /**
   * Describes the CPU time per workflow of the last run: unlike the wall-clock figures, it barely
   * moves when other processes share the machine.
   */
  static String cpuNote(int workflows) {
    return "process CPU " + Report.round(lastCpuNanos / 1e6 / workflows) + " ms per workflow";
  }

  /**
   * Calls {@code call(i)} for i in [0, n), checks each result against {@code expected(i)}, and
   * returns the nanoseconds from the first call to the last result.
   */
  static long run(int n, int inFlight, IntFunction<Object> call, IntFunction<Object> expected)
      throws InterruptedException, ExecutionException {
    ExecutorService clients = Executors.newFixedThreadPool(inFlight, r -> {
      Thread t = new Thread(r, "bench-client");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Object>> results = new ArrayList<>(n);
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        int k = i;
        results.add(clients.submit(() -> call.apply(k)));
      }
      for (Future<Object> f : results) {
        f.get();
      }
      long nanos = System.nanoTime() - t0;
      lastCpuNanos = processCpuNanos() - cpu0;
      for (int i = 0; i < n; i++) {
        Main.check(expected.apply(i), results.get(i).get(), "call " + i);
      }
      return nanos;
    } finally {
      clients.shutdownNow();
    }
  }
}
