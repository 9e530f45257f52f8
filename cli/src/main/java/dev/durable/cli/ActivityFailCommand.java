package dev.durable.cli;

import dev.durable.failure.ApplicationFailure;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code durable activity fail --task-token TOKEN --message TEXT [--type TYPE] [--non-retryable]}. */
@Command(name = "fail", mixinStandardHelpOptions = true,
    description = "Fail a started activity attempt with an application failure. The activity's retry policy"
        + " applies: a retry is a new attempt, with a new token. Recorded before this returns.")
final class ActivityFailCommand extends ClientCommand {
  @Mixin
  ActivityAddressOptions activity;

  @Option(names = "--message", paramLabel = "TEXT", required = true, description = "What went wrong.")
  String message;

  @Option(names = "--type", paramLabel = "TYPE", defaultValue = "dev.durable.cli.ActivityFailed",
      description = "The failure type, which retry options may name as not to retry (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(names = "--non-retryable", description = "Fail the activity for good: no retry, whatever its policy.")
  boolean nonRetryable;

  @Override
  void prepare() {
    activity.check();
  }

  @Override
  int run(Session session, PrintWriter out) {
    ApplicationFailure failure = nonRetryable ? ApplicationFailure.newNonRetryableFailure(message, type)
        : ApplicationFailure.newFailure(message, type);
    var completions = ActivityAddressOptions.completions(session);
    activity.apply(token -> completions.fail(token, failure), (wf, id) -> completions.fail(wf, id, failure));
    activity.print(nonRetryable ? "failed, not retryable" : "failed", output, out);
    return ExitCodes.OK;
  }
}
