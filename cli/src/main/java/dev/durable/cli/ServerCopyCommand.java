package dev.durable.cli;

import dev.durable.postgres.PostgresStorage;
import dev.durable.postgres.StoreCopy;
import dev.durable.server.cli.ServerMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code durable server copy}: moves a deployment's runs from a data dir into an empty PostgreSQL
 * schema, or back ({@link StoreCopy}). Neither may be in use by a server meanwhile.
 */
@Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Copy every run (open and closed, whole histories) from a stopped server's data dir into an"
        + " empty PostgreSQL schema, or back. Stop the server first; start it on the copy afterwards.")
final class ServerCopyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--from-data-dir", paramLabel = "DIR", description = "Copy from this data dir.")
  Path fromDataDir;

  @Option(names = "--from-postgres-url", paramLabel = "URL", description = "Copy from this PostgreSQL schema.")
  String fromPostgresUrl;

  @Option(names = "--to-data-dir", paramLabel = "DIR", description = "Copy into this data dir (without runs).")
  Path toDataDir;

  @Option(names = "--to-postgres-url", paramLabel = "URL",
      description = "Copy into this PostgreSQL schema (without runs), such as"
          + " jdbc:postgresql://db:5432/app?currentSchema=durable.")
  String toPostgresUrl;

  @Option(names = "--postgres-user", paramLabel = "USER",
      description = "The PostgreSQL user, with the password in $" + ServerMain.POSTGRES_PASSWORD_ENV + ".")
  String postgresUser;

  @Override
  public Integer call() {
    boolean intoPostgres = fromDataDir != null && toPostgresUrl != null && fromPostgresUrl == null && toDataDir == null;
    boolean outOfPostgres = fromPostgresUrl != null && toDataDir != null && fromDataDir == null && toPostgresUrl == null;
    if (!intoPostgres && !outOfPostgres) {
      throw CliError.usage("give --from-data-dir with --to-postgres-url, or --from-postgres-url with --to-data-dir:"
          + " a copy moves runs between a data dir and PostgreSQL");
    }
    PostgresStorage storage = ServerMain.postgresStorage(intoPostgres ? toPostgresUrl : fromPostgresUrl, postgresUser,
        ((DurableCli) spec.root().userObject()).env()).build();
    StoreCopy.Result r = intoPostgres ? StoreCopy.copy(fromDataDir, storage) : StoreCopy.copy(storage, toDataDir);
    spec.commandLine().getOut().println("copied " + r.runs() + " runs (" + r.events() + " events) from "
        + (intoPostgres ? fromDataDir : storage.describe()) + " to " + (intoPostgres ? storage.describe() : toDataDir));
    return ExitCodes.OK;
  }
}
