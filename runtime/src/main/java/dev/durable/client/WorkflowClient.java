package dev.durable.client;

import dev.durable.common.DurableException;
import dev.durable.internal.Checks;
import dev.durable.internal.client.ClientService;
import dev.durable.internal.client.TypedStub;
import dev.durable.internal.client.UntypedStub;
import dev.durable.internal.reflect.WorkflowInterfaceInfo;
import dev.durable.internal.service.RemoteTransport;
import dev.durable.internal.service.ServiceProvider;
import dev.durable.internal.service.WorkflowService;
import dev.durable.server.DurableServer;
import dev.durable.workflow.Functions;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Starts, signals, queries, cancels and terminates workflows, and waits for their results.
 *
 * <pre>{@code
 * SayHello wf = client.newWorkflowStub(SayHello.class,
 *     WorkflowOptions.newBuilder().setTaskQueue("greetings").setWorkflowId("hello-1").build());
 * String greeting = wf.run("World");                  // start and wait
 * WorkflowExecution e = WorkflowClient.start(wf::run, "World"); // or only start
 * }</pre>
 */
public final class WorkflowClient implements AutoCloseable, ServiceProvider {
  private final WorkflowService service;
  private final AutoCloseable connection;
  private volatile boolean closed;

  private WorkflowClient(WorkflowService service, AutoCloseable connection) {
    this.service = ClientService.guard(service, () -> closed);
    this.connection = connection;
  }

  /**
   * Returns a client of an embedded server.
   *
   * @param server a started server
   */
  public static WorkflowClient newInstance(DurableServer server) {
    if (server == null) {
      throw Checks.invalid("server must not be null: pass a started DurableServer");
    }
    return new WorkflowClient(server.workflowService(), null);
  }

  /**
   * Returns a client of a standalone server at {@code address} ({@code host:port}), without TLS
   * or token; see {@link #connect(ConnectionOptions)}.
   *
   * @param address such as {@code 127.0.0.1:7233}
   */
  public static WorkflowClient connect(String address) {
    return connect(ConnectionOptions.newBuilder().setAddress(address).build());
  }

  /**
   * Returns a client of a standalone server ({@code java -jar durable-server.jar}). It behaves as
   * a client of an embedded server: the same stubs, the same exceptions, and workers built on it
   * poll the server's task queues over the network. Connecting is lazy; an unreachable server is
   * reported by the first call (DURABLE-261). Needs {@code dev.durable:durable-remote} on the
   * class path (DURABLE-260 otherwise). Close the client to release the connection.
   *
   * <pre>{@code
   * try (WorkflowClient client = WorkflowClient.connect(ConnectionOptions.newBuilder()
   *         .setAddress("127.0.0.1:7233").setToken(System.getenv("DURABLE_TOKEN")).build())) {
   *   ...
   * }
   * }</pre>
   *
   * @param options where the server is and how to reach it
   */
  public static WorkflowClient connect(ConnectionOptions options) {
    if (options == null) {
      throw Checks.invalid("options must not be null: pass ConnectionOptions.newBuilder().setAddress(\"host:port\").build()");
    }
    RemoteTransport transport = ServiceLoader.load(RemoteTransport.class, WorkflowClient.class.getClassLoader())
        .findFirst()
        .orElseThrow(() -> new DurableException("DURABLE-260", "WorkflowClient.connect needs the gRPC transport, which"
            + " is not on the class path. Add the dependency dev.durable:durable-remote (same version as"
            + " durable-runtime) to reach a standalone server, or use WorkflowClient.newInstance(server) for an"
            + " embedded one."));
    RemoteTransport.Connection c = transport.connect(options);
    return new WorkflowClient(c.service(), c);
  }

  /**
   * Returns a typed stub that starts a new workflow: calling its workflow method starts the
   * workflow and waits for the result; {@link #start} only starts it.
   *
   * @param workflowInterface an interface annotated with {@link dev.durable.workflow.WorkflowInterface}
   * @param options the task queue (required) and workflow id
   */
  public <T> T newWorkflowStub(Class<T> workflowInterface, WorkflowOptions options) {
    requireOptions(options);
    var info = WorkflowInterfaceInfo.of(workflowInterface);
    return TypedStub.create(workflowInterface, new UntypedStub(service, info.workflowType(), options));
  }

  /**
   * Returns a typed stub of an existing workflow: signal and query methods work on it, and its
   * workflow method waits for the result.
   */
  public <T> T newWorkflowStub(Class<T> workflowInterface, String workflowId) {
    return TypedStub.create(workflowInterface, new UntypedStub(service, Checks.name("workflowId", workflowId)));
  }

