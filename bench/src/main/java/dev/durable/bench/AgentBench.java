package dev.durable.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * agent: loads and initialises 5000 generated classes in child JVMs with and without
 * {@code -javaagent:durable.jar}, in pairs whose order alternates, five of each
 * ({@code -Dbench.agent.runs=N} to change);
 * compares the medians. Each child also reports the CPU time of the loading thread and of the whole
 * process over the same window: on a shared machine those move far less with the load than the
 * wall time does.
 */
final class AgentBench {
  static final int N = 5000;
  static final int RUNS = Integer.getInteger("bench.agent.runs", 5);

  private AgentBench() {}

  static void run() throws Exception {
    Path dir = Files.createTempDirectory("durable-bench-classes-");
    try {
      long g0 = System.nanoTime();
      Path classes = GeneratedClasses.compile(dir, N);
      double generateSeconds = Report.seconds(System.nanoTime() - g0);
      List<Double> without = new ArrayList<>();
      List<Double> with = new ArrayList<>();
      List<Double> withoutWall = new ArrayList<>();
      List<Double> withWall = new ArrayList<>();
      List<Double> withoutCpu = new ArrayList<>();
      List<Double> withCpu = new ArrayList<>();
      List<Double> withoutProcessCpu = new ArrayList<>();
      List<Double> withProcessCpu = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        // Without the agent first in even pairs, with it first in odd ones: the first child JVMs of a
        // run are often slower, and a fixed order would put that on one side.
        for (boolean agent : i % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
          ChildJvm.Result r = ChildJvm.run(agent, 300, "agent-load", classes.toString(), Integer.toString(N));
          String[] figures = r.stdout().split(" ");
          (agent ? with : without).add(Report.round(Double.parseDouble(figures[0])));
          (agent ? withCpu : withoutCpu).add(Report.round(Double.parseDouble(figures[1])));
          (agent ? withProcessCpu : withoutProcessCpu).add(Report.round(Double.parseDouble(figures[2])));
          (agent ? withWall : withoutWall).add(Report.round(Report.millis(r.wallNanos())));
        }
      }
      Report.of("agent").set("n", N).set("seconds", Report.median(with) / 1e3)
          .set("overhead_pct", overheadPct(with, without))
          .set("cpu_overhead_pct", overheadPct(withCpu, withoutCpu))
          .set("process_cpu_overhead_pct", overheadPct(withProcessCpu, withoutProcessCpu))
          .notes("Class.forName(name, true, loader) of " + N + " generated classes (javac, 1/4 each calling"
              + " System.currentTimeMillis(), Instant.now(), Instant::now, or no clock; generated in "
              + Report.round(generateSeconds) + " s) from a URLClassLoader, in child JVMs without and with the agent,"
              + " in pairs whose order alternates; seconds = median with agent; load ms without: " + without + ", with: " + with
              + "; CPU ms of the loading thread without: " + withoutCpu + ", with: " + withCpu
              + "; process CPU ms (all threads, JIT compilers included) without: " + withoutProcessCpu + ", with: "
              + withProcessCpu + "; child JVM wall ms (incl. JVM start, agent premain) without: " + withoutWall + ", with: " + withWall)
          .print();
    } finally {
      Engine.deleteRecursively(dir);
    }
  }

  /**
   * The child: loads and initialises every class, prints the milliseconds it took (wall, CPU of
   * this thread, CPU of the process), then checks each class.
   */
  static void load(Path classes, int n) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (var loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?>[] loaded = new Class<?>[n];
      long process0 = os.getProcessCpuTime();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        loaded[i] = Class.forName(GeneratedClasses.name(i), true, loader);
      }
      long nanos = System.nanoTime() - t0;
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      long process = os.getProcessCpuTime() - process0;
      for (int i = 0; i < n; i++) {
        Main.check(GeneratedClasses.expectedName(i), loaded[i].getField("NAME").get(null), "NAME of " + loaded[i]);
      }
      Report.toParent(Report.millis(nanos) + " " + Report.millis(cpu) + " " + Report.millis(process));
    }
  }

  /** How much more the median of {@code with} is than that of {@code without}, in percent. */
  private static double overheadPct(List<Double> with, List<Double> without) {
    return (Report.median(with) - Report.median(without)) / Report.median(without) * 100;
  }
}
