package dev.durable.bench;

import dev.durable.server.Durability;
import java.lang.management.ManagementFactory;

/**
 * scale (issue #6, section 3): how throughput and memory grow with the number of activity
 * threads, and whether the cost of a step grows with the length of a history. One JVM, one
 * engine per point, default durability; a warm-up run first so that the first point is not the
 * one paying for the JIT. Prints one JSON line per point:
 *
 * <ul>
 *   <li>{@code scale-hello}: {@value #HELLO_N} hello workflows, {@value HelloBench#IN_FLIGHT} in
 *       flight, with 1, 2, 4, 8 and 16 activity threads (the worker's own);
 *   <li>{@code scale-chain}: workflows of 10, 100 and 1,000 sequential activities,
 *       {@value #CHAIN_IN_FLIGHT} in flight, {@value #CHAIN_STEPS} steps in all per point. Flat
 *       {@code cpu_us_per_step} across the three means no work grows with the history.
 * </ul>
 */
final class ScaleBench {
  static final int HELLO_N = 2000;
  static final int[] THREADS = {1, 2, 4, 8, 16};
  static final int[] HISTORY_STEPS = {10, 100, 1000};
  static final int CHAIN_STEPS = 10_000;
  static final int CHAIN_IN_FLIGHT = 10;

  private ScaleBench() {}

  static void run() throws Exception {
    try (Engine e = Engine.fresh(Durability.SYNC)) {
      System.err.println("scale: warm-up");
      hello(e, 1000, "warm-");
      chain(e, 100, 10, "warm-");
    }
    for (int threads : THREADS) {
      try (Engine e = Engine.fresh(Durability.SYNC)) {
        e.startWorker(threads);
        long nanos = hello(e, HELLO_N, "");
        Report.of("scale-hello").throughput(HELLO_N, 1, Report.seconds(nanos)).durable(Durability.SYNC)
            .set("activity_threads", threads).set("cpu_ms_per_wf", Load.lastCpuNanos / 1e6 / HELLO_N)
            .set("heap_mb", heapMbAfterGc())
            .notes(Load.cpuNote(HELLO_N) + "; " + HelloBench.IN_FLIGHT + " client threads; activities on at most "
                + threads + " of the worker's own activity threads; heap_mb = used heap after GC at the end,"
                + " engine open; after a warm-up of 1000 workflows in this JVM")
            .print();
      }
    }
    for (int steps : HISTORY_STEPS) {
      try (Engine e = Engine.fresh(Durability.SYNC)) {
        int workflows = CHAIN_STEPS / steps;
        long nanos = chain(e, workflows, steps, "");
        Report.of("scale-chain").throughput(workflows, steps, Report.seconds(nanos)).durable(Durability.SYNC)
            .set("history_steps", steps).set("history_events", 3 * steps + 3)
            .set("cpu_us_per_step", Load.lastCpuNanos / 1e3 / CHAIN_STEPS).set("heap_mb", heapMbAfterGc())
            .notes(Load.cpuNote(workflows) + "; " + workflows + " workflows of " + steps + " sequential activities, "
                + CHAIN_IN_FLIGHT + " in flight (" + CHAIN_STEPS + " steps per point); cpu_us_per_step = process CPU"
                + " / steps; heap_mb = used heap after GC at the end, engine open; after a warm-up in this JVM; "
                + Engine.WORKER_SETTINGS)
            .print();
      }
    }
  }

  private static long hello(Engine e, int n, String prefix) throws Exception {
    return Load.run(n, HelloBench.IN_FLIGHT,
        i -> e.newStub(Workflows.Hello.class, prefix + "hello-" + i).sayHello("n" + i), i -> "Hello, n" + i + "!");
  }

  private static long chain(Engine e, int n, int steps, String prefix) throws Exception {
    return Load.run(n, CHAIN_IN_FLIGHT, i -> e.newStub(Workflows.Chain.class, prefix + "chain-" + i).count(steps),
        i -> steps);
  }

  static double heapMbAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }
}
