package dev.durable.cli;

import dev.durable.client.WorkflowHistory;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code durable workflow show}: the history of the latest run. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Show the event history of a workflow's latest run (JSON: the history format the replayer reads).")
final class ShowCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
  String workflowId;

  @Override
  int run(Session session, PrintWriter out) {
    WorkflowHistory history = session.client().newUntypedWorkflowStub(workflowId).getHistory();
    if (output.json()) {
      out.println(history.toJson());
      return ExitCodes.OK;
    }
    Table t = new Table("ID", "TIME", "TYPE", "DETAILS");
    for (WorkflowHistory.Event e : history.getEvents()) {
      t.row(e.eventId(), e.timestamp(), e.eventType(), EventSummary.of(e.attributesJson()));
    }
    t.print(out);
    return ExitCodes.OK;
  }
}
