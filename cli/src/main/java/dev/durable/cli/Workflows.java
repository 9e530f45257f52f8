package dev.durable.cli;

import dev.durable.client.WorkflowDescription;
import java.io.PrintWriter;

/** Look-ups that several commands share. */
final class Workflows {
  private Workflows() {}

  /** Describes the latest run of {@code workflowId}, or fails with DURABLE-207 (exit status 2). */
  static WorkflowDescription describe(Session session, String workflowId) {
    return session.client().newUntypedWorkflowStub(workflowId).describe()
        .orElseThrow(() -> new CliError("DURABLE-207", ExitCodes.NOT_FOUND,
            "no workflow has id '" + workflowId + "'. Check the id; 'durable workflow list' shows the workflows."));
  }

  /**
   * Fails with DURABLE-272 when the CLI holds the data dir itself: {@code what} needs a worker,
   * and none can poll a data dir another process holds.
   */
  static void requireWorkers(Session session, String what) {
    if (session.ownsDataDir()) {
      throw new CliError("DURABLE-272", ExitCodes.UNAVAILABLE, what + " needs a worker, and none can poll a data dir"
          + " that the CLI opened itself (--data-dir). Run a Durable server on the data dir with your workers"
          + " attached and use --address HOST:PORT.");
    }
  }

  /** Prints the id, run id and status of the latest run, after a cancel or terminate. */
  static void printState(Session session, String workflowId, OutputOptions output, PrintWriter out) {
    WorkflowDescription d = describe(session, workflowId);
    if (output.json()) {
      var o = Json.object();
      o.put("workflowId", d.workflowId());
      o.put("runId", d.runId());
      o.put("status", d.status().name());
      Json.print(out, o);
    } else {
      Table.fields().row("Workflow ID", d.workflowId()).row("Run ID", d.runId()).row("Status", d.status()).print(out);
    }
  }
}
