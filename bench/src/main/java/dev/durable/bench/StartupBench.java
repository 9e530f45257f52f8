package dev.durable.bench;

import dev.durable.server.Durability;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * startup: the wall time of a fresh JVM with {@code -javaagent:durable.jar} that starts the
 * engine and a worker, runs one hello workflow and exits. Timed from fork to exit by this JVM.
 */
final class StartupBench {
  static final int RUNS = 3;

  private StartupBench() {}

  static void run() {
    List<Double> seconds = new ArrayList<>();
    List<String> phases = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      ChildJvm.Result r = ChildJvm.run(true, 120, "startup-child");
      seconds.add(Report.round(Report.seconds(r.wallNanos())));
      phases.add(r.stdout());
    }
    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted[RUNS / 2];
    Report.of("startup").set("n", 1).set("seconds", median).durable(Durability.SYNC)
        .notes("median of " + RUNS + " child JVMs (-javaagent:durable.jar, default JVM flags), fork to exit: "
            + seconds + " s; inside each child (JVM start -> main, engine+worker started, workflow done, closed) in ms: "
            + phases)
        .print();
  }

  /** The child: one hello workflow on a fresh data dir; prints its phases in ms for the parent. */
  static void child() {
    // The process's start time from /proc (10 ms steps): the management beans' cost 10 – 15 ms more
    // of a fresh JVM, which would count as the engine's.
    long jvmStartMs = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
        .orElse(System.currentTimeMillis());
    long mainMs = System.currentTimeMillis() - jvmStartMs;
    long t0 = System.nanoTime();
    long started;
    long done;
    try (Engine e = Engine.start(Engine.newDataDir(), Durability.SYNC, Clock.systemUTC(), true, true)) {
      started = System.nanoTime();
      Main.check("Hello, World!", e.newStub(Workflows.Hello.class, "startup").sayHello("World"), "the hello workflow");
      done = System.nanoTime();
    }
    long closed = System.nanoTime();
    Report.toParent(Arrays.toString(new long[] {mainMs, ms(started - t0), ms(done - started), ms(closed - done)}));
  }

  private static long ms(long nanos) {
    return Math.round(nanos / 1e6);
  }
}
