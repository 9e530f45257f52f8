package dev.durable.cli;

/** The exit statuses of {@code durable}; docs/cli.md lists them. They never change meaning. */
final class ExitCodes {
  /** The command did what was asked. */
  static final int OK = 0;
  /** Bad usage or input: unknown option, missing argument, an argument that is not JSON. */
  static final int USAGE = 1;
  /** No workflow has the given id, or the activity reported on is no longer pending. */
  static final int NOT_FOUND = 2;
  /** The workflow failed, was canceled, terminated or timed out ({@code result}), or a query failed. */
  static final int WORKFLOW_FAILED = 3;
  /** {@code result --timeout} passed while the workflow was still running. */
  static final int TIMED_OUT = 4;
  /** A workflow with the id is already running, or the id may not be reused. */
  static final int ALREADY_STARTED = 5;
  /** The server or data dir could not be reached or opened (in use, missing, refused). */
  static final int UNAVAILABLE = 6;
  /** Any other error: storage, an unexpected failure; or acting on a workflow of a batch ({@code --yes}) failed. */
  static final int ERROR = 7;

  private ExitCodes() {}
}
