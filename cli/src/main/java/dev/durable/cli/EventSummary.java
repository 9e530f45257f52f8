package dev.durable.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * One line about an event's attributes for {@code show}: {@code name=value} pairs, with payloads
 * shown as their JSON value and failures as {@code type: message}. It works from the attributes'
 * JSON, so event types added later are summarised too.
 */
final class EventSummary {
  /** Attributes that are long and rarely what one looks for in a listing; the JSON output has them. */
  private static final Set<String> OMITTED = Set.of("spec", "workflowTaskTimeout", "replaySemantics", "stackTrace");
  private static final int MAX = 160;

  private EventSummary() {}

  static String of(String attributesJson) {
    JsonNode attributes = Json.parse(attributesJson, "event attributes");
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, JsonNode> field : attributes.properties()) {
      JsonNode v = field.getValue();
      if (OMITTED.contains(field.getKey()) || v.isNull() || (v.isArray() && v.isEmpty())) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(field.getKey()).append('=').append(value(v));
    }
    return Text.abbreviate(Text.oneLine(sb.toString()), MAX);
  }

  private static String value(JsonNode v) {
    if (v.isTextual()) {
      return v.asText();
    }
    if (isPayload(v)) {
      return v.has("json") ? v.get("json").toString() : "<" + v.path("encoding").asText() + ">";
    }
    if (v.isArray() && v.size() > 0 && isPayload(v.get(0))) {
      StringBuilder sb = new StringBuilder("[");
      for (JsonNode p : v) {
        sb.append(sb.length() > 1 ? ", " : "").append(value(p));
      }
      return sb.append(']').toString();
    }
    if (v.isObject() && v.has("kind") && v.has("message")) {
      String type = v.path("type").asText("");
      return (type.isEmpty() ? v.get("kind").asText() : type) + ": " + v.get("message").asText();
    }
    return v.toString();
  }

  private static boolean isPayload(JsonNode v) {
    return v.isObject() && (v.has("json") || v.has("encoding")) && v.size() <= 2;
  }
}
