package dev.durable.cli;

/**
 * An error the CLI reports as one line on stderr, with its stable code, and ends with the given
 * exit status.
 */
final class CliError extends RuntimeException {
  private final int exitCode;

  CliError(String code, int exitCode, String message) {
    this(code, exitCode, message, null);
  }

  CliError(String code, int exitCode, String message, Throwable cause) {
    super(code + " " + message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  /** Bad command-line input (DURABLE-270, exit status 1). */
  static CliError usage(String message) {
    return new CliError("DURABLE-270", ExitCodes.USAGE, message);
  }
}
