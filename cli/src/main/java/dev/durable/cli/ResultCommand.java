package dev.durable.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowStub;
import dev.durable.server.cli.DurationConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code durable workflow result ID [--timeout D]}: waits for the workflow and prints its result. */
@Command(name = "result", mixinStandardHelpOptions = true,
    description = "Wait for a workflow to close and print its JSON result; if it failed, was canceled, terminated"
        + " or timed out, print why on stderr and exit with status 3.")
final class ResultCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id.")
  String workflowId;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Wait at most this long, e.g. 30s or PT30S (default: until it closes); then exit with status 4.")
  Duration timeout;

  @Override
  int run(Session session, PrintWriter out) {
    WorkflowDescription d = Workflows.describe(session, workflowId);
    if (!d.isClosed()) {
      Workflows.requireWorkers(session, "waiting for running workflow '" + workflowId + "'");
    }
    WorkflowStub stub = session.client().newUntypedWorkflowStub(workflowId);
    JsonNode result;
    try {
      result = timeout == null ? stub.getResult(JsonNode.class) : stub.getResult(timeout, JsonNode.class);
    } catch (TimeoutException e) {
      throw new CliError("DURABLE-273", ExitCodes.TIMED_OUT, "workflow '" + workflowId + "' is still running after "
          + timeout + ". Wait longer with a larger --timeout, or see what it waits for with 'durable workflow describe "
          + workflowId + "'.");
    } catch (WorkflowFailedException e) {
      if (output.json()) {
        Json.print(out, failed(e, stub.getHistory()));
      }
      throw e;
    }
    if (output.json()) {
      ObjectNode o = Json.object();
      o.put("workflowId", workflowId);
      o.put("runId", Workflows.describe(session, workflowId).runId());
      o.put("status", "COMPLETED");
      o.set("result", result);
      Json.print(out, o);
    } else {
      Json.print(out, result);
    }
    return ExitCodes.OK;
  }

  /** The document for a run that did not complete; {@code failure} is the close event's, in the history format. */
  private static ObjectNode failed(WorkflowFailedException e, WorkflowHistory history) {
    ObjectNode o = Json.object();
    o.put("workflowId", e.getExecution().workflowId());
    o.put("runId", e.getExecution().runId());
    o.put("status", e.getStatus().name());
    List<WorkflowHistory.Event> events = history.getEvents();
    JsonNode attributes = Json.parse(events.get(events.size() - 1).attributesJson(), "close event");
    if (attributes.has("failure")) {
      o.set("failure", attributes.get("failure"));
    } else {
      // WorkflowExecutionTerminated records a reason, not a failure.
      ObjectNode f = o.putObject("failure");
      f.put("kind", "TERMINATED");
      f.put("message", attributes.path("reason").asText(null));
    }
    return o;
  }
}
