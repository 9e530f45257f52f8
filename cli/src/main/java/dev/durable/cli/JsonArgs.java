package dev.durable.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns command-line JSON values into call arguments. Each becomes a {@link JsonNode}, which the
 * client's JSON converter writes back as the same JSON, so the workflow receives exactly what was
 * typed; JSON {@code null} becomes a Java null.
 */
final class JsonArgs {
  private JsonArgs() {}

  /** Parses values given inline; {@code what} names them in errors, e.g. {@code --input}. */
  static Object[] inline(List<String> values, String what) {
    Object[] out = new Object[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = value(Json.parse(values.get(i), what + " value " + (i + 1) + " (" + Text.abbreviate(values.get(i), 40) + ")"));
    }
    return out;
  }

  /** Parses the one value of option {@code option}, such as {@code --result}. */
  static Object option(String value, String option) {
    return inline(List.of(value), option)[0];
  }

  /** Reads one JSON value from each file. */
  static Object[] files(List<Path> files) {
    Object[] out = new Object[files.size()];
    for (int i = 0; i < out.length; i++) {
      Path f = files.get(i);
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliError.usage("cannot read --input-file " + f + ": " + e + ". Check the path and permissions.");
      }
      out[i] = value(Json.parse(text, "--input-file " + f));
    }
    return out;
  }

  private static Object value(JsonNode node) {
    return node.isNull() ? null : node;
  }
}
