package dev.durable.cli;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowStatus;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code durable workflow list}: the latest runs, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List workflows, newest first.")
final class ListCommand extends ClientCommand {
  @Option(names = "--status", paramLabel = "STATUS",
      description = "Only runs with this status: ${COMPLETION-CANDIDATES}.")
  WorkflowStatus status;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "At most this many runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  int run(Session session, PrintWriter out) {
    if (limit < 1) {
      throw CliError.usage("--limit must be at least 1, got " + limit);
    }
    List<WorkflowDescription> runs = list(session.client());
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

  /**
   * The one place that maps the options to the client's listing call. The client filters on
   * running/all; any other status is filtered here over all runs.
   */
  private List<WorkflowDescription> list(WorkflowClient client) {
    if (status == null || status == WorkflowStatus.RUNNING) {
      return client.listWorkflows(status == WorkflowStatus.RUNNING, limit);
    }
    return client.listWorkflows(false, Integer.MAX_VALUE).stream()
        .filter(d -> d.status() == status).limit(limit).toList();
  }
}
