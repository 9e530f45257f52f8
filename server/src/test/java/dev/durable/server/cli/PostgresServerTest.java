package dev.durable.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.common.RetryOptions;
import dev.durable.postgres.PostgresCluster;
import dev.durable.worker.Worker;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server with {@code --postgres-url}, as real processes on a schema of the tests'
 * private PostgreSQL ({@link PostgresCluster}): a workflow carries on across a server killed with
 * SIGKILL, and a second server on the same schema is refused. The client and worker run in this JVM.
 */
class PostgresServerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String TASK_QUEUE = "pg-steps";
  private static final int STEPS = 5;
  /** The step whose first attempt holds until the server that dispatched it is killed. */
  private static final int HELD_STEP = 2;

  @TempDir Path dir;
  private final List<ServerProcess> servers = new ArrayList<>();

  @AfterEach
  void killServers() {
    servers.forEach(s -> s.process().destroyForcibly());
  }

  @ActivityInterface
  public interface Step {
    /** Returns {@code "step " + index}, counting the call. */
    String run(int index);
  }

  @WorkflowInterface
  public interface Steps {
    /** Runs steps 0 to n - 1 one after the other and returns their results in order. */
    @WorkflowMethod
    List<String> run(int n);
  }

  public static final class StepsImpl implements Steps {
    private final Step step = Workflow.newActivityStub(Step.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(100)).build())
        .build());

    @Override
    public List<String> run(int n) {
      List<String> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(step.run(i));
      }
      return results;
    }
  }

  /** Counts the runs of each step; the first run of {@link #HELD_STEP} waits for {@link #release}. */
  static final class CountingStep implements Step {
    final AtomicIntegerArray runs = new AtomicIntegerArray(STEPS);
    final CountDownLatch heldStepStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String run(int index) {
      if (runs.incrementAndGet(index) == 1 && index == HELD_STEP) {
        heldStepStarted.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while held", e);
        }
      }
      return "step " + index;
    }
  }

  /** A standalone server in a child JVM, its stdout and stderr in files. */
  private record ServerProcess(Process process, Path stdout, Path stderr) {
    private static final String LISTENING = "Durable server listening on ";

    /** The address of the listening line, or null when the process exits without printing it. */
    String awaitListening() throws InterruptedException {
      String line = awaitLine(LISTENING);
      if (line == null) {
        return null;
      }
      String rest = line.substring(LISTENING.length());
      return rest.substring(0, rest.indexOf(' '));
    }

    /** The first line of stdout that starts with {@code start}, or null when the process exits without it. */
    String awaitLine(String start) throws InterruptedException {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (true) {
        boolean exited = !process.isAlive(); // before reading, so that a last line is not missed
        for (String line : read(stdout).lines().toList()) {
          if (line.startsWith(start)) {
            return line;
          }
        }
        if (exited) {
          return null;
        }
        if (System.nanoTime() > deadline) {
          fail("the server did not print '" + start + "' within " + DEADLINE + "\n" + report());
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
    }

    /** Waits for the exit and returns the status. */
    int awaitExit() throws InterruptedException {
      if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        fail("the server did not exit within " + DEADLINE + "\n" + report());
      }
      return process.exitValue();
    }

    String report() {
      return "stdout:\n" + read(stdout) + "\nstderr (" + stderr + "):\n" + read(stderr);
    }

    static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Starts {@code ServerMain} on {@code schema} in a child JVM with this JVM's class path. */
  private ServerProcess launch(String schema, String address, String... options) throws IOException {
    PostgresCluster cluster = PostgresCluster.get();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
        "--postgres-url", cluster.jdbcUrl(schema), "--postgres-user", cluster.user(), "--address", address));
    command.addAll(List.of(options));
    Path stdout = dir.resolve("server-" + servers.size() + ".stdout.log");
    Path stderr = dir.resolve("server-" + servers.size() + ".stderr.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    // The cluster trusts local connections, so the password is ignored; it still goes the way a real one does.
    pb.environment().put(ServerMain.POSTGRES_PASSWORD_ENV, "not-needed-with-trust");
    ServerProcess server = new ServerProcess(pb.start(), stdout, stderr);
    servers.add(server);
    return server;
  }

  /** Starts a server and returns it once it listens. */
  private ServerProcess startServer(String schema, String address) throws Exception {
    ServerProcess server = launch(schema, address);
    awaitServing(server);
    return server;
  }

  /** Starts a standby and returns it once it waits for the schema's lock, without binding its address. */
  private ServerProcess startStandby(String schema, String address) throws Exception {
    ServerProcess standby = launch(schema, address, "--standby");
    if (standby.awaitLine("Durable server standing by for PostgreSQL ") == null) {
      fail("the standby exited with status " + standby.awaitExit() + "\n" + standby.report());
    }
    return standby;
  }

  /** The address {@code server} listens on, once it does; fails when it exits first. */
  private static String awaitServing(ServerProcess server) throws InterruptedException {
    String address = server.awaitListening();
    if (address == null) {
      fail("the server exited with status " + server.awaitExit() + "\n" + server.report());
    }
    return address;
  }

  private static String freeLoopbackAddress() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  private static void await(String what, CountDownLatch latch) throws InterruptedException {
    if (!latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      fail("not within " + DEADLINE + ": " + what);
    }
  }

  /**
   * The result of {@code workflowId}. The client's connection (of one address) may still be waiting to
   * reconnect to the restarted server, and fails calls with DURABLE-261 until it does: those are asked again.
   */
  private static List<?> resultAfterReconnecting(WorkflowClient client, String workflowId) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      try {
        return client.newUntypedWorkflowStub(workflowId).getResult(DEADLINE, List.class);
      } catch (DurableException e) {
        if (!e.getCode().equals("DURABLE-261") || System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
  }

  @Test
  void aWorkflowCompletesAcrossAKilledServerAndNoCompletedActivityRunsAgain() throws Exception {
    completesAcrossAKilledServer("server_kill", false);
  }

  @Test
  void aStandbyTakesOverFromAKilledServerAndTheWorkflowCompletes() throws Exception {
    completesAcrossAKilledServer("server_standby", true);
  }

  /**
   * Kills the server in the middle of a workflow; then a new server where it listened, or the
   * {@code standby} started before the kill on an address of its own, serves it to its end. The
   * client and worker know both addresses, and move to the one that listens.
   */
  private void completesAcrossAKilledServer(String schemaName, boolean standby) throws Exception {
    String schema = PostgresCluster.get().createSchema(schemaName);
    String address = freeLoopbackAddress();
    String standbyAddress = standby ? freeLoopbackAddress() : null;
    ServerProcess first = startServer(schema, address);
    CountingStep step = new CountingStep();
    try (WorkflowClient client = WorkflowClient.connect(standby ? address + "," + standbyAddress : address)) {
      Worker worker = Worker.newBuilder(client, TASK_QUEUE).registerWorkflowImplementationTypes(StepsImpl.class)
          .registerActivitiesImplementations(step).setShutdownTimeout(Duration.ofSeconds(2)).build();
      worker.start();
      try {
        Steps steps = client.newWorkflowStub(Steps.class, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
            .setWorkflowId("steps-1").build());
        WorkflowClient.start(steps::run, STEPS);
        await("step " + HELD_STEP + " running", step.heldStepStarted);
        ServerProcess next = standby ? startStandby(schema, standbyAddress) : null;

        first.process().destroyForcibly(); // SIGKILL: nothing is flushed or closed
        assertEquals(137, first.awaitExit(), first.report());
        step.release.countDown(); // its result reaches no server
        // The killed server's session, and with it its lock on the schema, ends as PostgreSQL sees the
        // connection close; a starting server waits a little for that, a standby as long as it takes.
        if (next == null) {
          startServer(schema, address);
        } else {
          awaitServing(next);
        }

        // A client of several addresses waits for the next server by itself when it reads; one of a
        // single address fails fast while it reconnects.
        List<?> result = standby ? client.newUntypedWorkflowStub("steps-1").getResult(DEADLINE, List.class)
            : resultAfterReconnecting(client, "steps-1");
        assertEquals(List.of("step 0", "step 1", "step 2", "step 3", "step 4"), result);
        for (int i = 0; i < STEPS; i++) {
          if (i != HELD_STEP) {
            assertEquals(1, step.runs.get(i), "runs of step " + i + ", completed once");
          }
        }
        // The held step was running when the server died: it may run again, at least once is the promise.
        assertTrue(step.runs.get(HELD_STEP) >= 1, "runs of the held step: " + step.runs.get(HELD_STEP));
        assertEquals(WorkflowStatus.COMPLETED, client.newUntypedWorkflowStub("steps-1").describe().orElseThrow()
            .status());
        assertTrue(client.verifyHistory("steps-1").isValid(), client.verifyHistory("steps-1").problems().toString());
      } finally {
        step.release.countDown();
        worker.close();
      }
    }
  }

  @Test
  void aServerThatLostItsSchemaToAStandbyExitsAndTheStandbyServes() throws Exception {
    PostgresCluster cluster = PostgresCluster.get();
    String schema = cluster.createSchema("server_fenced");
    ServerProcess first = startServer(schema, "127.0.0.1:0");
    String firstAddress = first.awaitListening();
    ServerProcess standby = startStandby(schema, "127.0.0.1:0");
    // Ends the first server's writing session, as PostgreSQL does when that server's network is gone.
    try (Connection c = cluster.connect(schema); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_locks"
            + " WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
    String standbyAddress = awaitServing(standby);

    // The first server's next writes: one on the dead session, then one that finds the schema taken.
    try (WorkflowClient client = WorkflowClient.connect(firstAddress)) {
      for (int i = 0; i < 5 && first.process().isAlive(); i++) {
        try {
          client.newUntypedWorkflowStub("Anything", WorkflowOptions.newBuilder().setTaskQueue("no-worker")
              .setWorkflowId("refused-" + i).build()).start();
          fail("the first server wrote after it lost its schema\n" + first.report());
        } catch (DurableException e) {
          // DURABLE-302, then 311 (and 213 or 261 from a server that is stopping)
        }
      }
    }
    assertEquals(1, first.awaitExit(), first.report());
    String stderr = ServerProcess.read(first.stderr());
    assertTrue(stderr.contains("durable-server: DURABLE-311 this server lost schema '" + schema + "'"), first.report());

    try (WorkflowClient client = WorkflowClient.connect(standbyAddress)) {
      client.newUntypedWorkflowStub("Anything", WorkflowOptions.newBuilder().setTaskQueue("no-worker")
          .setWorkflowId("served").build()).start();
      assertEquals(1, client.listWorkflows(false, 10).size(), "the standby serves, and nothing of the first's refused starts");
    }
  }

  @Test
  void aSecondServerOnTheSameSchemaIsRefusedWhileTheFirstRuns() throws Exception {
    String schema = PostgresCluster.get().createSchema("server_twice");
    ServerProcess first = startServer(schema, "127.0.0.1:0");
    String address = first.awaitListening();
    String listening = ServerProcess.read(first.stdout());
    assertTrue(listening.startsWith("Durable server listening on " + address
        + " (PostgreSQL jdbc:postgresql://127.0.0.1:"), listening);
    assertTrue(!listening.contains("currentSchema"), "the URL's parameters, which may hold secrets, are not shown");

    ServerProcess second = launch(schema, "127.0.0.1:0");
    assertEquals(null, second.awaitListening(), second.report());
    assertEquals(1, second.awaitExit(), second.report());
    assertTrue(ServerProcess.read(second.stderr()).startsWith("durable-server: DURABLE-311 "), second.report());

    assertTrue(first.process().isAlive(), first.report());
    try (WorkflowClient client = WorkflowClient.connect(address)) {
      client.newUntypedWorkflowStub("Anything", WorkflowOptions.newBuilder().setTaskQueue("no-worker")
          .setWorkflowId("still-served").build()).start();
      assertEquals(1, client.listWorkflows(false, 10).size(), "the first server still serves");
    }
  }
}
