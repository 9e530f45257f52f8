package dev.durable.server;

import dev.durable.client.WorkflowStatus;
import dev.durable.internal.Checks;
import dev.durable.internal.server.Counters;
import dev.durable.internal.server.Counters.Outcome;
import dev.durable.internal.server.LatencyHistogram;
import dev.durable.internal.server.ServerCore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * An immutable snapshot of a server's metrics, taken by {@link DurableServer#metrics()}: counters
 * of what the server recorded since it started (they start at 0 on each start, as Prometheus
 * expects of counters after a restart), histograms of how long tasks waited for a worker and runs
 * ran, and gauges of its state at the time of the snapshot.
 *
 * <pre>{@code
 * ServerMetrics m = server.metrics();
 * long failed = m.value("durable_runs_closed_total", "status", "failed");
 * String scrape = m.toPrometheusText();
 * }</pre>
 *
 * <p>Each counter is taken after the write that records it succeeded: a change whose write failed
 * is not counted. The values are read one after the other, not all at one instant, each counted just
 * after its write: a snapshot taken while runs progress may count a run's close but not yet the
 * workflow task that closed it. docs/operations.md, "Metrics",
 * lists every metric and what it counts.
 */
public final class ServerMetrics {
  /** The Prometheus text exposition format's content type, for an HTTP response of {@link #toPrometheusText()}. */
  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * One value of a metric.
   *
   * @param name the metric's name, such as {@code durable_runs_closed_total}
   * @param labels the sample's labels, in the order they are printed; empty for a metric without any
   * @param value the value: a count for counters and histogram buckets, seconds for a histogram's sum
   */
  public record Sample(String name, Map<String, String> labels, double value) {
    /** Makes a sample; the labels are copied, keeping their order. */
    public Sample {
      Checks.notBlank("name", name);
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
  }

  private record Family(String name, String type, String help, List<Sample> samples) {}

  private final List<Family> families;

  private ServerMetrics(List<Family> families) {
    this.families = List.copyOf(families);
  }

  /** Takes a snapshot of {@code core}'s metrics. */
  static ServerMetrics of(ServerCore core) {
    Counters c = core.counters();
    var families = new ArrayList<Family>();
    families.add(single("durable_runs_started_total", "counter",
        "Runs started: new workflows, children, continue-as-new, retries and cron runs.", c.runsStarted()));
    var closed = new ArrayList<Sample>();
    for (WorkflowStatus status : WorkflowStatus.values()) {
      if (status.isClosed()) {
        closed.add(new Sample("durable_runs_closed_total", Map.of("status", label(status.name())),
            c.runsClosed(status)));
      }
    }
    families.add(new Family("durable_runs_closed_total", "counter", "Runs closed, by how they closed.", closed));
    var tasks = new ArrayList<Sample>();
    var attempts = new ArrayList<Sample>();
    for (Outcome outcome : Outcome.values()) {
      tasks.add(new Sample("durable_workflow_tasks_total", Map.of("outcome", label(outcome.name())),
          c.workflowTasks(outcome)));
      attempts.add(new Sample("durable_activity_attempts_total", Map.of("outcome", label(outcome.name())),
          c.activityAttempts(outcome)));
    }
    families.add(new Family("durable_workflow_tasks_total", "counter", "Workflow tasks ended, by outcome.", tasks));
    families.add(new Family("durable_activity_attempts_total", "counter", "Activity attempts ended, by outcome.",
        attempts));
    families.add(single("durable_timers_fired_total", "counter", "Workflow timers fired.", c.timersFired()));
    families.add(single("durable_runs_deleted_total", "counter",
        "Closed runs deleted, by retention or by a delete call.", c.runsDeleted()));
    families.add(histogram("durable_workflow_task_schedule_to_start_seconds",
        "How long workflow tasks waited for a worker: from when they could run until a worker took them.",
        c.workflowTaskScheduleToStart()));
    families.add(histogram("durable_activity_schedule_to_start_seconds",
        "How long activity attempts waited for a worker: from when they could run until a worker took them.",
        c.activityScheduleToStart()));
    families.add(histogram("durable_run_duration_seconds",
        "How long closed runs ran: from when their code could first run until they closed.", c.runDuration()));
    families.add(single("durable_open_runs", "gauge", "Runs open now.", core.openRuns()));
    var backlog = new ArrayList<Sample>();
    addBacklog(backlog, core.backlog(true), "workflow");
    addBacklog(backlog, core.backlog(false), "activity");
    families.add(new Family("durable_task_queue_backlog", "gauge",
        "Tasks ready for a worker but not yet taken, by task queue and kind.", backlog));
    return new ServerMetrics(families);
  }

