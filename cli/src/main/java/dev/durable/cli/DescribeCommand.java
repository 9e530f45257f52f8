package dev.durable.cli;

import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowDescription;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code durable workflow describe}: what the server knows about the latest run of an id. */
@Command(name = "describe", mixinStandardHelpOptions = true,
    description = "Show the status, times, pending activities and last workflow task failure of a workflow.")
final class DescribeCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
  String workflowId;

  @Override
  int run(Session session, PrintWriter out) {
    WorkflowDescription d = Workflows.describe(session, workflowId);
    if (output.json()) {
      Json.print(out, Json.description(d));
      return ExitCodes.OK;
    }
    Table fields = Table.fields()
        .row("Workflow ID", d.workflowId())
        .row("Run ID", d.runId())
        .row("Type", d.workflowType())
        .row("Task queue", d.taskQueue())
        .row("Status", d.status())
        .row("Start time", d.startTime());
    if (!d.executionTime().equals(d.startTime())) { // a run waiting for its cron schedule or a retry's backoff
      fields.row("Execution time", d.executionTime());
    }
    if (d.cronSchedule() != null) {
      fields.row("Cron schedule", d.cronSchedule() + (d.schedulePaused() ? " (paused)" : ""));
    }
    fields.row("Close time", d.closeTime())
        .row("History length", d.historyLength())
        .row("Workflow task attempt", d.workflowTaskAttempt())
        .row("Last workflow task failure", d.lastWorkflowTaskFailure())
        .row("Search attributes", d.searchAttributes().isEmpty() ? null : searchAttributes(d))
        .print(out);
    if (d.pendingActivities() != null && !d.pendingActivities().isEmpty()) {
      out.println();
      out.println("Pending activities:");
      Table t = new Table("ACTIVITY ID", "TYPE", "STATE", "ATTEMPT", "SCHEDULED", "LAST HEARTBEAT", "NEXT ATTEMPT",
          "LAST FAILURE");
      for (PendingActivityInfo a : d.pendingActivities()) {
        t.row(a.activityId(), a.activityType(), a.state(), a.attempt(), a.scheduledTime(), a.lastHeartbeatTime(),
            a.nextAttemptTime(), a.lastFailure());
      }
      t.print(out);
    }
    return ExitCodes.OK;
  }

  /** {@code name=value} pairs, values as JSON, as in the JSON output. */
  private static String searchAttributes(WorkflowDescription d) {
    StringBuilder sb = new StringBuilder();
    Json.run(d).get("searchAttributes").properties().forEach(e ->
        sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue()));
    return sb.toString();
  }
}
