package dev.durable.internal.client;

import dev.durable.client.ResetPoint;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowExecution;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.client.WorkflowStub;
import dev.durable.client.WorkflowUpdateException;
import dev.durable.internal.Checks;
import dev.durable.internal.Deadlines;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.failure.Failures;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.SearchAttributes;
import dev.durable.internal.service.WorkflowService;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/** The untyped stub; typed stubs delegate to it. */
public final class UntypedStub implements WorkflowStub {
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration WAIT_SLICE = Duration.ofMinutes(1);

  private final WorkflowService service;
  private final String workflowType;
  private final WorkflowOptions options;
  private final String workflowId;

  /** A stub for starting a new workflow. */
  public UntypedStub(WorkflowService service, String workflowType, WorkflowOptions options) {
    this.service = service;
    this.workflowType = workflowType;
    this.options = options;
    this.workflowId = options.getWorkflowId() != null ? options.getWorkflowId() : UUID.randomUUID().toString();
  }

  /** A stub for an existing workflow. */
  public UntypedStub(WorkflowService service, String workflowId) {
    this.service = service;
    this.workflowType = null;
    this.options = null;
    this.workflowId = workflowId;
  }

  @Override
  public String getWorkflowId() {
    return workflowId;
  }

  boolean canStart() {
    return options != null;
  }

  @Override
  public WorkflowExecution start(Object... args) {
    requireStartable("start a workflow");
    var r = service.start(startRequest(args));
    return new WorkflowExecution(r.workflowId(), r.runId());
  }

  /** Starts the workflow for a caller that waits for its result next (see {@link WorkflowService#startForResult}). */
  void startForResult(Object... args) {
    requireStartable("start a workflow");
    service.startForResult(startRequest(args));
  }

  @Override
  public WorkflowExecution signalWithStart(String signalName, Object[] signalArgs, Object[] startArgs) {
    requireStartable("signalWithStart");
    var signalInput = JsonConverter.DEFAULT.toPayloads(signalArgs == null ? new Object[0] : signalArgs,
        () -> "signal '" + signalName + "' to workflow '" + workflowId + "'");
    var r = service.signalWithStart(startRequest(startArgs == null ? new Object[0] : startArgs), signalName,
        signalInput);
    return new WorkflowExecution(r.workflowId(), r.runId());
  }

  private void requireStartable(String what) {
    if (options == null) {
      throw new IllegalStateException("DURABLE-217 this stub of workflow '" + workflowId + "' was made from an id and"
          + " cannot " + what + "; use newUntypedWorkflowStub(workflowType, options) or a typed stub");
    }
  }

  private WorkflowService.StartRequest startRequest(Object[] args) {
    var input = JsonConverter.DEFAULT.toPayloads(args, () -> "workflow '" + workflowId + "' (" + workflowType + ")");
    return new WorkflowService.StartRequest(workflowId, workflowType, options.getTaskQueue(), input,
        options.getWorkflowTaskTimeout(), options.getWorkflowIdReusePolicy(), options.getWorkflowExecutionTimeout(),
        options.getWorkflowRunTimeout(), searchAttributes(options.getSearchAttributes()),
        options.getRetryOptions() == null ? null : dev.durable.internal.model.RetryPolicy.of(options.getRetryOptions()),
        options.getCronSchedule(), options.getStartDelay());
  }

  /** Most starts have none: an empty map then skips the checks, which show while the JIT is cold. */
  private static java.util.Map<String, dev.durable.internal.model.SearchAttributeValue> searchAttributes(
      java.util.Map<String, Object> attributes) {
    return attributes.isEmpty() ? new java.util.TreeMap<>() : SearchAttributes.toValues(attributes);
  }

  @Override
  public <R> R getResult(Class<R> resultClass) {
    return getResult(resultClass, resultClass);
  }

  @Override
  public <R> R getResult(Class<R> resultClass, Type resultType) {
    while (true) {
      Optional<ExecutionState> closed = service.awaitClose(workflowId, WAIT_SLICE);
      if (isFinal(closed)) {
        return result(closed.get(), resultClass, resultType);
      }
    }
  }

  /** Whether the workflow is over: closed, and not continued by another run (continued as new, retried). */
  private static boolean isFinal(Optional<ExecutionState> closed) {
    return closed.isPresent() && closed.get().status.isClosed() && closed.get().nextRunId == null;
  }

