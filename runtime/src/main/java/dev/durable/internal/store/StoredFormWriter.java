package dev.durable.internal.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.EventAttributes.ActivityTaskCompleted;
import dev.durable.internal.model.EventAttributes.ActivityTaskScheduled;
import dev.durable.internal.model.EventAttributes.WorkflowExecutionCompleted;
import dev.durable.internal.model.EventAttributes.WorkflowExecutionStarted;
import dev.durable.internal.model.EventAttributes.WorkflowTaskCompleted;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PayloadJson;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.model.RunLinks;
import dev.durable.internal.model.RunSummary;
import dev.durable.internal.model.SearchAttributeValue;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the records of every transition (events, the run's state, its listing summary) straight
 * to a generator, byte for byte as the store's Jackson mapper writes them: Jackson's bean
 * serializers resolve a serializer and call an accessor reflectively per property, a few µs per
 * record, on every transition. Anything this class does not know (rare event types, child
 * workflows) is handed to the mapper at that point of the output, so the bytes stay the same.
 *
 * <p>The field lists below are checked once against the properties the mapper would write for
 * each class; a class whose properties differ (a field added and not added here) is written by the
 * mapper as a whole, so a forgotten field costs speed, never data. {@code StoredFormWriterTest}
 * compares the bytes of both writers on random records of every kind.
 */
final class StoredFormWriter {
  private final ObjectMapper mapper;
  /** Classes whose properties match the lists here, so that this class writes them. */
  private final boolean events;
  private final boolean state;
  private final boolean summary;
  private final boolean activity;
  private final boolean links;
  private final boolean failure;

  StoredFormWriter(ObjectMapper mapper) {
    this.mapper = mapper;
    boolean spec = matches(ActivitySpec.class, "scheduleToCloseTimeout", "startToCloseTimeout",
        "scheduleToStartTimeout", "heartbeatTimeout", "retryPolicy")
        && matches(RetryPolicy.class, "initialInterval", "backoffCoefficient", "maximumInterval", "maximumAttempts",
        "doNotRetry");
    this.failure = matches(FailureInfo.class, "kind", "type", "message", "stackTrace", "details", "nonRetryable",
        "attributes", "cause");
    this.links = spec && matches(RunLinks.class, "parentWorkflowId", "parentRunId", "parentInitiatedEventId",
        "parentClosePolicy", "continuedFromRunId", "attempt", "retryPolicy", "executionStartTime",
        "firstWorkflowTaskBackoff");
    this.activity = spec && failure && matches(PendingActivity.class, "seq", "scheduledEventId", "activityType",
        "taskQueue", "spec", "attempt", "state", "scheduledTime", "attemptScheduledTime", "nextAttemptTime",
        "lastFailure", "heartbeatDetails", "lastHeartbeatTime", "cancelRequested");
    this.events = spec
        && matches(WorkflowExecutionStarted.class, "workflowId", "workflowType", "taskQueue", "input",
            "workflowTaskTimeout", "replaySemantics", "workflowExecutionTimeout", "workflowRunTimeout",
            "searchAttributes", "links")
        && matches(WorkflowTaskCompleted.class, "lastSeenEventId", "workflowTime", "identity")
        && matches(ActivityTaskScheduled.class, "seq", "activityType", "taskQueue", "input", "spec")
        && matches(ActivityTaskCompleted.class, "seq", "scheduledEventId", "attempt", "result")
        && matches(WorkflowExecutionCompleted.class, "result")
        && matches(SearchAttributeValue.class, "type", "values");
    this.state = events && activity && matches(ExecutionState.class, "workflowId", "runId", "workflowType",
        "taskQueue", "status", "startTime", "closeTime", "workflowTaskTimeout", "workflowExecutionTimeout",
        "workflowRunTimeout", "nextEventId", "workflowTaskPending", "workflowTaskAttempt", "workflowTaskRetryAt",
        "lastWorkflowTaskFailure", "lastCompletedTaskEventId", "bufferedEvents", "activities", "timers",
        "cancelRequested", "searchAttributes", "updates", "result", "failure", "links", "nextRunId", "firstTaskAt",
        "children", "lastParentSignalEventId");
    this.summary = events && matches(RunSummary.class, "workflowId", "runId", "workflowType", "taskQueue", "status",
        "startTime", "closeTime", "searchAttributes");
  }

  /** Returns whether the mapper writes exactly these properties of {@code type}, in this order. */
  private boolean matches(Class<?> type, String... names) {
    try {
      JsonSerializer<Object> s = mapper.getSerializerProviderInstance().findValueSerializer(type);
      if (!(s instanceof BeanSerializerBase bean)) {
        return false;
      }
      List<String> found = new ArrayList<>();
      bean.properties().forEachRemaining(p -> found.add(p.getName()));
      return found.equals(List.of(names));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Returns whether this class writes values of the given kind itself (for tests). */
  boolean writesAll() {
    return events && state && summary && activity && links && failure;
  }

  /** Encodes one stored record: a history event, a run's state or a listing summary, else any value. */
  byte[] encode(Object value) throws IOException {
    boolean own = value instanceof HistoryEvent ? events
        : value instanceof ExecutionState ? state
        : value instanceof RunSummary && summary;
    if (!own) {
      return mapper.writeValueAsBytes(value);
    }
    BufferRecycler recycler = mapper.getFactory()._getBufferRecycler();
    try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
      try (JsonGenerator gen = mapper.createGenerator(out)) {
        if (value instanceof HistoryEvent e) {
          event(gen, e);
        } else if (value instanceof ExecutionState s) {
          state(gen, s);
        } else {
          summary(gen, (RunSummary) value);
        }
      }
      return out.getClearAndRelease();
    } finally {
      recycler.releaseToPool();
    }
  }

  private static final SerializedString EVENT_ID = new SerializedString("eventId");
  private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
  private static final SerializedString EVENT_TYPE = new SerializedString("eventType");
  private static final SerializedString ATTRIBUTES = new SerializedString("attributes");

  private void event(JsonGenerator gen, HistoryEvent e) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(EVENT_ID);
    gen.writeNumber(e.eventId());
    gen.writeFieldName(TIMESTAMP);
    instant(gen, e.timestamp());
    gen.writeFieldName(EVENT_TYPE);
    gen.writeString(e.eventType());
    gen.writeFieldName(ATTRIBUTES);
    attributes(gen, e.attributes());
    gen.writeEndObject();
  }

  private void attributes(JsonGenerator gen, EventAttributes a) throws IOException {
    if (a instanceof WorkflowTaskCompleted t) {
      gen.writeStartObject();
      gen.writeFieldName("lastSeenEventId");
      gen.writeNumber(t.lastSeenEventId());
      gen.writeFieldName("workflowTime");
      instant(gen, t.workflowTime());
      gen.writeStringField("identity", t.identity());
      gen.writeEndObject();
    } else if (a instanceof ActivityTaskScheduled s) {
      gen.writeStartObject();
      gen.writeFieldName("seq");
      gen.writeNumber(s.seq());
      gen.writeStringField("activityType", s.activityType());
      gen.writeStringField("taskQueue", s.taskQueue());
      gen.writeFieldName("input");
      payloads(gen, s.input());
      gen.writeFieldName("spec");
      spec(gen, s.spec());
      gen.writeEndObject();
    } else if (a instanceof ActivityTaskCompleted c) {
      gen.writeStartObject();
      gen.writeFieldName("seq");
      gen.writeNumber(c.seq());
      gen.writeFieldName("scheduledEventId");
      gen.writeNumber(c.scheduledEventId());
      gen.writeFieldName("attempt");
      gen.writeNumber(c.attempt());
      gen.writeFieldName("result");
      payload(gen, c.result());
      gen.writeEndObject();
    } else if (a instanceof WorkflowExecutionCompleted c) {
      gen.writeStartObject();
      gen.writeFieldName("result");
      payload(gen, c.result());
      gen.writeEndObject();
    } else if (a instanceof WorkflowExecutionStarted s && (s.links() == null || links)) {
      gen.writeStartObject();
      gen.writeStringField("workflowId", s.workflowId());
      gen.writeStringField("workflowType", s.workflowType());
      gen.writeStringField("taskQueue", s.taskQueue());
      gen.writeFieldName("input");
      payloads(gen, s.input());
      gen.writeFieldName("workflowTaskTimeout");
      duration(gen, s.workflowTaskTimeout());
      gen.writeFieldName("replaySemantics");
      gen.writeNumber(s.replaySemantics());
      gen.writeFieldName("workflowExecutionTimeout");
      duration(gen, s.workflowExecutionTimeout());
      gen.writeFieldName("workflowRunTimeout");
      duration(gen, s.workflowRunTimeout());
      gen.writeFieldName("searchAttributes");
      searchAttributes(gen, s.searchAttributes());
      gen.writeFieldName("links");
      links(gen, s.links());
      gen.writeEndObject();
    } else {
      mapper.writeValue(gen, a);
    }
  }

  private void state(JsonGenerator gen, ExecutionState s) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("workflowId", s.workflowId);
    gen.writeStringField("runId", s.runId);
    gen.writeStringField("workflowType", s.workflowType);
    gen.writeStringField("taskQueue", s.taskQueue);
    gen.writeFieldName("status");
    enumName(gen, s.status);
    gen.writeFieldName("startTime");
    instant(gen, s.startTime);
    gen.writeFieldName("closeTime");
    instant(gen, s.closeTime);
    gen.writeFieldName("workflowTaskTimeout");
    duration(gen, s.workflowTaskTimeout);
    gen.writeFieldName("workflowExecutionTimeout");
    duration(gen, s.workflowExecutionTimeout);
    gen.writeFieldName("workflowRunTimeout");
    duration(gen, s.workflowRunTimeout);
    gen.writeFieldName("nextEventId");
    gen.writeNumber(s.nextEventId);
    gen.writeFieldName("workflowTaskPending");
    gen.writeBoolean(s.workflowTaskPending);
    gen.writeFieldName("workflowTaskAttempt");
    gen.writeNumber(s.workflowTaskAttempt);
    gen.writeFieldName("workflowTaskRetryAt");
    instant(gen, s.workflowTaskRetryAt);
    gen.writeFieldName("lastWorkflowTaskFailure");
    failure(gen, s.lastWorkflowTaskFailure);
    gen.writeFieldName("lastCompletedTaskEventId");
    gen.writeNumber(s.lastCompletedTaskEventId);
    gen.writeFieldName("bufferedEvents");
    if (s.bufferedEvents == null) {
      gen.writeNull();
    } else {
      gen.writeStartArray();
      for (HistoryEvent e : s.bufferedEvents) {
        if (e == null) {
          gen.writeNull();
        } else {
          event(gen, e);
        }
      }
      gen.writeEndArray();
    }
    gen.writeFieldName("activities");
    if (s.activities == null) {
      gen.writeNull();
    } else {
      gen.writeStartObject();
      for (Map.Entry<Integer, PendingActivity> a : s.activities.entrySet()) {
        gen.writeFieldName(String.valueOf(a.getKey()));
        pendingActivity(gen, a.getValue());
      }
      gen.writeEndObject();
    }
    gen.writeFieldName("timers");
    if (s.timers == null) {
      gen.writeNull();
    } else {
      gen.writeStartObject();
      for (Map.Entry<Integer, Instant> t : s.timers.entrySet()) {
        gen.writeFieldName(String.valueOf(t.getKey()));
        instant(gen, t.getValue());
      }
      gen.writeEndObject();
    }
    gen.writeFieldName("cancelRequested");
    gen.writeBoolean(s.cancelRequested);
    gen.writeFieldName("searchAttributes");
    searchAttributes(gen, s.searchAttributes);
    gen.writeFieldName("updates");
    if (s.updates == null) {
      gen.writeNull();
    } else {
      gen.writeStartObject();
      for (Map.Entry<String, Long> u : s.updates.entrySet()) {
        gen.writeFieldName(u.getKey());
        if (u.getValue() == null) {
          gen.writeNull();
        } else {
          gen.writeNumber(u.getValue());
        }
      }
      gen.writeEndObject();
    }
    gen.writeFieldName("result");
    payload(gen, s.result);
    gen.writeFieldName("failure");
    failure(gen, s.failure);
    gen.writeFieldName("links");
    links(gen, s.links);
    gen.writeStringField("nextRunId", s.nextRunId);
    gen.writeFieldName("firstTaskAt");
    instant(gen, s.firstTaskAt);
    gen.writeFieldName("children");
    if (s.children == null || s.children.isEmpty()) {
      if (s.children == null) {
        gen.writeNull();
      } else {
        gen.writeStartObject();
        gen.writeEndObject();
      }
    } else {
      mapper.writeValue(gen, s.children);
    }
    gen.writeFieldName("lastParentSignalEventId");
    gen.writeNumber(s.lastParentSignalEventId);
    gen.writeEndObject();
  }

  private void summary(JsonGenerator gen, RunSummary s) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("workflowId", s.workflowId());
    gen.writeStringField("runId", s.runId());
    gen.writeStringField("workflowType", s.workflowType());
    gen.writeStringField("taskQueue", s.taskQueue());
    gen.writeFieldName("status");
    enumName(gen, s.status());
    gen.writeFieldName("startTime");
    instant(gen, s.startTime());
    gen.writeFieldName("closeTime");
    instant(gen, s.closeTime());
    gen.writeFieldName("searchAttributes");
    searchAttributes(gen, s.searchAttributes());
    gen.writeEndObject();
  }

  private void pendingActivity(JsonGenerator gen, PendingActivity a) throws IOException {
    if (a == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    gen.writeFieldName("seq");
    gen.writeNumber(a.seq);
    gen.writeFieldName("scheduledEventId");
    gen.writeNumber(a.scheduledEventId);
    gen.writeStringField("activityType", a.activityType);
    gen.writeStringField("taskQueue", a.taskQueue);
    gen.writeFieldName("spec");
    spec(gen, a.spec);
    gen.writeFieldName("attempt");
    gen.writeNumber(a.attempt);
    gen.writeStringField("state", a.state);
    gen.writeFieldName("scheduledTime");
    instant(gen, a.scheduledTime);
    gen.writeFieldName("attemptScheduledTime");
    instant(gen, a.attemptScheduledTime);
    gen.writeFieldName("nextAttemptTime");
    instant(gen, a.nextAttemptTime);
    gen.writeFieldName("lastFailure");
    failure(gen, a.lastFailure);
    gen.writeFieldName("heartbeatDetails");
    payload(gen, a.heartbeatDetails);
    gen.writeFieldName("lastHeartbeatTime");
    instant(gen, a.lastHeartbeatTime);
    gen.writeFieldName("cancelRequested");
    gen.writeBoolean(a.cancelRequested);
    gen.writeEndObject();
  }

  private void spec(JsonGenerator gen, ActivitySpec s) throws IOException {
    if (s == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    gen.writeFieldName("scheduleToCloseTimeout");
    duration(gen, s.scheduleToCloseTimeout());
    gen.writeFieldName("startToCloseTimeout");
    duration(gen, s.startToCloseTimeout());
    gen.writeFieldName("scheduleToStartTimeout");
    duration(gen, s.scheduleToStartTimeout());
    gen.writeFieldName("heartbeatTimeout");
    duration(gen, s.heartbeatTimeout());
    gen.writeFieldName("retryPolicy");
    retryPolicy(gen, s.retryPolicy());
    gen.writeEndObject();
  }

  private void retryPolicy(JsonGenerator gen, RetryPolicy p) throws IOException {
    if (p == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    gen.writeFieldName("initialInterval");
    duration(gen, p.initialInterval());
    gen.writeFieldName("backoffCoefficient");
    gen.writeNumber(p.backoffCoefficient());
    gen.writeFieldName("maximumInterval");
    duration(gen, p.maximumInterval());
    gen.writeFieldName("maximumAttempts");
    gen.writeNumber(p.maximumAttempts());
    gen.writeFieldName("doNotRetry");
    strings(gen, p.doNotRetry());
    gen.writeEndObject();
  }

  private void links(JsonGenerator gen, RunLinks l) throws IOException {
    if (l == null) {
      gen.writeNull();
      return;
    }
    if (!links) {
      mapper.writeValue(gen, l);
      return;
    }
    gen.writeStartObject();
    gen.writeStringField("parentWorkflowId", l.parentWorkflowId());
    gen.writeStringField("parentRunId", l.parentRunId());
    gen.writeFieldName("parentInitiatedEventId");
    gen.writeNumber(l.parentInitiatedEventId());
    gen.writeStringField("parentClosePolicy", l.parentClosePolicy());
    gen.writeStringField("continuedFromRunId", l.continuedFromRunId());
    gen.writeFieldName("attempt");
    gen.writeNumber(l.attempt());
    gen.writeFieldName("retryPolicy");
    retryPolicy(gen, l.retryPolicy());
    gen.writeFieldName("executionStartTime");
    instant(gen, l.executionStartTime());
    gen.writeFieldName("firstWorkflowTaskBackoff");
    duration(gen, l.firstWorkflowTaskBackoff());
    gen.writeEndObject();
  }

  private void failure(JsonGenerator gen, FailureInfo f) throws IOException {
    if (f == null) {
      gen.writeNull();
      return;
    }
    if (!failure) {
      mapper.writeValue(gen, f);
      return;
    }
    gen.writeStartObject();
    gen.writeStringField("kind", f.kind());
    gen.writeStringField("type", f.type());
    gen.writeStringField("message", f.message());
    gen.writeStringField("stackTrace", f.stackTrace());
    gen.writeFieldName("details");
    payload(gen, f.details());
    gen.writeFieldName("nonRetryable");
    gen.writeBoolean(f.nonRetryable());
    gen.writeFieldName("attributes");
    gen.writeStartObject();
    for (Map.Entry<String, String> a : f.attributes().entrySet()) {
      gen.writeStringField(a.getKey(), a.getValue());
    }
    gen.writeEndObject();
    gen.writeFieldName("cause");
    failure(gen, f.cause());
    gen.writeEndObject();
  }

  private void searchAttributes(JsonGenerator gen, Map<String, SearchAttributeValue> attributes) throws IOException {
    if (attributes == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    for (Map.Entry<String, SearchAttributeValue> a : attributes.entrySet()) {
      gen.writeFieldName(a.getKey());
      SearchAttributeValue v = a.getValue();
      if (v == null) {
        gen.writeNull();
        continue;
      }
      gen.writeStartObject();
      gen.writeFieldName("type");
      enumName(gen, v.type());
      gen.writeFieldName("values");
      strings(gen, v.values());
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static void payloads(JsonGenerator gen, List<Payload> payloads) throws IOException {
    if (payloads == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartArray();
    for (Payload p : payloads) {
      payload(gen, p);
    }
    gen.writeEndArray();
  }

  private static void payload(JsonGenerator gen, Payload p) throws IOException {
    if (p == null) {
      gen.writeNull();
    } else {
      PayloadJson.write(p, gen);
    }
  }

  private static void strings(JsonGenerator gen, List<String> values) throws IOException {
    if (values == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartArray();
    for (Iterator<String> it = values.iterator(); it.hasNext(); ) {
      gen.writeString(it.next());
    }
    gen.writeEndArray();
  }

  private static void instant(JsonGenerator gen, Instant t) throws IOException {
    if (t == null) {
      gen.writeNull();
    } else {
      gen.writeString(InstantWriter.format(t));
    }
  }

  /** As Jackson's {@code DurationSerializer} writes it with {@code WRITE_DURATIONS_AS_TIMESTAMPS} off. */
  private static void duration(JsonGenerator gen, Duration d) throws IOException {
    if (d == null) {
      gen.writeNull();
    } else {
      gen.writeString(d.toString());
    }
  }

  private static void enumName(JsonGenerator gen, Enum<?> e) throws IOException {
    if (e == null) {
      gen.writeNull();
    } else {
      gen.writeString(e.name());
    }
  }
}
