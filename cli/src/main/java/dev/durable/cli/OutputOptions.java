package dev.durable.cli;

import picocli.CommandLine.Option;

/** The {@code --output} option. */
final class OutputOptions {
  /** The output formats. */
  enum Format {
    /** Aligned columns for people; times in ISO-8601 UTC. */
    table,
    /** One JSON document with the field names docs/cli.md lists, for scripts. */
    json
  }

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (default) or json.")
  Format format = Format.table;

  boolean json() {
    return format == Format.json;
  }
}
