package dev.durable.cli;

import dev.durable.client.WorkflowDescription;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code durable workflow signal ID NAME [JSON...]}. */
@Command(name = "signal", mixinStandardHelpOptions = true,
    description = "Send a signal to a running workflow. It is recorded before this returns and delivered once.")
final class SignalCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
  String workflowId;

  @Parameters(index = "1", paramLabel = "SIGNAL", description = "The signal name.")
  String signalName;

  @Parameters(index = "2..*", paramLabel = "JSON",
      description = "The signal method's arguments, one JSON value each. Put -- before a value that starts with -.")
  List<String> args = new ArrayList<>();

  private Object[] values;

  @Override
  void prepare() {
    values = JsonArgs.inline(args, "signal argument");
  }

  @Override
  int run(Session session, PrintWriter out) {
    WorkflowDescription d = Workflows.describe(session, workflowId);
    if (d.isClosed()) {
      // The server would drop it (DURABLE-219); say so rather than report success.
      throw new CliError("DURABLE-207", ExitCodes.NOT_FOUND, "workflow '" + workflowId + "' is " + d.status()
          + " (run " + d.runId() + "); a signal to a closed workflow is dropped, so none was sent.");
    }
    session.client().newUntypedWorkflowStub(workflowId).signal(signalName, values);
    if (output.json()) {
      var o = Json.object();
      o.put("workflowId", workflowId);
      o.put("runId", d.runId());
      o.put("signal", signalName);
      Json.print(out, o);
    } else {
      Table.fields().row("Workflow ID", workflowId).row("Run ID", d.runId()).row("Signal", signalName).print(out);
    }
    return ExitCodes.OK;
  }
}
