package dev.durable.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/** Makes {@code n} blocking client calls with at most {@code inFlight} at once, one client thread each. */
final class Load {
  /** Process CPU nanoseconds (all threads) spent during the last {@link #run}. */
  static volatile long lastCpuNanos;
  /** The wall nanoseconds of the slowest call of the last run, and of its 99th percentile. */
  static volatile long lastSlowestNanos;
  static volatile long lastP99Nanos;
  /** The JIT compiler threads' CPU and the other threads' run-queue wait during the last {@link #run}. */
  static volatile ThreadTimes lastThreadTimes = new ThreadTimes(-1, -1);

  private Load() {}

  /** Returns the CPU time of this process so far, in nanoseconds (-1 if the JVM cannot tell). */
  static long processCpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  /**
   * Describes the CPU time per workflow of the last run (unlike the wall-clock figures, it barely
   * moves when other processes share the machine) and its calls' latency: a slowest call far above
   * the p99 is one workflow held up, not a slow machine.
   */
  static String cpuNote(int workflows) {
    return "process CPU " + Report.round(lastCpuNanos / 1e6 / workflows) + " ms per workflow"
        + (lastThreadTimes.compilerCpuMillis() >= 0 ? " (the JIT compiler threads: "
            + lastThreadTimes.compilerCpuMillis() + " ms of the round's " + Math.round(lastCpuNanos / 1e6)
            + " ms of CPU)" : "")
        + "; calls' latency p99 " + Report.round(lastP99Nanos / 1e6) + " ms, slowest "
        + Report.round(lastSlowestNanos / 1e6) + " ms";
  }

  /**
   * Warm-up rounds before the measured one: {@code -Dbench.warmup=N} (default 3; 0 measures a cold
   * JVM), or {@code steady}: at least 3, then more until the JIT compiled for less than
   * {@link #STEADY_JIT_SHARE} of a round's wall time (at most {@link #MAX_ROUNDS}).
   */
  static final String WARM_UP = System.getProperty("bench.warmup", "3");
  static final boolean STEADY = WARM_UP.equals("steady");
  static final int WARM_UP_ROUNDS = STEADY ? 3 : Integer.parseInt(WARM_UP);
  static final double STEADY_JIT_SHARE = 0.05;
  static final int MAX_ROUNDS = 30;

  /** The wall nanoseconds of the measured round and of the first (cold) round, after {@code rounds} warm-up rounds. */
  record Timing(long nanos, long coldNanos, int rounds) {
    /** Describes the warm-up for the notes, with the cold round's rate of {@code units} per workflow. */
    String note(int n, int units) {
      return rounds == 0 ? "fresh JVM, no warm-up"
          : "measured after " + rounds + " warm-up round(s) of the same " + n + " workflows in this JVM (JIT"
              + (STEADY ? ", steady: until the compilers took under " + Math.round(STEADY_JIT_SHARE * 100)
                  + " % of a round's wall time" : "") + ");"
              + " the first, cold round ran at " + Report.round(n * (double) units / Report.seconds(coldNanos))
              + " per s";
    }
  }

  /**
   * What Linux's per-thread counters say of this process's threads so far: the CPU milliseconds of
   * the JIT compiler threads, and the milliseconds every other thread spent runnable but waiting for a
   * CPU (the run queue's delay, from {@code schedstat}). -1 for what the system cannot tell. Unlike
   * {@link #jitMillis}, which counts a compilation only once it ends, this counts a long compilation
   * while it runs. On two cores the run queue's delay is where the JIT shows in the engine's latency:
   * its threads wait while both cores compile.
   */
  record ThreadTimes(long compilerCpuMillis, long runQueueMillis) {
    static ThreadTimes now() {
      long compilerTicks = 0;
      long waitNanos = 0;
      boolean schedstat = true;
      try (var threads = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
        for (Path thread : threads) {
          try {
            String name = Files.readString(thread.resolve("comm"));
            if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
              String stat = Files.readString(thread.resolve("stat"));
              String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
              compilerTicks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            } else if (schedstat) {
              waitNanos += Long.parseLong(Files.readString(thread.resolve("schedstat")).split(" ")[1]);
            }
          } catch (NoSuchFileException e) {
            schedstat = schedstat && !e.getFile().endsWith("schedstat"); // else the thread ended meanwhile
          } catch (IOException | RuntimeException e) {
            // the thread ended meanwhile
          }
        }
      } catch (IOException | RuntimeException e) {
        return new ThreadTimes(-1, -1);
      }
      return new ThreadTimes(compilerTicks * 10, schedstat ? waitNanos / 1_000_000 : -1); // USER_HZ is 100 on Linux
    }

