package dev.durable.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowHistory;
import dev.durable.it.ChildJvm;
import dev.durable.it.HoldDataDir;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code durable-cli.jar} and {@code durable} launcher, forked as processes, on a data
 * dir that a worker process opens in turn.
 */
class CliJarTest {
  private static final Pattern RUN_ID = Pattern.compile("Run ID\\s+([0-9a-f-]{36})");

  @TempDir
  Path work;

  private CliProcess.Result cli(String... args) throws Exception {
    return CliProcess.jar(work, args);
  }

  private static void assertOk(CliProcess.Result r) {
    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.err(), r::toString);
  }

  @Test
  void aWorkflowStartedWithTheJarIsCompletedByAWorkerProcessAndItsExportReplays() throws Exception {
    Path data = work.resolve("data");
    CliProcess.Result start = cli("workflow", "start", "--data-dir", data.toString(), "--type", "OrderApproval",
        "--task-queue", OrderApproval.TASK_QUEUE, "--workflow-id", "order-7", "--input", "\"order-7\"", "--input", "250");
    assertOk(start);
    var m = RUN_ID.matcher(start.out());
    assertTrue(m.find(), start::toString);
    String runId = m.group(1);

    assertOk(cli("workflow", "signal", "--data-dir", data.toString(), "order-7", "approve", "\"ann\""));
    CliProcess.Result query = cli("workflow", "query", "--data-dir", data.toString(), "order-7", "state");
    assertEquals(6, query.exit(), query::toString);
    assertTrue(query.err().startsWith("DURABLE-272 a query needs a worker"), query::toString);

    try (ChildJvm worker = ChildJvm.start(work, "worker", CliWorkerChild.class.getName(), data, "order-7")) {
      assertEquals("order-7 (250) approved by ann, shipped as parcel-order-7",
          worker.awaitLine("the result", l -> l.startsWith("result ")).substring("result ".length()));
      assertEquals(0, worker.awaitExit(), worker::report);
    }

    CliProcess.Result result = cli("workflow", "result", "--data-dir", data.toString(), "order-7", "-o", "json");
    assertOk(result);
    assertEquals("{\n  \"workflowId\" : \"order-7\",\n  \"runId\" : \"" + runId + "\",\n  \"status\" : \"COMPLETED\",\n"
        + "  \"result\" : \"order-7 (250) approved by ann, shipped as parcel-order-7\"\n}\n", result.out());

    CliProcess.Result show = cli("workflow", "show", "--data-dir", data.toString(), "order-7");
    assertOk(show);
    List<String> types = show.out().lines().skip(1).map(l -> l.split("\\s+")[2]).toList();
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowExecutionSignaled", "WorkflowTaskCompleted",
        "ActivityTaskScheduled", "ActivityTaskCompleted", "WorkflowTaskCompleted", "WorkflowExecutionCompleted"), types);

    CliProcess.Result export = cli("history", "export", "--data-dir", data.toString(), "order-7");
    assertOk(export);
    CliProcess.assertReplays(work, "order-7", export.out());
    assertEquals(runId, WorkflowHistory.fromJson(export.out()).getRunId());
  }

  @Test
  void terminateCancelListAndDescribeWorkOnADataDir() throws Exception {
    Path data = work.resolve("data");
    assertOk(cli("workflow", "start", "--data-dir", data.toString(), "--type", "OrderApproval", "--task-queue",
        OrderApproval.TASK_QUEUE, "--workflow-id", "order-8", "--input", "\"order-8\"", "--input", "1"));
    CliProcess.Result terminate = cli("workflow", "terminate", "--data-dir", data.toString(), "order-8",
        "--reason", "customer called", "-o", "json");
    assertOk(terminate);
    assertTrue(terminate.out().contains("\"status\" : \"TERMINATED\""), terminate::toString);
    CliProcess.Result terminated = cli("workflow", "result", "--data-dir", data.toString(), "order-8");
    assertEquals(3, terminated.exit(), terminated::toString);
    assertTrue(terminated.err().startsWith("DURABLE-211 workflow 'order-8'") && terminated.err().contains("TERMINATED"),
        terminated::toString);

    assertOk(cli("workflow", "start", "--data-dir", data.toString(), "--type", "OrderApproval", "--task-queue",
        OrderApproval.TASK_QUEUE, "--workflow-id", "order-9", "--input", "\"order-9\"", "--input", "2"));
    CliProcess.Result cancel = cli("workflow", "cancel", "--data-dir", data.toString(), "order-9");
    assertOk(cancel);
    CliProcess.Result canceled = cli("workflow", "show", "--data-dir", data.toString(), "order-9");
    assertTrue(canceled.out().contains("WorkflowExecutionCancelRequested"), canceled::toString);

    CliProcess.Result list = cli("workflow", "list", "--data-dir", data.toString(), "--status", "running", "-o", "json");
    assertOk(list);
    assertTrue(list.out().contains("\"workflowId\" : \"order-9\"") && !list.out().contains("order-8"), list::toString);

    CliProcess.Result missing = cli("workflow", "describe", "--data-dir", data.toString(), "order-404");
    assertEquals(2, missing.exit(), missing::toString);
    assertEquals("DURABLE-207 no workflow has id 'order-404'. Check the id; 'durable workflow list' shows the workflows.\n",
        missing.err());
  }

  @Test
  void theJarRefusesADataDirThatAServerProcessHoldsAndSuggestsAddress() throws Exception {
    Path data = work.resolve("held");
    try (ChildJvm holder = ChildJvm.start(work, "holder", HoldDataDir.class.getName(), data)) {
      holder.awaitLine("holding", l -> l.startsWith("holding"));
      CliProcess.Result r = cli("workflow", "list", "--data-dir", data.toString());
      assertEquals(6, r.exit(), r::toString);
      assertTrue(r.err().startsWith("DURABLE-301 data dir " + data.toAbsolutePath() + " is in use by another server"
          + " (process " + holder.pid()), r::toString);
      assertTrue(r.err().contains("talk to that server with --address HOST:PORT"), r::toString);
      assertEquals("", r.out());
      holder.closeStdin();
      holder.awaitLine("released", l -> l.equals("released"));
    }
    CliProcess.Result after = cli("workflow", "list", "--data-dir", data.toString(), "-o", "json");
    assertOk(after);
    assertEquals("{\n  \"workflows\" : [ ]\n}\n", after.out());
  }

  @Test
  void theLauncherScriptRunsTheJarWithJavaHome() throws Exception {
    Path script = CliProcess.jar().getParent().getParent().resolve("durable");
    String javaHome = System.getProperty("java.home");
    CliProcess.Result version = CliProcess.run(work, List.of("bash", script.toString(), "--version"),
        Map.of("JAVA_HOME", javaHome));
    assertOk(version);
    assertTrue(version.out().matches("durable \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), version::toString);

    CliProcess.Result noJava = CliProcess.run(work, List.of("bash", script.toString(), "--version"),
        Map.of("JAVA_HOME", work.resolve("no-jdk").toString()));
    assertEquals(7, noJava.exit(), noJava::toString);
    assertTrue(noJava.err().contains("has no bin/java: point it at a JDK or JRE 17 or newer"), noJava::toString);

    CliProcess.Result usage = CliProcess.run(work, List.of("bash", script.toString(), "workflow", "frobnicate"),
        Map.of("JAVA_HOME", javaHome));
    assertEquals(1, usage.exit(), usage::toString);
    assertTrue(usage.err().startsWith("DURABLE-270 Unmatched argument at index 1: 'frobnicate'"), usage::toString);
  }
}
