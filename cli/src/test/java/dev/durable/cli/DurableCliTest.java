package dev.durable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.client.ConnectionOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.common.DurableException;
import dev.durable.remote.DurableGrpcServer;
import dev.durable.server.DurableServer;
import dev.durable.server.cli.ServerMain;
import dev.durable.testing.Eventually;
import dev.durable.testing.ManualClock;
import dev.durable.worker.Worker;
import dev.durable.worker.WorkflowReplayer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The CLI run in-process: on a data dir it opens itself, and on a live server (with a worker and a
 * manual clock, so that times in tables are fixed) the way it will be with --address.
 */
class DurableCliTest {
  private static final String RUN_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  @TempDir
  Path dir;

  private DurableServer server;
  private WorkflowClient client;
  private Worker worker;
  private final Fixtures.GateImpl gate = new Fixtures.GateImpl();
  private final Fixtures.ApproverImpl approver = new Fixtures.ApproverImpl();
  private final ManualClock clock = new ManualClock();

  record Run(int exit, String out, String err) {
    JsonNode json() {
      return Json.parse(out, "output");
    }
  }

  static Run execute(Target target, String... args) {
    return execute(Map.of(), target, args);
  }

  static Run execute(Map<String, String> env, Target target, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = DurableCli.execute(args, new PrintWriter(out), new PrintWriter(err), env, target);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Runs against the data dir, which the CLI opens itself. */
  Run cli(String... args) {
    String[] withDir = new String[args.length + 2];
    int split = args[0].equals("history") ? 2 : args[0].equals("workflow") ? 2 : 1;
    System.arraycopy(args, 0, withDir, 0, split);
    withDir[split] = "--data-dir";
    withDir[split + 1] = dir.toString();
    System.arraycopy(args, split, withDir, split + 2, args.length - split);
    return execute(null, withDir);
  }

  /** Runs against the live server this test holds (worker attached once {@link #startWorker()} ran). */
  Run live(String... args) {
    Target target = create -> new Session(client, false, () -> {});
    return execute(target, args);
  }

  void openServer() {
    server = DurableServer.newBuilder().setDataDir(dir).setClock(clock).build().start();
    client = WorkflowClient.newInstance(server);
    worker = Worker.newBuilder(client, "approvals")
        .registerWorkflowImplementationTypes(Fixtures.ApprovalImpl.class, Fixtures.RefusalImpl.class,
            Fixtures.HoldingImpl.class, Fixtures.AsyncApprovalImpl.class, Fixtures.WithdrawableImpl.class,
            Fixtures.SentinelImpl.class)
        .registerActivitiesImplementations(new Fixtures.GreetingsImpl(), gate, approver)
        .build();
  }

  void startWorker() {
    worker.start();
  }

  @AfterEach
  void closeServer() {
    if (server != null) {
      for (var d : client.listWorkflows(false, 1000)) {
        assertTrue(client.verifyHistory(d.workflowId()).isValid(), client.verifyHistory(d.workflowId()).toString());
      }
      worker.close();
      client.close();
      server.close();
    }
  }

  private static void assertOk(Run r) {
    assertEquals(0, r.exit(), () -> "exit status; stderr: " + r.err() + " stdout: " + r.out());
    assertEquals("", r.err());
  }

  private static void assertMatches(String regex, String actual) {
    assertTrue(Pattern.compile(regex, Pattern.DOTALL).matcher(actual).matches(),
        () -> "expected to match\n" + regex + "\nbut was\n" + actual);
  }

  @Test
  void aStartDelayHoldsTheRunsCodeAndGoesWithoutACronSchedule() {
    assertOk(cli("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "later",
        "--start-delay", "2h", "--input", "\"Ann\"", "--input", "1"));
    Run described = cli("workflow", "describe", "later", "-o", "json");
    assertOk(described);
    assertEquals(1, described.json().get("historyLength").asInt(), "its code waits for the delay");
    java.time.Instant started = java.time.Instant.parse(described.json().get("startTime").asText());
    assertEquals(started.plus(java.time.Duration.ofHours(2)),
        java.time.Instant.parse(described.json().get("executionTime").asText()));

    Run both = cli("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--start-delay", "5m",
        "--cron", "@daily");
    assertEquals(ExitCodes.USAGE, both.exit());
    assertTrue(both.err().startsWith("DURABLE-201 startDelay cannot be combined with a cron schedule"), both.err());
  }

  @Test
  void aCronScheduleIsGivenWithCronAndABadOneIsAUsageError() {
    Run bad = cli("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--cron", "0 25 * * *");
    assertEquals(ExitCodes.USAGE, bad.exit());
    assertTrue(bad.err().startsWith("DURABLE-201 cronSchedule"), bad.err());
    assertTrue(bad.err().contains("hour"), bad.err());
    assertOk(cli("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "nightly",
        "--cron", "@daily", "--input", "\"Ann\"", "--input", "1"));
    Run described = cli("workflow", "describe", "nightly", "-o", "json");
    assertOk(described);
    assertEquals("RUNNING", described.json().get("status").asText());
    assertEquals(1, described.json().get("historyLength").asInt(), "its code waits until midnight");
    assertEquals("@daily", described.json().get("cronSchedule").asText());
    java.time.Instant started = java.time.Instant.parse(described.json().get("startTime").asText());
    assertEquals(started.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(java.time.Duration.ofDays(1)),
        java.time.Instant.parse(described.json().get("executionTime").asText()), "its code starts at midnight");
    Run table = cli("workflow", "describe", "nightly");
    assertTrue(table.out().contains("\nCron schedule               @daily\n"), table.out());
    String midnight = started.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(java.time.Duration.ofDays(1))
        .toString().replace("Z", "");
    assertTrue(table.out().contains("\nExecution time              " + midnight), table.out());

    Run paused = cli("workflow", "pause", "nightly", "--reason", "holiday", "-o", "json");
    assertOk(paused);
    assertTrue(paused.json().get("schedulePaused").asBoolean(), paused.out());
    assertTrue(cli("workflow", "describe", "nightly").out()
        .contains("\nCron schedule               @daily (paused)\n"));
    Run resumed = cli("workflow", "resume", "nightly");
    assertOk(resumed);
    assertTrue(resumed.out().contains("Cron schedule  @daily\n"), resumed.out());
    assertFalse(cli("workflow", "describe", "nightly", "-o", "json").json().get("schedulePaused").asBoolean());
    assertOk(cli("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "once",
        "--input", "\"Bo\"", "--input", "1"));
    Run notCron = cli("workflow", "pause", "once");
    assertEquals(ExitCodes.USAGE, notCron.exit());
    assertTrue(notCron.err().startsWith("DURABLE-238 cannot pause the schedule of workflow 'once'"), notCron.err());
  }

  @Test
  void workflowStartedAndSignaledOnADataDirIsCompletedByAWorkerAndItsHistoryReplays() throws Exception {
    Run start = cli("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "order-1",
        "--input", "\"Ann\"", "--input", "42");
    assertOk(start);
    assertMatches("Workflow ID  order-1\nRun ID       " + RUN_ID + "\n", start.out());
    String runId = start.out().lines().toList().get(1).substring("Run ID       ".length());

    Run signal = cli("workflow", "signal", "order-1", "approve", "\"bob\"", "[\"fast\", \"ok\"]");
    assertOk(signal);
    assertEquals("Workflow ID  order-1\nRun ID       " + runId + "\nSignal       approve\n", signal.out());

    Run waiting = cli("workflow", "result", "order-1");
    assertEquals(ExitCodes.UNAVAILABLE, waiting.exit());
    assertEquals("", waiting.out());
    assertEquals("DURABLE-272 waiting for running workflow 'order-1' needs a worker, and none can poll a data dir"
        + " that the CLI opened itself (--data-dir). Run a Durable server on the data dir with your workers"
        + " attached and use --address HOST:PORT.\n", waiting.err());
    Run query = cli("workflow", "query", "order-1", "state", "\"now: \"");
    assertEquals(ExitCodes.UNAVAILABLE, query.exit());
    assertTrue(query.err().startsWith("DURABLE-272 a query needs a worker"), query.err());

    openServer();
    startWorker();
    assertEquals("Hello, Ann: 42 approved by bob [fast, ok]",
        client.newUntypedWorkflowStub("order-1").getResult(String.class));
    closeServer();
    server = null;

    Run result = cli("workflow", "result", "order-1");
    assertOk(result);
    assertEquals("\"Hello, Ann: 42 approved by bob [fast, ok]\"\n", result.out());
    Run resultJson = cli("workflow", "result", "order-1", "--output", "json");
    assertOk(resultJson);
    assertEquals("{\n  \"workflowId\" : \"order-1\",\n  \"runId\" : \"" + runId + "\",\n  \"status\" : \"COMPLETED\",\n"
        + "  \"result\" : \"Hello, Ann: 42 approved by bob [fast, ok]\"\n}\n", resultJson.out());

    Run show = cli("workflow", "show", "order-1");
    assertOk(show);
    assertMatches("ID  TIME                      TYPE                        DETAILS\n"
        + "1   " + TIME + "  WorkflowExecutionStarted    workflowId=order-1 workflowType=Approval taskQueue=approvals"
        + " input=\\[\"Ann\", 42\\]\n"
        + "2   " + TIME + "  WorkflowExecutionSignaled   signalName=approve input=\\[\"bob\", \\[\"fast\",\"ok\"\\]\\]\n"
        + "3   " + TIME + "  WorkflowTaskCompleted       lastSeenEventId=2 workflowTime=\\S+ identity=\\S+\n"
        + "4   " + TIME + "  ActivityTaskScheduled       seq=1 activityType=Greet input=\\[\"Ann\"\\]\n"
        + "5   " + TIME + "  ActivityTaskCompleted       seq=1 scheduledEventId=4 attempt=1 result=\"Hello, Ann\"\n"
        + "6   " + TIME + "  WorkflowTaskCompleted       lastSeenEventId=5 workflowTime=\\S+ identity=\\S+\n"
        + "7   " + TIME + "  WorkflowExecutionCompleted  result=\"Hello, Ann: 42 approved by bob \\[fast, ok\\]\"\n",
        show.out());

    Run export = cli("history", "export", "order-1");
    assertOk(export);
    WorkflowReplayer.replayWorkflowExecution(export.out(), Fixtures.ApprovalImpl.class);
    Path histories = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-histories"));
    Files.writeString(histories.resolve("order-1.json"), export.out());
    var replayed = WorkflowReplayer.replayWorkflowExecutions(WorkflowReplayer.readHistories(histories), false,
        Fixtures.ApprovalImpl.class);
    assertTrue(replayed.ok(), replayed.toString());
    assertEquals(1, replayed.replayed());
    WorkflowHistory history = WorkflowHistory.fromJson(export.out());
    assertEquals(runId, history.getRunId());
    assertEquals(7, history.getEvents().size());
    assertEquals(export.out(), cli("workflow", "show", "order-1", "-o", "json").out());

    Run list = cli("workflow", "list");
    assertOk(list);
    assertMatches("WORKFLOW ID  TYPE      STATUS     TASK QUEUE  START TIME                CLOSE TIME                RUN ID\n"
        + "order-1      Approval  COMPLETED  approvals   " + TIME + "  " + TIME + "  " + runId + "\n", list.out());
  }

  @Test
  void describeListQueryAndResultOnALiveServerPrintExactTablesAndJson() {
    openServer();
    Run start = live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "order-2",
        "--input", "\"Cy\"", "--input", "7", "-o", "json");
    assertOk(start);
    String runId = start.json().get("runId").asText();
    assertEquals("{\n  \"workflowId\" : \"order-2\",\n  \"runId\" : \"" + runId + "\"\n}\n", start.out());

    Run describe = live("workflow", "describe", "order-2");
    assertOk(describe);
    assertEquals(""
        + "Workflow ID                 order-2\n"
        + "Run ID                      " + runId + "\n"
        + "Type                        Approval\n"
        + "Task queue                  approvals\n"
        + "Status                      RUNNING\n"
        + "Start time                  2030-01-01T00:00:00.000Z\n"
        + "Close time                  -\n"
        + "History length              1\n"
        + "Workflow task attempt       1\n"
        + "Last workflow task failure  -\n"
        + "Search attributes           -\n", describe.out());
    Run describeJson = live("workflow", "describe", "order-2", "--output", "JSON");
    assertOk(describeJson);
    assertEquals("{\n"
        + "  \"workflowId\" : \"order-2\",\n"
        + "  \"runId\" : \"" + runId + "\",\n"
        + "  \"workflowType\" : \"Approval\",\n"
        + "  \"taskQueue\" : \"approvals\",\n"
        + "  \"status\" : \"RUNNING\",\n"
        + "  \"startTime\" : \"2030-01-01T00:00:00Z\",\n"
        + "  \"closeTime\" : null,\n"
        + "  \"historyLength\" : 1,\n"
        + "  \"searchAttributes\" : { },\n"
        + "  \"cronSchedule\" : null,\n"
        + "  \"executionTime\" : \"2030-01-01T00:00:00Z\",\n"
        + "  \"workflowTaskAttempt\" : 1,\n"
        + "  \"lastWorkflowTaskFailure\" : null,\n"
        + "  \"pendingActivities\" : [ ]\n"
        + "}\n", describeJson.out());

    startWorker();
    Run query = live("workflow", "query", "order-2", "state", "\"now: \"");
    assertOk(query);
    assertEquals("\"now: waiting\"\n", query.out());

    Run tooEarly = live("workflow", "result", "order-2", "--timeout", "0s");
    assertEquals(ExitCodes.TIMED_OUT, tooEarly.exit());
    assertEquals("DURABLE-273 workflow 'order-2' is still running after PT0S. Wait longer with a larger --timeout,"
        + " or see what it waits for with 'durable workflow describe order-2'.\n", tooEarly.err());

    assertOk(live("workflow", "signal", "order-2", "approve", "\"dee\"", "[]"));
    Run result = live("workflow", "result", "order-2");
    assertOk(result);
    assertEquals("\"Hello, Cy: 7 approved by dee []\"\n", result.out());
    Run queryJson = live("workflow", "query", "order-2", "state", "\"\"", "-o", "json");
    assertOk(queryJson);
    assertEquals("{\n  \"workflowId\" : \"order-2\",\n  \"query\" : \"state\",\n  \"result\" : \"approved by dee\"\n}\n",
        queryJson.out());

    clock.advance(Duration.ofMinutes(1));
    assertOk(live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "order-3",
        "--input", "\"Ed\"", "--input", "1"));
    Run list = live("workflow", "list", "-o", "json");
    assertOk(list);
    JsonNode workflows = list.json().get("workflows");
    assertEquals(2, workflows.size());
    assertEquals("order-3", workflows.get(0).get("workflowId").asText());
    assertEquals("RUNNING", workflows.get(0).get("status").asText());
    assertEquals("order-2", workflows.get(1).get("workflowId").asText());
    assertEquals("2030-01-01T00:00:00Z", workflows.get(1).get("closeTime").asText());
    assertEquals("[\"order-2\"]", ids(live("workflow", "list", "--status", "completed", "-o", "json")));
    assertEquals("[\"order-3\"]", ids(live("workflow", "list", "--status", "RUNNING", "-o", "json")));
    assertEquals("[\"order-3\"]", ids(live("workflow", "list", "--limit", "1", "-o", "json")));
    assertEquals("[]", ids(live("workflow", "list", "--status", "FAILED", "-o", "json")));
    Run table = live("workflow", "list", "--status", "RUNNING");
    assertEquals("WORKFLOW ID  TYPE      STATUS   TASK QUEUE  START TIME                CLOSE TIME  RUN ID\n"
        + "order-3      Approval  RUNNING  approvals   2030-01-01T00:01:00.000Z  -           "
        + client.newUntypedWorkflowStub("order-3").describe().orElseThrow().runId() + "\n", table.out());

