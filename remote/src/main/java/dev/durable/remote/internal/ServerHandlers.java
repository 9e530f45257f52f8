package dev.durable.remote.internal;

import com.google.protobuf.Empty;
import dev.durable.client.ResetPoint;
import dev.durable.internal.LazyLogger;
import dev.durable.internal.service.WorkflowService;
import dev.durable.remote.proto.AwaitCloseResponse;
import dev.durable.remote.proto.CompleteActivityTaskRequest;
import dev.durable.remote.proto.CountResponse;
import dev.durable.remote.proto.DeleteResponse;
import dev.durable.remote.proto.DescribeResponse;
import dev.durable.remote.proto.ListResponse;
import dev.durable.remote.proto.PollActivityTaskResponse;
import dev.durable.remote.proto.PollRequest;
import dev.durable.remote.proto.PollWorkflowTaskResponse;
import dev.durable.remote.proto.QueryResponse;
import dev.durable.remote.proto.ReadHistoryResponse;
import dev.durable.remote.proto.RecordHeartbeatResponse;
import dev.durable.remote.proto.ResetRequest;
import dev.durable.remote.proto.ResetResponse;
import dev.durable.remote.proto.RespondActivityResponse;
import dev.durable.remote.proto.RunHistory;
import dev.durable.remote.proto.StartResponse;
import dev.durable.remote.proto.UpdateResponse;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The server half: each rpc calls the embedded engine's {@link WorkflowService} and answers with
 * its result or its exception (see {@link Errors}). Handlers block (long polls wait for tasks), so
 * the gRPC server runs them on a pool with a thread per call.
 */
public final class ServerHandlers {
  private static final System.Logger LOG = LazyLogger.of(ServerHandlers.class);
  private final WorkflowService engine;
  /** The threads of long polls waiting in the engine. */
  private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  /** Serves {@code engine}. */
  public ServerHandlers(WorkflowService engine) {
    this.engine = engine;
  }

  /**
   * Makes pending long polls return empty at once, and new ones return empty without waiting, so
   * that a graceful shutdown does not wait out the poll timeouts.
   */
  public void drain() {
    draining = true;
    // An interrupted poll returns empty without taking a task; unlike shutdownWorker, this leaves
    // no mark in the engine, which may be served again (DurableGrpcServer.Builder.setEmbeddedServer).
    waiting.forEach(Thread::interrupt);
  }

