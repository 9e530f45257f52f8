package dev.durable.cli;

import dev.durable.client.WorkflowDescription;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code durable workflow list}: runs that meet a filter, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List workflows, newest first.")
final class ListCommand extends ClientCommand {
  /** The most runs one page of the server's listing holds. */
  private static final int MAX_PAGE = 1000;

  @Mixin
  FilterOptions filter;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "At most this many runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  void prepare() {
    if (limit < 1) {
      throw CliError.usage("--limit must be at least 1, got " + limit);
    }
  }

  @Override
  int run(Session session, PrintWriter out) {
    List<WorkflowDescription> runs;
    try (Stream<WorkflowDescription> all = session.client().streamWorkflows(filter.build(Math.min(limit, MAX_PAGE)))) {
      runs = all.limit(limit).toList();
    }
    if (output.json()) {
      var o = Json.object();
      var array = o.putArray("workflows");
      runs.forEach(d -> array.add(Json.run(d)));
      Json.print(out, o);
    } else {
      Table t = new Table("WORKFLOW ID", "TYPE", "STATUS", "TASK QUEUE", "START TIME", "CLOSE TIME", "RUN ID");
      runs.forEach(d -> t.row(d.workflowId(), d.workflowType(), d.status(), d.taskQueue(), d.startTime(),
          d.closeTime(), d.runId()));
      t.print(out);
    }
    return ExitCodes.OK;
  }
}
