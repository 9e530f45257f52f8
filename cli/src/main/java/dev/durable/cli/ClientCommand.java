package dev.durable.cli;

import picocli.CommandLine.Mixin;

/** A command that prints what it got as a table or, with {@code --output json}, as JSON. */
abstract class ClientCommand extends TargetCommand {
  @Mixin
  OutputOptions output;
}
