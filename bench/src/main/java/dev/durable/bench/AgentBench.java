package dev.durable.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * agent: loads and initialises 5000 generated classes in child JVMs with and without
 * {@code -javaagent:durable.jar}, alternating, three of each; compares the medians.
 */
final class AgentBench {
  static final int N = 5000;
  static final int RUNS = 3;

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
      for (int i = 0; i < RUNS; i++) {
        for (boolean agent : new boolean[] {false, true}) {
          ChildJvm.Result r = ChildJvm.run(agent, 300, "agent-load", classes.toString(), Integer.toString(N));
          (agent ? with : without).add(Report.round(Double.parseDouble(r.stdout())));
          (agent ? withWall : withoutWall).add(Report.round(Report.millis(r.wallNanos())));
        }
      }
      double withMs = median(with);
      double withoutMs = median(without);
      Report.of("agent").set("n", N).set("seconds", withMs / 1e3)
          .set("overhead_pct", (withMs - withoutMs) / withoutMs * 100)
          .notes("Class.forName(name, true, loader) of " + N + " generated classes (javac, 1/4 each calling"
              + " System.currentTimeMillis(), Instant.now(), Instant::now, or no clock; generated in "
              + Report.round(generateSeconds) + " s) from a URLClassLoader, in child JVMs alternating without/with"
              + " the agent; seconds = median with agent; load ms without: " + without + ", with: " + with
              + "; child JVM wall ms (incl. JVM start, agent premain) without: " + withoutWall + ", with: " + withWall)
          .print();
    } finally {
      Engine.deleteRecursively(dir);
    }
  }

  /** The child: loads and initialises every class, prints the milliseconds it took, then checks each class. */
  static void load(Path classes, int n) throws Exception {
    try (var loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?>[] loaded = new Class<?>[n];
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        loaded[i] = Class.forName(GeneratedClasses.name(i), true, loader);
      }
      long nanos = System.nanoTime() - t0;
      for (int i = 0; i < n; i++) {
        Main.check(GeneratedClasses.expectedName(i), loaded[i].getField("NAME").get(null), "NAME of " + loaded[i]);
      }
      Report.toParent(Double.toString(Report.millis(nanos)));
    }
  }

  private static double median(List<Double> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }
}
