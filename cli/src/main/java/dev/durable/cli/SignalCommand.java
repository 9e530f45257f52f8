package dev.durable.cli;

import dev.durable.client.WorkflowDescription;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code durable workflow signal ID NAME [JSON...]}, or {@code durable workflow signal FILTER --name NAME
 * [--input JSON]... [--yes]}. With a filter the signal goes in options: a positional first word
 * would read as a workflow id in one form and as the signal in the other.
 */
@Command(name = "signal", mixinStandardHelpOptions = true,
    customSynopsis = {"durable workflow signal [OPTIONS] WORKFLOW_ID SIGNAL [JSON...]",
        "   or: durable workflow signal [OPTIONS] --name SIGNAL [--input JSON]...",
        "                               [--yes] FILTER_OPTIONS..."},
    description = "Send a signal to a running workflow. It is recorded before this returns and delivered once. With"
        + " filter options instead of an id, signals every workflow whose latest run matches (add --yes; without"
        + " it, lists them); name the signal with --name and give its arguments with --input.")
final class SignalCommand extends ClientCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW_ID",
      description = "The workflow id; or give filter options.")
  String workflowId;

  @Parameters(index = "1", arity = "0..1", paramLabel = "SIGNAL", description = "The signal name, after the id.")
  String signalName;

  @Parameters(index = "2..*", paramLabel = "JSON",
      description = "The signal method's arguments, one JSON value each. Put -- before a value that starts with -.")
  List<String> args = new ArrayList<>();

  @Mixin
  Batch batch;

  @Option(names = "--name", paramLabel = "SIGNAL", description = "With filter options: the signal name.")
  String batchSignalName;

  @Option(names = "--input", paramLabel = "JSON", description = "With filter options: an argument of the signal"
      + " method as a JSON value; repeat for several, in order.")
  List<String> inputs = new ArrayList<>();

  private Object[] values;

  @Override
  void prepare() {
    if (batch.filter.given()) {
      if (workflowId != null) {
        throw CliError.usage("with filter options, give the signal as --name SIGNAL and its arguments as --input JSON,"
            + " not as words: got '" + workflowId + "'. To signal one workflow, give WORKFLOW_ID SIGNAL [JSON...]"
            + " without filter options");
      }
      if (batchSignalName == null) {
        throw CliError.usage("missing --name SIGNAL: with filter options, --name names the signal to send");
      }
      signalName = batchSignalName;
      values = JsonArgs.inline(inputs, "--input");
      return;
    }
    batch.single(workflowId, "signal");
    if (batchSignalName != null || !inputs.isEmpty()) {
      throw CliError.usage("--name and --input go with filter options. To signal one workflow, give WORKFLOW_ID"
          + " SIGNAL [JSON...]");
    }
    if (signalName == null) {
      throw CliError.usage("missing the SIGNAL to send to workflow '" + workflowId + "': give WORKFLOW_ID SIGNAL"
          + " [JSON...]");
    }
    values = JsonArgs.inline(args, "signal argument");
  }

  @Override
  int run(Session session, PrintWriter out) {
    if (workflowId == null) {
      return batch.run(session, output, out, "signal", d -> true, d -> {
        send(session, d.workflowId());
        return "signaled " + signalName;
      });
    }
    WorkflowDescription d = send(session, workflowId);
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

  /** Sends the signal to the latest run of {@code id}, which must be running; returns that run. */
  private WorkflowDescription send(Session session, String id) {
    WorkflowDescription d = Workflows.describe(session, id);
    if (d.isClosed()) {
      // The server would drop it (DURABLE-219); say so rather than report success.
      throw new CliError("DURABLE-207", ExitCodes.NOT_FOUND, "workflow '" + id + "' is " + d.status()
          + " (run " + d.runId() + "); a signal to a closed workflow is dropped, so none was sent.");
    }
    session.client().newUntypedWorkflowStub(id).signal(signalName, values);
    return d;
  }
}
