package dev.durable.internal.store;

import static dev.durable.internal.store.CanonicalEventReader.duration;
import static dev.durable.internal.store.CanonicalEventReader.field;
import static dev.durable.internal.store.CanonicalEventReader.intOf;
import static dev.durable.internal.store.CanonicalEventReader.longOf;
import static dev.durable.internal.store.CanonicalEventReader.longValue;
import static dev.durable.internal.store.CanonicalEventReader.once;
import static dev.durable.internal.store.CanonicalEventReader.string;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.model.RunLinks;
import dev.durable.internal.model.RunSummary;
import dev.durable.internal.model.SearchAttributeValue;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a run's state straight from the parser's tokens, without Jackson's data binding, when it
 * is in the form the store writes and of the common shapes: no failure recorded (the run's or its
 * last workflow task's, or an activity's last one), no pending child, buffered events of the
 * common types ({@link CanonicalEventReader}). Every field must be present once, with the token
 * type the writer produces. Anything else makes {@link #read} return null, and the caller decodes
 * the bytes with the mapper, which reads them as it always did. A restart decodes every open run's
 * state: with the mapper that was most of a 10,000-run recovery on a cold JVM (building the mapper
 * and its deserializers, then binding through them).
 *
 * <p>{@link #readSummary} reads a run's listing summary the same way.
 *
 * <p>What it builds is what the mapper builds from the same bytes: the same field values, records
 * through their canonical constructors, lists as {@link ArrayList}s and maps as {@link TreeMap}s
 * (the mapper is told to use them too, see {@link ExecutionState}). {@code CanonicalStateReaderTest}
 * compares the two on random states.
 */
final class CanonicalStateReader {
  private CanonicalStateReader() {}

  /** Returns the state {@code bytes} hold, or null when they are not in the canonical form of a common state. */
  static ExecutionState read(JsonFactory factory, byte[] bytes) {
    try (JsonParser p = factory.createParser(bytes)) {
      ExecutionState s = p.nextToken() == JsonToken.START_OBJECT ? state(p) : null;
      return s != null && p.nextToken() == null ? s : null;
    } catch (IOException | RuntimeException e) {
      return null; // the mapper decodes it, or reports what is wrong with it
    }
  }

  /**
   * Returns the listing summary {@code bytes} hold, or null when they are not in the canonical
   * form: a recovered run's first change reads its stored summary to update the listing indexes.
   */
  static RunSummary readSummary(JsonFactory factory, byte[] bytes) {
    try (JsonParser p = factory.createParser(bytes)) {
      RunSummary s = p.nextToken() == JsonToken.START_OBJECT ? summary(p) : null;
      return s != null && p.nextToken() == null ? s : null;
    } catch (IOException | RuntimeException e) {
      return null; // the mapper decodes it, or reports what is wrong with it
    }
  }

  private static RunSummary summary(JsonParser p) throws IOException {
    String workflowId = null;
    String runId = null;
    String workflowType = null;
    String taskQueue = null;
    WorkflowStatus status = null;
    Instant startTime = null;
    Instant closeTime = null;
    Map<String, SearchAttributeValue> searchAttributes = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "workflowId" -> {
          seen = once(seen, 1);
          workflowId = string(p);
        }
        case "runId" -> {
          seen = once(seen, 1 << 1);
          runId = string(p);
        }
        case "workflowType" -> {
          seen = once(seen, 1 << 2);
          workflowType = string(p);
        }
        case "taskQueue" -> {
          seen = once(seen, 1 << 3);
          taskQueue = string(p);
        }
        case "status" -> {
          seen = once(seen, 1 << 4);
          status = status(p);
        }
        case "startTime" -> {
          seen = once(seen, 1 << 5);
          startTime = instantOrNull(p);
        }
        case "closeTime" -> {
          seen = once(seen, 1 << 6);
          closeTime = instantOrNull(p);
        }
        case "searchAttributes" -> {
          seen = once(seen, 1 << 7);
          searchAttributes = searchAttributes(p);
        }
        default -> {
          return null;
        }
      }
    }
    return seen == (1 << 8) - 1
        ? new RunSummary(workflowId, runId, workflowType, taskQueue, status, startTime, closeTime, searchAttributes)
        : null;
  }

  /** The fields of a state, after its START_OBJECT; null when they are not all there once, in canonical form. */
  private static ExecutionState state(JsonParser p) throws IOException {
    ExecutionState s = new ExecutionState();
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "workflowId" -> {
          seen = once(seen, 1);
          s.workflowId = string(p);
        }
        case "runId" -> {
          seen = once(seen, 1 << 1);
          s.runId = string(p);
        }
        case "workflowType" -> {
          seen = once(seen, 1 << 2);
          s.workflowType = string(p);
        }
        case "taskQueue" -> {
          seen = once(seen, 1 << 3);
          s.taskQueue = string(p);
        }
        case "status" -> {
          seen = once(seen, 1 << 4);
          s.status = status(p);
        }
        case "startTime" -> {
          seen = once(seen, 1 << 5);
          s.startTime = instantOrNull(p);
        }
        case "closeTime" -> {
          seen = once(seen, 1 << 6);
          s.closeTime = instantOrNull(p);
        }
        case "workflowTaskTimeout" -> {
          seen = once(seen, 1 << 7);
          s.workflowTaskTimeout = duration(p);
        }
        case "workflowExecutionTimeout" -> {
          seen = once(seen, 1 << 8);
          s.workflowExecutionTimeout = duration(p);
        }
        case "workflowRunTimeout" -> {
          seen = once(seen, 1 << 9);
          s.workflowRunTimeout = duration(p);
        }
        case "nextEventId" -> {
          seen = once(seen, 1 << 10);
          s.nextEventId = longOf(p);
        }
        case "workflowTaskPending" -> {
          seen = once(seen, 1 << 11);
          s.workflowTaskPending = bool(p);
        }
        case "workflowTaskAttempt" -> {
          seen = once(seen, 1 << 12);
          s.workflowTaskAttempt = intOf(p);
        }
        case "workflowTaskRetryAt" -> {
          seen = once(seen, 1 << 13);
          s.workflowTaskRetryAt = instantOrNull(p);
        }
        case "lastWorkflowTaskFailure" -> {
          seen = once(seen, 1 << 14);
          nullOnly(p);
        }
        case "lastCompletedTaskEventId" -> {
          seen = once(seen, 1 << 15);
          s.lastCompletedTaskEventId = longOf(p);
        }
        case "bufferedEvents" -> {
          seen = once(seen, 1 << 16);
          s.bufferedEvents = events(p);
        }
        case "activities" -> {
          seen = once(seen, 1 << 17);
          s.activities = activities(p);
        }
        case "timers" -> {
          seen = once(seen, 1 << 18);
          s.timers = timers(p);
        }
        case "cancelRequested" -> {
          seen = once(seen, 1 << 19);
          s.cancelRequested = bool(p);
        }
        case "searchAttributes" -> {
          seen = once(seen, 1 << 20);
          s.searchAttributes = searchAttributes(p);
        }
        case "updates" -> {
          seen = once(seen, 1 << 21);
          s.updates = updates(p);
        }
        case "result" -> {
          seen = once(seen, 1 << 22);
          s.result = payloadOrNull(p);
        }
        case "failure" -> {
          seen = once(seen, 1 << 23);
          nullOnly(p);
        }
        case "links" -> {
          seen = once(seen, 1 << 24);
          s.links = links(p);
        }
        case "nextRunId" -> {
          seen = once(seen, 1 << 25);
          s.nextRunId = string(p);
        }
        case "firstTaskAt" -> {
          seen = once(seen, 1 << 26);
          s.firstTaskAt = instantOrNull(p);
        }
        case "children" -> {
          seen = once(seen, 1 << 27);
          // Pending children are rare: a state with any goes to the mapper.
          if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.END_OBJECT) {
            return null;
          }
        }
        case "lastParentSignalEventId" -> {
          seen = once(seen, 1 << 28);
          s.lastParentSignalEventId = longOf(p);
        }
        case "schedulePaused" -> { // written only when set
          seen = once(seen, 1 << 29);
          s.schedulePaused = bool(p);
        }
        case "externalRequests" -> { // written only when not empty
          seen = once(seen, 1 << 30);
          s.externalRequests = externalRequests(p);
        }
        default -> {
          return null;
        }
      }
    }
    return (seen & ((1 << 29) - 1)) == (1 << 29) - 1 ? s : null;
  }

  private static WorkflowStatus status(JsonParser p) throws IOException {
    String name = string(p);
    return name == null ? null : WorkflowStatus.valueOf(name);
  }

  private static List<HistoryEvent> events(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_ARRAY) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
    List<HistoryEvent> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.START_OBJECT) {
        throw CanonicalEventReader.NotCanonical.INSTANCE;
      }
      out.add(notNull(CanonicalEventReader.eventFields(p)));
    }
    return out;
  }

  private static Map<Integer, PendingActivity> activities(JsonParser p) throws IOException {
    startObject(p);
    Map<Integer, PendingActivity> out = new TreeMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      Integer seq = intKey(p);
      startObject(p);
      out.put(seq, activity(p));
    }
    return out;
  }

  /** The fields of a pending activity, after its START_OBJECT. */
  private static PendingActivity activity(JsonParser p) throws IOException {
    PendingActivity a = new PendingActivity();
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "seq" -> {
          seen = once(seen, 1);
          a.seq = intOf(p);
        }
        case "scheduledEventId" -> {
          seen = once(seen, 1 << 1);
          a.scheduledEventId = longOf(p);
        }
        case "activityType" -> {
          seen = once(seen, 1 << 2);
          a.activityType = string(p);
        }
        case "taskQueue" -> {
          seen = once(seen, 1 << 3);
          a.taskQueue = string(p);
        }
        case "spec" -> {
          seen = once(seen, 1 << 4);
          a.spec = specOrNull(p);
        }
        case "attempt" -> {
          seen = once(seen, 1 << 5);
          a.attempt = intOf(p);
        }
        case "state" -> {
          seen = once(seen, 1 << 6);
          a.state = string(p);
        }
        case "scheduledTime" -> {
          seen = once(seen, 1 << 7);
          a.scheduledTime = instantOrNull(p);
        }
        case "attemptScheduledTime" -> {
          seen = once(seen, 1 << 8);
          a.attemptScheduledTime = instantOrNull(p);
        }
        case "nextAttemptTime" -> {
          seen = once(seen, 1 << 9);
          a.nextAttemptTime = instantOrNull(p);
        }
        case "lastFailure" -> {
          seen = once(seen, 1 << 10);
          nullOnly(p);
        }
        case "heartbeatDetails" -> {
          seen = once(seen, 1 << 11);
          a.heartbeatDetails = payloadOrNull(p);
        }
        case "lastHeartbeatTime" -> {
          seen = once(seen, 1 << 12);
          a.lastHeartbeatTime = instantOrNull(p);
        }
        case "cancelRequested" -> {
          seen = once(seen, 1 << 13);
          a.cancelRequested = bool(p);
        }
        case "awaitingCompletionSince" -> { // written only when set
          seen = once(seen, 1 << 14);
          a.awaitingCompletionSince = notNull(instantOrNull(p));
        }
        default -> throw CanonicalEventReader.NotCanonical.INSTANCE;
      }
    }
    if ((seen & ((1 << 14) - 1)) != (1 << 14) - 1) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
    return a;
  }

  private static Map<Integer, Instant> timers(JsonParser p) throws IOException {
    startObject(p);
    Map<Integer, Instant> out = new TreeMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      Integer seq = intKey(p);
      out.put(seq, notNull(instantOrNull(p)));
    }
    return out;
  }

  private static Map<Integer, Long> externalRequests(JsonParser p) throws IOException {
    startObject(p);
    Map<Integer, Long> out = new TreeMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      Integer seq = intKey(p);
      out.put(seq, longOf(p));
    }
    return out;
  }

  private static Map<String, SearchAttributeValue> searchAttributes(JsonParser p) throws IOException {
    startObject(p);
    return searchAttributeFields(p);
  }

  /** Search attributes or null, as a start event holds them. */
  static Map<String, SearchAttributeValue> searchAttributesOrNull(JsonParser p) throws IOException {
    return objectOrNull(p) ? searchAttributeFields(p) : null;
  }

  /** The entries of a map of search attributes, after its START_OBJECT. */
  private static Map<String, SearchAttributeValue> searchAttributeFields(JsonParser p) throws IOException {
    Map<String, SearchAttributeValue> out = new TreeMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      startObject(p);
      if (!field(p, "type")) {
        throw CanonicalEventReader.NotCanonical.INSTANCE;
      }
      String typeName = string(p);
      SearchAttributeValue.Type type = typeName == null ? null : SearchAttributeValue.Type.valueOf(typeName);
      if (!field(p, "values") || p.nextToken() != JsonToken.START_ARRAY) {
        throw CanonicalEventReader.NotCanonical.INSTANCE;
      }
      List<String> values = new ArrayList<>();
      for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
        if (v != JsonToken.VALUE_STRING) {
          throw CanonicalEventReader.NotCanonical.INSTANCE;
        }
        values.add(p.getText());
      }
      if (p.nextToken() != JsonToken.END_OBJECT) {
        throw CanonicalEventReader.NotCanonical.INSTANCE;
      }
      out.put(name, new SearchAttributeValue(type, values));
    }
    return out;
  }

  private static Map<String, Long> updates(JsonParser p) throws IOException {
    startObject(p);
    Map<String, Long> out = new TreeMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String id = p.currentName();
      Long eventId = longValue(p) ? Long.valueOf(p.getLongValue()) : nullValue(p);
      out.put(id, eventId);
    }
    return out;
  }

  private static RunLinks links(JsonParser p) throws IOException {
    startObject(p);
    return linkFields(p);
  }

  /** A run's links or null, as a start event holds them. */
  static RunLinks linksOrNull(JsonParser p) throws IOException {
    return objectOrNull(p) ? linkFields(p) : null;
  }

  /** The fields of a run's links, after their START_OBJECT. */
  private static RunLinks linkFields(JsonParser p) throws IOException {
    String parentWorkflowId = null;
    String parentRunId = null;
    long parentInitiatedEventId = 0;
    String parentClosePolicy = null;
    String continuedFromRunId = null;
    int attempt = 0;
    RetryPolicy retryPolicy = null;
    Instant executionStartTime = null;
    Duration firstWorkflowTaskBackoff = null;
    String cronSchedule = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "parentWorkflowId" -> {
          seen = once(seen, 1);
          parentWorkflowId = string(p);
        }
        case "parentRunId" -> {
          seen = once(seen, 1 << 1);
          parentRunId = string(p);
        }
        case "parentInitiatedEventId" -> {
          seen = once(seen, 1 << 2);
          parentInitiatedEventId = longOf(p);
        }
        case "parentClosePolicy" -> {
          seen = once(seen, 1 << 3);
          parentClosePolicy = string(p);
        }
        case "continuedFromRunId" -> {
          seen = once(seen, 1 << 4);
          continuedFromRunId = string(p);
        }
        case "attempt" -> {
          seen = once(seen, 1 << 5);
          attempt = intOf(p);
        }
        case "retryPolicy" -> {
          seen = once(seen, 1 << 6);
          retryPolicy = retryPolicyOrNull(p);
        }
        case "executionStartTime" -> {
          seen = once(seen, 1 << 7);
          executionStartTime = instantOrNull(p);
        }
        case "firstWorkflowTaskBackoff" -> {
          seen = once(seen, 1 << 8);
          firstWorkflowTaskBackoff = duration(p);
        }
        case "cronSchedule" -> {
          seen = once(seen, 1 << 9);
          cronSchedule = string(p);
        }
        default -> throw CanonicalEventReader.NotCanonical.INSTANCE;
      }
    }
    // Every field but the cron schedule, which is written only when there is one.
    if ((seen & ((1 << 9) - 1)) != (1 << 9) - 1 || (seen >> 9 == 1 && cronSchedule == null)) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
    // A first run's links (most runs'): compared field by field, as a record's equals is slow on a cold JVM.
    if (parentWorkflowId == null && parentRunId == null && parentInitiatedEventId == 0 && parentClosePolicy == null
        && continuedFromRunId == null && attempt <= 1 && retryPolicy == null && executionStartTime == null
        && firstWorkflowTaskBackoff == null && cronSchedule == null) {
      return RunLinks.NONE;
    }
    return new RunLinks(parentWorkflowId, parentRunId, parentInitiatedEventId, parentClosePolicy, continuedFromRunId,
        attempt, retryPolicy, executionStartTime, firstWorkflowTaskBackoff, cronSchedule);
  }

  private static ActivitySpec specOrNull(JsonParser p) throws IOException {
    return objectOrNull(p) ? notNull(CanonicalEventReader.specFields(p)) : null;
  }

  private static RetryPolicy retryPolicyOrNull(JsonParser p) throws IOException {
    return objectOrNull(p) ? notNull(CanonicalEventReader.retryPolicyFields(p)) : null;
  }

  /** Moves to the next token: true for the start of an object, false for null; anything else is not the canonical form. */
  private static boolean objectOrNull(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT && t != JsonToken.VALUE_NULL) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
    return t == JsonToken.START_OBJECT;
  }

  private static Payload payloadOrNull(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    return t == JsonToken.VALUE_NULL ? null : notNull(CanonicalEventReader.payload(p, t));
  }

  private static Instant instantOrNull(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    return notNull(t == JsonToken.VALUE_STRING ? InstantReader.parse(p.getText()) : null);
  }

  /** The key of a map entry by an int, as the writer writes it (the int in decimal, nothing else). */
  private static Integer intKey(JsonParser p) throws IOException {
    String name = p.currentName();
    Integer key = Integer.valueOf(name);
    if (!key.toString().equals(name)) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
    return key;
  }

  private static boolean bool(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
    return t == JsonToken.VALUE_TRUE;
  }

  private static void startObject(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
  }

  /** The value just read must be null (a failure; the mapper reads states that have one). */
  private static void nullOnly(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.VALUE_NULL) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
  }

  /** The current token (one that is not a whole number) must be null. */
  private static Long nullValue(JsonParser p) {
    if (p.currentToken() != JsonToken.VALUE_NULL) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
    return null;
  }

  private static <T> T notNull(T value) {
    if (value == null) {
      throw CanonicalEventReader.NotCanonical.INSTANCE;
    }
    return value;
  }
}
