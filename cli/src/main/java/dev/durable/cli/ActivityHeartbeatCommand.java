package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code durable activity heartbeat --task-token TOKEN [--details JSON]}. */
@Command(name = "heartbeat", mixinStandardHelpOptions = true,
    description = "Record progress of a started activity attempt: it pushes the attempt's heartbeat timeout back,"
        + " and the details go to the next attempt if this one fails. Prints whether the workflow asked to cancel"
        + " the activity: then stop the work and report it with 'durable activity cancel'.")
final class ActivityHeartbeatCommand extends ClientCommand {
  @Mixin
  ActivityAddressOptions activity;

  @Option(names = "--details", paramLabel = "JSON", defaultValue = "null",
      description = "Progress to keep, one JSON value (default: null), which the next attempt reads with"
          + " getHeartbeatDetails. Quote strings: '\"reminder sent\"'.")
  String details;

  private Object value;

  @Override
  void prepare() {
    activity.check();
    value = JsonArgs.option(details, "--details");
  }

  @Override
  int run(Session session, PrintWriter out) {
    var completions = ActivityAddressOptions.completions(session);
    boolean cancelRequested = activity.call(token -> completions.heartbeat(token, value),
        (wf, id) -> completions.heartbeat(wf, id, value));
    activity.print("heartbeat", cancelRequested, output, out);
    return ExitCodes.OK;
  }
}