    Run again = live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "order-3");
    assertEquals(ExitCodes.ALREADY_STARTED, again.exit());
    assertTrue(again.err().startsWith("DURABLE-208 workflow id 'order-3' is already running"), again.err());
  }

  private static String ids(Run r) {
    assertOk(r);
    StringBuilder sb = new StringBuilder("[");
    for (JsonNode w : r.json().get("workflows")) {
      sb.append(sb.length() > 1 ? "," : "").append('"').append(w.get("workflowId").asText()).append('"');
    }
    return sb.append(']').toString();
  }

  @Test
  void resetRunsAWorkflowAgainFromACompletedTask() {
    openServer();
    startWorker();
    assertOk(live("workflow", "start", "--type", "Refusal", "--task-queue", "approvals", "--workflow-id", "r-1",
        "--input", "\"o-9\""));
    assertEquals(ExitCodes.WORKFLOW_FAILED, live("workflow", "result", "r-1").exit());
    String failedRun = live("workflow", "describe", "r-1", "-o", "json").json().get("runId").asText();

    Run none = live("workflow", "reset", "r-1");
    assertEquals(ExitCodes.USAGE, none.exit());
    assertTrue(none.err().startsWith("DURABLE-270 ") && none.err().contains("--first"), none.err());
    Run notATask = live("workflow", "reset", "r-1", "--event", "1");
    assertEquals(ExitCodes.USAGE, notATask.exit());
    assertTrue(notATask.err().startsWith("DURABLE-236 cannot reset workflow 'r-1' to event 1: it is a"
        + " WorkflowExecutionStarted, not a WorkflowTaskCompleted."), notATask.err());

    Run reset = live("workflow", "reset", "r-1", "--first", "--reason", "the order exists now", "-o", "json");
    assertOk(reset);
    assertEquals("r-1", reset.json().get("workflowId").asText());
    assertEquals(failedRun, reset.json().get("resetRunId").asText());
    String newRun = reset.json().get("runId").asText();
    assertTrue(newRun.matches(RUN_ID) && !newRun.equals(failedRun), newRun);
    Run again = live("workflow", "result", "r-1", "-o", "json"); // the code still refuses the order
    assertEquals(ExitCodes.WORKFLOW_FAILED, again.exit());
    assertEquals(newRun, live("workflow", "describe", "r-1", "-o", "json").json().get("runId").asText());
    Run history = live("workflow", "show", "r-1");
    assertTrue(history.out().contains("WorkflowTaskFailed"), history.out());

    Run once = live("workflow", "reset", "r-1", "--last", "--request-id", "fix-9", "-o", "json");
    assertOk(once);
    Run twice = live("workflow", "reset", "r-1", "--last", "--request-id", "fix-9", "-o", "json");
    assertOk(twice);
    assertEquals(once.out(), twice.out(), "the same request id: the same run, which replaced " + newRun);
    assertEquals(newRun, twice.json().get("resetRunId").asText());
  }

  @Test
  void resetAndTerminateActOnEveryWorkflowAFilterMatchesOnlyWithYes() {
    openServer();
    startWorker();
    for (String id : new String[] {"r-1", "r-2"}) {
      assertOk(live("workflow", "start", "--type", "Refusal", "--task-queue", "approvals", "--workflow-id", id,
          "--input", "\"o-9\""));
      assertEquals(ExitCodes.WORKFLOW_FAILED, live("workflow", "result", id).exit());
    }
    assertOk(live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "a-1",
        "--input", "\"Ann\"", "--input", "1"));

    Run dryRun = live("workflow", "reset", "--status", "FAILED", "--last");
    assertOk(dryRun);
    assertTrue(dryRun.out().contains("would reset") && dryRun.out().contains("r-1") && dryRun.out().contains("r-2"),
        dryRun.out());
    assertTrue(dryRun.out().endsWith("Nothing was done: add --yes to reset these 2 workflows.\n"), dryRun.out());
    Run reset = live("workflow", "reset", "--status", "FAILED", "--type", "Refusal", "--last", "--yes", "-o", "json");
    assertOk(reset);
    assertEquals(2, reset.json().get("workflows").size(), reset.out());
    assertEquals(0, reset.json().get("failed").size(), reset.out());
    assertTrue(reset.json().get("workflows").get(0).get("result").asText().startsWith("reset to run "), reset.out());
    for (String id : new String[] {"r-1", "r-2"}) { // the code still refuses the order: each new run fails again
      assertEquals(ExitCodes.WORKFLOW_FAILED, live("workflow", "result", id).exit());
    }
    Run again = live("workflow", "reset", "--status", "FAILED", "--last", "-o", "json");
    assertEquals(2, again.json().get("workflows").size(), "the replaced runs match too, but are not the latest: "
        + again.out());

    Run terminate = live("workflow", "terminate", "--type", "Approval", "--yes");
    assertOk(terminate);
    assertTrue(terminate.out().endsWith("1 done, 0 failed\n"), terminate.out());
    assertEquals("TERMINATED", live("workflow", "describe", "a-1", "-o", "json").json().get("status").asText());

    Run neither = live("workflow", "reset", "--last");
    assertEquals(ExitCodes.USAGE, neither.exit());
    assertTrue(neither.err().startsWith("DURABLE-270 give the WORKFLOW_ID to reset, or filter options"), neither.err());
    Run both = live("workflow", "terminate", "a-1", "--status", "RUNNING");
    assertEquals(ExitCodes.USAGE, both.exit());
    assertTrue(both.err().startsWith("DURABLE-270 give a WORKFLOW_ID or filter options, not both"), both.err());
  }

  /** The header of a batch's table, whose run id column is as wide as a run id. */
  private static final String BATCH_HEADER = "WORKFLOW ID  RUN ID" + " ".repeat(32) + "RESULT\n";

  /** A batch table row, as a regex: the workflow id in a column as wide as the header's, a run id and the result. */
  private static String batchRow(String workflowId, String result) {
    return Pattern.quote(workflowId) + " ".repeat(13 - workflowId.length()) + RUN_ID + "  " + Pattern.quote(result)
        + "\n";
  }

  @Test
  void signalWithFilterOptionsSendsTheSignalOfNameAndInputToEveryMatchingWorkflowOnlyWithYes() {
    openServer();
    startWorker();
    assertOk(live("workflow", "start", "--type", "Refusal", "--task-queue", "approvals", "--workflow-id", "r-1",
        "--input", "\"o-9\""));
    assertEquals(ExitCodes.WORKFLOW_FAILED, live("workflow", "result", "r-1").exit());
    for (String name : new String[] {"Ann", "Bea"}) {
      clock.advance(Duration.ofSeconds(1)); // list order is newest first
      assertOk(live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id",
          "a-" + name, "--input", "\"" + name + "\"", "--input", "1"));
    }

    Run dryRun = live("workflow", "signal", "--type", "Approval", "--name", "approve", "--input", "\"cy\"",
        "--input", "[\"ok\"]");
    assertOk(dryRun);
    assertMatches(Pattern.quote(BATCH_HEADER) + batchRow("a-Bea", "would signal") + batchRow("a-Ann", "would signal")
        + "Nothing was done: add --yes to signal these 2 workflows\\.\n", dryRun.out());
    assertFalse(live("workflow", "show", "a-Ann").out().contains("WorkflowExecutionSignaled"), "nothing was sent");

    Run signal = live("workflow", "signal", "--type", "Approval", "--name", "approve", "--input", "\"cy\"",
        "--input", "[\"ok\"]", "--yes");
    assertOk(signal);
    assertMatches(Pattern.quote(BATCH_HEADER) + batchRow("a-Bea", "signaled approve")
        + batchRow("a-Ann", "signaled approve") + "2 done, 0 failed\n", signal.out());
    assertEquals("\"Hello, Ann: 1 approved by cy [ok]\"\n", live("workflow", "result", "a-Ann").out());
    assertEquals("\"Hello, Bea: 1 approved by cy [ok]\"\n", live("workflow", "result", "a-Bea").out());

    Run closed = live("workflow", "signal", "--type", "Refusal", "--name", "approve", "--yes", "-o", "json");
    assertEquals(ExitCodes.ERROR, closed.exit(), closed.err());
    assertEquals("", closed.err());
    assertFalse(closed.json().get("dryRun").asBoolean());
    assertEquals(0, closed.json().get("workflows").size(), closed.out());
    JsonNode failed = closed.json().get("failed").get(0);
    assertEquals("r-1", failed.get("workflowId").asText());
    assertMatches("DURABLE-207 workflow 'r-1' is FAILED \\(run " + RUN_ID + "\\); a signal to a closed workflow is"
        + " dropped, so none was sent\\.", failed.get("error").asText());

    Run words = live("workflow", "signal", "--type", "Approval", "approve", "\"cy\"");
    assertEquals(ExitCodes.USAGE, words.exit());
    assertTrue(words.err().startsWith("DURABLE-270 with filter options, give the signal as --name SIGNAL and its"
        + " arguments as --input JSON, not as words: got 'approve'."), words.err());
    Run noName = live("workflow", "signal", "--type", "Approval", "--yes");
    assertEquals(ExitCodes.USAGE, noName.exit());
    assertTrue(noName.err().startsWith("DURABLE-270 missing --name SIGNAL"), noName.err());
    Run nameWithId = live("workflow", "signal", "a-Ann", "--name", "approve");
    assertEquals(ExitCodes.USAGE, nameWithId.exit());
    assertTrue(nameWithId.err().startsWith("DURABLE-270 --name and --input go with filter options. To signal one"
        + " workflow, give WORKFLOW_ID SIGNAL [JSON...]"), nameWithId.err());
    Run noSignal = live("workflow", "signal", "a-Ann");
    assertEquals(ExitCodes.USAGE, noSignal.exit());
    assertTrue(noSignal.err().startsWith("DURABLE-270 missing the SIGNAL to send to workflow 'a-Ann'"),
        noSignal.err());
    Run neither = live("workflow", "signal");
    assertEquals(ExitCodes.USAGE, neither.exit());
    assertTrue(neither.err().startsWith("DURABLE-270 give the WORKFLOW_ID to signal, or filter options"),
        neither.err());
  }

  @Test
  void cancelWithFilterOptionsAsksEveryMatchingWorkflowAndOneAlreadyClosedIsAFailedRowWithStatus7() {
    openServer();
    startWorker();
    assertOk(live("workflow", "start", "--type", "Refusal", "--task-queue", "approvals", "--workflow-id", "r-1",
        "--input", "\"o-9\""));
    assertEquals(ExitCodes.WORKFLOW_FAILED, live("workflow", "result", "r-1").exit());
    for (String id : new String[] {"c-1", "c-2"}) {
      clock.advance(Duration.ofSeconds(1)); // list order is newest first
      assertOk(live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", id,
          "--input", "\"Flo\"", "--input", "3"));
    }

    Run dryRun = live("workflow", "cancel", "--task-queue", "approvals");
    assertOk(dryRun);
    assertMatches(Pattern.quote(BATCH_HEADER) + batchRow("c-2", "would cancel") + batchRow("c-1", "would cancel")
        + batchRow("r-1", "would cancel") + "Nothing was done: add --yes to cancel these 3 workflows\\.\n",
        dryRun.out());
    assertFalse(live("workflow", "show", "c-1").out().contains("WorkflowExecutionCancelRequested"), "nothing asked");

    Run cancel = live("workflow", "cancel", "--task-queue", "approvals", "--yes");
    assertEquals(ExitCodes.ERROR, cancel.exit(), cancel.err());
    assertEquals("", cancel.err());
    assertMatches(Pattern.quote(BATCH_HEADER) + batchRow("c-2", "cancel requested")
        + batchRow("c-1", "cancel requested")
        + "r-1          " + RUN_ID + "  DURABLE-207 cannot cancel workflow 'r-1': its latest run " + RUN_ID
        + " is closed\\.\n"
        + "2 done, 1 failed\n", cancel.out());
    for (String id : new String[] {"c-1", "c-2"}) {
      Run canceled = live("workflow", "result", id, "-o", "json");
      assertEquals(ExitCodes.WORKFLOW_FAILED, canceled.exit(), canceled.err());
      assertEquals("CANCELED", canceled.json().get("status").asText());
    }
    assertEquals("FAILED", live("workflow", "describe", "r-1", "-o", "json").json().get("status").asText());

    Run none = live("workflow", "cancel", "--status", "RUNNING", "--yes", "-o", "json");
    assertOk(none);
    assertEquals("{\n  \"dryRun\" : false,\n  \"workflows\" : [ ],\n  \"failed\" : [ ]\n}\n", none.out());
    Run yesWithId = live("workflow", "cancel", "c-1", "--yes");
    assertEquals(ExitCodes.USAGE, yesWithId.exit());
    assertTrue(yesWithId.err().startsWith("DURABLE-270 --yes goes with filter options"), yesWithId.err());
  }

  @Test
  void failedCanceledAndTerminatedWorkflowsExitWithStatus3AndSayWhy() {
    openServer();
    startWorker();
    assertOk(live("workflow", "start", "--type", "Refusal", "--task-queue", "approvals", "--workflow-id", "r-1",
        "--input", "\"o-9\""));
    Run failed = live("workflow", "result", "r-1");
    assertEquals(ExitCodes.WORKFLOW_FAILED, failed.exit());
    assertEquals("", failed.out());
    assertTrue(failed.err().matches("DURABLE-211 workflow 'r-1' \\(run " + RUN_ID + ", Refusal\\) ended FAILED: .*"
        + "order o-9 does not exist.*\n"), failed.err());
    assertEquals(1, failed.err().lines().count(), "one line: " + failed.err());
    Run failedJson = live("workflow", "result", "r-1", "-o", "json");
    assertEquals(ExitCodes.WORKFLOW_FAILED, failedJson.exit());
    JsonNode doc = failedJson.json();
    assertEquals("FAILED", doc.get("status").asText());
    assertEquals("APPLICATION", doc.get("failure").get("kind").asText());
    assertEquals("OrderNotFound", doc.get("failure").get("type").asText());
    assertEquals("order o-9 does not exist", doc.get("failure").get("message").asText());

    assertOk(live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "c-1",
        "--input", "\"Flo\"", "--input", "3"));
    Run cancel = live("workflow", "cancel", "c-1");
    assertOk(cancel);
    assertTrue(cancel.out().startsWith("Workflow ID  c-1\nRun ID       "), cancel.out());
    Run canceled = live("workflow", "result", "c-1", "-o", "json");
    assertEquals(ExitCodes.WORKFLOW_FAILED, canceled.exit());
    assertEquals("CANCELED", canceled.json().get("status").asText());
    assertEquals("CANCELED", canceled.json().get("failure").get("kind").asText());

    assertOk(live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "t-1",
        "--input", "\"Gus\"", "--input", "4"));
    Run terminate = live("workflow", "terminate", "t-1", "--reason", "duplicate order", "-o", "json");
    assertOk(terminate);
    assertEquals("TERMINATED", terminate.json().get("status").asText());
    Run terminated = live("workflow", "result", "t-1", "-o", "json");
    assertEquals(ExitCodes.WORKFLOW_FAILED, terminated.exit());
    assertEquals("TERMINATED", terminated.json().get("failure").get("kind").asText());
    assertEquals("duplicate order", terminated.json().get("failure").get("message").asText());
    assertTrue(terminated.err().startsWith("DURABLE-211 workflow 't-1'"), terminated.err());

    Run signalClosed = live("workflow", "signal", "t-1", "approve", "\"x\"", "[]");
    assertEquals(ExitCodes.NOT_FOUND, signalClosed.exit());
    assertTrue(signalClosed.err().startsWith("DURABLE-207 workflow 't-1' is TERMINATED (run "), signalClosed.err());

    assertOk(live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "d-1",
        "--input", "\"Hal\"", "--input", "5"));
    Run deleteRunning = live("workflow", "delete", "d-1");
    assertEquals(ExitCodes.ERROR, deleteRunning.exit());
    assertTrue(deleteRunning.err().startsWith("DURABLE-229 cannot delete workflow 'd-1': its run "), deleteRunning.err());
    assertTrue(deleteRunning.err().contains("is still running. Terminate it first"), deleteRunning.err());
    String runId = live("workflow", "describe", "t-1", "-o", "json").json().get("runId").asText();
    Run delete = live("workflow", "delete", "t-1", "-o", "json");
    assertOk(delete);
    assertEquals("t-1", delete.json().get("workflowId").asText());
    assertEquals(runId, delete.json().get("deletedRunIds").get(0).asText());
    assertEquals(1, delete.json().get("deletedRunIds").size());
    Run deleted = live("workflow", "describe", "t-1");
    assertEquals(ExitCodes.NOT_FOUND, deleted.exit());
    assertTrue(deleted.err().startsWith("DURABLE-207 no workflow has id 't-1'"), deleted.err());
  }

  @Test
  void badInputIsRefusedWithOneLineNamingTheProblemAndStatus1() throws Exception {
    Run unknown = execute(null, "workflow", "start", "--type", "A", "--task-queue", "q", "--bogus");
    assertEquals(ExitCodes.USAGE, unknown.exit());
    assertTrue(unknown.err().startsWith("DURABLE-270 "), unknown.err());
    assertTrue(unknown.err().contains("'--bogus'") && unknown.err().endsWith("See 'durable workflow start --help'.\n"),
        unknown.err());
    assertEquals(1, unknown.err().lines().count());

    Run both = execute(null, "workflow", "list", "--data-dir", dir.toString(), "--address", "127.0.0.1:7233");
    assertEquals(ExitCodes.USAGE, both.exit());
    assertEquals("DURABLE-270 --data-dir opens a data dir directly and cannot be combined with --address, --token or"
        + " --tls options: give one or the other.\n", both.err());
    Run halfTls = execute(null, "workflow", "list", "--tls-cert", "c.pem");
    assertEquals(ExitCodes.USAGE, halfTls.exit());
    assertTrue(halfTls.err().startsWith("DURABLE-270 --tls-cert and --tls-key go together"), halfTls.err());

    Run notJson = cli("workflow", "start", "--type", "Approval", "--task-queue", "q", "--input", "Ann");
    assertEquals(ExitCodes.USAGE, notJson.exit());
    assertTrue(notJson.err().startsWith("DURABLE-270 --input value 1 (Ann) is not JSON: "), notJson.err());
    assertTrue(notJson.err().endsWith("Give one JSON value; quote strings: '\"text\"'.\n"), notJson.err());

    Path input = dir.resolveSibling(dir.getFileName() + "-input.json");
    Files.writeString(input, "{\"not closed\": ");
    Run badFile = cli("workflow", "start", "--type", "Approval", "--task-queue", "q", "--input-file", input.toString());
    assertEquals(ExitCodes.USAGE, badFile.exit());
    assertTrue(badFile.err().startsWith("DURABLE-270 --input-file " + input + " is not JSON"), badFile.err());
    Run inputs = cli("workflow", "start", "--type", "A", "--task-queue", "q", "--input", "1", "--input-file", input.toString());
    assertEquals(ExitCodes.USAGE, inputs.exit());
    assertTrue(inputs.err().startsWith("DURABLE-270 give the workflow's arguments with --input or with --input-file"));

    Run badDuration = cli("workflow", "result", "x", "--timeout", "soon");
    assertEquals(ExitCodes.USAGE, badDuration.exit());
    assertTrue(badDuration.err().contains("'soon' is not a duration: use 30s, 5m, 2h, 1d, 250ms or ISO-8601"),
        badDuration.err());

    Run missingDir = cli("workflow", "list");
    assertEquals(ExitCodes.UNAVAILABLE, missingDir.exit());
    assertEquals("DURABLE-271 no Durable data dir at " + dir.toAbsolutePath() + " (it has no db/ directory). Check the"
        + " path; only 'durable workflow start' creates a new data dir.\n", missingDir.err());
    assertFalse(Files.exists(dir.resolve("db")), "a read command must not create a data dir");

    Files.writeString(input, "[1, {\"a\": null}]");
    Run fromFile = cli("workflow", "start", "--type", "Approval", "--task-queue", "q", "--workflow-id", "f-1",
        "--input-file", input.toString());
    assertOk(fromFile);
    Run show = cli("workflow", "show", "f-1");
    assertTrue(show.out().contains("input=[[1,{\"a\":null}]]"), show.out());

    Run notFound = cli("workflow", "describe", "nope");
    assertEquals(ExitCodes.NOT_FOUND, notFound.exit());
    assertEquals("DURABLE-207 no workflow has id 'nope'. Check the id; 'durable workflow list' shows the workflows.\n",
        notFound.err());
    Run showNotFound = cli("workflow", "show", "nope");
    assertEquals(ExitCodes.NOT_FOUND, showNotFound.exit());
    assertTrue(showNotFound.err().startsWith("DURABLE-207 "), showNotFound.err());
    assertFalse(showNotFound.err().contains("\tat "), "no stack trace without --verbose");
    Run verbose = cli("workflow", "show", "nope", "--verbose");
    assertEquals(ExitCodes.NOT_FOUND, verbose.exit());
    assertTrue(verbose.err().contains("\tat dev.durable."), "stack trace with --verbose: " + verbose.err());
  }

  @Test
  void aDataDirHeldByAServerIsRefusedWithAHintToUseAddress() {
    openServer();
    Run r = cli("workflow", "list");
    assertEquals(ExitCodes.UNAVAILABLE, r.exit());
    assertTrue(r.err().startsWith("DURABLE-301 data dir " + dir.toAbsolutePath() + " is in use by another server"),
        r.err());
    assertTrue(r.err().endsWith("If a Durable server runs on it, talk to that server with --address HOST:PORT instead"
        + " of --data-dir.\n"), r.err());
    assertEquals(1, r.err().lines().count());
  }

  private String nextToken() throws InterruptedException {
    String token = approver.tokens.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(token != null, "the activity did not run");
    return token;
  }

  @Test
  void activityCompleteAndFailReportOnActivitiesThatCompleteByToken() throws InterruptedException {
    openServer();
    startWorker();
    assertOk(live("workflow", "start", "--type", "AsyncApproval", "--task-queue", "approvals", "--workflow-id",
        "async-1", "--input", "\"order-1\""));
    String token = nextToken();
    Run complete = live("activity", "complete", "--task-token", token, "--result", "\"approved by ann\"");
    assertOk(complete);
    assertEquals("Task token  " + token + "\nReported    completed\n", complete.out());
    assertEquals("\"approved by ann\"\n", live("workflow", "result", "async-1").out());

    Run stale = live("activity", "complete", "--task-token", token, "--result", "\"twice\"");
    assertEquals(ExitCodes.NOT_FOUND, stale.exit(), stale.err());
    assertTrue(stale.err().startsWith("DURABLE-234 the activity of task token '" + token + "' is no longer pending:"
        + " its workflow 'async-1' (run "), stale.err());

    assertOk(live("workflow", "start", "--type", "AsyncApproval", "--task-queue", "approvals", "--workflow-id",
        "async-2", "--input", "\"order-2\""));
    nextToken();
    Run fail = live("activity", "fail", "--workflow-id", "async-2", "--activity-id", "1", "--message", "too expensive",
        "--type", "Rejected", "--non-retryable", "-o", "json");
    assertOk(fail);
    assertEquals("{\n  \"workflowId\" : \"async-2\",\n  \"activityId\" : \"1\",\n  \"reported\" :"
        + " \"failed, not retryable\"\n}\n", fail.out());
    assertEquals("\"failed: Rejected: too expensive\"\n", live("workflow", "result", "async-2").out());

    Run malformed = live("activity", "complete", "--task-token", "bad-token");
    assertEquals(ExitCodes.USAGE, malformed.exit(), malformed.err());
    assertTrue(malformed.err().startsWith("DURABLE-233 the task token 'bad-token' is not one Durable issued"),
        malformed.err());
    Run noAddress = live("activity", "fail", "--message", "m");
    assertEquals(ExitCodes.USAGE, noAddress.exit(), noAddress.err());
    assertTrue(noAddress.err().startsWith("DURABLE-270 missing the activity: give --task-token TOKEN"),
        noAddress.err());
  }

  /** Waits until the first pending activity of {@code workflowId} is in {@code state}, and returns it. */
  private JsonNode awaitPendingActivity(String workflowId, String state) {
    return Eventually.eventually("activity 1 of '" + workflowId + "' to be " + state,
        () -> live("workflow", "describe", workflowId, "-o", "json").json().get("pendingActivities").get(0),
        a -> a != null && a.get("state").asText().equals(state));
  }

  @Test
  void activityHeartbeatKeepsAnAttemptAwaitingItsTokenAliveAndTellsWhenItsCancellationIsRequested()
      throws InterruptedException {
    openServer();
    startWorker();
    assertOk(live("workflow", "start", "--type", "Withdrawable", "--task-queue", "approvals", "--workflow-id", "w-1",
        "--input", "\"order-3\""));
    String token = nextToken();
    awaitPendingActivity("w-1", "AWAITING_COMPLETION"); // its heartbeat timeout (5 s) counts from its start

    clock.advance(Duration.ofSeconds(3));
    Run beat = live("activity", "heartbeat", "--task-token", token, "--details", "\"reminder sent\"");
    assertOk(beat);
    assertEquals("Task token        " + token + "\nReported          heartbeat\nCancel requested  no\n", beat.out());
    // Past the deadline the start set (+5 s), before the one the heartbeat set (+8 s): the sentinel's timer is due
    // just after the first, so once it fired, so did the heartbeat check.
    assertOk(live("workflow", "start", "--type", "Sentinel", "--task-queue", "approvals", "--workflow-id", "sentinel",
        "--input", "2050"));
    Eventually.eventually("the sentinel's timer", () -> live("workflow", "show", "sentinel").out(),
        out -> out.contains("TimerStarted"));
    clock.advance(Duration.ofMillis(2100));
    assertOk(live("workflow", "result", "sentinel"));
    JsonNode alive = live("workflow", "describe", "w-1", "-o", "json").json().get("pendingActivities").get(0);
    assertEquals("AWAITING_COMPLETION", alive.get("state").asText(), alive.toString());
    assertEquals(1, alive.get("attempt").asInt(), alive.toString());
    assertEquals("2030-01-01T00:00:03Z", alive.get("lastHeartbeatTime").asText(), alive.toString());

    Run notAsked = live("activity", "cancel", "--task-token", token);
    assertEquals(ExitCodes.USAGE, notAsked.exit(), notAsked.err());
    assertEquals("", notAsked.out());
    assertMatches("DURABLE-235 activity 1 \\(Ask\\) attempt 1 of workflow 'w-1' run " + RUN_ID + " cannot report"
        + " its cancellation: the workflow did not ask to cancel it\\..*\n", notAsked.err());
    assertEquals("AWAITING_COMPLETION", live("workflow", "describe", "w-1", "-o", "json").json()
        .get("pendingActivities").get(0).get("state").asText(), "nothing was recorded");

    assertOk(live("workflow", "signal", "w-1", "withdraw"));
    awaitPendingActivity("w-1", "CANCEL_REQUESTED");
    Run asked = live("activity", "heartbeat", "--workflow-id", "w-1", "--activity-id", "1", "-o", "json");
    assertOk(asked);
    assertEquals("{\n  \"workflowId\" : \"w-1\",\n  \"activityId\" : \"1\",\n  \"reported\" : \"heartbeat\",\n"
        + "  \"cancelRequested\" : true\n}\n", asked.out());
    Run askedTable = live("activity", "heartbeat", "--task-token", token);
    assertOk(askedTable);
    assertTrue(askedTable.out().endsWith("\nCancel requested  yes: stop the work, then run 'durable activity"
        + " cancel'\n"), askedTable.out());

    Run cancel = live("activity", "cancel", "--task-token", token, "--details", "\"withdrawn by ann\"");
    assertOk(cancel);
    assertEquals("Task token  " + token + "\nReported    canceled\n", cancel.out());
    assertEquals("\"activity: CanceledFailure\"\n", live("workflow", "result", "w-1").out());
    assertTrue(live("workflow", "show", "w-1").out().contains("ActivityTaskCanceled"), "the activity ended canceled");
    Run stale = live("activity", "heartbeat", "--task-token", token);
    assertEquals(ExitCodes.NOT_FOUND, stale.exit(), stale.err());
    assertTrue(stale.err().startsWith("DURABLE-234 "), stale.err());
    Run badDetails = live("activity", "cancel", "--task-token", token, "--details", "withdrawn");
    assertEquals(ExitCodes.USAGE, badDetails.exit(), badDetails.err());
    assertTrue(badDetails.err().startsWith("DURABLE-270 "), badDetails.err());
  }

  @Test
  void helpListsTheCommandsAndTheExitStatuses() {
    Run help = execute(null, "--help");
    assertOk(help);
    assertTrue(help.out().contains("workflow  Start, list, count, describe, show"), help.out());
    assertTrue(help.out().contains("activity  Complete, fail or heartbeat an activity"), help.out());
    assertTrue(help.out().contains("4   --timeout passed while the workflow was still running"), help.out());
    Run workflowHelp = execute(null, "workflow", "--help");
    for (String command : new String[] {"start", "list", "describe", "show", "signal", "query", "cancel", "terminate",
        "result", "delete", "reset", "pause", "resume"}) {
      assertTrue(workflowHelp.out().contains("\n  " + command + " "), command + " in\n" + workflowHelp.out());
    }
  }

  @Test
  void anUnreachableServerFromDurableAddressIsReportedWithItsAddressAndStatus6() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Run r = execute(Map.of("DURABLE_ADDRESS", "127.0.0.1:" + port), null, "workflow", "describe", "order-1");
    assertEquals(ExitCodes.UNAVAILABLE, r.exit(), r.err());
    assertTrue(r.err().startsWith("DURABLE-261 ") && r.err().contains("127.0.0.1:" + port), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    Run flag = execute(Map.of("DURABLE_ADDRESS", "127.0.0.1:1"), null, "workflow", "describe", "order-1",
        "--address", "127.0.0.1:" + port);
    assertTrue(flag.err().contains("127.0.0.1:" + port), "--address wins over DURABLE_ADDRESS: " + flag.err());
  }

  @Test
  void describeListsPendingActivities() {
    openServer();
    startWorker();
    assertOk(live("workflow", "start", "--type", "Holding", "--task-queue", "approvals", "--workflow-id", "h-1"));
    Run describe = Eventually.eventually("the activity to be running", () -> live("workflow", "describe", "h-1"),
        r -> r.out().contains("STARTED"));
    assertMatches(".*Search attributes           -\n\n"
        + "Pending activities:\n"
        + "ACTIVITY ID  TYPE  STATE    ATTEMPT  SCHEDULED                 LAST HEARTBEAT  NEXT ATTEMPT  LAST FAILURE\n"
        + "1            Pass  STARTED  1        2030-01-01T00:00:00.000Z  -               -             -\n", describe.out());
    JsonNode pending = live("workflow", "describe", "h-1", "-o", "json").json().get("pendingActivities").get(0);
    assertEquals("Pass", pending.get("activityType").asText());
    assertEquals("STARTED", pending.get("state").asText());
    assertEquals(1, pending.get("attempt").asInt());
    assertEquals("2030-01-01T00:00:00Z", pending.get("scheduledTime").asText());
    assertTrue(pending.get("lastFailure").isNull());
    gate.release.countDown();
    Run result = live("workflow", "result", "h-1");
    assertOk(result);
    assertEquals("\"passed\"\n", result.out());
  }

  @Test
  void serverStartOnABusyPortFailsWithStatus6AndLeavesTheDataDirFree() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run r = execute(null, "server", "start", "--data-dir", dir.toString(), "--address", "127.0.0.1:" + busy.getLocalPort());
      assertEquals(ExitCodes.UNAVAILABLE, r.exit(), r.err());
      assertTrue(r.err().startsWith("DURABLE-267 cannot listen on 127.0.0.1:" + busy.getLocalPort()), r.err());
      assertEquals("", r.out());
    }
    Run missingKey = execute(null, "server", "start", "--data-dir", dir.toString(), "--tls-cert", "server.pem");
    assertEquals(ExitCodes.USAGE, missingKey.exit());
    assertEquals("DURABLE-270 --tls-cert and --tls-key go together: give both to serve TLS, or neither.\n",
        missingKey.err());
    int closedPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    Run unreachable = execute(null, "server", "start", "--postgres-url", "jdbc:postgresql://127.0.0.1:" + closedPort
        + "/durable", "--address", "127.0.0.1:0");
    assertEquals(ExitCodes.UNAVAILABLE, unreachable.exit(), unreachable.err());
    assertTrue(unreachable.err().startsWith("DURABLE-310 "), unreachable.err());
    Run noDir = execute(null, "server", "start");
    assertEquals(ExitCodes.USAGE, noDir.exit());
    assertEquals("DURABLE-270 Missing where to store workflows: give --data-dir DIR (RocksDB on this machine) or"
        + " --postgres-url URL (a PostgreSQL database).\n", noDir.err());
    openServer(); // the failed start released the data dir
  }

  @Test
  void serverStartTakesItsTokenFromTheCliEnvironment() {
    CommandLine cl = DurableCli.commandLine(Map.of("DURABLE_TOKEN", "from-env"), null);
    ParseResult parsed = cl.parseArgs("server", "start", "--data-dir", dir.resolve("standalone").toString(),
        "--address", "127.0.0.1:0");
    ServerMain start = (ServerMain) parsed.subcommand().subcommand().commandSpec().userObject();
    try (DurableGrpcServer server = start.newServer().start()) {
      try (WorkflowClient none = WorkflowClient.connect(server.address())) {
        assertEquals("DURABLE-262", assertThrows(DurableException.class, () -> none.listWorkflows(false, 1)).getCode());
      }
      try (WorkflowClient ok = WorkflowClient.connect(ConnectionOptions.newBuilder().setAddress(server.address())
          .setToken("from-env").build())) {
        assertEquals(0, ok.listWorkflows(false, 1).size());
      }
    }
  }

  @Test
  void listAndCountFilterByStatusTypeTimeAndSearchAttributes() {
    openServer();
    startWorker();
    assertOk(live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "a-1",
        "--input", "\"A\"", "--input", "1", "--search-attribute", "CustomerId=\"c-1\"", "--search-attribute", "Total=10"));
    assertOk(live("workflow", "start", "--type", "Approval", "--task-queue", "approvals", "--workflow-id", "a-2",
        "--input", "\"B\"", "--input", "2", "--search-attribute", "CustomerId=\"c-2\"", "--search-attribute", "Total=200"));
    assertOk(live("workflow", "terminate", "a-2"));
    clock.advance(Duration.ofMinutes(1));
    assertOk(live("workflow", "start", "--type", "Refusal", "--task-queue", "approvals", "--workflow-id", "r-1",
        "--input", "\"o-1\""));
    assertEquals(ExitCodes.WORKFLOW_FAILED, live("workflow", "result", "r-1").exit());

    assertEquals("[\"r-1\"]", ids(live("workflow", "list", "--type", "Refusal", "-o", "json")));
    assertEquals("[\"a-2\"]", ids(live("workflow", "list", "--search-attribute", "CustomerId=\"c-2\"", "-o", "json")));
    assertEquals("[\"a-2\"]", ids(live("workflow", "list", "--search-attribute-range", "Total=100..", "-o", "json")));
    assertEquals("[\"a-1\"]", ids(live("workflow", "list", "--search-attribute-range", "Total=..100", "-o", "json")));
    assertEquals("[\"r-1\"]", ids(live("workflow", "list", "--started-after", "2030-01-01T00:00:30Z", "-o", "json")));
    assertEquals("[\"r-1\",\"a-2\"]", ids(live("workflow", "list", "--status", "FAILED,TERMINATED", "-o", "json")));
    assertEquals("[\"a-1\"]", ids(live("workflow", "list", "--status", "running", "--task-queue", "approvals",
        "--started-before", "2030-01-02", "-o", "json")));
    Run count = live("workflow", "count", "--status", "RUNNING", "--status", "TERMINATED");
    assertOk(count);
    assertEquals("2\n", count.out());
    assertEquals("{\n  \"count\" : 3\n}\n", live("workflow", "count", "-o", "json").out());

    Run describe = live("workflow", "describe", "a-1");
    assertTrue(describe.out().contains("\nSearch attributes           CustomerId=\"c-1\" Total=10\n"), describe.out());
    JsonNode attributes = live("workflow", "describe", "a-1", "-o", "json").json().get("searchAttributes");
    assertEquals("c-1", attributes.get("CustomerId").asText());
    assertEquals(10, attributes.get("Total").asLong());

    Run badName = live("workflow", "list", "--search-attribute", "no spaces=1");
    assertEquals(ExitCodes.USAGE, badName.exit(), badName.err());
    assertTrue(badName.err().startsWith("DURABLE-254 invalid workflow filter: "), badName.err());
    Run badRange = live("workflow", "list", "--search-attribute-range", "Total=lots..");
    assertEquals(ExitCodes.USAGE, badRange.exit());
    assertEquals("DURABLE-270 --search-attribute-range Total: 'lots' is neither a number nor a time (ISO-8601 UTC"
        + " such as 2026-11-26T10:00:00Z)\n", badRange.err());
  }
}