  /** Returns an untyped stub of an existing workflow (or of an id not used yet). */
  public WorkflowStub newUntypedWorkflowStub(String workflowId) {
    return new UntypedStub(service, Checks.name("workflowId", workflowId));
  }

  /** Returns an untyped stub that starts a new workflow of {@code workflowType} with {@link WorkflowStub#start}. */
  public WorkflowStub newUntypedWorkflowStub(String workflowType, WorkflowOptions options) {
    requireOptions(options);
    return new UntypedStub(service, Checks.name("workflowType", workflowType), options);
  }

  private static void requireOptions(WorkflowOptions options) {
    if (options == null) {
      throw Checks.invalid("options must not be null: pass WorkflowOptions.newBuilder().setTaskQueue(...).build()");
    }
  }

  /**
   * Returns a client that completes, fails and heartbeats activities that complete asynchronously
   * (see {@link dev.durable.activity.ActivityExecutionContext#doNotCompleteOnReturn()}), by task
   * token or by workflow id and activity id. It goes through this client: closing this client
   * closes it too.
   */
  public ActivityCompletionClient newActivityCompletionClient() {
    return new ActivityCompletionClient(service);
  }

  /**
   * Lists workflows, newest first.
   *
   * @param runningOnly whether to list running workflows only
   * @param limit the maximum number of entries
   */
  public List<WorkflowDescription> listWorkflows(boolean runningOnly, int limit) {
    return service.list(runningOnly, limit);
  }

  /**
   * Returns one page of the runs that meet {@code filter}, newest first by start time. The
   * server answers from its indexes (by status, type, task queue, start and close time, and
   * search attribute), not by reading histories. Pass the page's
   * {@link WorkflowPage#nextPageToken()} to {@link WorkflowFilter.Builder#setPageToken} for the
   * next page; runs started after the first page was read do not appear on later pages, and no
   * run appears twice.
   *
   * <pre>{@code
   * WorkflowPage page = client.listWorkflows(WorkflowFilter.newBuilder()
   *     .setStatuses(WorkflowStatus.RUNNING).addSearchAttribute("CustomerId", "c-42").build());
   * }</pre>
   *
   * @throws IllegalArgumentException DURABLE-255 when the page token is damaged or belongs to
   *     another filter
   */
  public WorkflowPage listWorkflows(WorkflowFilter filter) {
    return service.listWorkflows(requireFilter(filter).query());
  }

