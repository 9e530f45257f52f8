package dev.durable.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options that say where a command's calls go; shared by every command that talks to a server. */
final class TargetOptions {
  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Open this data dir directly (no server may run on it). Queries and waiting for results need a"
          + " server (--address), because no worker can poll a data dir the CLI holds.")
  Path dataDir;

  /** Returns where calls go, from the options and then the environment. */
  Target resolve(Map<String, String> env) {
    if (dataDir != null) {
      return new DataDirTarget(dataDir);
    }
    throw CliError.usage("no data dir or server given: pass --data-dir DIR to open a data dir directly.");
  }
}
