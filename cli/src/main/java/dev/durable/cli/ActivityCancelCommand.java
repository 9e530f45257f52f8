package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code durable activity cancel --task-token TOKEN [--details JSON]}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Report that a started activity attempt stopped because its workflow asked to cancel it (as"
        + " 'heartbeat' shows): the workflow sees the activity canceled. This does not ask for a cancellation: it is"
        + " refused (DURABLE-235) when the workflow did not ask for one. Recorded before this returns.")
final class ActivityCancelCommand extends ClientCommand {
  @Mixin
  ActivityAddressOptions activity;

  @Option(names = "--details", paramLabel = "JSON", defaultValue = "null",
      description = "What to record with the cancellation, one JSON value (default: null).")
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
    activity.apply(token -> completions.reportCancellation(token, value),
        (wf, id) -> completions.reportCancellation(wf, id, value));
    activity.print("canceled", output, out);
    return ExitCodes.OK;
  }
}
