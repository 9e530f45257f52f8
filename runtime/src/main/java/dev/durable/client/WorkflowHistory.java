package dev.durable.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.common.DurableException;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.store.StoreCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The event history of one run. {@link #toJson()} gives its stable JSON form (the same form the
 * server stores), which {@link #fromJson(String)} reads back.
 */
public final class WorkflowHistory {
  private final String workflowId;
  private final String runId;
  private final List<HistoryEvent> events;

  /**
   * One event.
   *
   * @param eventId the position in the history, from 1
   * @param timestamp when it was recorded
   * @param eventType the type, such as {@code ActivityTaskScheduled}
   * @param attributesJson the type-specific attributes as JSON
   */
  public record Event(long eventId, Instant timestamp, String eventType, String attributesJson) {}

  private WorkflowHistory(String workflowId, String runId, List<HistoryEvent> events) {
    this.workflowId = workflowId;
    this.runId = runId;
    this.events = List.copyOf(events);
  }

  /** Not API: wraps events read from the server. */
  public static WorkflowHistory of(String workflowId, String runId, List<HistoryEvent> events) {
    return new WorkflowHistory(workflowId, runId, events);
  }

  /** Returns the workflow id. */
  public String getWorkflowId() {
    return workflowId;
  }

  /** Returns the run id. */
  public String getRunId() {
    return runId;
  }

  /** Returns the events in order. */
  public List<Event> getEvents() {
    List<Event> out = new ArrayList<>(events.size());
    for (HistoryEvent e : events) {
      try {
        out.add(new Event(e.eventId(), e.timestamp(), e.eventType(), StoreCodec.mapper().writeValueAsString(e.attributes())));
      } catch (JsonProcessingException ex) {
        throw new DurableException("DURABLE-303", "cannot render event " + e.eventId() + ": " + ex.getMessage(), ex);
      }
    }
    return out;
  }

  /** Not API: the events as the engine reads them. */
  public List<HistoryEvent> internalEvents() {
    return events;
  }

  /** Returns the stable JSON form: {@code {"workflowId", "runId", "events": [...]}}. */
  public String toJson() {
    ObjectNode root = StoreCodec.mapper().createObjectNode();
    root.put("workflowId", workflowId);
    root.put("runId", runId);
    root.set("events", StoreCodec.mapper().valueToTree(events));
    try {
      return StoreCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new DurableException("DURABLE-303", "cannot render the history of '" + workflowId + "': " + e.getMessage(), e);
    }
  }

  /**
   * Reads the form {@link #toJson()} writes.
   *
   * @throws IllegalArgumentException (DURABLE-218) naming what is wrong with the text
   */
  public static WorkflowHistory fromJson(String json) {
    try {
      JsonNode root = StoreCodec.mapper().readTree(json);
      if (root == null || !root.has("events")) {
        throw new IllegalArgumentException("DURABLE-218 not a workflow history: the JSON has no \"events\" field");
      }
      List<HistoryEvent> events = new ArrayList<>();
      for (JsonNode e : root.get("events")) {
        events.add(StoreCodec.mapper().treeToValue(e, HistoryEvent.class));
      }
      return new WorkflowHistory(root.path("workflowId").asText(null), root.path("runId").asText(null), events);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("DURABLE-218 cannot read workflow history JSON at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
    }
  }
}
