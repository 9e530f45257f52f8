package dev.durable.cli;

import dev.durable.client.WorkflowFilter;
import dev.durable.client.WorkflowStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which runs {@code list} and {@code count} look at; every option given must hold. */
final class FilterOptions {
  @Option(names = "--status", paramLabel = "STATUS", split = ",",
      description = "Only runs with one of these statuses (repeat or separate with commas): ${COMPLETION-CANDIDATES}.")
  List<WorkflowStatus> statuses = new ArrayList<>();

  @Option(names = "--type", paramLabel = "TYPE", description = "Only runs of this workflow type.")
  String type;

  @Option(names = "--task-queue", paramLabel = "QUEUE", description = "Only runs on this task queue.")
  String taskQueue;

  @Option(names = "--started-after", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Only runs started at or after this time (ISO-8601 UTC, or a date).")
  Instant startedAfter;

  @Option(names = "--started-before", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Only runs started before this time.")
  Instant startedBefore;

  @Option(names = "--closed-after", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Only runs closed at or after this time.")
  Instant closedAfter;

  @Option(names = "--closed-before", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Only runs closed before this time.")
  Instant closedBefore;

  @Option(names = "--search-attribute", paramLabel = "NAME=JSON",
      description = "Only runs whose search attribute equals this JSON value (a string is a keyword); repeatable.")
  List<String> searchAttributes = new ArrayList<>();

  @Option(names = "--search-attribute-range", paramLabel = "NAME=FROM..TO",
      description = "Only runs whose numeric or time search attribute is at least FROM and less than TO; either"
          + " may be empty. Numbers, or times in ISO-8601 UTC: Total=100..500, Due=2026-11-01T00:00:00Z..")
  List<String> ranges = new ArrayList<>();

  /** Whether any filter option was given. */
  boolean given() {
    return !statuses.isEmpty() || type != null || taskQueue != null || startedAfter != null || startedBefore != null
        || closedAfter != null || closedBefore != null || !searchAttributes.isEmpty() || !ranges.isEmpty();
  }

  /** The filter, with {@code pageSize} runs a page. */
  WorkflowFilter build(int pageSize) {
    WorkflowFilter.Builder b = WorkflowFilter.newBuilder().setStatuses(statuses).setWorkflowType(type)
        .setTaskQueue(taskQueue).setStartTimeRange(startedAfter, startedBefore)
        .setCloseTimeRange(closedAfter, closedBefore).setPageSize(pageSize);
    for (Map.Entry<String, Object> e : SearchAttributeArgs.parse(searchAttributes, "--search-attribute").entrySet()) {
      b.addSearchAttribute(e.getKey(), e.getValue());
    }
    for (String range : ranges) {
      int eq = range.indexOf('=');
      int dots = range.indexOf("..", eq + 1);
      if (eq <= 0 || dots < 0) {
        throw CliError.usage("--search-attribute-range " + range + " is not NAME=FROM..TO, such as Total=100..500");
      }
      String name = range.substring(0, eq);
      b.addSearchAttributeRange(name, bound(range.substring(eq + 1, dots), name), bound(range.substring(dots + 2), name));
    }
    return b.build();
  }

  private static Object bound(String text, String name) {
    if (text.isEmpty()) {
      return null;
    }
    if (text.matches("-?\\d+")) {
      return Long.parseLong(text);
    }
    if (text.matches("-?\\d*\\.\\d+([eE]-?\\d+)?|-?\\d+[eE]-?\\d+")) {
      return Double.parseDouble(text);
    }
    try {
      return new InstantConverter().convert(text);
    } catch (RuntimeException e) {
      throw CliError.usage("--search-attribute-range " + name + ": '" + text + "' is neither a number nor a time"
          + " (ISO-8601 UTC such as 2026-11-26T10:00:00Z)");
    }
  }
}
