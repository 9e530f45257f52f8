package dev.durable.cli;

import dev.durable.client.ActivityCompletionClient;
import java.io.PrintWriter;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Which activity attempt a command reports on: {@code --task-token}, or {@code --workflow-id} with
 * {@code --activity-id} (the current attempt of that activity in the workflow's latest run).
 */
final class ActivityAddressOptions {
  @Option(names = "--task-token", paramLabel = "TOKEN",
      description = "The task token the activity handed out (ActivityExecutionContext.getTaskToken()).")
  String token;

  @Option(names = "--workflow-id", paramLabel = "ID",
      description = "Instead of --task-token: the workflow whose activity it is (with --activity-id).")
  String workflowId;

  @Option(names = "--activity-id", paramLabel = "ID",
      description = "Instead of --task-token: the activity's id, as 'workflow describe' shows it (with --workflow-id).")
  String activityId;

  /** Checks that exactly one address was given; a usage error (DURABLE-270) otherwise. */
  void check() {
    boolean byId = workflowId != null || activityId != null;
    if (token != null && byId) {
      throw CliError.usage("give --task-token, or --workflow-id with --activity-id, not both");
    }
    if (token == null && (workflowId == null || activityId == null)) {
      throw CliError.usage(byId ? "--workflow-id and --activity-id go together; give both"
          : "missing the activity: give --task-token TOKEN, or --workflow-id ID with --activity-id ID");
    }
  }

  /** Calls {@code byToken} or {@code byId} with this address. */
  void apply(Consumer<String> byToken, BiConsumer<String, String> byId) {
    call(t -> {
      byToken.accept(t);
      return null;
    }, (wf, id) -> {
      byId.accept(wf, id);
      return null;
    });
  }

  /** Calls {@code byToken} or {@code byId} with this address and returns what it returns. */
  <T> T call(Function<String, T> byToken, BiFunction<String, String, T> byId) {
    return token != null ? byToken.apply(token) : byId.apply(workflowId, activityId);
  }

  /** Prints what was reported on the activity, as a table or JSON. */
  void print(String reported, OutputOptions output, PrintWriter out) {
    print(reported, null, output, out);
  }

  /**
   * Prints what was reported on the activity and, when not null, whether its workflow asked to
   * cancel it (what a heartbeat learns), as a table or JSON.
   */
  void print(String reported, Boolean cancelRequested, OutputOptions output, PrintWriter out) {
    if (output.json()) {
      var o = Json.object();
      if (token != null) {
        o.put("taskToken", token);
      } else {
        o.put("workflowId", workflowId);
        o.put("activityId", activityId);
      }
      o.put("reported", reported);
      if (cancelRequested != null) {
        o.put("cancelRequested", cancelRequested.booleanValue());
      }
      Json.print(out, o);
    } else {
      Table t = Table.fields();
      if (token != null) {
        t.row("Task token", token);
      } else {
        t.row("Workflow ID", workflowId).row("Activity ID", activityId);
      }
      t.row("Reported", reported);
      if (cancelRequested != null) {
        t.row("Cancel requested", cancelRequested ? "yes: stop the work, then run 'durable activity cancel'" : "no");
      }
      t.print(out);
    }
  }

  /** The completion client of the session's client. */
  static ActivityCompletionClient completions(Session session) {
    return session.client().newActivityCompletionClient();
  }
}
