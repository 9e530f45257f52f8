package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code durable workflow cancel (ID | FILTER [--yes])}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Ask a workflow to cancel: its next blocking call throws CanceledFailure, and it may clean up."
        + " With filter options instead of an id, asks every workflow whose latest run matches (add --yes; without"
        + " it, lists them); one that is already closed is a failed row.")
final class CancelCommand extends ClientCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW_ID",
      description = "The workflow id; or give filter options.")
  String workflowId;

  @Mixin
  Batch batch;

  @Override
  int run(Session session, PrintWriter out) {
    if (batch.single(workflowId, "cancel") == null) {
      // Closed runs are not left out, unlike terminate's: a cancel was asked of them and did not happen, so they
      // are failed rows (DURABLE-207) that --status RUNNING leaves out.
      return batch.run(session, output, out, "cancel", d -> true, d -> {
        session.client().newUntypedWorkflowStub(d.workflowId()).cancel();
        return "cancel requested";
      });
    }
    Workflows.describe(session, workflowId);
    session.client().newUntypedWorkflowStub(workflowId).cancel();
    Workflows.printState(session, workflowId, output, out);
    return ExitCodes.OK;
  }
}
