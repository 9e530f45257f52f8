package dev.durable.cli;

import dev.durable.client.WorkflowClient;

/** An open connection to a server, or a data dir the CLI opened itself; closing releases it. */
interface Session extends AutoCloseable {
  /** Returns the client that commands use. */
  WorkflowClient client();

  /**
   * Returns whether this process opened the data dir itself: then no worker can poll it while the
   * command runs, so commands that need one (query, waiting for a result) refuse at once.
   */
  boolean ownsDataDir();

  @Override
  void close();
}
