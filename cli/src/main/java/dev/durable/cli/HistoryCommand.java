package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code durable history ...}: histories as files. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Export workflow histories.",
    subcommands = HistoryCommand.Export.class)
final class HistoryCommand {

  /** {@code durable history export ID}: the JSON that {@code WorkflowReplayer} reads. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Print the history of a workflow's latest run as JSON (docs/history-format.md), the form"
          + " WorkflowReplayer reads: durable history export order-42 > order-42.json")
  static final class Export extends TargetCommand {
    @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
    String workflowId;

    @Override
    int run(Session session, PrintWriter out) {
      out.println(session.client().newUntypedWorkflowStub(workflowId).getHistory().toJson());
      return ExitCodes.OK;
    }
  }
}