  /** Returns the service definition to add to a gRPC server. */
  public ServerServiceDefinition definition() {
    WorkflowService s = engine;
    return ServerServiceDefinition.builder(Rpc.SERVICE)
        .addMethod(unary(Rpc.START, r -> startResponse(s.start(Convert.start(r)))))
        .addMethod(unary(Rpc.SIGNAL_WITH_START, r -> startResponse(s.signalWithStart(Convert.start(r.getStart()),
            Convert.opt(r.hasSignalName(), r.getSignalName()), Convert.payloadsIn(r.getSignalInputList())))))
        .addMethod(unary(Rpc.POLL_WORKFLOW_TASK, r -> {
          var b = PollWorkflowTaskResponse.newBuilder();
          poll(() -> s.pollWorkflowTask(request(r)).ifPresent(t -> b.setTask(Convert.task(t))));
          return b.build();
        }))
        .addMethod(unary(Rpc.COMPLETE_WORKFLOW_TASK, r -> {
          s.completeWorkflowTask(Convert.completion(r));
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.COMPLETE_WORKFLOW_TASK_AND_TAKE_ACTIVITY, r -> {
          var b = PollActivityTaskResponse.newBuilder();
          s.completeWorkflowTaskAndTakeActivity(Convert.completion(r.getCompletion()), r.getTaskQueue())
              .ifPresent(t -> b.setTask(Convert.task(t)));
          return b.build();
        }))
        .addMethod(unary(Rpc.FAIL_WORKFLOW_TASK, r -> {
          s.failWorkflowTask(new WorkflowService.FailWorkflowTaskRequest(r.getRunId(), r.getToken(),
              Convert.failure(r.getFailure()), Convert.opt(r.hasIdentity(), r.getIdentity())));
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.RESPOND_QUERY, r -> {
          s.respondQuery(new WorkflowService.QueryResult(r.getQueryId(),
              r.hasResult() ? Convert.payload(r.getResult()) : null, r.hasFailure() ? Convert.failure(r.getFailure()) : null));
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.POLL_ACTIVITY_TASK, r -> {
          var b = PollActivityTaskResponse.newBuilder();
          poll(() -> s.pollActivityTask(request(r)).ifPresent(t -> b.setTask(Convert.task(t))));
          return b.build();
        }))
        .addMethod(unary(Rpc.COMPLETE_ACTIVITY_TASK, r -> {
          s.completeActivityTask(Convert.token(r.getToken()), result(r));
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.COMPLETE_ACTIVITY_TASK_AND_TAKE_WORKFLOW_TASK, r -> {
          var b = PollWorkflowTaskResponse.newBuilder();
          s.completeActivityTaskAndTakeWorkflowTask(Convert.token(r.getCompletion().getToken()), result(r.getCompletion()),
              r.getTaskQueue()).ifPresent(t -> b.setTask(Convert.task(t)));
          return b.build();
        }))
        .addMethod(unary(Rpc.WRITE_KEPT_RESULTS, r -> {
          s.writeKeptResults(r.getRunId());
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.FAIL_ACTIVITY_TASK, r -> {
          s.failActivityTask(Convert.token(r.getToken()), Convert.failure(r.getFailure()));
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.RECORD_HEARTBEAT, r -> RecordHeartbeatResponse.newBuilder()
            .setCancelRequested(s.recordHeartbeat(Convert.token(r.getToken()),
                r.hasDetails() ? Convert.payload(r.getDetails()) : null))
            .build()))
        .addMethod(unary(Rpc.RESPOND_ACTIVITY, r -> RespondActivityResponse.newBuilder()
            .setCancelRequested(s.respondActivity(Convert.respondActivity(r)))
            .build()))
        .addMethod(unary(Rpc.SIGNAL, r -> {
          s.signal(workflowId(r.hasWorkflowId(), r.getWorkflowId()), Convert.opt(r.hasSignalName(), r.getSignalName()), Convert.payloadsIn(r.getInputList()));
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.QUERY, r -> QueryResponse.newBuilder()
            .setResult(Convert.payload(s.query(workflowId(r.hasWorkflowId(), r.getWorkflowId()), Convert.opt(r.hasQueryName(), r.getQueryName()), Convert.payloadsIn(r.getInputList()),
                Convert.duration(r.getTimeout()))))
            .build()))
        .addMethod(unary(Rpc.REQUEST_CANCEL, r -> {
          s.requestCancel(workflowId(r.hasWorkflowId(), r.getWorkflowId()), r.hasReason() ? r.getReason() : null);
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.TERMINATE, r -> {
          s.terminate(workflowId(r.hasWorkflowId(), r.getWorkflowId()), r.hasReason() ? r.getReason() : null);
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.DELETE, r -> DeleteResponse.newBuilder()
            .addAllRunIds(s.delete(workflowId(r.hasWorkflowId(), r.getWorkflowId()))).build()))
        .addMethod(unary(Rpc.RESET, r -> ResetResponse.newBuilder().setRunId(s.reset(workflowId(r.hasWorkflowId(),
            r.getWorkflowId()), resetPoint(r), r.hasReason() ? r.getReason() : null,
            Convert.opt(r.hasRequestId(), r.getRequestId()))).build()))
        .addMethod(unary(Rpc.SET_SCHEDULE_PAUSED, r -> {
          s.setSchedulePaused(workflowId(r.hasWorkflowId(), r.getWorkflowId()), r.getPaused(),
              r.hasNote() ? r.getNote() : null);
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.DESCRIBE, r -> {
          var b = DescribeResponse.newBuilder();
          s.describe(workflowId(r.hasWorkflowId(), r.getWorkflowId())).ifPresent(d -> b.setDescription(Convert.description(d)));
          return b.build();
        }))
        .addMethod(unary(Rpc.LIST, r -> ListResponse.newBuilder()
            .addAllWorkflows(s.list(r.getRunningOnly(), r.getLimit()).stream().map(Convert::description).toList())
            .build()))
        .addMethod(unary(Rpc.LIST_WORKFLOWS, r -> Convert.page(s.listWorkflows(Convert.query(r)))))
        .addMethod(unary(Rpc.COUNT_WORKFLOWS, r -> CountResponse.newBuilder()
            .setCount(s.countWorkflows(Convert.query(r))).build()))
        .addMethod(unary(Rpc.GET_HISTORY, r -> {
          WorkflowService.RunHistory h = s.getHistory(workflowId(r.hasWorkflowId(), r.getWorkflowId()));
          return RunHistory.newBuilder().setWorkflowId(h.workflowId()).setRunId(h.runId())
              .addAllEventsJson(Convert.eventsOut(h.events())).build();
        }))
        .addMethod(unary(Rpc.READ_HISTORY, r -> ReadHistoryResponse.newBuilder()
            .addAllEventsJson(Convert.eventsOut(s.readHistory(Convert.opt(r.hasRunId(), r.getRunId()), r.getFromEventId()))).build()))
        .addMethod(unary(Rpc.VERIFY_HISTORY, r -> Convert.verification(s.verifyHistory(workflowId(r.hasWorkflowId(), r.getWorkflowId())))))
        .addMethod(unary(Rpc.AWAIT_CLOSE, r -> {
          var b = AwaitCloseResponse.newBuilder();
          Duration timeout = draining ? Duration.ZERO : Convert.duration(r.getTimeout());
          s.awaitClose(workflowId(r.hasWorkflowId(), r.getWorkflowId()), timeout).ifPresent(st -> b.setStateJson(Convert.state(st)));
          return b.build();
        }))
        .addMethod(unary(Rpc.UPDATE, r -> {
          var b = UpdateResponse.newBuilder();
          s.update(Convert.update(r)).ifPresent(o -> b.setOutcome(Convert.outcome(o)));
          return b.build();
        }))
        .addMethod(unary(Rpc.RESPOND_UPDATE_VALIDATION, r -> {
          s.respondUpdateValidation(new WorkflowService.UpdateValidation(r.getValidationId(),
              r.hasRejection() ? Convert.failure(r.getRejection()) : null));
          return Empty.getDefaultInstance();
        }))
        .addMethod(unary(Rpc.SHUTDOWN_WORKER, r -> {
          s.shutdownWorker(r.getIdentity());
          return Empty.getDefaultInstance();
        }))
        .build();
  }

  private static String workflowId(boolean has, String id) {
    return Convert.opt(has, id);
  }

  /** The reset point a request names; a kind this server does not know fails the ResetPoint's check. */
  private static ResetPoint resetPoint(ResetRequest r) {
    return switch (r.getKind()) {
      case FIRST_WORKFLOW_TASK -> ResetPoint.firstWorkflowTask();
      case LAST_WORKFLOW_TASK -> ResetPoint.lastWorkflowTask();
      case EVENT -> ResetPoint.event(r.getEventId());
      default -> new ResetPoint(null, 0);
    };
  }

  private static StartResponse startResponse(WorkflowService.StartResponse r) {
    return StartResponse.newBuilder().setWorkflowId(r.workflowId()).setRunId(r.runId()).build();
  }

  private WorkflowService.PollRequest request(PollRequest r) {
    return new WorkflowService.PollRequest(r.getTaskQueue(), r.getIdentity(), Convert.duration(r.getTimeout()));
  }

  private void poll(Runnable poll) {
    Thread waiter = Thread.currentThread();
    // Registered before draining is read, and drain() sets draining before it interrupts the
    // registered threads: a poll either sees draining or is interrupted by drain().
    waiting.add(waiter);
    // A poller that went away (its process died, its connection dropped) must not be handed a
    // task nobody runs until the task times out: its call's cancellation interrupts the wait, and
    // the engine then returns without taking a task.
    Context context = Context.current();
    Context.CancellationListener cancel = c -> waiter.interrupt();
    context.addListener(cancel, Runnable::run);
    try {
      if (!draining) {
        poll.run();
      }
    } finally {
      context.removeListener(cancel);
      waiting.remove(waiter);
      Thread.interrupted(); // an interrupt that came after the poll ended must not hit the next call
    }
  }

  /** Returns how many long polls are waiting in the engine now. */
  public int pendingPolls() {
    return waiting.size();
  }

  private static dev.durable.internal.model.Payload result(CompleteActivityTaskRequest r) {
    return r.hasResult() ? Convert.payload(r.getResult()) : null;
  }

  private static <Q, R> io.grpc.ServerMethodDefinition<Q, R> unary(MethodDescriptor<Q, R> method, Function<Q, R> handler) {
    return io.grpc.ServerMethodDefinition.create(method, ServerCalls.asyncUnaryCall((Q request, StreamObserver<R> out) -> {
      R response;
      try {
        response = handler.apply(request);
      } catch (Throwable t) {
        if (!(t instanceof RuntimeException)) {
          LOG.log(System.Logger.Level.ERROR, method.getBareMethodName() + " failed", t);
        }
        out.onError(Errors.toStatus(t));
        return;
      }
      out.onNext(response);
      out.onCompleted();
    }));
  }
}
