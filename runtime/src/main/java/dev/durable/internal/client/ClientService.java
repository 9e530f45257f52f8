package dev.durable.internal.client;

import dev.durable.client.HistoryVerification;
import dev.durable.client.ResetPoint;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowPage;
import dev.durable.common.DurableException;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.service.WorkflowService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The service as one client sees it: every call fails with DURABLE-213 once the client is closed,
 * so that stubs and workers built from a closed client say so instead of carrying on unnoticed.
 *
 * <p>Written out by hand rather than as a {@link java.lang.reflect.Proxy}: every start, poll and
 * task completion passes through here, and a proxy costs an argument array and a reflective call
 * each time, which is slow while the JIT has not compiled it yet (a lone workflow's latency).
 * Every method of {@link WorkflowService}, default ones included, is forwarded (a test checks).
 */
public final class ClientService implements WorkflowService {
  private final WorkflowService target;
  private final BooleanSupplier closed;

  private ClientService(WorkflowService target, BooleanSupplier closed) {
    this.target = target;
    this.closed = closed;
  }

  /** Returns {@code target} guarded by {@code closed}. */
  public static WorkflowService guard(WorkflowService target, BooleanSupplier closed) {
    return new ClientService(target, closed);
  }

  private void open(String call) {
    if (closed.getAsBoolean()) {
      throw new DurableException("DURABLE-213", "this WorkflowClient is closed (" + call
          + " was called after close()); create a new one with WorkflowClient.newInstance(server).");
    }
  }

  @Override
  public StartResponse start(StartRequest request) {
    open("start");
    return target.start(request);
  }

  @Override
  public StartResponse startForResult(StartRequest request) {
    open("startForResult");
    return target.startForResult(request);
  }

  @Override
  public StartResponse signalWithStart(StartRequest request, String signalName, List<Payload> signalInput) {
    open("signalWithStart");
    return target.signalWithStart(request, signalName, signalInput);
  }

  @Override
  public Optional<WorkflowTask> pollWorkflowTask(PollRequest request) {
    open("pollWorkflowTask");
    return target.pollWorkflowTask(request);
  }

  @Override
  public void completeWorkflowTask(CompleteWorkflowTaskRequest request) {
    open("completeWorkflowTask");
    target.completeWorkflowTask(request);
  }

  @Override
  public Optional<ActivityTask> completeWorkflowTaskAndTakeActivity(CompleteWorkflowTaskRequest request,
      String taskQueue) {
    open("completeWorkflowTaskAndTakeActivity");
    return target.completeWorkflowTaskAndTakeActivity(request, taskQueue);
  }

  @Override
  public void failWorkflowTask(FailWorkflowTaskRequest request) {
    open("failWorkflowTask");
    target.failWorkflowTask(request);
  }

  @Override
  public void respondQuery(QueryResult result) {
    open("respondQuery");
    target.respondQuery(result);
  }

  @Override
  public Optional<ActivityTask> pollActivityTask(PollRequest request) {
    open("pollActivityTask");
    return target.pollActivityTask(request);
  }

  @Override
  public void completeActivityTask(ActivityToken token, Payload result) {
    open("completeActivityTask");
    target.completeActivityTask(token, result);
  }

  @Override
  public Optional<WorkflowTask> completeActivityTaskAndTakeWorkflowTask(ActivityToken token, Payload result,
      String taskQueue) {
    open("completeActivityTaskAndTakeWorkflowTask");
    return target.completeActivityTaskAndTakeWorkflowTask(token, result, taskQueue);
  }

  @Override
  public void writeKeptResults(String runId) {
    open("writeKeptResults");
    target.writeKeptResults(runId);
  }

  @Override
  public void failActivityTask(ActivityToken token, FailureInfo failure) {
    open("failActivityTask");
    target.failActivityTask(token, failure);
  }

  @Override
  public boolean recordHeartbeat(ActivityToken token, Payload details) {
    open("recordHeartbeat");
    return target.recordHeartbeat(token, details);
  }

  @Override
  public boolean respondActivity(ActivityResponse response) {
    open("respondActivity");
    return target.respondActivity(response);
  }

  @Override
  public void signal(String workflowId, String signalName, List<Payload> input) {
    open("signal");
    target.signal(workflowId, signalName, input);
  }

  @Override
  public Payload query(String workflowId, String queryName, List<Payload> input, Duration timeout) {
    open("query");
    return target.query(workflowId, queryName, input, timeout);
  }

  @Override
  public void requestCancel(String workflowId, String reason) {
    open("requestCancel");
    target.requestCancel(workflowId, reason);
  }

  @Override
  public void terminate(String workflowId, String reason) {
    open("terminate");
    target.terminate(workflowId, reason);
  }

  @Override
  public List<String> delete(String workflowId) {
    open("delete");
    return target.delete(workflowId);
  }

  @Override
  public String reset(String workflowId, ResetPoint point, String reason, String requestId) {
    open("reset");
    return target.reset(workflowId, point, reason, requestId);
  }

  @Override
  public void setSchedulePaused(String workflowId, boolean paused, String note) {
    open("setSchedulePaused");
    target.setSchedulePaused(workflowId, paused, note);
  }

  @Override
  public Optional<WorkflowDescription> describe(String workflowId) {
    open("describe");
    return target.describe(workflowId);
  }

  @Override
  public List<WorkflowDescription> list(boolean runningOnly, int limit) {
    open("list");
    return target.list(runningOnly, limit);
  }

  @Override
  public WorkflowPage listWorkflows(VisibilityQuery query) {
    open("listWorkflows");
    return target.listWorkflows(query);
  }

  @Override
  public long countWorkflows(VisibilityQuery query) {
    open("countWorkflows");
    return target.countWorkflows(query);
  }

  @Override
  public RunHistory getHistory(String workflowId) {
    open("getHistory");
    return target.getHistory(workflowId);
  }

  @Override
  public List<HistoryEvent> readHistory(String runId, long fromEventId) {
    open("readHistory");
    return target.readHistory(runId, fromEventId);
  }

  @Override
  public HistoryVerification verifyHistory(String workflowId) {
    open("verifyHistory");
    return target.verifyHistory(workflowId);
  }

  @Override
  public Optional<ExecutionState> awaitClose(String workflowId, Duration timeout) {
    open("awaitClose");
    return target.awaitClose(workflowId, timeout);
  }

  @Override
  public Optional<UpdateOutcome> update(UpdateRequest request) {
    open("update");
    return target.update(request);
  }

  @Override
  public void respondUpdateValidation(UpdateValidation validation) {
    open("respondUpdateValidation");
    target.respondUpdateValidation(validation);
  }

  @Override
  public void addLocalWorker(String taskQueue, LocalWorker worker) {
    open("addLocalWorker");
    target.addLocalWorker(taskQueue, worker);
  }

  /** A worker built on this client still leaves the server, even after close. */
  @Override
  public void removeLocalWorker(String taskQueue, LocalWorker worker) {
    target.removeLocalWorker(taskQueue, worker);
  }

  /** A worker built on this client still tells the server it stops polling, even after close. */
  @Override
  public void shutdownWorker(String identity) {
    target.shutdownWorker(identity);
  }

  @Override
  public String toString() {
    return "ClientService[" + target + "]";
  }
}
