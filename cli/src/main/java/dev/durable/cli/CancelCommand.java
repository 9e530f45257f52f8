package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code durable workflow cancel ID}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Ask a workflow to cancel: its next blocking call throws CanceledFailure, and it may clean up.")
final class CancelCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
  String workflowId;

  @Override
  int run(Session session, PrintWriter out) {
    Workflows.describe(session, workflowId);
    session.client().newUntypedWorkflowStub(workflowId).cancel();
    Workflows.printState(session, workflowId, output, out);
    return ExitCodes.OK;
  }
}
