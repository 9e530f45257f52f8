package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code durable workflow pause ID [--reason TEXT]} and {@code durable workflow resume ID}: a cron schedule. */
abstract class ScheduleCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow id of a cron workflow.")
  String workflowId;

  abstract boolean pause();

  String reason() {
    return null;
  }

  @Override
  int run(Session session, PrintWriter out) {
    Workflows.describe(session, workflowId);
    var stub = session.client().newUntypedWorkflowStub(workflowId);
    if (pause()) {
      stub.pauseSchedule(reason());
    } else {
      stub.resumeSchedule();
    }
    var d = Workflows.describe(session, workflowId);
    if (output.json()) {
      var o = Json.object();
      o.put("workflowId", d.workflowId());
      o.put("runId", d.runId());
      o.put("schedulePaused", d.schedulePaused());
      o.set("executionTime", Json.time(d.executionTime()));
      Json.print(out, o);
    } else {
      Table.fields().row("Workflow ID", d.workflowId()).row("Run ID", d.runId())
          .row("Cron schedule", d.cronSchedule() + (d.schedulePaused() ? " (paused)" : ""))
          .row("Next run", d.schedulePaused() ? null : d.executionTime()).print(out);
    }
    return ExitCodes.OK;
  }

  /** Pauses. */
  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Pause a cron workflow's schedule: no run starts its code, however many firings pass, until"
          + " 'resume'. A run that is running goes on.")
  static final class Pause extends ScheduleCommand {
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the server's log.")
    String reason;

    @Override
    boolean pause() {
      return true;
    }

    @Override
    String reason() {
      return reason;
    }
  }

  /** Resumes. */
  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Resume a paused cron schedule: the waiting run starts at the schedule's next firing from now;"
          + " firings missed while paused are not made up.")
  static final class Resume extends ScheduleCommand {
    @Override
    boolean pause() {
      return false;
    }
  }
}
