package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code durable workflow terminate ID [--reason TEXT]}. */
@Command(name = "terminate", mixinStandardHelpOptions = true,
    description = "End a workflow's run at once, recording the reason; no more workflow code runs.")
final class TerminateCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
  String workflowId;

  @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "terminated with the durable CLI",
      description = "Why, as recorded in the history (default: ${DEFAULT-VALUE}).")
  String reason;

  @Override
  int run(Session session, PrintWriter out) {
    Workflows.describe(session, workflowId);
    session.client().newUntypedWorkflowStub(workflowId).terminate(reason);
    Workflows.printState(session, workflowId, output, out);
    return ExitCodes.OK;
  }
}
