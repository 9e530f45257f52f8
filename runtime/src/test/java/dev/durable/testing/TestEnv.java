package dev.durable.testing;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.durable.client.HistoryVerification;
import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.server.DurableServer;
import dev.durable.server.Storage;
import dev.durable.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A server with a {@link ManualClock} on a test's data dir, a client and the workers a test
 * starts. Closing it closes the workers first, then the server, so no thread outlives a test.
 */
public final class TestEnv implements AutoCloseable {
  /** The task queue every worker of the environment polls. */
  public static final String TASK_QUEUE = "test-queue";
  private static final Duration RESULT_WAIT = Duration.ofSeconds(10);

  private final Path dataDir;
  private final Consumer<DurableServer.Builder> serverConfig;
  private final ManualClock clock = new ManualClock();
  private final List<Worker> workers = new ArrayList<>();
  private DurableServer server;
  private WorkflowClient client;
  private Transport.Connection connection;
  private boolean serverClosedEarly;

  private TestEnv(Path dataDir, Consumer<DurableServer.Builder> serverConfig) {
    this.dataDir = dataDir;
    this.serverConfig = serverConfig;
    openServer();
  }

  /** Starts a server on {@code dataDir}. */
  public static TestEnv open(Path dataDir) {
    return new TestEnv(dataDir, b -> { });
  }

  /** Starts a server on {@code dataDir} with {@code serverConfig} applied to its builder (also on restarts). */
  public static TestEnv open(Path dataDir, Consumer<DurableServer.Builder> serverConfig) {
    return new TestEnv(dataDir, serverConfig);
  }

  private void openServer() {
    DurableServer.Builder b = DurableServer.newBuilder().setClock(clock);
    if (STORES == null) {
      b.setDataDir(dataDir);
    } else {
      b.setStorage(STORES.storageFor(dataDir));
    }
    serverConfig.accept(b);
    server = b.build().start();
    if (TRANSPORT == null) {
      client = WorkflowClient.newInstance(server);
    } else {
      connection = TRANSPORT.open(server);
      client = connection.client();
    }
  }

  /**
   * Puts a network between the tests and the server. Found with {@link ServiceLoader} on the test
   * class path: the remote module's tests register one that serves the embedded server over gRPC
   * and connects the client with {@code WorkflowClient.connect}, so the same tests check the
   * remote mode. Without one, the client talks to the embedded server directly.
   */
  public interface Transport {
    /** Serves {@code server} and returns a client that reaches it through the transport. */
    Connection open(DurableServer server);

    /** A served server and its client. */
    interface Connection extends AutoCloseable {
      WorkflowClient client();

      /** Stops serving; the embedded server stays open. */
      @Override
      void close();
    }
  }

  /**
   * Where the servers keep their data instead of the tests' data dirs. Found with {@link ServiceLoader}
   * on the test class path: the postgres module's tests register one that gives each data dir a
   * schema of its own in a private PostgreSQL, so the same tests check the PostgreSQL store. Without
   * one, servers use the data dirs (RocksDB).
   */
  public interface Stores {
    /** The storage of the server of {@code dataDir}: the same data on every call with the same dir. */
    Storage storageFor(Path dataDir);
  }

  private static final Stores STORES = ServiceLoader.load(Stores.class).findFirst().orElse(null);

  private static final Transport TRANSPORT = ServiceLoader.load(Transport.class).findFirst().orElse(null);

  public ManualClock clock() {
    return clock;
  }

  public WorkflowClient client() {
    return client;
  }

