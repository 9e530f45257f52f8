package dev.durable.remote.internal;

import com.google.protobuf.Message;
import dev.durable.client.ConnectionOptions;
import dev.durable.client.HistoryVerification;
import dev.durable.client.ResetPoint;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowPage;
import dev.durable.internal.Deadlines;
import dev.durable.internal.LazyLogger;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.service.WorkflowService;
import dev.durable.remote.proto.AwaitCloseRequest;
import dev.durable.remote.proto.CompleteActivityTaskAndTakeWorkflowTaskRequest;
import dev.durable.remote.proto.CompleteWorkflowTaskAndTakeActivityRequest;
import dev.durable.remote.proto.DeleteRequest;
import dev.durable.remote.proto.DescribeRequest;
import dev.durable.remote.proto.FailActivityTaskRequest;
import dev.durable.remote.proto.GetHistoryRequest;
import dev.durable.remote.proto.ListRequest;
import dev.durable.remote.proto.QueryRequest;
import dev.durable.remote.proto.ReadHistoryRequest;
import dev.durable.remote.proto.RecordHeartbeatRequest;
import dev.durable.remote.proto.RequestCancelRequest;
import dev.durable.remote.proto.ResetRequest;
import dev.durable.remote.proto.SetSchedulePausedRequest;
import dev.durable.remote.proto.ShutdownWorkerRequest;
import dev.durable.remote.proto.SignalRequest;
import dev.durable.remote.proto.SignalWithStartRequest;
import dev.durable.remote.proto.TerminateRequest;
import dev.durable.remote.proto.VerifyHistoryRequest;
import dev.durable.remote.proto.WriteKeptResultsRequest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The client half: each {@link WorkflowService} method is one unary rpc. Ordinary calls fail
 * fast when the server is unreachable; long polls wait for the connection (so a worker whose
 * server restarts simply resumes) and answer empty when nothing arrived in time.
 */
final class RemoteWorkflowService implements WorkflowService {
  private static final System.Logger LOG = LazyLogger.of(RemoteWorkflowService.class);
  /** Extra time a call waiting on the server gets beyond the server-side wait. */
  private static final Duration MARGIN = Duration.ofSeconds(10);
  /** Pause after a failed poll, so a worker facing a refusing server does not spin. */
  private static final long POLL_FAILURE_PAUSE_MILLIS = 1000;

  private final Channel channel;
  private final ConnectionOptions server;
  private final Duration callTimeout;
  /** The rpcs that complete a task and hand the next one over; a server older than them answers UNIMPLEMENTED. */
  private static final Set<MethodDescriptor<?, ?>> HAND_OVERS = Set.of(Rpc.COMPLETE_WORKFLOW_TASK_AND_TAKE_ACTIVITY,
      Rpc.COMPLETE_ACTIVITY_TASK_AND_TAKE_WORKFLOW_TASK, Rpc.WRITE_KEPT_RESULTS);
  /** Whether the server hands tasks over with completions (until it answers UNIMPLEMENTED to one). */
  private volatile boolean handsOver = true;
  /**
   * Runs whose workflow task this client took with an activity result, and has not completed yet:
   * the server may keep that result unwritten meanwhile (see {@link #writeKeptResults}).
   */
  private final Set<String> handedOver = ConcurrentHashMap.newKeySet();

  RemoteWorkflowService(Channel channel, ConnectionOptions server) {
    this.channel = channel;
    this.server = server;
    this.callTimeout = server.getCallTimeout();
  }

  private <Q extends Message, R extends Message> R call(MethodDescriptor<Q, R> method, Q request) {
    return call(method, request, callTimeout, false);
  }

