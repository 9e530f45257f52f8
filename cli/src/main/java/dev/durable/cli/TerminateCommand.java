package dev.durable.cli;

import dev.durable.client.WorkflowStatus;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code durable workflow terminate (ID | FILTER [--yes]) [--reason TEXT]}. */
@Command(name = "terminate", mixinStandardHelpOptions = true,
    description = "End a workflow's run at once, recording the reason; no more workflow code runs. With filter"
        + " options instead of an id, terminates every running workflow that matches (add --yes; without it,"
        + " lists them).")
final class TerminateCommand extends ClientCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW_ID",
      description = "The workflow id; or give filter options.")
  String workflowId;

  @Mixin
  Batch batch;

  @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "terminated with the durable CLI",
      description = "Why, as recorded in the history (default: ${DEFAULT-VALUE}).")
  String reason;

  @Override
  int run(Session session, PrintWriter out) {
    if (batch.single(workflowId, "terminate") == null) {
      return batch.run(session, output, out, "terminate", d -> d.status() == WorkflowStatus.RUNNING, d -> {
        session.client().newUntypedWorkflowStub(d.workflowId()).terminate(reason);
        return "terminated";
      });
    }
    Workflows.describe(session, workflowId);
    session.client().newUntypedWorkflowStub(workflowId).terminate(reason);
    Workflows.printState(session, workflowId, output, out);
    return ExitCodes.OK;
  }
}