  @Override
  public <R> R getResult(Duration timeout, Class<R> resultClass) throws TimeoutException {
    long deadline = System.nanoTime() + Deadlines.nanos(timeout);
    while (true) {
      Optional<ExecutionState> closed = service.awaitClose(workflowId,
          Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (isFinal(closed)) {
        return result(closed.get(), resultClass, resultClass);
      }
      if (closed.isEmpty() || !closed.get().status.isClosed() || System.nanoTime() >= deadline) {
        throw new TimeoutException("workflow '" + workflowId + "' is still running after " + timeout);
      }
    }
  }

  private <R> R result(ExecutionState s, Class<R> resultClass, Type resultType) {
    if (s.status == WorkflowStatus.COMPLETED) {
      @SuppressWarnings("unchecked")
      R r = (R) JsonConverter.DEFAULT.fromPayload(s.result, resultType,
          () -> "result of workflow '" + workflowId + "' (" + s.workflowType + ")");
      return resultClass.isPrimitive() || r == null ? r : resultClass.cast(r);
    }
    throw new WorkflowFailedException(new WorkflowExecution(s.workflowId, s.runId), s.workflowType, s.status,
        Failures.toException(s.failure));
  }

  @Override
  public void signal(String signalName, Object... args) {
    service.signal(workflowId, signalName,
        JsonConverter.DEFAULT.toPayloads(args, () -> "signal '" + signalName + "' to workflow '" + workflowId + "'"));
  }

  @Override
  public <R> R query(String queryName, Class<R> resultClass, Object... args) {
    return query(queryName, resultClass, resultClass, args);
  }

  /** Runs a query with a generic result type. */
  public <R> R query(String queryName, Class<R> resultClass, Type resultType, Object... args) {
    var input = JsonConverter.DEFAULT.toPayloads(args, () -> "query '" + queryName + "' to workflow '" + workflowId + "'");
    var payload = service.query(workflowId, queryName, input, QUERY_TIMEOUT);
    @SuppressWarnings("unchecked")
    R r = (R) JsonConverter.DEFAULT.fromPayload(payload, resultType,
        () -> "result of query '" + queryName + "' of workflow '" + workflowId + "'");
    return r;
  }

  @Override
  public <R> R update(String updateName, Class<R> resultClass, Object... args) {
    return update(UUID.randomUUID().toString(), updateName, resultClass, resultClass, args);
  }

  @Override
  public <R> R update(String updateId, String updateName, Class<R> resultClass, Object... args) {
    return update(updateId, updateName, resultClass, resultClass, args);
  }

  /** Sends an update with a generic result type and waits for its outcome. */
  public <R> R update(String updateId, String updateName, Class<R> resultClass, Type resultType, Object... args) {
    var input = JsonConverter.DEFAULT.toPayloads(args == null ? new Object[0] : args,
        () -> "update '" + updateName + "' to workflow '" + workflowId + "'");
    var request = new WorkflowService.UpdateRequest(workflowId, updateId, updateName, input, WAIT_SLICE);
    while (true) {
      // A slice without an outcome asks again with the same id: that waits for the same update.
      Optional<WorkflowService.UpdateOutcome> outcome = service.update(request);
      if (outcome.isEmpty()) {
        continue;
      }
      if (outcome.get().failure() != null) {
        throw new WorkflowUpdateException("DURABLE-243", workflowId, updateName, updateId, "the handler of update '"
            + updateName + "' (id " + updateId + ") of workflow '" + workflowId + "' failed: "
            + outcome.get().failure().message(), Failures.toException(outcome.get().failure()));
      }
      @SuppressWarnings("unchecked")
      R r = (R) JsonConverter.DEFAULT.fromPayload(outcome.get().result(), resultType,
          () -> "result of update '" + updateName + "' of workflow '" + workflowId + "'");
      return r;
    }
  }

  @Override
  public void cancel() {
    service.requestCancel(workflowId, "canceled by a client");
  }

  @Override
  public void terminate(String reason) {
    service.terminate(workflowId, reason);
  }

  @Override
  public List<String> delete() {
    return service.delete(workflowId);
  }

  @Override
  public WorkflowExecution reset(ResetPoint point, String reason, String requestId) {
    if (point == null) {
      throw Checks.invalid("reset point must not be null: use ResetPoint.firstWorkflowTask(), lastWorkflowTask() or"
          + " event(id)");
    }
    if (requestId != null) {
      Checks.name("requestId", requestId);
    }
    return new WorkflowExecution(workflowId, service.reset(workflowId, point, reason, requestId));
  }

  @Override
  public void pauseSchedule(String note) {
    service.setSchedulePaused(workflowId, true, note);
  }

  @Override
  public void resumeSchedule() {
    service.setSchedulePaused(workflowId, false, null);
  }

  @Override
  public Optional<WorkflowDescription> describe() {
    return service.describe(workflowId);
  }

  @Override
  public WorkflowHistory getHistory() {
    var h = service.getHistory(workflowId);
    return WorkflowHistory.of(h.workflowId(), h.runId(), h.events());
  }
}
