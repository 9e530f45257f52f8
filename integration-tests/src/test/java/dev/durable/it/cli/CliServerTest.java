package dev.durable.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.it.ChildJvm;
import dev.durable.server.DurableServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code durable server start} in its own process on a free loopback port, a worker process
 * polling it over gRPC, and the CLI jar driving workflows through {@code --address}. The server
 * and the worker are shared by the tests; after them the server is stopped with SIGTERM and its
 * data dir checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliServerTest {
  private static final String TOKEN = "s3cret-token";

  @TempDir
  static Path work;

  private Path data;
  private ServerProcess server;
  private ChildJvm worker;
  private String address;

  @BeforeAll
  void startServerAndWorker() throws Exception {
    data = work.resolve("data");
    server = ServerProcess.start(work, "--data-dir", data.toString(), "--address", "127.0.0.1:0", "--token", TOKEN);
    address = server.address();
    assertTrue(address.matches("127\\.0\\.0\\.1:\\d+") && !address.endsWith(":0"), address);
    worker = ChildJvm.start(work, "worker", CliRemoteWorkerChild.class.getName(), address, TOKEN);
    worker.awaitLine("polling", "polling"::equals);
  }

  @AfterAll
  void stopServerAndCheckItsDataDir() throws Exception {
    try {
      worker.closeStdin();
      worker.awaitLine("stopped", "stopped"::equals);
      worker.close();
      int status = server.stop();
      assertTrue(status == 0 || status == 143, "exit status after SIGTERM: " + status + "\n" + server.report());
    } finally {
      server.close();
    }
    // the server released the data dir and flushed: it opens again with every history valid
    try (DurableServer reopened = DurableServer.newBuilder().setDataDir(data).build().start();
         WorkflowClient client = WorkflowClient.newInstance(reopened)) {
      var runs = client.listWorkflows(false, 100);
      assertTrue(runs.size() >= 3, runs::toString);
      for (var run : runs) {
        assertTrue(client.verifyHistory(run.workflowId()).isValid(), client.verifyHistory(run.workflowId())::toString);
      }
    }
  }

  /** The CLI with the server's address; the token comes from DURABLE_TOKEN. */
  private CliProcess.Result cli(String... args) throws Exception {
    List<String> withAddress = new ArrayList<>(List.of(args));
    withAddress.addAll(List.of("--address", address));
    return CliProcess.jar(work, Map.of("DURABLE_TOKEN", TOKEN), withAddress.toArray(String[]::new));
  }

  private static void assertOk(CliProcess.Result r) {
    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.err(), r::toString);
  }

  @Test
  void startQuerySignalResultShowAndExportGoThroughTheServerToTheWorker() throws Exception {
    assertOk(cli("workflow", "start", "--type", "OrderApproval", "--task-queue", OrderApproval.TASK_QUEUE,
        "--workflow-id", "r-1", "--input", "\"r-1\"", "--input", "5"));
    CliProcess.Result query = cli("workflow", "query", "r-1", "state");
    assertOk(query);
    assertEquals("\"waiting for approval\"\n", query.out());
    assertOk(cli("workflow", "signal", "r-1", "approve", "\"zed\""));
    CliProcess.Result result = cli("workflow", "result", "r-1", "--timeout", "60s");
    assertOk(result);
    assertEquals("\"r-1 (5) approved by zed, shipped as parcel-r-1\"\n", result.out());

    CliProcess.Result show = cli("workflow", "show", "r-1");
    assertOk(show);
    assertTrue(show.out().contains("WorkflowExecutionSignaled   signalName=approve input=[\"zed\"]"), show::toString);
    assertTrue(show.out().contains("WorkflowExecutionCompleted  result=\"r-1 (5) approved by zed, shipped as"
        + " parcel-r-1\""), show::toString);
    CliProcess.Result export = cli("history", "export", "r-1");
    assertOk(export);
    CliProcess.assertReplays(work, "r-1", export.out());
  }

  @Test
  void cancelTerminateDescribeAndListThroughTheServer() throws Exception {
    assertOk(cli("workflow", "start", "--type", "OrderApproval", "--task-queue", OrderApproval.TASK_QUEUE,
        "--workflow-id", "r-2", "--input", "\"r-2\"", "--input", "6"));
    assertOk(cli("workflow", "cancel", "r-2"));
    CliProcess.Result canceled = cli("workflow", "result", "r-2", "-o", "json");
    assertEquals(3, canceled.exit(), canceled::toString);
    assertTrue(canceled.out().contains("\"status\" : \"CANCELED\""), canceled::toString);

    assertOk(cli("workflow", "start", "--type", "OrderApproval", "--task-queue", OrderApproval.TASK_QUEUE,
        "--workflow-id", "r-3", "--input", "\"r-3\"", "--input", "7", "--search-attribute", "CustomerId=\"c-9\""));
    CliProcess.Result terminate = cli("workflow", "terminate", "r-3", "--reason", "test over");
    assertOk(terminate);
    assertTrue(terminate.out().contains("Status       TERMINATED"), terminate::toString);

    CliProcess.Result list = cli("workflow", "list", "--status", "TERMINATED", "--search-attribute",
        "CustomerId=\"c-9\"", "-o", "json");
    assertOk(list);
    assertTrue(list.out().contains("\"workflowId\" : \"r-3\"") && !list.out().contains("r-2")
        && list.out().contains("\"CustomerId\" : \"c-9\""), list::toString);
    CliProcess.Result count = cli("workflow", "count", "--status", "CANCELED,TERMINATED", "--type", "OrderApproval");
    assertOk(count);
    assertEquals("2\n", count.out());
  }

  @Test
  void aWrongTokenAndTheHeldDataDirAreRefusedWithStatus6() throws Exception {
    CliProcess.Result wrongToken = CliProcess.jar(work, "workflow", "list", "--address", address, "--token", "wrong");
    assertEquals(6, wrongToken.exit(), wrongToken::toString);
    assertTrue(wrongToken.err().startsWith("DURABLE-262 "), wrongToken::toString);
    assertEquals(1, wrongToken.err().lines().count(), wrongToken::toString);

    CliProcess.Result held = CliProcess.jar(work, "workflow", "list", "--data-dir", data.toString());
    assertEquals(6, held.exit(), held::toString);
    assertTrue(held.err().startsWith("DURABLE-301 ") && held.err().contains("--address HOST:PORT"), held::toString);
  }
}
