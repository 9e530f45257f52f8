package dev.durable.cli;

import dev.durable.client.WorkflowExecution;
import dev.durable.client.WorkflowIdReusePolicy;
import dev.durable.client.WorkflowOptions;
import dev.durable.server.cli.DurationConverter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code durable workflow start}: starts a workflow by type name, with JSON arguments. */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start a workflow; prints its workflow id and run id. Does not wait for it to finish (see 'result').")
final class StartCommand extends ClientCommand {
  @Option(names = "--type", required = true, paramLabel = "TYPE", description = "The workflow type, e.g. OrderWorkflow.")
  String type;

  @Option(names = "--task-queue", required = true, paramLabel = "QUEUE", description = "The task queue its workers poll.")
  String taskQueue;

  @Option(names = "--workflow-id", paramLabel = "ID", description = "The workflow id (default: a random UUID).")
  String workflowId;

  @Option(names = "--input", paramLabel = "JSON",
      description = "An argument of the workflow method as a JSON value; repeat for several, in order. Quote strings: '\"World\"'.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--input-file", paramLabel = "FILE",
      description = "A file holding one argument as a JSON value; repeat for several, in order. Not with --input.")
  List<Path> inputFiles = new ArrayList<>();

  @Option(names = "--execution-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long the workflow may run in all, e.g. 1h or PT1H (default: no limit).")
  Duration executionTimeout;

  @Option(names = "--run-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long this run may run (default: no limit).")
  Duration runTimeout;

  @Option(names = "--id-reuse-policy", paramLabel = "POLICY",
      description = "Whether a closed workflow id may start again: ${COMPLETION-CANDIDATES} (default: ALLOW_DUPLICATE).")
  WorkflowIdReusePolicy reusePolicy;

  @Option(names = "--cron", paramLabel = "SCHEDULE",
      description = "Run on a cron schedule, such as '0 9 * * MON-FRI', '@hourly' or '@every 15m' (UTC unless it"
          + " starts with CRON_TZ=<zone>): a run each time it fires, until the workflow is terminated.")
  String cronSchedule;

  @Option(names = "--start-delay", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Start the run now, but run its code only once this much has passed, e.g. 2h (not with --cron;"
          + " a signal-with-start ends the wait).")
  Duration startDelay;

  @Option(names = "--search-attribute", paramLabel = "NAME=JSON",
      description = "A search attribute of the run, such as CustomerId='\"c-42\"' or Total=120.5 (a string is a"
          + " keyword); repeatable.")
  List<String> searchAttributes = new ArrayList<>();

  @Override
  boolean createsDataDir() {
    return true;
  }

  private Object[] args;
  private Map<String, Object> attributes;

  @Override
  void prepare() {
    if (!inputs.isEmpty() && !inputFiles.isEmpty()) {
      throw CliError.usage("give the workflow's arguments with --input or with --input-file, not both,"
          + " so that their order is clear.");
    }
    args = inputFiles.isEmpty() ? JsonArgs.inline(inputs, "--input") : JsonArgs.files(inputFiles);
    attributes = SearchAttributeArgs.parse(searchAttributes, "--search-attribute");
  }

  @Override
  int run(Session session, PrintWriter out) {
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder().setTaskQueue(taskQueue)
        .setWorkflowExecutionTimeout(executionTimeout).setWorkflowRunTimeout(runTimeout).setCronSchedule(cronSchedule)
        .setStartDelay(startDelay);
    if (workflowId != null) {
      options.setWorkflowId(workflowId);
    }
    if (!attributes.isEmpty()) {
      options.setSearchAttributes(attributes);
    }
    if (reusePolicy != null) {
      options.setWorkflowIdReusePolicy(reusePolicy);
    }
    WorkflowExecution e = session.client().newUntypedWorkflowStub(type, options.build()).start(args);
    if (output.json()) {
      var o = Json.object();
      o.put("workflowId", e.workflowId());
      o.put("runId", e.runId());
      Json.print(out, o);
    } else {
      Table.fields().row("Workflow ID", e.workflowId()).row("Run ID", e.runId()).print(out);
    }
    return ExitCodes.OK;
  }
}
