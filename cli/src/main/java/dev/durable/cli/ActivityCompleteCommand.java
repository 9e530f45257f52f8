package dev.durable.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code durable activity complete --task-token TOKEN [--result JSON]}. */
@Command(name = "complete", mixinStandardHelpOptions = true,
    description = "Complete a started activity attempt with a result; the workflow receives it as the activity's"
        + " return value. Recorded before this returns.")
final class ActivityCompleteCommand extends ClientCommand {
  @Mixin
  ActivityAddressOptions activity;

  @Option(names = "--result", paramLabel = "JSON", defaultValue = "null",
      description = "The result, one JSON value (default: null). Quote strings: '\"approved\"'.")
  String result;

  private Object value;

  @Override
  void prepare() {
    activity.check();
    value = JsonArgs.option(result, "--result");
  }

  @Override
  int run(Session session, PrintWriter out) {
    var completions = ActivityAddressOptions.completions(session);
    activity.apply(token -> completions.complete(token, value), (wf, id) -> completions.complete(wf, id, value));
    activity.print("completed", output, out);
    return ExitCodes.OK;
  }
}