  private static Family single(String name, String type, String help, long value) {
    return new Family(name, type, help, List.of(new Sample(name, Map.of(), value)));
  }

  private static Family histogram(String name, String help, LatencyHistogram h) {
    double[] bounds = LatencyHistogram.bounds();
    long[] counts = h.cumulativeCounts();
    var samples = new ArrayList<Sample>();
    for (int i = 0; i < counts.length; i++) {
      samples.add(new Sample(name + "_bucket", Map.of("le", i < bounds.length ? number(bounds[i]) : "+Inf"),
          counts[i]));
    }
    samples.add(new Sample(name + "_sum", Map.of(), h.sumSeconds()));
    samples.add(new Sample(name + "_count", Map.of(), counts[counts.length - 1]));
    return new Family(name, "histogram", help, samples);
  }

  /** A value as the text format writes it: a whole number without a fraction. */
  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static void addBacklog(List<Sample> out, SortedMap<String, Integer> sizes, String kind) {
    sizes.forEach((queue, size) -> {
      var labels = new LinkedHashMap<String, String>();
      labels.put("task_queue", queue);
      labels.put("kind", kind);
      out.add(new Sample("durable_task_queue_backlog", labels, size));
    });
  }

  private static String label(String enumName) {
    return enumName.toLowerCase(Locale.ROOT);
  }

  /** Returns every sample, metric by metric in a fixed order. */
  public List<Sample> samples() {
    var out = new ArrayList<Sample>();
    families.forEach(f -> out.addAll(f.samples()));
    return List.copyOf(out);
  }

  /**
   * Returns the value of the sample {@code name} with exactly these labels, or 0 when the metric
   * has no such sample (a task queue never used has no backlog sample). A histogram's samples are
   * named after it with {@code _bucket} (label {@code le}), {@code _sum} and {@code _count}.
   *
   * @param name a sample's name, such as {@code durable_runs_closed_total} or
   *     {@code durable_run_duration_seconds_count}
   * @param labelPairs the labels as name, value, name, value...; none for a metric without labels
   * @throws IllegalArgumentException DURABLE-201 for a name that is no metric, or an odd number of label strings
   */
  public double value(String name, String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw Checks.invalid("labelPairs must be label names each followed by its value, got " + labelPairs.length
          + " strings: " + String.join(", ", labelPairs));
    }
    var labels = new LinkedHashMap<String, String>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      labels.put(labelPairs[i], labelPairs[i + 1]);
    }
    boolean known = false;
    for (Family f : families) {
      for (Sample s : f.samples()) {
        if (s.name().equals(name) && s.labels().equals(labels)) {
          return s.value();
        }
      }
      known |= f.name().equals(name) && !f.type().equals("histogram");
    }
    if (known) {
      return 0;
    }
    throw Checks.invalid("there is no metric named '" + name + "'; the metrics are "
        + String.join(", ", families.stream().map(Family::name).toList()));
  }

  /**
   * Returns the snapshot in the Prometheus text exposition format, version 0.0.4: for each metric
   * a {@code # HELP} and a {@code # TYPE} line, then its samples, one a line. Serve it with
   * {@link #PROMETHEUS_CONTENT_TYPE}.
   */
  public String toPrometheusText() {
    var b = new StringBuilder(2048);
    for (Family f : families) {
      b.append("# HELP ").append(f.name()).append(' ');
      escape(b, f.help(), false);
      b.append("\n# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      for (Sample s : f.samples()) {
        b.append(s.name());
        if (!s.labels().isEmpty()) {
          b.append('{');
          String sep = "";
          for (var label : s.labels().entrySet()) {
            b.append(sep).append(label.getKey()).append("=\"");
            escape(b, label.getValue(), true);
            b.append('"');
            sep = ",";
          }
          b.append('}');
        }
        b.append(' ').append(number(s.value())).append('\n');
      }
    }
    return b.toString();
  }

  /** Escapes as the format asks: backslash and line feed everywhere, the double quote in label values. */
  private static void escape(StringBuilder b, String text, boolean labelValue) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '"' -> b.append(labelValue ? "\\\"" : "\"");
        default -> b.append(ch);
      }
    }
  }

  @Override
  public String toString() {
    return toPrometheusText();
  }
}
