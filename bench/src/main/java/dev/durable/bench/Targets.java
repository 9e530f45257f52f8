package dev.durable.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON lines of {@code bench/run.sh} (files named as arguments, else stdin) and prints
 * each target of the performance issue against the median of its runs, with the machine's speed
 * probes: {@code bench/run.sh targets} runs the seven workloads three times and ends with this
 * table. Lines of another system and {@code ASYNC} lines are left out: the targets are for the
 * default durability. It reports; it does not judge the day: read the CPU reference task with it.
 */
public final class Targets {
  /** One target: a field of a workload's line, and its bound. */
  record Target(String workload, String field, String name, boolean atMost, double bound, String unit) {
    boolean met(double median) {
      return atMost ? median <= bound : median >= bound;
    }
  }

  static final List<Target> TARGETS = List.of(
      new Target("hello", "wf_per_s", "hello", false, 3_000, "workflows/s"),
      new Target("chain10", "steps_per_s", "chain10", false, 10_000, "steps/s"),
      new Target("latency", "p50_ms", "latency p50", true, 1, "ms"),
      new Target("latency", "p99_ms", "latency p99", true, 5, "ms"),
      new Target("startup", "seconds", "startup", true, 1, "s"),
      new Target("timers", "heap_mb", "timers heap", true, 200, "MB"),
      new Target("timers", "reopen_s", "timers reopen", true, 2, "s"),
      new Target("replay", "replay_ms", "replay", true, 250, "ms"),
      new Target("agent", "overhead_pct", "agent", true, 20, "%"));

  private static final Pattern CPU_REFERENCE = Pattern.compile("CPU reference task ([0-9.]+) ms");

  private Targets() {}

  public static void main(String[] args) throws IOException {
    List<String> lines = new ArrayList<>();
    if (args.length == 0) {
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().forEach(lines::add);
    } else {
      for (String file : args) {
        lines.addAll(Files.readAllLines(Path.of(file)));
      }
    }
    System.out.print(summary(lines));
  }

  /** The table for {@code lines}: one row per target, then how many were met and how fast the machine was. */
  static String summary(List<String> lines) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, List<Double>> values = new LinkedHashMap<>();
    List<Double> cpuReference = new ArrayList<>();
    for (String line : lines) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode n = json.readTree(line);
      if (!"durable".equals(n.path("system").asText()) || n.path("durable").asText().contains("ASYNC")) {
        continue;
      }
      String workload = n.path("workload").asText();
      n.properties().forEach(f -> {
        if (f.getValue().isNumber()) {
          values.computeIfAbsent(workload + "." + f.getKey(), k -> new ArrayList<>()).add(f.getValue().asDouble());
        }
      });
      Matcher m = CPU_REFERENCE.matcher(n.path("notes").asText());
      if (m.find()) {
        cpuReference.add(Double.parseDouble(m.group(1)));
      }
    }
    StringBuilder out = new StringBuilder();
    int met = 0;
    int measured = 0;
    for (Target t : TARGETS) {
      List<Double> v = values.getOrDefault(t.workload() + "." + t.field(), List.of());
      String bound = (t.atMost() ? "<= " : ">= ") + number(t.bound()) + " " + t.unit();
      if (v.isEmpty()) {
        out.append(String.format(Locale.ROOT, "%-14s %-40s target %-20s not run%n", t.name(), "-", bound));
        continue;
      }
      double median = Report.median(v);
      measured++;
      boolean ok = t.met(median);
      met += ok ? 1 : 0;
      String figure = number(median) + " " + t.unit() + " (" + v.size() + (v.size() == 1 ? " run" : " runs")
          + (v.size() > 1 ? ": " + number(min(v)) + " - " + number(max(v)) : "") + ")";
      out.append(String.format(Locale.ROOT, "%-14s %-40s target %-20s %s%n", t.name(), figure, bound,
          ok ? "met" : "MISSED"));
    }
    out.append(met).append(" of ").append(measured).append(" measured targets met (medians)");
    if (!cpuReference.isEmpty()) {
      out.append("; CPU reference task ").append(number(Report.median(cpuReference))).append(" ms (median of ")
          .append(cpuReference.size()).append(" runs; about 4 ms on a normal day of the 2-core machine,"
              + " 7 - 9 ms on a slow one)");
    }
    return out.append(System.lineSeparator()).toString();
  }

  private static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** Whole numbers with thousands separated from 100 on, four significant digits below. */
  private static String number(double d) {
    return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.valueOf(Report.round(d));
  }
}
