package dev.durable.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code durable workflow delete ID}. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete a closed workflow: its latest run and the runs it continued from, with their histories."
        + " The workflow id is free afterwards.")
final class DeleteCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
  String workflowId;

  @Override
  int run(Session session, PrintWriter out) {
    Workflows.describe(session, workflowId);
    List<String> runs = session.client().newUntypedWorkflowStub(workflowId).delete();
    if (output.json()) {
      var o = Json.object();
      o.put("workflowId", workflowId);
      runs.forEach(o.putArray("deletedRunIds")::add);
      Json.print(out, o);
    } else {
      Table.fields().row("Workflow ID", workflowId).row("Deleted runs", String.join(", ", runs)).print(out);
    }
    return ExitCodes.OK;
  }
}
