package dev.durable.internal.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PayloadJson;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.model.RunLinks;
import dev.durable.internal.model.SearchAttributeValue;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the events most histories are made of (WorkflowExecutionStarted, WorkflowTaskCompleted,
 * ActivityTaskScheduled, ActivityTaskCompleted, TimerStarted, TimerFired) straight from the
 * parser's tokens, without Jackson's data binding, when they are in the form the store writes
 * them: every field present once, each with the token type the writer produces. Anything else (another event type, a missing, extra or repeated
 * field, another token type, a timestamp or duration in another form, malformed JSON) makes
 * {@link #read} return null, and the caller decodes the bytes with the full reader, which
 * accepts exactly what it did before. So this changes how fast a stored event is read, never
 * what it reads to: both build the records through their canonical constructors from the same
 * values (lists as {@link ArrayList}s, JSON payloads copied by {@link PayloadJson#copyValue}, as
 * the payload reader copies them).
 */
final class CanonicalEventReader {
  private CanonicalEventReader() {}

  /** Returns the event {@code bytes} hold, or null when they are not in the canonical form of a common event. */
  static HistoryEvent read(JsonFactory factory, byte[] bytes) {
    try (JsonParser p = factory.createParser(bytes)) {
      HistoryEvent e = event(p);
      return e != null && p.nextToken() == null ? e : null;
    } catch (IOException | RuntimeException e) {
      return null; // the full reader decodes it, or reports what is wrong with it
    }
  }

  /**
   * Reads {@code values[from, to)} into {@code out[from, to)}, with one parser for as many events
   * in a row as are in canonical form (a parser per event costs more than reading a common event);
   * leaves null where an event is not, for the caller to decode with the full reader.
   */
  static void readRun(JsonFactory factory, List<byte[]> values, int from, int to, HistoryEvent[] out) {
    int[] starts = new int[to - from + 1];
    int size = 0;
    for (int i = from; i < to; i++) {
      starts[i - from] = size;
      size += values.get(i).length + 1;
    }
    starts[to - from] = size;
    byte[] joined = new byte[size];
    for (int i = from; i < to; i++) {
      byte[] v = values.get(i);
      System.arraycopy(v, 0, joined, starts[i - from], v.length);
      joined[starts[i - from] + v.length] = ' '; // root-level values are separated by white space
    }
    JsonParser p = null;
    int parserStart = 0;
    try {
      for (int i = from; i < to; i++) {
        int start = starts[i - from];
        int end = start + values.get(i).length;
        HistoryEvent e = null;
        try {
          if (p == null) {
            p = factory.createParser(joined, start, size - start);
            parserStart = start;
          }
          e = event(p);
          // The event must end exactly where its stored bytes do: nothing of it is left over, nothing of the next read.
          if (e != null && parserStart + p.currentLocation().getByteOffset() != end) {
            e = null;
          }
        } catch (IOException | RuntimeException ex) {
          e = null;
        }
        if (e == null && p != null) {
          close(p);
          p = null; // the next event starts a new parser at its own first byte
        }
        out[i] = e;
      }
    } finally {
      if (p != null) {
        close(p);
      }
    }
  }

  private static void close(JsonParser p) {
    try {
      p.close();
    } catch (IOException e) {
      // a byte-array parser has nothing to release that can fail
    }
  }

  private static HistoryEvent event(JsonParser p) throws IOException {
    return p.nextToken() == JsonToken.START_OBJECT ? eventFields(p) : null;
  }

  /** An event's fields, after its START_OBJECT; null when they are not a common event in canonical form. */
  static HistoryEvent eventFields(JsonParser p) throws IOException {
    if (!field(p, "eventId") || p.nextToken() != JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      return null;
    }
    long eventId = p.getLongValue();
    if (!field(p, "timestamp")) {
      return null;
    }
    Instant timestamp = instant(p);
    if (timestamp == null || !field(p, "eventType") || p.nextToken() != JsonToken.VALUE_STRING) {
      return null;
    }
    String type = p.getText();
    if (!field(p, "attributes") || p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    EventAttributes attributes = switch (type) {
      case "WorkflowExecutionStarted" -> workflowExecutionStarted(p);
      case "WorkflowTaskCompleted" -> workflowTaskCompleted(p);
      case "ActivityTaskScheduled" -> activityTaskScheduled(p);
      case "ActivityTaskCompleted" -> activityTaskCompleted(p);
      case "TimerStarted" -> timerStarted(p);
      case "TimerFired" -> timerFired(p);
      default -> null;
    };
    if (attributes == null || p.nextToken() != JsonToken.END_OBJECT) {
      return null;
    }
    return new HistoryEvent(eventId, timestamp, attributes);
  }

  private static EventAttributes workflowExecutionStarted(JsonParser p) throws IOException {
    String workflowId = null;
    String workflowType = null;
    String taskQueue = null;
    List<Payload> input = null;
    Duration workflowTaskTimeout = null;
    int replaySemantics = 0;
    Duration workflowExecutionTimeout = null;
    Duration workflowRunTimeout = null;
    Map<String, SearchAttributeValue> searchAttributes = null;
    RunLinks links = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "workflowId" -> {
          seen = once(seen, 1);
          workflowId = string(p);
        }
        case "workflowType" -> {
          seen = once(seen, 1 << 1);
          workflowType = string(p);
        }
        case "taskQueue" -> {
          seen = once(seen, 1 << 2);
          taskQueue = string(p);
        }
        case "input" -> {
          seen = once(seen, 1 << 3);
          if ((input = payloads(p)) == null) {
            return null;
          }
        }
        case "workflowTaskTimeout" -> {
          seen = once(seen, 1 << 4);
          workflowTaskTimeout = duration(p);
        }
        case "replaySemantics" -> {
          seen = once(seen, 1 << 5);
          replaySemantics = intOf(p);
        }
        case "workflowExecutionTimeout" -> {
          seen = once(seen, 1 << 6);
          workflowExecutionTimeout = duration(p);
        }
        case "workflowRunTimeout" -> {
          seen = once(seen, 1 << 7);
          workflowRunTimeout = duration(p);
        }
        case "searchAttributes" -> {
          seen = once(seen, 1 << 8);
          searchAttributes = CanonicalStateReader.searchAttributesOrNull(p);
        }
        case "links" -> {
          seen = once(seen, 1 << 9);
          links = CanonicalStateReader.linksOrNull(p);
        }
        default -> {
          return null;
        }
      }
    }
    return seen == (1 << 10) - 1 ? new EventAttributes.WorkflowExecutionStarted(workflowId, workflowType, taskQueue,
        input, workflowTaskTimeout, replaySemantics, workflowExecutionTimeout, workflowRunTimeout, searchAttributes,
        links) : null;
  }

  private static EventAttributes workflowTaskCompleted(JsonParser p) throws IOException {
    long lastSeen = 0;
    Instant time = null;
    String identity = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "lastSeenEventId" -> {
          seen = once(seen, 1);
          lastSeen = longOf(p);
        }
        case "workflowTime" -> {
          seen = once(seen, 2);
          if ((time = instant(p)) == null) {
            return null;
          }
        }
        case "identity" -> {
          seen = once(seen, 4);
          identity = string(p);
        }
        default -> {
          return null;
        }
      }
    }
    return seen == 7 ? new EventAttributes.WorkflowTaskCompleted(lastSeen, time, identity) : null;
  }

  private static EventAttributes activityTaskScheduled(JsonParser p) throws IOException {
    int seq = 0;
    String activityType = null;
    String taskQueue = null;
    List<Payload> input = null;
    ActivitySpec spec = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "seq" -> {
          seen = once(seen, 1);
          seq = intOf(p);
        }
        case "activityType" -> {
          seen = once(seen, 2);
          activityType = string(p);
        }
        case "taskQueue" -> {
          seen = once(seen, 4);
          taskQueue = string(p);
        }
        case "input" -> {
          seen = once(seen, 8);
          if ((input = payloads(p)) == null) {
            return null;
          }
        }
        case "spec" -> {
          seen = once(seen, 16);
          if ((spec = spec(p)) == null) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    return seen == 31 ? new EventAttributes.ActivityTaskScheduled(seq, activityType, taskQueue, input, spec) : null;
  }

  private static EventAttributes timerStarted(JsonParser p) throws IOException {
    int seq = 0;
    Duration duration = null;
    Instant fireAt = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "seq" -> {
          seen = once(seen, 1);
          seq = intOf(p);
        }
        case "duration" -> {
          seen = once(seen, 2);
          duration = duration(p);
        }
        case "fireAt" -> {
          seen = once(seen, 4);
          if ((fireAt = instant(p)) == null) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    return seen == 7 ? new EventAttributes.TimerStarted(seq, duration, fireAt) : null;
  }

  private static EventAttributes timerFired(JsonParser p) throws IOException {
    if (!field(p, "seq") || !intValue(p)) {
      return null;
    }
    int seq = p.getIntValue();
    return p.nextToken() == JsonToken.END_OBJECT ? new EventAttributes.TimerFired(seq) : null;
  }

  private static EventAttributes activityTaskCompleted(JsonParser p) throws IOException {
    int seq = 0;
    long scheduledEventId = 0;
    int attempt = 0;
    Payload result = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "seq" -> {
          seen = once(seen, 1);
          seq = intOf(p);
        }
        case "scheduledEventId" -> {
          seen = once(seen, 2);
          scheduledEventId = longOf(p);
        }
        case "attempt" -> {
          seen = once(seen, 4);
          attempt = intOf(p);
        }
        case "result" -> {
          seen = once(seen, 8);
          JsonToken v = p.nextToken();
          if (v != JsonToken.VALUE_NULL && (result = payload(p, v)) == null) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    return seen == 15 ? new EventAttributes.ActivityTaskCompleted(seq, scheduledEventId, attempt, result) : null;
  }

  private static ActivitySpec spec(JsonParser p) throws IOException {
    return p.nextToken() == JsonToken.START_OBJECT ? specFields(p) : null;
  }

  /** An activity spec's fields, after its START_OBJECT; null when they are not in canonical form. */
  static ActivitySpec specFields(JsonParser p) throws IOException {
    Duration scheduleToClose = null;
    Duration startToClose = null;
    Duration scheduleToStart = null;
    Duration heartbeat = null;
    RetryPolicy retry = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "scheduleToCloseTimeout" -> {
          seen = once(seen, 1);
          scheduleToClose = duration(p);
        }
        case "startToCloseTimeout" -> {
          seen = once(seen, 2);
          startToClose = duration(p);
        }
        case "scheduleToStartTimeout" -> {
          seen = once(seen, 4);
          scheduleToStart = duration(p);
        }
        case "heartbeatTimeout" -> {
          seen = once(seen, 8);
          heartbeat = duration(p);
        }
        case "retryPolicy" -> {
          seen = once(seen, 16);
          JsonToken v = p.nextToken();
          if (v != JsonToken.VALUE_NULL && (v != JsonToken.START_OBJECT || (retry = retryPolicyFields(p)) == null)) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    return seen == 31 ? new ActivitySpec(scheduleToClose, startToClose, scheduleToStart, heartbeat, retry) : null;
  }

  /** A retry policy's fields, after its START_OBJECT; null when they are not in canonical form. */
  static RetryPolicy retryPolicyFields(JsonParser p) throws IOException {
    Duration initial = null;
    double coefficient = 0;
    Duration maximum = null;
    int attempts = 0;
    List<String> doNotRetry = null;
    int seen = 0;
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      switch (p.currentName()) {
        case "initialInterval" -> {
          seen = once(seen, 1);
          initial = duration(p);
        }
        case "backoffCoefficient" -> {
          seen = once(seen, 2);
          if (p.nextToken() != JsonToken.VALUE_NUMBER_FLOAT) {
            throw NotCanonical.INSTANCE;
          }
          coefficient = p.getDoubleValue();
        }
        case "maximumInterval" -> {
          seen = once(seen, 4);
          maximum = duration(p);
        }
        case "maximumAttempts" -> {
          seen = once(seen, 8);
          attempts = intOf(p);
        }
        case "doNotRetry" -> {
          seen = once(seen, 16);
          if (p.nextToken() != JsonToken.START_ARRAY) {
            return null;
          }
          doNotRetry = new ArrayList<>();
          for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
            if (v != JsonToken.VALUE_STRING) {
              return null;
            }
            doNotRetry.add(p.getText());
          }
        }
        default -> {
          return null;
        }
      }
    }
    return seen == 31 ? new RetryPolicy(initial, coefficient, maximum, attempts, doNotRetry) : null;
  }

  private static List<Payload> payloads(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_ARRAY) {
      return null;
    }
    List<Payload> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      Payload v = payload(p, t);
      if (v == null) {
        return null;
      }
      out.add(v);
    }
    return out;
  }

  /** A payload in the form {@code {"json": <value>}}; its bytes are the value as the payload reader copies it. */
  static Payload payload(JsonParser p, JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT || !field(p, "json")) {
      return null;
    }
    p.nextToken();
    byte[] json = PayloadJson.copyValue(p);
    return p.nextToken() == JsonToken.END_OBJECT ? new Payload(Payload.JSON, json) : null;
  }

  /** Moves to the next token, which must be the field {@code name}. */
  static boolean field(JsonParser p, String name) throws IOException {
    return p.nextToken() == JsonToken.FIELD_NAME && name.equals(p.currentName());
  }

  /** The next token as an int; anything else is not the canonical form. */
  static int intOf(JsonParser p) throws IOException {
    if (!intValue(p)) {
      throw NotCanonical.INSTANCE;
    }
    return p.getIntValue();
  }

  /** The next token as a long; anything else is not the canonical form. */
  static long longOf(JsonParser p) throws IOException {
    if (!longValue(p)) {
      throw NotCanonical.INSTANCE;
    }
    return p.getLongValue();
  }

  static boolean intValue(JsonParser p) throws IOException {
    return p.nextToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
  }

  static boolean longValue(JsonParser p) throws IOException {
    return p.nextToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
  }

  /** A string or null; anything else is not the canonical form. */
  static String string(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw NotCanonical.INSTANCE;
  }

  /** A non-null instant in the form the store writes; null otherwise. */
  private static Instant instant(JsonParser p) throws IOException {
    return p.nextToken() == JsonToken.VALUE_STRING ? InstantReader.parse(p.getText()) : null;
  }

  /** A duration in the form the store writes, or null; anything else is not the canonical form. */
  static Duration duration(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    Duration d = t == JsonToken.VALUE_STRING ? DurationReader.parse(p.getText()) : null;
    if (d == null) {
      throw NotCanonical.INSTANCE;
    }
    return d;
  }

  /** Marks {@code bit} of {@code seen}; a field seen twice is not the canonical form. */
  static int once(int seen, int bit) {
    if ((seen & bit) != 0) {
      throw NotCanonical.INSTANCE;
    }
    return seen | bit;
  }

  /** Thrown (without a stack trace) where returning null would be awkward; {@link #read} returns null for it. */
  static final class NotCanonical extends RuntimeException {
    static final NotCanonical INSTANCE = new NotCanonical();

    private NotCanonical() {
      super("not in the canonical stored form", null, false, false);
    }
  }
}
