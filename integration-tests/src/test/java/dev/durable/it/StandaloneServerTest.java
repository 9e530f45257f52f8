package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.durable.client.ConnectionOptions;
import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.remote.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server as real processes: {@code java -jar server/target/durable-server.jar} on a
 * free loopback port, two worker processes ({@link RemoteWorkerChild}) on one task queue, and this
 * JVM as the client. Processes are killed with SIGKILL.
 */
class StandaloneServerTest {
  private static final String TOKEN = "it-token";

  @TempDir Path dir;
  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(ChildJvm::close);
  }

  private static Path serverJar() {
    String jar = System.getProperty("durable.server.jar");
    if (jar == null) {
      fail("the system property durable.server.jar must name server/target/durable-server.jar; run the tests through"
          + " Maven (./mvnw verify -pl integration-tests -am)");
    }
    return Path.of(jar);
  }

  /** Starts the server process and returns it once it listens. */
  private ChildJvm startServer(String name, String address, String... options) throws Exception {
    List<Object> args = new ArrayList<>(List.of("--data-dir", dir.resolve("data"), "--address", address));
    args.addAll(List.of(options));
    ChildJvm server = ChildJvm.launcher("unused", args.toArray()).jar(serverJar()).start(dir, name);
    children.add(server);
    server.awaitLine("the listening line", l -> l.startsWith("Durable server listening on "));
    return server;
  }

  private static String address(ChildJvm server) {
    String line = server.stdoutValues("Durable server listening on ").get(0);
    return line.substring(0, line.indexOf(' '));
  }

  private ChildJvm startWorker(String name, String address) throws Exception {
    ChildJvm worker = ChildJvm.start(dir, name, RemoteWorkerChild.class.getName(), address, TOKEN, dir);
    children.add(worker);
    worker.awaitLine("worker ready", l -> l.startsWith("worker ready"));
    return worker;
  }

  private static WorkflowClient client(String address) {
    return WorkflowClient.connect(ConnectionOptions.newBuilder().setAddress(address).setToken(TOKEN).build());
  }

  private static RemoteWorkerChild.Spread spread(WorkflowClient client, String id) {
    return client.newWorkflowStub(RemoteWorkerChild.Spread.class,
        WorkflowOptions.newBuilder().setTaskQueue(RemoteWorkerChild.TASK_QUEUE).setWorkflowId(id).build());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + ChildJvm.DEADLINE.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (DurableException e) {
        // the server is restarting: ask again
      }
      if (System.nanoTime() > deadline) {
        fail("not within " + ChildJvm.DEADLINE + ": " + what);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** Waits until {@code id} has {@code n} activities started on workers. */
  private static void awaitStarted(WorkflowClient client, String id, int n) throws InterruptedException {
    await(n + " activities of " + id + " running", () -> client.newUntypedWorkflowStub(id).describe()
        .map(d -> d.pendingActivities().stream().filter(a -> a.state().equals("STARTED")).count() == n).orElse(false));
  }

  private void release() throws IOException {
    Files.writeString(dir.resolve("release"), "go");
  }

  @SuppressWarnings("unchecked")
  private static List<String> result(WorkflowClient client, String id) throws Exception {
    return client.newUntypedWorkflowStub(id).getResult(ChildJvm.DEADLINE, List.class);
  }

  private static Set<String> pids(List<String> results) {
    Set<String> pids = new TreeSet<>();
    results.forEach(r -> pids.add(r.substring(r.indexOf('@') + 1)));
    return pids;
  }

  @Test
  void twoWorkerProcessesShareTheActivitiesOfAWorkflow() throws Exception {
    ChildJvm server = startServer("server", "127.0.0.1:0", "--token", TOKEN);
    String address = address(server);
    ChildJvm a = startWorker("worker-a", address);
    ChildJvm b = startWorker("worker-b", address);
    try (WorkflowClient client = client(address)) {
      WorkflowClient.start(spread(client, "spread-1")::run, 2);
      // Each worker has one activity slot, so both holds run at once only if both workers took one.
      awaitStarted(client, "spread-1", 2);
      release();
      List<String> results = result(client, "spread-1");
      assertEquals(Set.of(String.valueOf(a.pid()), String.valueOf(b.pid())), pids(results), results.toString());
      assertTrue(client.verifyHistory("spread-1").isValid());
    }
  }

  @Test
  void aWorkflowCompletesWhenOneOfItsWorkerProcessesIsKilled() throws Exception {
    ChildJvm server = startServer("server", "127.0.0.1:0", "--token", TOKEN);
    String address = address(server);
    ChildJvm a = startWorker("worker-a", address);
    ChildJvm b = startWorker("worker-b", address);
    try (WorkflowClient client = client(address)) {
      WorkflowClient.start(spread(client, "spread-kill")::run, 2);
      awaitStarted(client, "spread-kill", 2);
      a.kill();
      release();
      // The killed worker's hold stops heartbeating, times out and runs again on the survivor.
      List<String> results = result(client, "spread-kill");
      assertEquals(Set.of(String.valueOf(b.pid())), pids(results), results.toString());
      assertEquals(List.of("0", "1"), results.stream().map(r -> r.substring(0, r.indexOf('@'))).toList());
      assertTrue(client.verifyHistory("spread-kill").isValid());
    }
  }

  @Test
  void workflowsCompleteAcrossAGracefulStopAndAKilledServer() throws Exception {
    ChildJvm server = startServer("server-1", "127.0.0.1:0", "--token", TOKEN);
    String address = address(server);
    startWorker("worker-a", address);
    startWorker("worker-b", address);
    List<String> ids = List.of("restart-1", "restart-2", "restart-3");
    try (WorkflowClient client = client(address)) {
      for (String id : ids) {
        WorkflowClient.start(spread(client, id)::run, 2);
      }
      await("two holds running", () -> ids.stream().mapToLong(id -> client.newUntypedWorkflowStub(id).describe()
          .map(d -> d.pendingActivities().stream().filter(x -> x.state().equals("STARTED")).count()).orElse(0L)).sum() == 2);

      // SIGTERM: the server drains its long polls and flushes, then exits.
      assertEquals(143, server.terminate(), server.report());
      assertTrue(server.stdoutLines().contains("Durable server stopped"), server.report());
      server = startServer("server-2", address, "--token", TOKEN);

      // SIGKILL under running workflows: nothing is flushed on purpose; sync writes are already on disk.
      server.kill();
      server = startServer("server-3", address, "--token", TOKEN);
      release();
      for (String id : ids) {
        List<String> results = result(client, id);
        assertEquals(List.of("0", "1"), results.stream().map(r -> r.substring(0, r.indexOf('@'))).toList(), id);
        assertTrue(client.verifyHistory(id).isValid(), id);
      }
      WorkflowDescription d = client.newUntypedWorkflowStub("restart-3").describe().orElseThrow();
      assertEquals(WorkflowStatus.COMPLETED, d.status());
      assertEquals(List.<PendingActivityInfo>of(), d.pendingActivities());
    }
  }

  @Test
  void aServerWithTlsAndATokenRefusesPlaintextAndWrongTokensWithClearErrors() throws Exception {
    TestCertificates certs = TestCertificates.generate(dir.resolve("certs"));
    ChildJvm server = startServer("server", "127.0.0.1:0", "--token", TOKEN, "--tls-cert", certs.serverCert.toString(),
        "--tls-key", certs.serverKey.toString());
    String address = address(server);
    try (WorkflowClient plaintext = client(address)) {
      DurableException e = assertThrows(DurableException.class, () -> plaintext.listWorkflows(false, 1));
      assertEquals("DURABLE-263", e.getCode(), e.getMessage());
      assertTrue(e.getMessage().contains("requires TLS"), e.getMessage());
    }
    var tls = ConnectionOptions.newBuilder().setAddress(address).setTlsTrustCertificate(certs.caCert)
        .setCallTimeout(Duration.ofSeconds(30));
    try (WorkflowClient wrongToken = WorkflowClient.connect(tls.setToken("not-it").build())) {
      DurableException e = assertThrows(DurableException.class, () -> wrongToken.listWorkflows(false, 1));
      assertEquals("DURABLE-262", e.getCode(), e.getMessage());
      assertTrue(e.getMessage().contains("token wrong"), e.getMessage());
    }
    try (WorkflowClient ok = WorkflowClient.connect(tls.setToken(TOKEN).build())) {
      assertEquals(List.of(), ok.listWorkflows(false, 1));
    }
  }
}
