package dev.durable.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowDescription;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * The JSON documents the CLI prints with {@code --output json}. Field names are spelled out here,
 * not derived from Java types, so that they stay stable; docs/cli.md lists them.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** Parses JSON text; {@code what} names the text in the error. */
  static JsonNode parse(String text, String what) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw CliError.usage(what + " is empty; give one JSON value, such as '\"text\"', 42, true or '{\"a\":1}'.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw CliError.usage(what + " is not JSON: " + Text.oneLine(e.getOriginalMessage())
          + ". Give one JSON value; quote strings: '\"text\"'.");
    }
  }

  /** Prints a document, indented, followed by a line break. */
  static void print(PrintWriter out, JsonNode node) {
    try {
      out.println(MAPPER.writeValueAsString(node == null ? NullNode.getInstance() : node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }

  static JsonNode time(Instant t) {
    return t == null ? NullNode.getInstance() : MAPPER.getNodeFactory().textNode(t.toString());
  }

  /** A run as {@code list} and {@code describe} print it. */
  static ObjectNode run(WorkflowDescription d) {
    ObjectNode o = object();
    o.put("workflowId", d.workflowId());
    o.put("runId", d.runId());
    o.put("workflowType", d.workflowType());
    o.put("taskQueue", d.taskQueue());
    o.put("status", d.status().name());
    o.set("startTime", time(d.startTime()));
    o.set("closeTime", time(d.closeTime()));
    o.put("historyLength", d.historyLength());
    ObjectNode attributes = o.putObject("searchAttributes");
    d.searchAttributes().forEach((name, value) -> attributes.set(name, value instanceof Instant t ? time(t)
        : MAPPER.valueToTree(value)));
    return o;
  }

  /** A run with what only {@code describe} shows. */
  static ObjectNode description(WorkflowDescription d) {
    ObjectNode o = run(d);
    o.put("cronSchedule", d.cronSchedule());
    if (d.cronSchedule() != null) {
      o.put("schedulePaused", d.schedulePaused());
    }
    o.set("executionTime", time(d.executionTime()));
    o.put("workflowTaskAttempt", d.workflowTaskAttempt());
    o.put("lastWorkflowTaskFailure", d.lastWorkflowTaskFailure());
    ArrayNode pending = o.putArray("pendingActivities");
    for (PendingActivityInfo a : d.pendingActivities() == null ? List.<PendingActivityInfo>of() : d.pendingActivities()) {
      ObjectNode p = pending.addObject();
      p.put("activityType", a.activityType());
      p.put("activityId", a.activityId());
      p.put("state", a.state());
      p.put("attempt", a.attempt());
      p.set("scheduledTime", time(a.scheduledTime()));
      p.set("lastHeartbeatTime", time(a.lastHeartbeatTime()));
      p.set("nextAttemptTime", time(a.nextAttemptTime()));
      p.put("lastFailure", a.lastFailure());
    }
    return o;
  }
}
