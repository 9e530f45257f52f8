package dev.durable.cli;

import dev.durable.client.WorkflowAlreadyStartedException;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowNotFoundException;
import dev.durable.client.WorkflowQueryException;
import dev.durable.common.DurableException;
import dev.durable.server.cli.ServerMain;
import java.io.PrintWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Turns errors into one line on stderr and an exit status (docs/cli.md). */
final class Errors {
  private static final Pattern CODE = Pattern.compile("^(DURABLE-\\d{3}) ");

  private Errors() {}

  /** Bad usage found by the parser: unknown option, missing parameter, bad value. */
  static int usage(ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("DURABLE-270 " + Text.oneLine(e.getMessage()) + ". See '"
        + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
    return ExitCodes.USAGE;
  }

  /** An error while a command ran. */
  static int report(Exception e, CommandLine line, boolean verbose) {
    if (e instanceof ServerMain.UsageException u) {
      // 'server start' options that do not go together: the CLI's usage error
      e = new CliError("DURABLE-270", ExitCodes.USAGE, u.getMessage(), u);
    }
    PrintWriter err = line.getErr();
    String code = code(e);
    String message = code == null
        ? "DURABLE-279 unexpected error: " + e + ". Rerun with --verbose for the stack trace, and report it."
        : e.getMessage();
    err.println(Text.oneLine(message));
    if (verbose) {
      e.printStackTrace(err);
    }
    return exitCode(e, code);
  }

  static String code(Throwable e) {
    if (e instanceof DurableException d) {
      return d.getCode();
    }
    Matcher m = CODE.matcher(String.valueOf(e.getMessage()));
    return m.find() ? m.group(1) : null;
  }

  private static int exitCode(Throwable e, String code) {
    if (e instanceof CliError c) {
      return c.exitCode();
    }
    if (e instanceof WorkflowNotFoundException) {
      return ExitCodes.NOT_FOUND;
    }
    if (e instanceof WorkflowFailedException || e instanceof WorkflowQueryException) {
      return ExitCodes.WORKFLOW_FAILED;
    }
    if (e instanceof WorkflowAlreadyStartedException) {
      return ExitCodes.ALREADY_STARTED;
    }
    if (code == null) {
      return ExitCodes.ERROR;
    }
    return switch (code) {
      case "DURABLE-207", "DURABLE-234" -> ExitCodes.NOT_FOUND;
      case "DURABLE-208", "DURABLE-226" -> ExitCodes.ALREADY_STARTED;
      case "DURABLE-209", "DURABLE-211" -> ExitCodes.WORKFLOW_FAILED;
      case "DURABLE-213", "DURABLE-301", "DURABLE-310", "DURABLE-311", "DURABLE-261", "DURABLE-262", "DURABLE-263",
          "DURABLE-265", "DURABLE-267", "DURABLE-268" -> ExitCodes.UNAVAILABLE;
      case "DURABLE-201", "DURABLE-206", "DURABLE-218", "DURABLE-223", "DURABLE-233", "DURABLE-235", "DURABLE-236",
          "DURABLE-238", "DURABLE-250", "DURABLE-251", "DURABLE-253", "DURABLE-254", "DURABLE-314" -> ExitCodes.USAGE;
      default -> ExitCodes.ERROR;
    };
  }
}
