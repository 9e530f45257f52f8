package dev.durable.replay;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.client.WorkflowHistory;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Looks up events in exported histories, so that tests name event ids the history really has
 * instead of numbers that drift when the recorded code changes.
 */
final class Histories {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Histories() {}

  /** Returns the id of the first event of {@code eventType}. */
  static long eventId(WorkflowHistory history, String eventType) {
    return events(history, eventType).stream().findFirst().map(WorkflowHistory.Event::eventId)
        .orElseGet(() -> fail("no " + eventType + " event in " + Recorder.eventTypes(history)));
  }

  /** Returns the id of the first event of {@code eventType} whose attribute {@code name} has {@code value}. */
  static long eventId(WorkflowHistory history, String eventType, String name, String value) {
    return events(history, eventType).stream().filter(e -> value.equals(attributes(e).path(name).asText(null)))
        .findFirst().map(WorkflowHistory.Event::eventId)
        .orElseGet(() -> fail("no " + eventType + " event with " + name + "=" + value + " in " + Recorder.eventTypes(history)));
  }

  /** Returns the events of {@code eventType}, in order. */
  static List<WorkflowHistory.Event> events(WorkflowHistory history, String eventType) {
    return history.getEvents().stream().filter(e -> e.eventType().equals(eventType)).toList();
  }

  /** Returns an event's attributes. */
  static JsonNode attributes(WorkflowHistory.Event event) {
    try {
      return JSON.readTree(event.attributesJson());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the activity types of a history's ActivityTaskScheduled events, in order. */
  static List<String> scheduledActivities(WorkflowHistory history) {
    return events(history, "ActivityTaskScheduled").stream().map(e -> attributes(e).path("activityType").asText()).toList();
  }
}