  /**
   * Returns every run that meets {@code filter}, newest first, reading one page (of the filter's
   * page size) at a time as the stream is consumed. Close the stream or stop early at any time:
   * nothing is held on the server between pages.
   */
  public java.util.stream.Stream<WorkflowDescription> streamWorkflows(WorkflowFilter filter) {
    var query = requireFilter(filter).query();
    var pages = new java.util.Iterator<List<WorkflowDescription>>() {
      private String token = query.pageToken();
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public List<WorkflowDescription> next() {
        if (done) {
          throw new java.util.NoSuchElementException();
        }
        WorkflowPage page = service.listWorkflows(query.withPage(query.pageSize(), token));
        token = page.nextPageToken();
        done = token == null;
        return page.executions();
      }
    };
    return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(pages,
        java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL), false).flatMap(List::stream);
  }

  /**
   * Returns how many runs meet {@code filter} (its page size and token are ignored), counted on
   * the server's indexes without reading histories. The count is exact for runs that do not
   * change while it is taken; one that changes status meanwhile may be counted under both.
   */
  public long countWorkflows(WorkflowFilter filter) {
    return service.countWorkflows(requireFilter(filter).query());
  }

  private static WorkflowFilter requireFilter(WorkflowFilter filter) {
    if (filter == null) {
      throw new IllegalArgumentException("DURABLE-254 invalid workflow filter: filter must not be null; use"
          + " WorkflowFilter.newBuilder().build() to match every run");
    }
    return filter;
  }

  /**
   * Checks the stored history of the workflow's latest run: event ids run from 1 without gaps,
   * every activity and timer outcome matches an earlier start with the same id and there is at
   * most one per activity or timer, command events follow their workflow task's completion,
   * nothing follows a close event, and the run's stored state (status, result or failure,
   * pending activities and timers, next event id, whether a workflow task is due) is what a
   * rebuild from the events gives. Run it after restores or incidents, or in tests.
   *
   * @return the problems found; {@link HistoryVerification#isValid()} when there are none
   * @throws WorkflowNotFoundException if no workflow has this id
   */
  public HistoryVerification verifyHistory(String workflowId) {
    return service.verifyHistory(Checks.name("workflowId", workflowId));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <R> WorkflowExecution start(Functions.Func<R> workflow) {
    return startCaptured(() -> workflow.apply());
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static WorkflowExecution start(Functions.Proc workflow) {
    return startCaptured(() -> workflow.apply());
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, R> WorkflowExecution start(Functions.Func1<A1, R> workflow, A1 arg1) {
    return startCaptured(() -> workflow.apply(arg1));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1> WorkflowExecution start(Functions.Proc1<A1> workflow, A1 arg1) {
    return startCaptured(() -> workflow.apply(arg1));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2, R> WorkflowExecution start(Functions.Func2<A1, A2, R> workflow, A1 arg1, A2 arg2) {
    return startCaptured(() -> workflow.apply(arg1, arg2));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2> WorkflowExecution start(Functions.Proc2<A1, A2> workflow, A1 arg1, A2 arg2) {
    return startCaptured(() -> workflow.apply(arg1, arg2));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2, A3, R> WorkflowExecution start(Functions.Func3<A1, A2, A3, R> workflow, A1 arg1, A2 arg2, A3 arg3) {
    return startCaptured(() -> workflow.apply(arg1, arg2, arg3));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2, A3> WorkflowExecution start(Functions.Proc3<A1, A2, A3> workflow, A1 arg1, A2 arg2, A3 arg3) {
    return startCaptured(() -> workflow.apply(arg1, arg2, arg3));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2, A3, A4, R> WorkflowExecution start(Functions.Func4<A1, A2, A3, A4, R> workflow, A1 arg1, A2 arg2, A3 arg3, A4 arg4) {
    return startCaptured(() -> workflow.apply(arg1, arg2, arg3, arg4));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2, A3, A4> WorkflowExecution start(Functions.Proc4<A1, A2, A3, A4> workflow, A1 arg1, A2 arg2, A3 arg3, A4 arg4) {
    return startCaptured(() -> workflow.apply(arg1, arg2, arg3, arg4));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2, A3, A4, A5, R> WorkflowExecution start(Functions.Func5<A1, A2, A3, A4, A5, R> workflow, A1 arg1, A2 arg2, A3 arg3, A4 arg4, A5 arg5) {
    return startCaptured(() -> workflow.apply(arg1, arg2, arg3, arg4, arg5));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2, A3, A4, A5> WorkflowExecution start(Functions.Proc5<A1, A2, A3, A4, A5> workflow, A1 arg1, A2 arg2, A3 arg3, A4 arg4, A5 arg5) {
    return startCaptured(() -> workflow.apply(arg1, arg2, arg3, arg4, arg5));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2, A3, A4, A5, A6, R> WorkflowExecution start(Functions.Func6<A1, A2, A3, A4, A5, A6, R> workflow, A1 arg1, A2 arg2, A3 arg3, A4 arg4, A5 arg5, A6 arg6) {
    return startCaptured(() -> workflow.apply(arg1, arg2, arg3, arg4, arg5, arg6));
  }

  /** Starts the workflow whose method {@code workflow} references, without waiting for it. */
  public static <A1, A2, A3, A4, A5, A6> WorkflowExecution start(Functions.Proc6<A1, A2, A3, A4, A5, A6> workflow, A1 arg1, A2 arg2, A3 arg3, A4 arg4, A5 arg5, A6 arg6) {
    return startCaptured(() -> workflow.apply(arg1, arg2, arg3, arg4, arg5, arg6));
  }

  private static WorkflowExecution startCaptured(Runnable call) {
    WorkflowExecution e = TypedStub.captureStart(call);
    if (e == null) {
      throw new IllegalArgumentException("DURABLE-217 WorkflowClient.start expects a method reference to the workflow"
          + " method of a stub from newWorkflowStub, such as WorkflowClient.start(stub::run, arg)");
    }
    return e;
  }

  @Override
  public WorkflowService workflowService() {
    return service;
  }

  /**
   * Releases the client; the server stays open. A client from {@link #connect} closes its
   * connection. Later calls through this client, its stubs or workers built on it fail with
   * DURABLE-213 (workers stop polling); close workers first.
   */
  @Override
  public void close() {
    closed = true;
    // An embedded client holds no resources of its own; a remote one closes its connection.
    if (connection != null) {
      try {
        connection.close();
      } catch (Exception e) {
        throw new DurableException("DURABLE-261", "closing the connection failed: " + e.getMessage(), e);
      }
    }
  }
}
