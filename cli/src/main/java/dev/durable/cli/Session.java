package dev.durable.cli;

import dev.durable.client.WorkflowClient;

/**
 * An open connection to a server, or a data dir the CLI opened itself; closing releases it.
 *
 * @param client the client that commands use
 * @param ownsDataDir whether this process opened the data dir itself: then no worker can poll it
 *     while the command runs, so commands that need one (query, waiting for a result) refuse at once
 * @param release what closing does
 */
record Session(WorkflowClient client, boolean ownsDataDir, Runnable release) implements AutoCloseable {
  @Override
  public void close() {
    release.run();
  }
}
