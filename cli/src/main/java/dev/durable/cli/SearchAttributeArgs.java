package dev.durable.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code NAME=JSON} search attributes from the command line. A JSON string is a keyword, an
 * integer a long, a fraction a double, {@code true}/{@code false} a boolean and an array of
 * strings a keyword list.
 */
final class SearchAttributeArgs {
  private SearchAttributeArgs() {}

  static Map<String, Object> parse(List<String> args, String option) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw CliError.usage(option + " " + arg + " is not NAME=JSON, such as CustomerId='\"c-42\"' or Total=120.5");
      }
      String name = arg.substring(0, eq);
      out.put(name, value(Json.parse(arg.substring(eq + 1), option + " " + name), option + " " + name));
    }
    return out;
  }

  private static Object value(JsonNode v, String what) {
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isArray()) {
      List<String> keywords = new ArrayList<>();
      for (JsonNode e : v) {
        if (!e.isTextual()) {
          throw CliError.usage(what + ": a list holds keywords (JSON strings) only, got " + e);
        }
        keywords.add(e.asText());
      }
      return keywords;
    }
    throw CliError.usage(what + " must be a JSON string, number, boolean or array of strings, got " + v);
  }
}
