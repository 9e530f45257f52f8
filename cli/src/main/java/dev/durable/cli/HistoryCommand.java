package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code durable history ...}: histories as files. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Export workflow histories.",
    subcommands = HistoryCommand.Export.class)
final class HistoryCommand {

  /** {@code durable history export ID}: the JSON that {@code WorkflowReplayer} reads. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Print the history of a workflow's latest run as JSON (docs/history-format.md), the form"
          + " WorkflowReplayer reads: durable history export order-42 > order-42.json")
  static final class Export implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
    String workflowId;

    @Override
    public Integer call() {
      DurableCli cli = (DurableCli) spec.root().userObject();
      try (Session session = cli.target(target).open(false)) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(session.client().newUntypedWorkflowStub(workflowId).getHistory().toJson());
        return ExitCodes.OK;
      }
    }
  }
}
