package dev.durable.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code durable workflow query ID NAME [JSON...]}. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Run a query method on a workflow's current state and print its JSON result. Needs a worker,"
        + " so it works with --address only.")
final class QueryCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
  String workflowId;

  @Parameters(index = "1", paramLabel = "QUERY", description = "The query name.")
  String queryName;

  @Parameters(index = "2..*", paramLabel = "JSON",
      description = "The query method's arguments, one JSON value each. Put -- before a value that starts with -.")
  List<String> args = new ArrayList<>();

  private Object[] values;

  @Override
  void prepare() {
    values = JsonArgs.inline(args, "query argument");
  }

  @Override
  int run(Session session, PrintWriter out) {
    Workflows.describe(session, workflowId);
    Workflows.requireWorkers(session, "a query");
    JsonNode result = session.client().newUntypedWorkflowStub(workflowId).query(queryName, JsonNode.class, values);
    if (output.json()) {
      var o = Json.object();
      o.put("workflowId", workflowId);
      o.put("query", queryName);
      o.set("result", result);
      Json.print(out, o);
    } else {
      Json.print(out, result);
    }
    return ExitCodes.OK;
  }
}
