package dev.durable.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.server.Durability;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON line a workload prints, with the fields of WORKLOADS.md in their order. Stdout
 * belongs to that line alone: {@link #claimStdout()} moves {@code System.out} to stderr first, so
 * that progress and anything a library prints lands there.
 */
final class Report {
  private static PrintStream jsonOut;
  private static double loadAtStart = Double.NaN;
  private static double fsyncMsAtStart = Double.NaN;
  private static double cpuMsAtStart = Double.NaN;
  private static double wakeUpMicrosAtStart = Double.NaN;

  private final Map<String, Object> fields = new LinkedHashMap<>();

  private Report(String workload) {
    fields.put("system", "durable");
    fields.put("workload", workload);
    for (String k : new String[] {"n", "seconds", "wf_per_s", "steps_per_s", "p50_ms", "p99_ms", "durable", "notes"}) {
      fields.put(k, null);
    }
  }

  /** Keeps the real stdout for the JSON line and sends everything else printed to stderr. */
  static synchronized void claimStdout() {
    if (jsonOut == null) {
      jsonOut = System.out;
      System.setOut(System.err);
    }
  }

  /**
   * Records the state of the machine before a workload: the load average, the latency of a 4 KB
   * append and fdatasync (which bounds every SYNC transition), and the speed of a core and of a
   * thread wake-up ({@link MachineProbe}).
   */
  static void probeMachine() throws IOException, InterruptedException {
    loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    fsyncMsAtStart = MachineProbe.fsyncMillis();
    cpuMsAtStart = MachineProbe.cpuMillis();
    wakeUpMicrosAtStart = MachineProbe.wakeUpRoundTripMicros();
  }

  static Report of(String workload) {
    return new Report(workload);
  }

  /** Sets a field; doubles are rounded to 4 significant digits. */
  Report set(String key, Object value) {
    fields.put(key, value instanceof Double d ? round(d) : value);
    return this;
  }

  /** Sets n, seconds and the per-second rates of {@code n} workflows of {@code stepsPerWorkflow} activities each. */
  Report throughput(int n, int stepsPerWorkflow, double seconds) {
    return set("n", n).set("seconds", seconds).set("wf_per_s", n / seconds)
        .set("steps_per_s", stepsPerWorkflow == 0 ? null : (double) n * stepsPerWorkflow / seconds);
  }

  Report durable(Durability d) {
    if (PostgresSchema.URL != null) {
      return set("durable", d == Durability.SYNC
          ? "every acknowledged transition: PostgreSQL commit with synchronous_commit=on (SYNC, group commit), "
              + PostgresSchema.URL
          : "PostgreSQL commit with synchronous_commit=off (ASYNC), " + PostgresSchema.URL);
    }
    return set("durable", d == Durability.SYNC
        ? "every acknowledged transition: RocksDB WAL fsynced before the ack (SYNC, group commit)"
        : "WAL written, not fsynced (ASYNC)");
  }

  /** Sets the notes: the JVM and settings, then {@code extra}. */
  Report notes(String extra) {
    return set("notes", jvm() + (extra.isEmpty() ? "" : "; " + extra));
  }

  void print() {
    claimStdout();
    try {
      jsonOut.println(new ObjectMapper().writeValueAsString(fields));
      jsonOut.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Prints a line for the parent JVM on the real stdout (child JVMs only). */
  static void toParent(String line) {
    claimStdout();
    jsonOut.println(line);
    jsonOut.flush();
  }

  /**
   * Describes this JVM (version, GC, heap limit, cpus, whether the agent is attached) and the
   * machine: its 1-minute load average when the workload started and now, and the probes of
   * {@link #probeMachine()} before it started. On a small shared machine other processes skew every
   * figure, and the machine's own speed drifts.
   */
  static String jvm() {
    var rt = ManagementFactory.getRuntimeMXBean();
    String gc = ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().split(" ")[0];
    long maxHeapMb = Runtime.getRuntime().maxMemory() >> 20;
    return rt.getVmName() + " " + Runtime.version() + ", " + gc + " GC, max heap " + maxHeapMb + " MB, "
        + Runtime.getRuntime().availableProcessors() + " cpus, " + (ChildJvm.hasAgent() ? "-javaagent:durable.jar" : "no agent")
        + ", load average " + round(loadAtStart) + " at start, "
        + round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + " at end, 4 KB append+fdatasync "
        + round(fsyncMsAtStart) + " ms (median of 50, before the run), CPU reference task " + round(cpuMsAtStart)
        + " ms, thread wake-up round trip " + round(wakeUpMicrosAtStart)
        + " µs (before the run; see docs/performance.md)";
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  static double median(List<Double> values) {
    List<Double> s = values.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static double round(double d) {
    return Double.isFinite(d) ? new BigDecimal(d).round(new MathContext(4)).doubleValue() : d;
  }

  static double millis(long nanos) {
    return nanos / 1e6;
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
