package dev.durable.internal.store;

import static java.util.Map.entry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.internal.converter.JsonOut;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.EventAttributes.ActivityTaskCompleted;
import dev.durable.internal.model.EventAttributes.ActivityTaskScheduled;
import dev.durable.internal.model.EventAttributes.TimerFired;
import dev.durable.internal.model.EventAttributes.TimerStarted;
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
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes the records of every transition (events, the run's state, its listing summary) straight
 * to a generator, byte for byte as the store's Jackson mapper writes them: Jackson's bean
 * serializers resolve a serializer and call an accessor reflectively per property, a few µs per
 * record, on every transition. Anything this class does not know (rare event types, child
 * workflows) is handed to the mapper at that point of the output, so the bytes stay the same.
 *
 * <p>The property lists below are checked once against each class's fields, by reflection; a class
 * whose fields differ (a field added and not added here) is written by the mapper as a whole, so a
 * forgotten field costs speed, never data. {@code StoredFormWriterTest} checks the lists against
 * the properties the mapper writes, and compares the bytes of both writers on random records of
 * every kind.
 */
final class StoredFormWriter {
  private final Supplier<ObjectMapper> mapper;
  /** Classes whose properties match the lists here, so that this class writes them. */
  private final boolean events;
  private final boolean state;
  private final boolean summary;
  private final boolean activity;
  private final boolean links;
  private final boolean failure;

  /**
   * The properties this class writes for each stored class, in order: the same as the mapper's, which
   * {@code StoredFormWriterTest} checks against the mapper's bean serializers.
   */
  static final Map<Class<?>, List<String>> PROPERTIES = Map.ofEntries(
      entry(ActivitySpec.class, List.of("scheduleToCloseTimeout", "startToCloseTimeout", "scheduleToStartTimeout",
          "heartbeatTimeout", "retryPolicy")),
      entry(RetryPolicy.class, List.of("initialInterval", "backoffCoefficient", "maximumInterval", "maximumAttempts",
          "doNotRetry")),
      entry(FailureInfo.class, List.of("kind", "type", "message", "stackTrace", "details", "nonRetryable", "attributes",
          "cause")),
      entry(RunLinks.class, List.of("parentWorkflowId", "parentRunId", "parentInitiatedEventId", "parentClosePolicy",
          "continuedFromRunId", "attempt", "retryPolicy", "executionStartTime", "firstWorkflowTaskBackoff",
          "cronSchedule")),
      entry(PendingActivity.class, List.of("seq", "scheduledEventId", "activityType", "taskQueue", "spec", "attempt",
          "state", "scheduledTime", "attemptScheduledTime", "nextAttemptTime", "lastFailure", "heartbeatDetails",
          "lastHeartbeatTime", "cancelRequested", "awaitingCompletionSince")),
      entry(WorkflowExecutionStarted.class, List.of("workflowId", "workflowType", "taskQueue", "input",
          "workflowTaskTimeout", "replaySemantics", "workflowExecutionTimeout", "workflowRunTimeout", "searchAttributes",
          "links", "lastCompletionResult")),
      entry(WorkflowTaskCompleted.class, List.of("lastSeenEventId", "workflowTime", "identity")),
      entry(ActivityTaskScheduled.class, List.of("seq", "activityType", "taskQueue", "input", "spec")),
      entry(ActivityTaskCompleted.class, List.of("seq", "scheduledEventId", "attempt", "result")),
      entry(WorkflowExecutionCompleted.class, List.of("result")),
      entry(TimerStarted.class, List.of("seq", "duration", "fireAt")),
      entry(TimerFired.class, List.of("seq")),
      entry(SearchAttributeValue.class, List.of("type", "values")),
      entry(ExecutionState.class, List.of("workflowId", "runId", "workflowType", "taskQueue", "status", "startTime",
          "closeTime", "workflowTaskTimeout", "workflowExecutionTimeout", "workflowRunTimeout", "nextEventId",
          "workflowTaskPending", "workflowTaskAttempt", "workflowTaskRetryAt", "lastWorkflowTaskFailure",
          "lastCompletedTaskEventId", "bufferedEvents", "activities", "timers", "cancelRequested", "searchAttributes",
          "updates", "result", "failure", "links", "nextRunId", "firstTaskAt", "children", "lastParentSignalEventId",
          "schedulePaused", "externalRequests")),
      entry(RunSummary.class, List.of("workflowId", "runId", "workflowType", "taskQueue", "status", "startTime",
          "closeTime", "searchAttributes")));

  /** Takes the mapper only when something needs it: building it is costly on a cold JVM. */
  StoredFormWriter(Supplier<ObjectMapper> mapper) {
    this.mapper = mapper;
    boolean spec = matches(ActivitySpec.class) && matches(RetryPolicy.class);
    this.failure = matches(FailureInfo.class);
    this.links = spec && matches(RunLinks.class);
    this.activity = spec && failure && matches(PendingActivity.class);
    this.events = spec && matches(WorkflowExecutionStarted.class) && matches(WorkflowTaskCompleted.class)
        && matches(ActivityTaskScheduled.class) && matches(ActivityTaskCompleted.class)
        && matches(WorkflowExecutionCompleted.class) && matches(TimerStarted.class) && matches(TimerFired.class)
        && matches(SearchAttributeValue.class);
    this.state = events && activity && matches(ExecutionState.class);
    this.summary = events && matches(RunSummary.class);
  }

  /**
   * Returns whether {@code type}'s stored fields are the ones {@link #PROPERTIES} lists, in order:
   * a field added to the class and not here makes the mapper write it, so that no data is lost. Read
   * by reflection (a record's components; a class's instance fields, whatever their access), not by
   * asking the mapper, which it would have to build.
   */
  private static boolean matches(Class<?> type) {
    List<String> found = new ArrayList<>();
    if (type.isRecord()) {
      for (RecordComponent c : type.getRecordComponents()) {
        if (!c.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
          found.add(c.getName());
        }
      }
    } else {
      for (Field f : type.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()
            && !f.isAnnotationPresent(JsonIgnore.class)) {
          found.add(f.getName());
        }
      }
    }
    return found.equals(PROPERTIES.get(type));
  }

  /** Returns whether this class writes values of the given kind itself (for tests). */
  boolean writesAll() {
    return events && state && summary && activity && links && failure;
  }

  /**
   * Encodes stored records (a history event, a run's state or a listing summary, else any value)
   * one after the other into one buffer ({@link JsonOut}). Not for concurrent use.
   */
  final class Session {
    private final JsonOut out = new JsonOut();
    /** The record {@link #encodeInPlace} had Jackson encode, or null when it is in {@link #out}. */
    private byte[] byJackson;

    /** Encodes one record; what the writer does not write itself goes to Jackson. */
    byte[] encode(Object value) throws IOException {
      int length = encodeInPlace(value);
      return byJackson != null ? byJackson : Arrays.copyOf(out.buffer(), length);
    }

    /**
     * Encodes one record into {@link #buffer()} and returns its length: the bytes are not copied
     * out, and they last until the next call.
     */
    int encodeInPlace(Object value) throws IOException {
      boolean own = value instanceof HistoryEvent ? events
          : value instanceof ExecutionState ? state
          : value instanceof RunSummary && summary;
      out.clear();
      if (!own) {
        byJackson = mapper.get().writeValueAsBytes(value);
        return byJackson.length;
      }
      byJackson = null;
      if (value instanceof HistoryEvent e) {
        event(out, e);
      } else if (value instanceof ExecutionState s) {
        state(out, s);
      } else {
        summary(out, (RunSummary) value);
      }
      return out.size();
    }

    /** The buffer holding the last record {@link #encodeInPlace} encoded, from its start. */
    byte[] buffer() {
      return byJackson != null ? byJackson : out.buffer();
    }
  }

  // Field names, quoted and encoded once (with their colon): written as they are.
  private static final byte[] EVENT_ID = JsonOut.name("eventId");
  private static final byte[] JSON = JsonOut.name("json");
  private static final byte[] TIMESTAMP = JsonOut.name("timestamp");
  private static final byte[] EVENT_TYPE = JsonOut.name("eventType");
  private static final byte[] ATTRIBUTES = JsonOut.name("attributes");
  private static final byte[] ACTIVITIES = JsonOut.name("activities");
  private static final byte[] ACTIVITY_TYPE = JsonOut.name("activityType");
  private static final byte[] ATTEMPT = JsonOut.name("attempt");
  private static final byte[] ATTEMPT_SCHEDULED_TIME = JsonOut.name("attemptScheduledTime");
  private static final byte[] BACKOFF_COEFFICIENT = JsonOut.name("backoffCoefficient");
  private static final byte[] BUFFERED_EVENTS = JsonOut.name("bufferedEvents");
  private static final byte[] CANCEL_REQUESTED = JsonOut.name("cancelRequested");
  private static final byte[] CAUSE = JsonOut.name("cause");
  private static final byte[] CHILDREN = JsonOut.name("children");
  private static final byte[] CLOSE_TIME = JsonOut.name("closeTime");
  private static final byte[] CONTINUED_FROM_RUN_ID = JsonOut.name("continuedFromRunId");
  private static final byte[] DETAILS = JsonOut.name("details");
  private static final byte[] DO_NOT_RETRY = JsonOut.name("doNotRetry");
  private static final byte[] EXECUTION_START_TIME = JsonOut.name("executionStartTime");
  private static final byte[] FAILURE = JsonOut.name("failure");
  private static final byte[] FIRST_TASK_AT = JsonOut.name("firstTaskAt");
  private static final byte[] FIRST_WORKFLOW_TASK_BACKOFF = JsonOut.name("firstWorkflowTaskBackoff");
  private static final byte[] CRON_SCHEDULE = JsonOut.name("cronSchedule");
  private static final byte[] HEARTBEAT_DETAILS = JsonOut.name("heartbeatDetails");
  private static final byte[] HEARTBEAT_TIMEOUT = JsonOut.name("heartbeatTimeout");
  private static final byte[] IDENTITY = JsonOut.name("identity");
  private static final byte[] INITIAL_INTERVAL = JsonOut.name("initialInterval");
  private static final byte[] INPUT = JsonOut.name("input");
  private static final byte[] KIND = JsonOut.name("kind");
  private static final byte[] LAST_COMPLETED_TASK_EVENT_ID = JsonOut.name("lastCompletedTaskEventId");
  private static final byte[] LAST_FAILURE = JsonOut.name("lastFailure");
  private static final byte[] LAST_HEARTBEAT_TIME = JsonOut.name("lastHeartbeatTime");
  private static final byte[] AWAITING_COMPLETION_SINCE = JsonOut.name("awaitingCompletionSince");
  private static final byte[] LAST_PARENT_SIGNAL_EVENT_ID = JsonOut.name("lastParentSignalEventId");
  private static final byte[] SCHEDULE_PAUSED = JsonOut.name("schedulePaused");
  private static final byte[] EXTERNAL_REQUESTS = JsonOut.name("externalRequests");
  private static final byte[] LAST_SEEN_EVENT_ID = JsonOut.name("lastSeenEventId");
  private static final byte[] LAST_WORKFLOW_TASK_FAILURE = JsonOut.name("lastWorkflowTaskFailure");
  private static final byte[] LINKS = JsonOut.name("links");
  private static final byte[] MAXIMUM_ATTEMPTS = JsonOut.name("maximumAttempts");
  private static final byte[] MAXIMUM_INTERVAL = JsonOut.name("maximumInterval");
  private static final byte[] MESSAGE = JsonOut.name("message");
  private static final byte[] NEXT_ATTEMPT_TIME = JsonOut.name("nextAttemptTime");
  private static final byte[] NEXT_EVENT_ID = JsonOut.name("nextEventId");
  private static final byte[] NEXT_RUN_ID = JsonOut.name("nextRunId");
  private static final byte[] NON_RETRYABLE = JsonOut.name("nonRetryable");
  private static final byte[] PARENT_CLOSE_POLICY = JsonOut.name("parentClosePolicy");
  private static final byte[] PARENT_INITIATED_EVENT_ID = JsonOut.name("parentInitiatedEventId");
  private static final byte[] PARENT_RUN_ID = JsonOut.name("parentRunId");
  private static final byte[] PARENT_WORKFLOW_ID = JsonOut.name("parentWorkflowId");
  private static final byte[] REPLAY_SEMANTICS = JsonOut.name("replaySemantics");
  private static final byte[] RESULT = JsonOut.name("result");
  private static final byte[] DURATION = JsonOut.name("duration");
  private static final byte[] FIRE_AT = JsonOut.name("fireAt");
  private static final byte[] RETRY_POLICY = JsonOut.name("retryPolicy");
  private static final byte[] RUN_ID = JsonOut.name("runId");
  private static final byte[] SCHEDULE_TO_CLOSE_TIMEOUT = JsonOut.name("scheduleToCloseTimeout");
  private static final byte[] SCHEDULE_TO_START_TIMEOUT = JsonOut.name("scheduleToStartTimeout");
  private static final byte[] SCHEDULED_EVENT_ID = JsonOut.name("scheduledEventId");
  private static final byte[] SCHEDULED_TIME = JsonOut.name("scheduledTime");
  private static final byte[] SEARCH_ATTRIBUTES = JsonOut.name("searchAttributes");
  private static final byte[] SEQ = JsonOut.name("seq");
  private static final byte[] SPEC = JsonOut.name("spec");
  private static final byte[] STACK_TRACE = JsonOut.name("stackTrace");
  private static final byte[] START_TIME = JsonOut.name("startTime");
  private static final byte[] START_TO_CLOSE_TIMEOUT = JsonOut.name("startToCloseTimeout");
  private static final byte[] STATE = JsonOut.name("state");
  private static final byte[] STATUS = JsonOut.name("status");
  private static final byte[] TASK_QUEUE = JsonOut.name("taskQueue");
  private static final byte[] TIMERS = JsonOut.name("timers");
  private static final byte[] TYPE = JsonOut.name("type");
  private static final byte[] UPDATES = JsonOut.name("updates");
  private static final byte[] VALUES = JsonOut.name("values");
  private static final byte[] WORKFLOW_EXECUTION_TIMEOUT = JsonOut.name("workflowExecutionTimeout");
  private static final byte[] WORKFLOW_ID = JsonOut.name("workflowId");
  private static final byte[] WORKFLOW_RUN_TIMEOUT = JsonOut.name("workflowRunTimeout");
  private static final byte[] WORKFLOW_TASK_ATTEMPT = JsonOut.name("workflowTaskAttempt");
  private static final byte[] WORKFLOW_TASK_PENDING = JsonOut.name("workflowTaskPending");
  private static final byte[] WORKFLOW_TASK_RETRY_AT = JsonOut.name("workflowTaskRetryAt");
  private static final byte[] WORKFLOW_TASK_TIMEOUT = JsonOut.name("workflowTaskTimeout");
  private static final byte[] WORKFLOW_TIME = JsonOut.name("workflowTime");
  private static final byte[] WORKFLOW_TYPE = JsonOut.name("workflowType");

  private void event(JsonOut gen, HistoryEvent e) throws IOException {
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

  private void attributes(JsonOut gen, EventAttributes a) throws IOException {
    if (a instanceof WorkflowTaskCompleted t) {
      gen.writeStartObject();
      gen.writeFieldName(LAST_SEEN_EVENT_ID);
      gen.writeNumber(t.lastSeenEventId());
      gen.writeFieldName(WORKFLOW_TIME);
      instant(gen, t.workflowTime());
      gen.writeFieldName(IDENTITY);
      gen.writeString(t.identity());
      gen.writeEndObject();
    } else if (a instanceof ActivityTaskScheduled s) {
      gen.writeStartObject();
      gen.writeFieldName(SEQ);
      gen.writeNumber(s.seq());
      gen.writeFieldName(ACTIVITY_TYPE);
      gen.writeString(s.activityType());
      gen.writeFieldName(TASK_QUEUE);
      gen.writeString(s.taskQueue());
      gen.writeFieldName(INPUT);
      payloads(gen, s.input());
      gen.writeFieldName(SPEC);
      spec(gen, s.spec());
      gen.writeEndObject();
    } else if (a instanceof ActivityTaskCompleted c) {
      gen.writeStartObject();
      gen.writeFieldName(SEQ);
      gen.writeNumber(c.seq());
      gen.writeFieldName(SCHEDULED_EVENT_ID);
      gen.writeNumber(c.scheduledEventId());
      gen.writeFieldName(ATTEMPT);
      gen.writeNumber(c.attempt());
      gen.writeFieldName(RESULT);
      payload(gen, c.result());
      gen.writeEndObject();
    } else if (a instanceof WorkflowExecutionCompleted c) {
      gen.writeStartObject();
      gen.writeFieldName(RESULT);
      payload(gen, c.result());
      gen.writeEndObject();
    } else if (a instanceof TimerStarted t) {
      gen.writeStartObject();
      gen.writeFieldName(SEQ);
      gen.writeNumber(t.seq());
      gen.writeFieldName(DURATION);
      duration(gen, t.duration());
      gen.writeFieldName(FIRE_AT);
      instant(gen, t.fireAt());
      gen.writeEndObject();
    } else if (a instanceof TimerFired f) {
      gen.writeStartObject();
      gen.writeFieldName(SEQ);
      gen.writeNumber(f.seq());
      gen.writeEndObject();
    } else if (a instanceof WorkflowExecutionStarted s && (s.links() == null || links)
        && s.lastCompletionResult() == null) { // a cron run's last result (rare) goes to the mapper
      gen.writeStartObject();
      gen.writeFieldName(WORKFLOW_ID);
      gen.writeString(s.workflowId());
      gen.writeFieldName(WORKFLOW_TYPE);
      gen.writeString(s.workflowType());
      gen.writeFieldName(TASK_QUEUE);
      gen.writeString(s.taskQueue());
      gen.writeFieldName(INPUT);
      payloads(gen, s.input());
      gen.writeFieldName(WORKFLOW_TASK_TIMEOUT);
      duration(gen, s.workflowTaskTimeout());
      gen.writeFieldName(REPLAY_SEMANTICS);
      gen.writeNumber(s.replaySemantics());
      gen.writeFieldName(WORKFLOW_EXECUTION_TIMEOUT);
      duration(gen, s.workflowExecutionTimeout());
      gen.writeFieldName(WORKFLOW_RUN_TIMEOUT);
      duration(gen, s.workflowRunTimeout());
      gen.writeFieldName(SEARCH_ATTRIBUTES);
      searchAttributes(gen, s.searchAttributes());
      gen.writeFieldName(LINKS);
      links(gen, s.links());
      gen.writeEndObject();
    } else {
      gen.writeRawValue(mapper.get().writeValueAsBytes(a));
    }
  }

  private void state(JsonOut gen, ExecutionState s) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(WORKFLOW_ID);
    gen.writeString(s.workflowId);
    gen.writeFieldName(RUN_ID);
    gen.writeString(s.runId);
    gen.writeFieldName(WORKFLOW_TYPE);
    gen.writeString(s.workflowType);
    gen.writeFieldName(TASK_QUEUE);
    gen.writeString(s.taskQueue);
    gen.writeFieldName(STATUS);
    enumName(gen, s.status);
    gen.writeFieldName(START_TIME);
    instant(gen, s.startTime);
    gen.writeFieldName(CLOSE_TIME);
    instant(gen, s.closeTime);
    gen.writeFieldName(WORKFLOW_TASK_TIMEOUT);
    duration(gen, s.workflowTaskTimeout);
    gen.writeFieldName(WORKFLOW_EXECUTION_TIMEOUT);
    duration(gen, s.workflowExecutionTimeout);
    gen.writeFieldName(WORKFLOW_RUN_TIMEOUT);
    duration(gen, s.workflowRunTimeout);
    gen.writeFieldName(NEXT_EVENT_ID);
    gen.writeNumber(s.nextEventId);
    gen.writeFieldName(WORKFLOW_TASK_PENDING);
    gen.writeBoolean(s.workflowTaskPending);
    gen.writeFieldName(WORKFLOW_TASK_ATTEMPT);
    gen.writeNumber(s.workflowTaskAttempt);
    gen.writeFieldName(WORKFLOW_TASK_RETRY_AT);
    instant(gen, s.workflowTaskRetryAt);
    gen.writeFieldName(LAST_WORKFLOW_TASK_FAILURE);
    failure(gen, s.lastWorkflowTaskFailure);
    gen.writeFieldName(LAST_COMPLETED_TASK_EVENT_ID);
    gen.writeNumber(s.lastCompletedTaskEventId);
    gen.writeFieldName(BUFFERED_EVENTS);
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
    gen.writeFieldName(ACTIVITIES);
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
    gen.writeFieldName(TIMERS);
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
    gen.writeFieldName(CANCEL_REQUESTED);
    gen.writeBoolean(s.cancelRequested);
    gen.writeFieldName(SEARCH_ATTRIBUTES);
    searchAttributes(gen, s.searchAttributes);
    gen.writeFieldName(UPDATES);
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
    gen.writeFieldName(RESULT);
    payload(gen, s.result);
    gen.writeFieldName(FAILURE);
    failure(gen, s.failure);
    gen.writeFieldName(LINKS);
    links(gen, s.links);
    gen.writeFieldName(NEXT_RUN_ID);
    gen.writeString(s.nextRunId);
    gen.writeFieldName(FIRST_TASK_AT);
    instant(gen, s.firstTaskAt);
    gen.writeFieldName(CHILDREN);
    if (s.children == null || s.children.isEmpty()) {
      if (s.children == null) {
        gen.writeNull();
      } else {
        gen.writeStartObject();
        gen.writeEndObject();
      }
    } else {
      gen.writeRawValue(mapper.get().writeValueAsBytes(s.children));
    }
    gen.writeFieldName(LAST_PARENT_SIGNAL_EVENT_ID);
    gen.writeNumber(s.lastParentSignalEventId);
    if (s.schedulePaused) { // left out when false, as the mapper does (JsonInclude on the field); read by the mapper
      gen.writeFieldName(SCHEDULE_PAUSED);
      gen.writeBoolean(true);
    }
    if (s.externalRequests != null && !s.externalRequests.isEmpty()) { // left out when empty, as the mapper does
      gen.writeFieldName(EXTERNAL_REQUESTS);
      gen.writeStartObject();
      for (Map.Entry<Integer, Long> r : s.externalRequests.entrySet()) {
        gen.writeFieldName(String.valueOf(r.getKey()));
        gen.writeNumber(r.getValue());
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private void summary(JsonOut gen, RunSummary s) {
    gen.writeStartObject();
    gen.writeFieldName(WORKFLOW_ID);
    gen.writeString(s.workflowId());
    gen.writeFieldName(RUN_ID);
    gen.writeString(s.runId());
    gen.writeFieldName(WORKFLOW_TYPE);
    gen.writeString(s.workflowType());
    gen.writeFieldName(TASK_QUEUE);
    gen.writeString(s.taskQueue());
    gen.writeFieldName(STATUS);
    enumName(gen, s.status());
    gen.writeFieldName(START_TIME);
    instant(gen, s.startTime());
    gen.writeFieldName(CLOSE_TIME);
    instant(gen, s.closeTime());
    gen.writeFieldName(SEARCH_ATTRIBUTES);
    searchAttributes(gen, s.searchAttributes());
    gen.writeEndObject();
  }

  private void pendingActivity(JsonOut gen, PendingActivity a) throws IOException {
    if (a == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    gen.writeFieldName(SEQ);
    gen.writeNumber(a.seq);
    gen.writeFieldName(SCHEDULED_EVENT_ID);
    gen.writeNumber(a.scheduledEventId);
    gen.writeFieldName(ACTIVITY_TYPE);
    gen.writeString(a.activityType);
    gen.writeFieldName(TASK_QUEUE);
    gen.writeString(a.taskQueue);
    gen.writeFieldName(SPEC);
    spec(gen, a.spec);
    gen.writeFieldName(ATTEMPT);
    gen.writeNumber(a.attempt);
    gen.writeFieldName(STATE);
    gen.writeString(a.state);
    gen.writeFieldName(SCHEDULED_TIME);
    instant(gen, a.scheduledTime);
    gen.writeFieldName(ATTEMPT_SCHEDULED_TIME);
    instant(gen, a.attemptScheduledTime);
    gen.writeFieldName(NEXT_ATTEMPT_TIME);
    instant(gen, a.nextAttemptTime);
    gen.writeFieldName(LAST_FAILURE);
    failure(gen, a.lastFailure);
    gen.writeFieldName(HEARTBEAT_DETAILS);
    payload(gen, a.heartbeatDetails);
    gen.writeFieldName(LAST_HEARTBEAT_TIME);
    instant(gen, a.lastHeartbeatTime);
    gen.writeFieldName(CANCEL_REQUESTED);
    gen.writeBoolean(a.cancelRequested);
    if (a.awaitingCompletionSince != null) { // left out when null, as the mapper does (JsonInclude on the field)
      gen.writeFieldName(AWAITING_COMPLETION_SINCE);
      instant(gen, a.awaitingCompletionSince);
    }
    gen.writeEndObject();
  }

  private void spec(JsonOut gen, ActivitySpec s) {
    if (s == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    gen.writeFieldName(SCHEDULE_TO_CLOSE_TIMEOUT);
    duration(gen, s.scheduleToCloseTimeout());
    gen.writeFieldName(START_TO_CLOSE_TIMEOUT);
    duration(gen, s.startToCloseTimeout());
    gen.writeFieldName(SCHEDULE_TO_START_TIMEOUT);
    duration(gen, s.scheduleToStartTimeout());
    gen.writeFieldName(HEARTBEAT_TIMEOUT);
    duration(gen, s.heartbeatTimeout());
    gen.writeFieldName(RETRY_POLICY);
    retryPolicy(gen, s.retryPolicy());
    gen.writeEndObject();
  }

  /**
   * Writes {@code d} as Jackson does ({@link Double#toString}; NaN and the infinities as strings),
   * with a shortcut for the whole numbers that backoff coefficients usually are.
   */
  private static void number(JsonOut gen, double d) {
    String whole = wholeNumberText(d);
    if (whole != null) {
      gen.writeNumber(whole);
    } else if (Double.isNaN(d) || Double.isInfinite(d)) {
      gen.writeString(Double.toString(d));
    } else {
      gen.writeNumber(Double.toString(d));
    }
  }

  /** {@link Double#toString} of {@code d} when it is a whole number from 1 to 9,999,999, else null. */
  static String wholeNumberText(double d) {
    long whole = (long) d;
    return whole == d && whole >= 1 && whole < 10_000_000 ? Long.toString(whole).concat(".0") : null;
  }

  private void retryPolicy(JsonOut gen, RetryPolicy p) {
    if (p == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    gen.writeFieldName(INITIAL_INTERVAL);
    duration(gen, p.initialInterval());
    gen.writeFieldName(BACKOFF_COEFFICIENT);
    number(gen, p.backoffCoefficient());
    gen.writeFieldName(MAXIMUM_INTERVAL);
    duration(gen, p.maximumInterval());
    gen.writeFieldName(MAXIMUM_ATTEMPTS);
    gen.writeNumber(p.maximumAttempts());
    gen.writeFieldName(DO_NOT_RETRY);
    strings(gen, p.doNotRetry());
    gen.writeEndObject();
  }

  private void links(JsonOut gen, RunLinks l) throws IOException {
    if (l == null) {
      gen.writeNull();
      return;
    }
    if (!links) {
      gen.writeRawValue(mapper.get().writeValueAsBytes(l));
      return;
    }
    gen.writeStartObject();
    gen.writeFieldName(PARENT_WORKFLOW_ID);
    gen.writeString(l.parentWorkflowId());
    gen.writeFieldName(PARENT_RUN_ID);
    gen.writeString(l.parentRunId());
    gen.writeFieldName(PARENT_INITIATED_EVENT_ID);
    gen.writeNumber(l.parentInitiatedEventId());
    gen.writeFieldName(PARENT_CLOSE_POLICY);
    gen.writeString(l.parentClosePolicy());
    gen.writeFieldName(CONTINUED_FROM_RUN_ID);
    gen.writeString(l.continuedFromRunId());
    gen.writeFieldName(ATTEMPT);
    gen.writeNumber(l.attempt());
    gen.writeFieldName(RETRY_POLICY);
    retryPolicy(gen, l.retryPolicy());
    gen.writeFieldName(EXECUTION_START_TIME);
    instant(gen, l.executionStartTime());
    gen.writeFieldName(FIRST_WORKFLOW_TASK_BACKOFF);
    duration(gen, l.firstWorkflowTaskBackoff());
    if (l.cronSchedule() != null) { // left out when null, as the mapper does (JsonInclude on the component)
      gen.writeFieldName(CRON_SCHEDULE);
      gen.writeString(l.cronSchedule());
    }
    gen.writeEndObject();
  }

  private void failure(JsonOut gen, FailureInfo f) throws IOException {
    if (f == null) {
      gen.writeNull();
      return;
    }
    if (!failure) {
      gen.writeRawValue(mapper.get().writeValueAsBytes(f));
      return;
    }
    gen.writeStartObject();
    gen.writeFieldName(KIND);
    gen.writeString(f.kind());
    gen.writeFieldName(TYPE);
    gen.writeString(f.type());
    gen.writeFieldName(MESSAGE);
    gen.writeString(f.message());
    gen.writeFieldName(STACK_TRACE);
    gen.writeString(f.stackTrace());
    gen.writeFieldName(DETAILS);
    payload(gen, f.details());
    gen.writeFieldName(NON_RETRYABLE);
    gen.writeBoolean(f.nonRetryable());
    gen.writeFieldName(ATTRIBUTES);
    gen.writeStartObject();
    for (Map.Entry<String, String> a : f.attributes().entrySet()) {
      gen.writeStringField(a.getKey(), a.getValue());
    }
    gen.writeEndObject();
    gen.writeFieldName(CAUSE);
    failure(gen, f.cause());
    gen.writeEndObject();
  }

  private void searchAttributes(JsonOut gen, Map<String, SearchAttributeValue> attributes) {
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
      gen.writeFieldName(TYPE);
      enumName(gen, v.type());
      gen.writeFieldName(VALUES);
      strings(gen, v.values());
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static void payloads(JsonOut gen, List<Payload> payloads) {
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

  /** As {@link PayloadJson#write} writes it. */
  private static void payload(JsonOut gen, Payload p) {
    if (p == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartObject();
    if (Payload.JSON.equals(p.encoding())) {
      gen.writeFieldName(JSON);
      gen.writeRawValue(p.data());
    } else {
      gen.writeStringField("encoding", p.encoding());
      gen.writeStringField("base64", Base64.getEncoder().encodeToString(p.data()));
    }
    gen.writeEndObject();
  }

  private static void strings(JsonOut gen, List<String> values) {
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

  private static void instant(JsonOut gen, Instant t) {
    if (t == null) {
      gen.writeNull();
    } else {
      gen.writeString(InstantWriter.format(t));
    }
  }

  /** As Jackson's {@code DurationSerializer} writes it with {@code WRITE_DURATIONS_AS_TIMESTAMPS} off. */
  private static void duration(JsonOut gen, Duration d) {
    if (d == null) {
      gen.writeNull();
    } else {
      gen.writeString(d.toString());
    }
  }

  private static void enumName(JsonOut gen, Enum<?> e) {
    if (e == null) {
      gen.writeNull();
    } else {
      gen.writeString(e.name());
    }
  }
}