    /** The times from {@code before} to this one (-1 where either is unknown). */
    ThreadTimes since(ThreadTimes before) {
      return new ThreadTimes(diff(compilerCpuMillis, before.compilerCpuMillis),
          diff(runQueueMillis, before.runQueueMillis));
    }

    /** {@link #note()} after "; ", or nothing when nothing is known. */
    String noteAfterSemicolon() {
      String note = note();
      return note.isEmpty() ? "" : "; " + note;
    }

    /** Describes the times for the notes. */
    String note() {
      List<String> parts = new ArrayList<>();
      if (compilerCpuMillis >= 0) {
        parts.add("the JIT compiler threads' CPU " + compilerCpuMillis + " ms");
      }
      if (runQueueMillis >= 0) {
        parts.add("the other threads' wait for a CPU (run queue) " + runQueueMillis + " ms");
      }
      return String.join(", ", parts);
    }

    private static long diff(long after, long before) {
      return after < 0 || before < 0 ? -1 : after - before;
    }
  }

  /** Milliseconds the JIT compilers worked so far (-1 if the JVM cannot tell). */
  private static long jitMillis() {
    var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
  }

  /**
   * Runs {@link #WARM_UP_ROUNDS} rounds of {@code n} calls, then the measured round (profiled if
   * {@code -Dbench.profile} is set, see {@link Profiler}). {@code call} gets a workflow id prefix,
   * different in each round, and the call's index.
   */
  static Timing measure(String workload, int n, int inFlight, BiFunction<String, Integer, Object> call,
      IntFunction<Object> expected) throws InterruptedException, ExecutionException {
    long cold = -1;
    int r = 0;
    boolean jitSettled = false;
    while (r < WARM_UP_ROUNDS || (STEADY && r < MAX_ROUNDS && !jitSettled)) {
      String prefix = "warm-up-" + r + "-";
      long jit0 = jitMillis();
      long nanos = run(n, inFlight, i -> call.apply(prefix, i), expected);
      jitSettled = jit0 >= 0 && (jitMillis() - jit0) * 1e6 < STEADY_JIT_SHARE * nanos;
      cold = cold < 0 ? nanos : cold;
      r++;
    }
    Profiler.start(workload);
    long nanos = run(n, inFlight, i -> call.apply(workload + "-", i), expected);
    Profiler.stop();
    return new Timing(nanos, cold < 0 ? nanos : cold, r);
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
      long[] took = new long[n];
      ThreadTimes times0 = ThreadTimes.now(); // first: reading /proc for every thread is not the round's CPU
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        int k = i;
        results.add(clients.submit(() -> {
          long start = System.nanoTime();
          Object result = call.apply(k);
          took[k] = System.nanoTime() - start;
          return result;
        }));
      }
      for (Future<Object> f : results) {
        f.get();
      }
      long nanos = System.nanoTime() - t0;
      lastCpuNanos = processCpuNanos() - cpu0;
      lastThreadTimes = ThreadTimes.now().since(times0);
      Arrays.sort(took); // each written before its future completed, so visible after get()
      lastSlowestNanos = took[n - 1];
      lastP99Nanos = LatencyBench.percentile(took, 99);
      for (int i = 0; i < n; i++) {
        Main.check(expected.apply(i), results.get(i).get(), "call " + i);
      }
      return nanos;
    } finally {
      clients.shutdownNow();
    }
  }
}