  public DurableServer server() {
    return server;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Builds and starts a worker on {@link #TASK_QUEUE}; {@code config} registers types and options. */
  public Worker startWorker(Consumer<Worker.Builder> config) {
    Worker.Builder b = Worker.newBuilder(client, TASK_QUEUE).setShutdownTimeout(Duration.ofSeconds(2));
    config.accept(b);
    Worker w = b.build();
    w.start();
    workers.add(w);
    return w;
  }

  /** Closes one worker (its pollers and activity executor). */
  public void closeWorker(Worker w) {
    workers.remove(w);
    w.close();
  }

  /** Closes every worker and the server, then opens a new server on the same data dir and clock. */
  public void restartServer() {
    closeAll();
    openServer();
  }

  /** Options that start a workflow with {@code workflowId} on {@link #TASK_QUEUE}. */
  public static WorkflowOptions options(String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build();
  }

  /** A typed stub that starts a new workflow with {@code workflowId}. */
  public <T> T newWorkflow(Class<T> iface, String workflowId) {
    return client.newWorkflowStub(iface, options(workflowId));
  }

  /** An untyped stub of {@code workflowId}. */
  public WorkflowStub stub(String workflowId) {
    return client.newUntypedWorkflowStub(workflowId);
  }

  /** Waits (bounded) for the workflow's result. */
  public <R> R result(String workflowId, Class<R> type) {
    try {
      return stub(workflowId).getResult(RESULT_WAIT, type);
    } catch (TimeoutException e) {
      return fail("workflow " + workflowId + " did not close within " + RESULT_WAIT + ": " + describe(workflowId), e);
    }
  }

  /** Describes a workflow that exists. */
  public WorkflowDescription describe(String workflowId) {
    return stub(workflowId).describe().orElseThrow(() -> new AssertionError("no workflow " + workflowId));
  }

  /** Waits until the description of {@code workflowId} satisfies {@code until}. */
  public WorkflowDescription awaitDescription(String workflowId, String what, Predicate<WorkflowDescription> until) {
    return eventually(what + " of " + workflowId, () -> describe(workflowId), until);
  }

  /** Waits until the workflow has exactly one pending activity satisfying {@code until}, and returns it. */
  public PendingActivityInfo awaitPendingActivity(String workflowId, String what, Predicate<PendingActivityInfo> until) {
    WorkflowDescription d = awaitDescription(workflowId, what,
        x -> x.pendingActivities().size() == 1 && until.test(x.pendingActivities().get(0)));
    return d.pendingActivities().get(0);
  }

  /** Waits until the history of {@code workflowId} has an event of {@code eventType}. */
  public void awaitEvent(String workflowId, String eventType) {
    eventually("a " + eventType + " event in the history of " + workflowId, () -> eventTypes(workflowId),
        types -> types.contains(eventType));
  }

  /**
   * Waits until {@code done} holds, moving the clock on to each server timer that falls due within
   * {@code within} meanwhile: for work the server arms at a moment the test cannot observe, such as
   * the retry of a failed write. Moving the clock by a step in a loop instead also moves it while a
   * workflow task runs, and enough steps time that task out; its retry then waits for the clock too.
   * Keep {@code within} well below the workflow task timeout, whose timer it must not reach.
   */
  public void advanceToTimersUntil(String what, Duration within, BooleanSupplier done) {
    var core = (dev.durable.internal.server.ServerCore) server.workflowService();
    eventually(what, () -> {
      if (done.getAsBoolean()) {
        return true;
      }
      Instant now = clock.instant();
      Instant next = core.nextTimerDue();
      if (next != null && next.isAfter(now) && !next.isAfter(now.plus(within))) {
        clock.advance(Duration.between(now, next));
      }
      return false;
    });
  }

  /** The event types of the latest run's history, in order. */
  public List<String> eventTypes(String workflowId) {
    return stub(workflowId).getHistory().getEvents().stream().map(e -> e.eventType()).toList();
  }

  /**
   * Asserts that the stored history of every workflow passes {@link WorkflowClient#verifyHistory},
   * and so does every earlier run of a workflow id (continue-as-new, retries, reused ids).
   */
  public void assertHistoriesValid() {
    var core = (dev.durable.internal.server.ServerCore) server.workflowService();
    for (WorkflowDescription d : client.listWorkflows(false, Integer.MAX_VALUE)) {
      HistoryVerification v = client.verifyHistory(d.workflowId());
      assertEquals(List.of(), v.problems(), d.workflowId() + " has an invalid history:\n"
          + stub(d.workflowId()).getHistory().toJson());
      assertEquals(List.of(), core.verifyRun(d.runId()).problems(), d.workflowId() + " run " + d.runId()
          + " has an invalid history");
    }
  }

  /** Like {@link #restartServer()}, with the clock moving on by {@code downtime} while no server runs. */
  public void restartServer(Duration downtime) {
    closeAll();
    clock.advance(downtime);
    openServer();
  }

  /**
   * Closes the server while the workers still run, like a server that stops under them. What the
   * workers report afterwards is lost, as in a crash; {@link #restartServer()} carries on.
   */
  public void closeServerUnderRunningWorkers() {
    server.close();
    serverClosedEarly = true;
  }

  private void closeAll() {
    for (int i = workers.size() - 1; i >= 0; i--) {
      workers.get(i).close();
    }
    workers.clear();
    if (client != null) {
      client.close();
    }
    if (connection != null) {
      connection.close();
      connection = null;
    }
    if (server != null) {
      server.close();
    }
    serverClosedEarly = false;
  }

  /**
   * Closes the workers, checks that every history the test produced passes the history validator
   * (a safety net under every runtime test), then closes the server.
   */
  @Override
  public void close() {
    try {
      for (int i = workers.size() - 1; i >= 0; i--) {
        workers.get(i).close();
      }
      workers.clear();
      if (!serverClosedEarly) {
        assertHistoriesValid();
      }
    } finally {
      closeAll();
    }
  }
}
