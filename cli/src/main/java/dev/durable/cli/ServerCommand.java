package dev.durable.cli;

import dev.durable.server.cli.ServerMain;
import picocli.CommandLine.Command;

/**
 * {@code durable server ...}: the standalone server. {@code start} is the server's own command,
 * {@link ServerMain} (the main class of durable-server.jar), so both take the same options and
 * behave the same; {@link DurableCli} creates it with the CLI's environment and reports its errors
 * with the CLI's codes and exit statuses.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run a standalone Durable server.",
    subcommands = {ServerMain.class, ServerCopyCommand.class})
final class ServerCommand {}
