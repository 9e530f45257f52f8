package dev.durable.cli;

import dev.durable.client.WorkflowClient;
import dev.durable.common.DurableException;
import dev.durable.server.DurableServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the embedded engine on a data dir for the length of one command. Only one process may
 * hold a data dir, so this fails while a server runs on it, and nothing else can poll its task
 * queues while the command runs.
 */
final class DataDirTarget implements Target {
  private final Path dataDir;

  DataDirTarget(Path dataDir) {
    this.dataDir = dataDir;
  }

  @Override
  public Session open(boolean create) {
    if (!create && !Files.isDirectory(dataDir.resolve("db"))) {
      throw new CliError("DURABLE-271", ExitCodes.UNAVAILABLE, "no Durable data dir at " + dataDir.toAbsolutePath()
          + " (it has no db/ directory). Check the path; only 'durable workflow start' creates a new data dir.");
    }
    DurableServer server;
    try {
      server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
    } catch (DurableException e) {
      if ("DURABLE-301".equals(e.getCode())) {
        throw new CliError("DURABLE-301", ExitCodes.UNAVAILABLE, e.getMessage().substring("DURABLE-301 ".length())
            + " If a Durable server runs on it, talk to that server with --address HOST:PORT instead of --data-dir.", e);
      }
      throw e;
    }
    WorkflowClient client = WorkflowClient.newInstance(server);
    return new Session(client, true, () -> {
      client.close();
      server.close();
    });
  }
}