  private <Q extends Message, R extends Message> R call(MethodDescriptor<Q, R> method, Q request, Duration deadline,
      boolean waitForReady) {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(Deadlines.millis(deadline), TimeUnit.MILLISECONDS);
    if (waitForReady) {
      options = options.withWaitForReady();
    }
    try {
      return ClientCalls.blockingUnaryCall(channel, method, options, request);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED && HAND_OVERS.contains(method)) {
        // A server older than the hand-overs: it did nothing with the call. Stop asking.
        handsOver = false;
        LOG.log(System.Logger.Level.INFO, "the server at {0} does not hand tasks over with completions; every task"
            + " goes through its queue", server.getAddress());
        throw new HandOverUnsupported();
      }
      throw Errors.toException(e, method.getBareMethodName(), server, deadline);
    }
  }

  /**
   * A call that only reads, so that making it twice changes nothing: with several server addresses,
   * when the server could not be reached or went away during the call (UNAVAILABLE: it stopped, and a
   * standby is taking over), the call is made once more, waiting for a connection to any of the
   * addresses ({@link CallOptions#withWaitForReady}) within what is left of the deadline. A call
   * that changes something is made once: at such a moment it fails with DURABLE-261, whether or not
   * it took effect unknown. With one address, every call fails fast when the server is unreachable.
   */
  private <Q extends Message, R extends Message> R read(MethodDescriptor<Q, R> method, Q request, Duration deadline) {
    long end = System.nanoTime() + Deadlines.nanos(deadline);
    try {
      return ClientCalls.blockingUnaryCall(channel, method,
          CallOptions.DEFAULT.withDeadlineAfter(Deadlines.millis(deadline), TimeUnit.MILLISECONDS), request);
    } catch (StatusRuntimeException e) {
      long left = end - System.nanoTime();
      if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || server.getAddresses().size() < 2 || left <= 0) {
        throw Errors.toException(e, method.getBareMethodName(), server, deadline);
      }
      return readAgain(method, request, deadline, left);
    }
  }

  /** {@link #read}'s second call, waiting up to {@code leftNanos} for a server to connect to. */
  private <Q extends Message, R extends Message> R readAgain(MethodDescriptor<Q, R> method, Q request,
      Duration deadline, long leftNanos) {
    try {
      return ClientCalls.blockingUnaryCall(channel, method,
          CallOptions.DEFAULT.withDeadlineAfter(leftNanos, TimeUnit.NANOSECONDS).withWaitForReady(), request);
    } catch (StatusRuntimeException e) {
      throw Errors.toException(e, method.getBareMethodName(), server, deadline);
    }
  }

  /** A hand-over rpc the server does not know; the caller completes the plain way instead. */
  private static final class HandOverUnsupported extends RuntimeException {
    HandOverUnsupported() {
      super(null, null, false, false);
    }
  }

  private <Q extends Message, R extends Message> Optional<R> poll(MethodDescriptor<Q, R> method, Q request,
      Duration timeout) {
    Duration deadline = Deadlines.plus(timeout, MARGIN);
    try {
      return Optional.of(ClientCalls.blockingUnaryCall(channel, method,
          CallOptions.DEFAULT.withDeadlineAfter(Deadlines.millis(deadline), TimeUnit.MILLISECONDS).withWaitForReady(),
          request));
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.DEADLINE_EXCEEDED || Errors.isShuttingDown(e)) {
        return Optional.empty(); // no connection within the poll's time, or the server is going down: poll again
      }
      RuntimeException failure = Errors.toException(e, method.getBareMethodName(), server, deadline);
      pauseAfterFailedPoll();
      throw failure;
    }
  }

  private static void pauseAfterFailedPoll() {
    try {
      Thread.sleep(POLL_FAILURE_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static dev.durable.remote.proto.PollRequest poll(PollRequest r) {
    return dev.durable.remote.proto.PollRequest.newBuilder().setTaskQueue(Convert.str(r.taskQueue()))
        .setIdentity(Convert.str(r.identity())).setTimeout(Convert.duration(r.timeout())).build();
  }

  @Override
  public StartResponse start(StartRequest request) {
    var r = call(Rpc.START, Convert.start(request));
    return new StartResponse(r.getWorkflowId(), r.getRunId());
  }

  @Override
  public StartResponse signalWithStart(StartRequest request, String signalName, List<Payload> signalInput) {
    var b = SignalWithStartRequest.newBuilder().setStart(Convert.start(request))
        .addAllSignalInput(Convert.payloadsOut(signalInput));
    Convert.setName("signalName", signalName, b::setSignalName);
    var r = call(Rpc.SIGNAL_WITH_START, b.build());
    return new StartResponse(r.getWorkflowId(), r.getRunId());
  }

  @Override
  public Optional<WorkflowTask> pollWorkflowTask(PollRequest request) {
    return poll(Rpc.POLL_WORKFLOW_TASK, poll(request), request.timeout())
        .filter(r -> r.hasTask())
        .map(r -> Convert.task(r.getTask()));
  }

  @Override
  public void completeWorkflowTask(CompleteWorkflowTaskRequest request) {
    handedOver.remove(request.runId());
    call(Rpc.COMPLETE_WORKFLOW_TASK, Convert.completion(request));
  }

  @Override
  public Optional<ActivityTask> completeWorkflowTaskAndTakeActivity(CompleteWorkflowTaskRequest request,
      String taskQueue) {
    if (handsOver) {
      handedOver.remove(request.runId());
      try {
        var r = call(Rpc.COMPLETE_WORKFLOW_TASK_AND_TAKE_ACTIVITY, CompleteWorkflowTaskAndTakeActivityRequest.newBuilder()
            .setCompletion(Convert.completion(request)).setTaskQueue(taskQueue).build());
        return r.hasTask() ? Optional.of(Convert.task(r.getTask())) : Optional.empty();
      } catch (HandOverUnsupported e) {
        // completed the plain way below
      }
    }
    completeWorkflowTask(request);
    return Optional.empty();
  }

  @Override
  public void failWorkflowTask(FailWorkflowTaskRequest request) {
    handedOver.remove(request.runId());
    var b = dev.durable.remote.proto.FailWorkflowTaskRequest.newBuilder()
        .setRunId(request.runId()).setToken(request.token()).setFailure(Convert.failure(request.failure()));
    Convert.set(request.identity(), b::setIdentity);
    call(Rpc.FAIL_WORKFLOW_TASK, b.build());
  }

  @Override
  public void respondQuery(QueryResult result) {
    var b = dev.durable.remote.proto.QueryResult.newBuilder().setQueryId(result.queryId());
    if (result.result() != null) {
      b.setResult(Convert.payload(result.result()));
    }
    if (result.failure() != null) {
      b.setFailure(Convert.failure(result.failure()));
    }
    call(Rpc.RESPOND_QUERY, b.build());
  }

  @Override
  public Optional<ActivityTask> pollActivityTask(PollRequest request) {
    return poll(Rpc.POLL_ACTIVITY_TASK, poll(request), request.timeout())
        .filter(r -> r.hasTask())
        .map(r -> Convert.task(r.getTask()));
  }

  @Override
  public void completeActivityTask(ActivityToken token, Payload result) {
    call(Rpc.COMPLETE_ACTIVITY_TASK, Convert.completion(token, result));
  }

  @Override
  public Optional<WorkflowTask> completeActivityTaskAndTakeWorkflowTask(ActivityToken token, Payload result,
      String taskQueue) {
    if (handsOver) {
      try {
        var r = call(Rpc.COMPLETE_ACTIVITY_TASK_AND_TAKE_WORKFLOW_TASK, CompleteActivityTaskAndTakeWorkflowTaskRequest
            .newBuilder().setCompletion(Convert.completion(token, result)).setTaskQueue(taskQueue).build());
        if (!r.hasTask()) {
          return Optional.empty();
        }
        handedOver.add(r.getTask().getRunId());
        return Optional.of(Convert.task(r.getTask()));
      } catch (HandOverUnsupported e) {
        // completed the plain way below
      }
    }
    completeActivityTask(token, result);
    return Optional.empty();
  }

  @Override
  public void writeKeptResults(String runId) {
    if (!handedOver.contains(runId)) {
      return; // the server keeps results only for a workflow task it handed over with one, to this client
    }
    try {
      call(Rpc.WRITE_KEPT_RESULTS, WriteKeptResultsRequest.newBuilder().setRunId(runId).build());
    } catch (HandOverUnsupported e) {
      // a server without hand-overs keeps nothing unwritten
    }
  }

  @Override
  public void failActivityTask(ActivityToken token, FailureInfo failure) {
    call(Rpc.FAIL_ACTIVITY_TASK, FailActivityTaskRequest.newBuilder().setToken(Convert.token(token))
        .setFailure(Convert.failure(failure)).build());
  }

  @Override
  public boolean recordHeartbeat(ActivityToken token, Payload details) {
    var b = RecordHeartbeatRequest.newBuilder().setToken(Convert.token(token));
    if (details != null) {
      b.setDetails(Convert.payload(details));
    }
    return call(Rpc.RECORD_HEARTBEAT, b.build()).getCancelRequested();
  }

  @Override
  public boolean respondActivity(ActivityResponse response) {
    return call(Rpc.RESPOND_ACTIVITY, Convert.respondActivity(response)).getCancelRequested();
  }

  @Override
  public void signal(String workflowId, String signalName, List<Payload> input) {
    var b = SignalRequest.newBuilder().addAllInput(Convert.payloadsOut(input));
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    Convert.setName("signalName", signalName, b::setSignalName);
    call(Rpc.SIGNAL, b.build());
  }

  @Override
  public Payload query(String workflowId, String queryName, List<Payload> input, Duration timeout) {
    var b = QueryRequest.newBuilder().addAllInput(Convert.payloadsOut(input)).setTimeout(Convert.duration(timeout));
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    Convert.setName("queryName", queryName, b::setQueryName);
    var r = read(Rpc.QUERY, b.build(), Deadlines.plus(callTimeout, timeout));
    return Convert.payload(r.getResult());
  }

  @Override
  public void requestCancel(String workflowId, String reason) {
    var b = RequestCancelRequest.newBuilder();
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    if (reason != null) {
      b.setReason(reason);
    }
    call(Rpc.REQUEST_CANCEL, b.build());
  }

  @Override
  public void terminate(String workflowId, String reason) {
    var b = TerminateRequest.newBuilder();
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    if (reason != null) {
      b.setReason(reason);
    }
    call(Rpc.TERMINATE, b.build());
  }

  @Override
  public List<String> delete(String workflowId) {
    var b = DeleteRequest.newBuilder();
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    return List.copyOf(call(Rpc.DELETE, b.build()).getRunIdsList());
  }

  @Override
  public String reset(String workflowId, ResetPoint point, String reason, String requestId) {
    var b = ResetRequest.newBuilder();
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    b.setKind(ResetRequest.Kind.valueOf(point.kind().name())).setEventId(point.eventId());
    if (reason != null) {
      b.setReason(reason);
    }
    Convert.setName("requestId", requestId, b::setRequestId);
    return call(Rpc.RESET, b.build()).getRunId();
  }

  @Override
  public void setSchedulePaused(String workflowId, boolean paused, String note) {
    var b = SetSchedulePausedRequest.newBuilder().setPaused(paused);
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    if (note != null) {
      b.setNote(note);
    }
    call(Rpc.SET_SCHEDULE_PAUSED, b.build());
  }

  @Override
  public Optional<WorkflowDescription> describe(String workflowId) {
    var b = DescribeRequest.newBuilder();
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    var r = read(Rpc.DESCRIBE, b.build(), callTimeout);
    return r.hasDescription() ? Optional.of(Convert.description(r.getDescription())) : Optional.empty();
  }

  @Override
  public List<WorkflowDescription> list(boolean runningOnly, int limit) {
    return read(Rpc.LIST, ListRequest.newBuilder().setRunningOnly(runningOnly).setLimit(limit).build(), callTimeout)
        .getWorkflowsList().stream().map(Convert::description).toList();
  }

  @Override
  public WorkflowPage listWorkflows(VisibilityQuery query) {
    return Convert.page(read(Rpc.LIST_WORKFLOWS, Convert.query(query), callTimeout));
  }

  @Override
  public long countWorkflows(VisibilityQuery query) {
    return read(Rpc.COUNT_WORKFLOWS, Convert.query(query), callTimeout).getCount();
  }

  @Override
  public RunHistory getHistory(String workflowId) {
    var b = GetHistoryRequest.newBuilder();
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    var r = read(Rpc.GET_HISTORY, b.build(), callTimeout);
    return new RunHistory(r.getWorkflowId(), r.getRunId(), Convert.eventsIn(r.getEventsJsonList()));
  }

  @Override
  public List<HistoryEvent> readHistory(String runId, long fromEventId) {
    var b = ReadHistoryRequest.newBuilder().setFromEventId(fromEventId);
    Convert.set(runId, b::setRunId);
    return Convert.eventsIn(read(Rpc.READ_HISTORY, b.build(), callTimeout).getEventsJsonList());
  }

  @Override
  public HistoryVerification verifyHistory(String workflowId) {
    var b = VerifyHistoryRequest.newBuilder();
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    return Convert.verification(read(Rpc.VERIFY_HISTORY, b.build(), callTimeout));
  }

  @Override
  public Optional<ExecutionState> awaitClose(String workflowId, Duration timeout) {
    var b = AwaitCloseRequest.newBuilder().setTimeout(Convert.duration(timeout));
    Convert.setName("workflowId", workflowId, b::setWorkflowId);
    var r = read(Rpc.AWAIT_CLOSE, b.build(), Deadlines.plus(callTimeout, timeout));
    return r.hasStateJson() ? Optional.of(Convert.state(r.getStateJson())) : Optional.empty();
  }

  @Override
  public Optional<UpdateOutcome> update(UpdateRequest request) {
    // The server waits up to request.timeout for a validation, then as long for the outcome.
    Duration wait = Deadlines.plus(Deadlines.plus(request.timeout(), request.timeout()), MARGIN);
    var r = call(Rpc.UPDATE, Convert.update(request), Deadlines.plus(callTimeout, wait), false);
    return r.hasOutcome() ? Optional.of(Convert.outcome(r.getOutcome())) : Optional.empty();
  }

  @Override
  public void respondUpdateValidation(UpdateValidation validation) {
    var b = dev.durable.remote.proto.UpdateValidation.newBuilder().setValidationId(validation.validationId());
    if (validation.rejection() != null) {
      b.setRejection(Convert.failure(validation.rejection()));
    }
    call(Rpc.RESPOND_UPDATE_VALIDATION, b.build());
  }

  @Override
  public void shutdownWorker(String identity) {
    try {
      call(Rpc.SHUTDOWN_WORKER, ShutdownWorkerRequest.newBuilder().setIdentity(Convert.str(identity)).build());
    } catch (RuntimeException e) {
      // The worker is closing anyway; its pending polls end at their deadline.
      LOG.log(System.Logger.Level.DEBUG, "could not tell the server that worker {0} stops: {1}", identity, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "RemoteWorkflowService[" + server.getAddress() + "]";
  }
}
