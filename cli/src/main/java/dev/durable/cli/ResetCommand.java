package dev.durable.cli;

import dev.durable.client.ResetPoint;
import dev.durable.client.WorkflowExecution;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code durable workflow reset (ID | FILTER [--yes]) (--first | --last | --event N) [--reason TEXT]
 * [--request-id ID]}.
 */
@Command(name = "reset", mixinStandardHelpOptions = true,
    description = "Take a workflow back to a completed workflow task of its latest run and run on from there with"
        + " the workers' current code: a new run replaces the latest one (which is terminated if it is running)."
        + " Signals received after that task are delivered again. With filter options instead of an id, resets"
        + " every workflow whose latest run matches (add --yes; without it, lists them).")
final class ResetCommand extends ClientCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW_ID",
      description = "The workflow id; or give filter options.")
  String workflowId;

  @Mixin
  Batch batch;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Point point;

  /** Where to go back to: exactly one of the options. */
  static final class Point {
    @Option(names = "--first", required = true, description = "The first completed workflow task: run again from"
        + " the start.")
    boolean first;

    @Option(names = "--last", required = true, description = "The last completed workflow task: make the latest"
        + " decision again.")
    boolean last;

    @Option(names = "--event", required = true, paramLabel = "EVENT_ID", description = "The completed workflow task"
        + " of this WorkflowTaskCompleted event (see 'durable workflow show').")
    long eventId;

    ResetPoint toResetPoint() {
      return first ? ResetPoint.firstWorkflowTask() : last ? ResetPoint.lastWorkflowTask() : ResetPoint.event(eventId);
    }
  }

  @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "reset with the durable CLI",
      description = "Why, as recorded in both runs' histories (default: ${DEFAULT-VALUE}).")
  String reason;

  @Option(names = "--request-id", paramLabel = "ID", description = "Identifies this reset. Run again with the same"
      + " ID (after a lost answer, or to finish an interrupted batch), the command leaves alone each workflow whose"
      + " latest run this reset made, and prints that run.")
  String requestId;

  @Override
  int run(Session session, PrintWriter out) {
    if (batch.single(workflowId, "reset") == null) {
      return batch.run(session, output, out, "reset", d -> true, d -> "reset to run " + session.client()
          .newUntypedWorkflowStub(d.workflowId()).reset(point.toResetPoint(), reason, requestId).runId());
    }
    String oldRunId = Workflows.describe(session, workflowId).runId();
    WorkflowExecution run = session.client().newUntypedWorkflowStub(workflowId).reset(point.toResetPoint(), reason,
        requestId);
    if (run.runId().equals(oldRunId)) { // made before, by this request id: it names the run it replaced
      oldRunId = Workflows.describe(session, workflowId).continuedFromRunId();
    }
    if (output.json()) {
      var o = Json.object();
      o.put("workflowId", workflowId);
      o.put("runId", run.runId());
      o.put("resetRunId", oldRunId);
      Json.print(out, o);
    } else {
      Table.fields().row("Workflow ID", workflowId).row("Run ID", run.runId()).row("Reset run", oldRunId).print(out);
    }
    return ExitCodes.OK;
  }
}
