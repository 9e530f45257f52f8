package dev.durable.remote.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.durable.client.HistoryVerification;
import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowIdReusePolicy;
import dev.durable.client.WorkflowPage;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.internal.Checks;
import dev.durable.internal.model.Command;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.model.SearchAttributes;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.service.WorkflowService;
import dev.durable.internal.store.StoreCodec;
import dev.durable.remote.proto.Failure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Translates between the service's records and their proto messages. Events, commands and a
 * closed run's state travel in the JSON form the store keeps (docs/history-format.md).
 */
final class Convert {
  private static final Map<String, Class<?>> COMMAND_TYPES = commandTypes();

  private Convert() {}

  private static Map<String, Class<?>> commandTypes() {
    var m = new java.util.HashMap<String, Class<?>>();
    for (Class<?> c : Command.class.getPermittedSubclasses()) {
      m.put(c.getSimpleName(), c);
    }
    return Map.copyOf(m);
  }

  // ---- scalars

  static String str(String s) {
    return s == null ? "" : s;
  }

  static String orNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Returns the value of an {@code optional string} field: null when it is not set. */
  static String opt(boolean has, String value) {
    return has ? value : null;
  }

  /** Sets an {@code optional string} field unless {@code value} is null. */
  static void set(String value, java.util.function.Consumer<String> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  /**
   * Sets a workflow id, type, task queue, signal, query or update name, or update or request id
   * ({@code option} says which) that is not null, refusing one that is not valid Unicode: protobuf
   * writes an unpaired surrogate as {@code ?}, so the server would look up, or start, another one.
   * The server checks the rest.
   */
  static void setName(String option, String value, java.util.function.Consumer<String> setter) {
    set(Checks.wholeUnicode(option, value), setter);
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  // ---- payloads and failures

  static dev.durable.remote.proto.Payload payload(Payload p) {
    return dev.durable.remote.proto.Payload.newBuilder().setEncoding(p.encoding()).setData(ByteString.copyFrom(p.data())).build();
  }

  static Payload payload(dev.durable.remote.proto.Payload p) {
    return new Payload(p.getEncoding(), p.getData().toByteArray());
  }

  static List<dev.durable.remote.proto.Payload> payloadsOut(List<Payload> ps) {
    return ps == null ? List.of() : ps.stream().map(Convert::payload).toList();
  }

  static List<Payload> payloadsIn(List<dev.durable.remote.proto.Payload> ps) {
    return ps.stream().map(Convert::payload).toList();
  }

  static Failure failure(FailureInfo f) {
    Failure.Builder b = Failure.newBuilder().setKind(str(f.kind())).setType(str(f.type())).setMessage(str(f.message()))
        .setStackTrace(str(f.stackTrace())).setNonRetryable(f.nonRetryable()).putAllAttributes(f.attributes());
    if (f.details() != null) {
      b.setDetails(payload(f.details()));
    }
    if (f.cause() != null) {
      b.setCause(failure(f.cause()));
    }
    return b.build();
  }

  static FailureInfo failure(Failure f) {
    return new FailureInfo(f.getKind(), f.getType(), f.getMessage(), f.getStackTrace(),
        f.hasDetails() ? payload(f.getDetails()) : null, f.getNonRetryable(), f.getAttributesMap(),
        f.hasCause() ? failure(f.getCause()) : null);
  }

  // ---- events, commands, state as JSON

  static List<String> eventsOut(List<HistoryEvent> events) {
    return events.stream().map(Convert::json).toList();
  }

  static List<HistoryEvent> eventsIn(List<String> json) {
    var out = new ArrayList<HistoryEvent>(json.size());
    for (String s : json) {
      out.add(read(s, HistoryEvent.class, "history event"));
    }
    return out;
  }

  static dev.durable.remote.proto.CompleteWorkflowTaskRequest completion(WorkflowService.CompleteWorkflowTaskRequest r) {
    var b = dev.durable.remote.proto.CompleteWorkflowTaskRequest.newBuilder().setRunId(r.runId())
        .setToken(r.token()).addAllCommands(r.commands().stream().map(Convert::command).toList());
    set(r.identity(), b::setIdentity);
    return b.build();
  }

  static WorkflowService.CompleteWorkflowTaskRequest completion(dev.durable.remote.proto.CompleteWorkflowTaskRequest r) {
    return new WorkflowService.CompleteWorkflowTaskRequest(r.getRunId(), r.getToken(),
        r.getCommandsList().stream().map(Convert::command).toList(), opt(r.hasIdentity(), r.getIdentity()));
  }

  static dev.durable.remote.proto.CompleteActivityTaskRequest completion(WorkflowService.ActivityToken token, Payload result) {
    var b = dev.durable.remote.proto.CompleteActivityTaskRequest.newBuilder().setToken(token(token));
    if (result != null) {
      b.setResult(payload(result));
    }
    return b.build();
  }

  static dev.durable.remote.proto.Command command(Command c) {
    return dev.durable.remote.proto.Command.newBuilder().setType(c.getClass().getSimpleName()).setJson(json(c)).build();
  }

  static Command command(dev.durable.remote.proto.Command c) {
    Class<?> type = COMMAND_TYPES.get(c.getType());
    if (type == null) {
      throw new IllegalArgumentException("DURABLE-201 unknown command type '" + c.getType() + "'; the worker and the"
          + " server must run the same Durable version (known: " + COMMAND_TYPES.keySet() + ")");
    }
    return (Command) read(c.getJson(), type, "command " + c.getType());
  }

  static String state(ExecutionState s) {
    return new String(StoreCodec.encode(s), StandardCharsets.UTF_8);
  }

  static ExecutionState state(String json) {
    return StoreCodec.decodeState(json.getBytes(StandardCharsets.UTF_8), "the server's answer");
  }

  private static String json(Object value) {
    try {
      return StoreCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new DurableException("DURABLE-303", "cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static <T> T read(String json, Class<T> type, String what) {
    try {
      return StoreCodec.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new DurableException("DURABLE-264", "cannot read a " + what + " received over the network: "
          + e.getOriginalMessage() + ". The client and the server must run the same Durable version.", e);
    }
  }

  // ---- requests and tasks

  static dev.durable.remote.proto.StartRequest start(WorkflowService.StartRequest r) {
    var b = dev.durable.remote.proto.StartRequest.newBuilder().addAllInput(payloadsOut(r.input()));
    setName("workflowId", r.workflowId(), b::setWorkflowId);
    setName("workflowType", r.workflowType(), b::setWorkflowType);
    setName("taskQueue", r.taskQueue(), b::setTaskQueue);
    if (r.workflowTaskTimeout() != null) {
      b.setWorkflowTaskTimeout(duration(r.workflowTaskTimeout()));
    }
    if (r.reusePolicy() != null) {
      b.setReusePolicy(r.reusePolicy().name());
    }
    if (r.executionTimeout() != null) {
      b.setExecutionTimeout(duration(r.executionTimeout()));
    }
    if (r.runTimeout() != null) {
      b.setRunTimeout(duration(r.runTimeout()));
    }
    if (r.searchAttributes() != null) {
      r.searchAttributes().forEach((k, v) -> b.putSearchAttributes(k, attribute(v)));
    }
    if (r.retryPolicy() != null) {
      b.setRetryPolicyJson(json(r.retryPolicy()));
    }
    if (r.cronSchedule() != null) {
      b.setCronSchedule(r.cronSchedule());
    }
    if (r.startDelay() != null) {
      b.setStartDelay(duration(r.startDelay()));
    }
    return b.build();
  }

  static WorkflowService.StartRequest start(dev.durable.remote.proto.StartRequest r) {
    WorkflowIdReusePolicy policy;
    try {
      policy = r.getReusePolicy().isEmpty() ? null : WorkflowIdReusePolicy.valueOf(r.getReusePolicy());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DURABLE-201 unknown workflow id reuse policy '" + r.getReusePolicy()
          + "'; the client and the server must run the same Durable version");
    }
    return new WorkflowService.StartRequest(opt(r.hasWorkflowId(), r.getWorkflowId()),
        opt(r.hasWorkflowType(), r.getWorkflowType()), opt(r.hasTaskQueue(), r.getTaskQueue()), payloadsIn(r.getInputList()),
        r.hasWorkflowTaskTimeout() ? duration(r.getWorkflowTaskTimeout()) : null, policy,
        r.hasExecutionTimeout() ? duration(r.getExecutionTimeout()) : null,
        r.hasRunTimeout() ? duration(r.getRunTimeout()) : null,
        r.getSearchAttributesCount() == 0 ? null : attributes(r.getSearchAttributesMap()),
        r.hasRetryPolicyJson() ? read(r.getRetryPolicyJson(), dev.durable.internal.model.RetryPolicy.class,
            "workflow retry policy") : null,
        r.hasCronSchedule() ? r.getCronSchedule() : null, r.hasStartDelay() ? duration(r.getStartDelay()) : null);
  }

  static dev.durable.remote.proto.WorkflowTask task(WorkflowService.WorkflowTask t) {
    var b = dev.durable.remote.proto.WorkflowTask.newBuilder().setToken(t.token()).setWorkflowId(str(t.workflowId()))
        .setRunId(str(t.runId())).setWorkflowType(str(t.workflowType())).setTaskQueue(str(t.taskQueue()))
        .setAttempt(t.attempt()).addAllEventsJson(eventsOut(t.events())).setLastEventId(t.lastEventId());
    if (t.workflowTime() != null) {
      b.setWorkflowTime(timestamp(t.workflowTime()));
    }
    if (t.query() != null) {
      b.setQuery(dev.durable.remote.proto.QueryTask.newBuilder().setQueryId(t.query().queryId())
          .setQueryName(t.query().queryName()).addAllInput(payloadsOut(t.query().input())));
    }
    if (t.update() != null) {
      b.setUpdate(dev.durable.remote.proto.UpdateTask.newBuilder().setValidationId(t.update().validationId())
          .setUpdateId(t.update().updateId()).setUpdateName(t.update().updateName())
          .addAllInput(payloadsOut(t.update().input())));
    }
    return b.build();
  }

  static WorkflowService.WorkflowTask task(dev.durable.remote.proto.WorkflowTask t) {
    WorkflowService.QueryTask q = t.hasQuery()
        ? new WorkflowService.QueryTask(t.getQuery().getQueryId(), t.getQuery().getQueryName(),
            payloadsIn(t.getQuery().getInputList()))
        : null;
    WorkflowService.UpdateTask u = t.hasUpdate()
        ? new WorkflowService.UpdateTask(t.getUpdate().getValidationId(), t.getUpdate().getUpdateId(),
            t.getUpdate().getUpdateName(), payloadsIn(t.getUpdate().getInputList()))
        : null;
    return new WorkflowService.WorkflowTask(t.getToken(), t.getWorkflowId(), t.getRunId(), t.getWorkflowType(),
        t.getTaskQueue(), t.getAttempt(), eventsIn(t.getEventsJsonList()), t.getLastEventId(),
        t.hasWorkflowTime() ? instant(t.getWorkflowTime()) : null, q, u);
  }

  static dev.durable.remote.proto.ActivityToken token(WorkflowService.ActivityToken t) {
    return dev.durable.remote.proto.ActivityToken.newBuilder().setRunId(t.runId()).setSeq(t.seq()).setAttempt(t.attempt()).build();
  }

  static WorkflowService.ActivityToken token(dev.durable.remote.proto.ActivityToken t) {
    return new WorkflowService.ActivityToken(t.getRunId(), t.getSeq(), t.getAttempt());
  }

  static dev.durable.remote.proto.RespondActivityRequest respondActivity(WorkflowService.ActivityResponse r) {
    var b = dev.durable.remote.proto.RespondActivityRequest.newBuilder();
    WorkflowService.ActivityAddress a = r.address();
    if (a != null && a.taskToken() != null) {
      b.setTaskToken(a.taskToken());
    } else if (a != null) {
      var id = dev.durable.remote.proto.ActivityId.newBuilder();
      set(a.workflowId(), id::setWorkflowId);
      set(a.activityId(), id::setActivityId);
      b.setActivity(id);
    }
    if (r.outcome() != null) {
      b.setOutcome(r.outcome().name());
    }
    if (r.payload() != null) {
      b.setPayload(payload(r.payload()));
    }
    if (r.failure() != null) {
      b.setFailure(failure(r.failure()));
    }
    return b.build();
  }

  /** Reads a report on an activity; an unknown outcome is bad input (DURABLE-201). */
  static WorkflowService.ActivityResponse respondActivity(dev.durable.remote.proto.RespondActivityRequest r) {
    WorkflowService.ActivityAddress address = switch (r.getAddressCase()) {
      case TASK_TOKEN -> WorkflowService.ActivityAddress.ofToken(r.getTaskToken());
      case ACTIVITY -> WorkflowService.ActivityAddress.ofActivity(
          opt(r.getActivity().hasWorkflowId(), r.getActivity().getWorkflowId()),
          opt(r.getActivity().hasActivityId(), r.getActivity().getActivityId()));
      default -> null;
    };
    WorkflowService.ActivityOutcome outcome = null;
    if (!r.getOutcome().isEmpty()) {
      try {
        outcome = WorkflowService.ActivityOutcome.valueOf(r.getOutcome());
      } catch (IllegalArgumentException e) {
        throw Checks.invalid("outcome must be one of "
            + java.util.Arrays.toString(WorkflowService.ActivityOutcome.values()) + ", got \"" + r.getOutcome() + "\"");
      }
    }
    return new WorkflowService.ActivityResponse(address, outcome, r.hasPayload() ? payload(r.getPayload()) : null,
        r.hasFailure() ? failure(r.getFailure()) : null);
  }

  static dev.durable.remote.proto.ActivityTask task(WorkflowService.ActivityTask t) {
    var b = dev.durable.remote.proto.ActivityTask.newBuilder().setToken(token(t.token()))
        .setWorkflowId(str(t.workflowId())).setWorkflowType(str(t.workflowType())).setActivityType(str(t.activityType()))
        .addAllInput(payloadsOut(t.input()));
    if (t.heartbeatDetails() != null) {
      b.setHeartbeatDetails(payload(t.heartbeatDetails()));
    }
    if (t.scheduledTime() != null) {
      b.setScheduledTime(timestamp(t.scheduledTime()));
    }
    if (t.startToCloseTimeout() != null) {
      b.setStartToCloseTimeout(duration(t.startToCloseTimeout()));
    }
    if (t.heartbeatTimeout() != null) {
      b.setHeartbeatTimeout(duration(t.heartbeatTimeout()));
    }
    return b.build();
  }

  static WorkflowService.ActivityTask task(dev.durable.remote.proto.ActivityTask t) {
    return new WorkflowService.ActivityTask(token(t.getToken()), t.getWorkflowId(), t.getWorkflowType(),
        t.getActivityType(), payloadsIn(t.getInputList()), t.hasHeartbeatDetails() ? payload(t.getHeartbeatDetails()) : null,
        t.hasScheduledTime() ? instant(t.getScheduledTime()) : null,
        t.hasStartToCloseTimeout() ? duration(t.getStartToCloseTimeout()) : null,
        t.hasHeartbeatTimeout() ? duration(t.getHeartbeatTimeout()) : null);
  }

  // ---- updates

  static dev.durable.remote.proto.UpdateRequest update(WorkflowService.UpdateRequest r) {
    var b = dev.durable.remote.proto.UpdateRequest.newBuilder().addAllInput(payloadsOut(r.input()))
        .setTimeout(duration(r.timeout()));
    setName("workflowId", r.workflowId(), b::setWorkflowId);
    setName("updateId", r.updateId(), b::setUpdateId);
    setName("updateName", r.updateName(), b::setUpdateName);
    return b.build();
  }

  static WorkflowService.UpdateRequest update(dev.durable.remote.proto.UpdateRequest r) {
    return new WorkflowService.UpdateRequest(opt(r.hasWorkflowId(), r.getWorkflowId()),
        opt(r.hasUpdateId(), r.getUpdateId()), opt(r.hasUpdateName(), r.getUpdateName()), payloadsIn(r.getInputList()),
        duration(r.getTimeout()));
  }

  static dev.durable.remote.proto.UpdateOutcome outcome(WorkflowService.UpdateOutcome o) {
    var b = dev.durable.remote.proto.UpdateOutcome.newBuilder();
    if (o.result() != null) {
      b.setResult(payload(o.result()));
    }
    if (o.failure() != null) {
      b.setFailure(failure(o.failure()));
    }
    return b.build();
  }

  static WorkflowService.UpdateOutcome outcome(dev.durable.remote.proto.UpdateOutcome o) {
    return new WorkflowService.UpdateOutcome(o.hasResult() ? payload(o.getResult()) : null,
        o.hasFailure() ? failure(o.getFailure()) : null);
  }

  // ---- search attributes and listing

  static dev.durable.remote.proto.SearchAttributeValue attribute(SearchAttributeValue v) {
    return dev.durable.remote.proto.SearchAttributeValue.newBuilder().setType(v.type().name()).addAllValues(v.values())
        .build();
  }

  static SearchAttributeValue attribute(dev.durable.remote.proto.SearchAttributeValue v) {
    SearchAttributeValue.Type type;
    try {
      type = SearchAttributeValue.Type.valueOf(v.getType());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DURABLE-251 unknown search attribute type '" + v.getType() + "'; known: "
          + java.util.Arrays.toString(SearchAttributeValue.Type.values())
          + ". The client and the server must run the same Durable version.");
    }
    return new SearchAttributeValue(type, v.getValuesList());
  }

  static Map<String, SearchAttributeValue> attributes(Map<String, dev.durable.remote.proto.SearchAttributeValue> m) {
    var out = new java.util.LinkedHashMap<String, SearchAttributeValue>();
    m.forEach((k, v) -> out.put(k, attribute(v)));
    return out;
  }

  private static SearchAttributeValue attributeOrNull(boolean has, dev.durable.remote.proto.SearchAttributeValue v) {
    return has ? attribute(v) : null;
  }

  static dev.durable.remote.proto.VisibilityQuery query(VisibilityQuery q) {
    var b = dev.durable.remote.proto.VisibilityQuery.newBuilder().setPageSize(q.pageSize());
    q.statuses().forEach(st -> b.addStatuses(st.name()));
    set(q.workflowType(), b::setWorkflowType);
    set(q.taskQueue(), b::setTaskQueue);
    set(q.pageToken(), b::setPageToken);
    if (q.startedFrom() != null) {
      b.setStartedFrom(timestamp(q.startedFrom()));
    }
    if (q.startedTo() != null) {
      b.setStartedTo(timestamp(q.startedTo()));
    }
    if (q.closedFrom() != null) {
      b.setClosedFrom(timestamp(q.closedFrom()));
    }
    if (q.closedTo() != null) {
      b.setClosedTo(timestamp(q.closedTo()));
    }
    for (VisibilityQuery.SearchCondition c : q.searchAttributes()) {
      var cb = dev.durable.remote.proto.SearchCondition.newBuilder().setName(c.name());
      if (c.equalTo() != null) {
        cb.setEqualTo(attribute(c.equalTo()));
      }
      if (c.from() != null) {
        cb.setFrom(attribute(c.from()));
      }
      if (c.to() != null) {
        cb.setTo(attribute(c.to()));
      }
      b.addSearchAttributes(cb);
    }
    return b.build();
  }

  /** Rebuilds the query; its constructor checks it again (DURABLE-254) as the embedded one does. */
  static VisibilityQuery query(dev.durable.remote.proto.VisibilityQuery q) {
    List<WorkflowStatus> statuses = new ArrayList<>();
    for (String st : q.getStatusesList()) {
      try {
        statuses.add(WorkflowStatus.valueOf(st));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("DURABLE-254 unknown workflow status '" + st + "'; allowed: "
            + List.of(WorkflowStatus.values()));
      }
    }
    List<VisibilityQuery.SearchCondition> conditions = q.getSearchAttributesList().stream()
        .map(c -> new VisibilityQuery.SearchCondition(c.getName(), attributeOrNull(c.hasEqualTo(), c.getEqualTo()),
            attributeOrNull(c.hasFrom(), c.getFrom()), attributeOrNull(c.hasTo(), c.getTo())))
        .toList();
    return new VisibilityQuery(statuses, opt(q.hasWorkflowType(), q.getWorkflowType()),
        opt(q.hasTaskQueue(), q.getTaskQueue()), q.hasStartedFrom() ? instant(q.getStartedFrom()) : null,
        q.hasStartedTo() ? instant(q.getStartedTo()) : null, q.hasClosedFrom() ? instant(q.getClosedFrom()) : null,
        q.hasClosedTo() ? instant(q.getClosedTo()) : null, conditions, q.getPageSize(),
        opt(q.hasPageToken(), q.getPageToken()));
  }

  static dev.durable.remote.proto.WorkflowPage page(WorkflowPage p) {
    var b = dev.durable.remote.proto.WorkflowPage.newBuilder()
        .addAllExecutions(p.executions().stream().map(Convert::description).toList());
    set(p.nextPageToken(), b::setNextPageToken);
    return b.build();
  }

  static WorkflowPage page(dev.durable.remote.proto.WorkflowPage p) {
    return new WorkflowPage(p.getExecutionsList().stream().map(Convert::description).toList(),
        opt(p.hasNextPageToken(), p.getNextPageToken()));
  }

  // ---- descriptions

  static dev.durable.remote.proto.WorkflowDescription description(WorkflowDescription d) {
    var b = dev.durable.remote.proto.WorkflowDescription.newBuilder().setWorkflowId(str(d.workflowId()))
        .setRunId(str(d.runId())).setWorkflowType(str(d.workflowType())).setTaskQueue(str(d.taskQueue()))
        .setStatus(d.status().name()).setHistoryLength(d.historyLength()).setWorkflowTaskAttempt(d.workflowTaskAttempt());
    if (d.startTime() != null) {
      b.setStartTime(timestamp(d.startTime()));
    }
    if (d.closeTime() != null) {
      b.setCloseTime(timestamp(d.closeTime()));
    }
    if (d.lastWorkflowTaskFailure() != null) {
      b.setLastWorkflowTaskFailure(d.lastWorkflowTaskFailure());
    }
    set(d.parentWorkflowId(), b::setParentWorkflowId);
    set(d.parentRunId(), b::setParentRunId);
    set(d.continuedFromRunId(), b::setContinuedFromRunId);
    set(d.cronSchedule(), b::setCronSchedule);
    if (d.executionTime() != null && !d.executionTime().equals(d.startTime())) {
      b.setExecutionTime(timestamp(d.executionTime()));
    }
    b.setSchedulePaused(d.schedulePaused());
    b.setAttempt(d.attempt());
    for (dev.durable.client.PendingChildInfo c : d.pendingChildren()) {
      var p = dev.durable.remote.proto.PendingChild.newBuilder().setWorkflowId(str(c.workflowId()))
          .setWorkflowType(str(c.workflowType())).setState(str(c.state()));
      set(c.runId(), p::setRunId);
      b.addPendingChildren(p);
    }
    SearchAttributes.toValues(d.searchAttributes()).forEach((k, v) -> b.putSearchAttributes(k, attribute(v)));
    for (PendingActivityInfo a : d.pendingActivities()) {
      var p = dev.durable.remote.proto.PendingActivity.newBuilder().setActivityType(str(a.activityType()))
          .setActivityId(str(a.activityId())).setState(str(a.state())).setAttempt(a.attempt());
      if (a.scheduledTime() != null) {
        p.setScheduledTime(timestamp(a.scheduledTime()));
      }
      if (a.lastHeartbeatTime() != null) {
        p.setLastHeartbeatTime(timestamp(a.lastHeartbeatTime()));
      }
      if (a.nextAttemptTime() != null) {
        p.setNextAttemptTime(timestamp(a.nextAttemptTime()));
      }
      if (a.lastFailure() != null) {
        p.setLastFailure(a.lastFailure());
      }
      b.addPendingActivities(p);
    }
    return b.build();
  }

  static WorkflowDescription description(dev.durable.remote.proto.WorkflowDescription d) {
    Function<dev.durable.remote.proto.PendingActivity, PendingActivityInfo> pending = a -> new PendingActivityInfo(
        a.getActivityType(), a.getActivityId(), a.getState(), a.getAttempt(),
        a.hasScheduledTime() ? instant(a.getScheduledTime()) : null,
        a.hasLastHeartbeatTime() ? instant(a.getLastHeartbeatTime()) : null,
        a.hasNextAttemptTime() ? instant(a.getNextAttemptTime()) : null,
        a.hasLastFailure() ? a.getLastFailure() : null);
    return new WorkflowDescription(d.getWorkflowId(), d.getRunId(), d.getWorkflowType(), d.getTaskQueue(),
        WorkflowStatus.valueOf(d.getStatus()), d.hasStartTime() ? instant(d.getStartTime()) : null,
        d.hasCloseTime() ? instant(d.getCloseTime()) : null, d.getHistoryLength(),
        d.getPendingActivitiesList().stream().map(pending).toList(), d.getWorkflowTaskAttempt(),
        d.hasLastWorkflowTaskFailure() ? d.getLastWorkflowTaskFailure() : null,
        SearchAttributes.toJava(attributes(d.getSearchAttributesMap())),
        d.hasParentWorkflowId() ? d.getParentWorkflowId() : null, d.hasParentRunId() ? d.getParentRunId() : null,
        d.hasContinuedFromRunId() ? d.getContinuedFromRunId() : null, Math.max(1, d.getAttempt()),
        d.getPendingChildrenList().stream().map(c -> new dev.durable.client.PendingChildInfo(c.getWorkflowId(),
            c.getWorkflowType(), c.hasRunId() ? c.getRunId() : null, c.getState())).toList(),
        d.hasCronSchedule() ? d.getCronSchedule() : null, d.hasExecutionTime() ? instant(d.getExecutionTime()) : null,
        d.getSchedulePaused());
  }

  static dev.durable.remote.proto.HistoryVerification verification(HistoryVerification v) {
    return dev.durable.remote.proto.HistoryVerification.newBuilder().setWorkflowId(str(v.workflowId()))
        .setRunId(str(v.runId())).setEventCount(v.eventCount()).addAllProblems(v.problems()).build();
  }

  static HistoryVerification verification(dev.durable.remote.proto.HistoryVerification v) {
    return new HistoryVerification(v.getWorkflowId(), v.getRunId(), v.getEventCount(), v.getProblemsList());
  }
}
