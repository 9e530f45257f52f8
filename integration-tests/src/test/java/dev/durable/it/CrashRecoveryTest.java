package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowStub;
import dev.durable.server.DurableServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a worker JVM with SIGKILL at random points while 20 workflows run 10 steps each, restarts
 * it on the same data dir each time, and checks the history against the ledger the steps wrote.
 *
 * <h2>How "a completed step never runs again" is checked</h2>
 *
 * Every execution of a step appends a unique line to the ledger before it returns, and returns
 * that very line as its result (see {@link CrashChild}). So the {@code ActivityTaskCompleted}
 * event of a step names the one execution whose completion the server recorded, call it R.
 * R's line was written before its completion was recorded, so any execution of the step that
 * came after the completion was recorded must appear after R in the ledger (the ledger is
 * append-only and the child runs never overlap). The test therefore requires, for every step:
 * <ol>
 *   <li>R is the <em>last</em> ledger line of the step: nothing ran the step after R, in
 *       particular nothing after R's completion was recorded;</li>
 *   <li>every earlier line of the step comes from an earlier child run than R. Those are the
 *       allowed at-least-once re-runs: the step ran, the run was killed before the completion
 *       reached the history, and a later run ran it again. Within one run a step never runs twice
 *       (its start-to-close timeout is far longer than the test);</li>
 *   <li>the next step's first line comes after R: steps run in order, each only once the previous
 *       one's completion is recorded.</li>
 * </ol>
 */
class CrashRecoveryTest {
  private static final long SEED = 20_261_126L;
  private static final int KILLS = 6;
  // Each killed run waits for 5..25 new ledger lines, so the kills together allow at most
  // 6 * 25 = 150 of the 200 steps: every kill lands while work is still going on.
  private static final int MIN_GROWTH = 5;
  private static final int MAX_GROWTH = 25;
  private static final Pattern LINE = Pattern.compile("(chain-\\d+):(\\d+) run=(\\d+) exec=\\d+ attempt=\\d+");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void workflowsFinishAfterRepeatedSigkillsAndNoCompletedStepRunsAgain() throws Exception {
    Path dataDir = tmp.resolve("data");
    Path ledgerFile = tmp.resolve("ledger.txt");
    Random random = new Random(SEED);

    int run = 0;
    for (int kill = 1; kill <= KILLS; kill++) {
      run++;
      long target = ledger(ledgerFile).size() + MIN_GROWTH + random.nextInt(MAX_GROWTH - MIN_GROWTH + 1);
      try (ChildJvm child = startChild(dataDir, ledgerFile, run)) {
        awaitLedgerLines(ledgerFile, target, child);
        child.kill();
      }
    }
    run++;
    try (ChildJvm last = startChild(dataDir, ledgerFile, run)) {
      assertEquals(0, last.awaitExit(), "the last run must finish every workflow\n" + last.report());
    }

    List<String> ledger = ledger(ledgerFile);
    assertEquals(ledger.size(), new HashSet<>(ledger).size(), "ledger lines are unique by construction");
    System.out.println(run + " child runs wrote " + ledger.size() + " ledger lines for "
        + CrashChild.WORKFLOWS * CrashChild.STEPS + " steps");
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      for (int i = 0; i < CrashChild.WORKFLOWS; i++) {
        String id = CrashChild.workflowId(i);
        WorkflowStub stub = client.newUntypedWorkflowStub(id);
        List<String> recorded = recordedStepResults(stub.getHistory());
        @SuppressWarnings("unchecked")
        List<String> result = stub.getResult(List.class);
        assertEquals(recorded, result, id + ": the result is the list of the recorded step results");
        checkSteps(id, recorded, ledger);
      }
    }
  }

  /** Checks one workflow's recorded step results against the ledger, as the class comment explains. */
  private static void checkSteps(String id, List<String> recorded, List<String> ledger) {
    assertEquals(CrashChild.STEPS, recorded.size(), id + " recorded " + recorded);
    int previousRecordedAt = -1;
    for (int step = 0; step < CrashChild.STEPS; step++) {
      String r = recorded.get(step);
      Matcher m = parse(r);
      assertEquals(id + ":" + step, m.group(1) + ":" + m.group(2), "step " + step + " of " + id + " recorded " + r);
      int recordedRun = Integer.parseInt(m.group(3));

      List<Integer> positions = new ArrayList<>();
      for (int p = 0; p < ledger.size(); p++) {
        Matcher l = parse(ledger.get(p));
        if (l.group(1).equals(id) && Integer.parseInt(l.group(2)) == step) {
          positions.add(p);
        }
      }
      String context = id + ":" + step + " ran as " + positions.stream().map(ledger::get).toList() + ", recorded " + r;
      assertFalse(positions.isEmpty(), context);
      int recordedAt = ledger.indexOf(r);
      assertTrue(recordedAt >= 0, "the recorded execution is in the ledger: " + context);
      assertEquals(positions.get(positions.size() - 1), recordedAt,
          "no execution of a step may follow the one whose completion was recorded: " + context);
      for (int p : positions.subList(0, positions.size() - 1)) {
        int rerunFrom = Integer.parseInt(parse(ledger.get(p)).group(3));
        assertTrue(rerunFrom < recordedRun, "a step runs again only after a kill, never twice in one run: " + context);
      }
      assertTrue(positions.get(0) > previousRecordedAt,
          "a step starts only after the previous step's completion is recorded: " + context);
      previousRecordedAt = recordedAt;
    }
  }

  /** Reads each step's recorded result from the history, in step order. */
  private static List<String> recordedStepResults(WorkflowHistory history) throws IOException {
    Map<Long, Integer> stepOfScheduledEvent = new HashMap<>();
    Map<Integer, String> resultOfStep = new HashMap<>();
    for (WorkflowHistory.Event e : history.getEvents()) {
      JsonNode attributes = JSON.readTree(e.attributesJson());
      switch (e.eventType()) {
        case "ActivityTaskScheduled" ->
            stepOfScheduledEvent.put(e.eventId(), attributes.get("input").get(0).get("json").asInt());
        case "ActivityTaskCompleted" -> {
          Integer step = stepOfScheduledEvent.get(attributes.get("scheduledEventId").asLong());
          assertNotNull(step, "completion without a schedule in " + history.toJson());
          String previous = resultOfStep.put(step, attributes.get("result").get("json").asText());
          assertNull(previous, "step " + step + " completed twice in " + history.toJson());
        }
        default -> { }
      }
    }
    List<String> results = new ArrayList<>();
    for (int step = 0; step < stepOfScheduledEvent.size(); step++) {
      results.add(resultOfStep.get(step));
    }
    return results;
  }

  private ChildJvm startChild(Path dataDir, Path ledgerFile, int run) throws IOException {
    return ChildJvm.start(tmp, "crash-child-" + run, CrashChild.class.getName(), dataDir, ledgerFile, run);
  }

  /** Waits until the ledger has {@code target} lines; the child must stay alive meanwhile. */
  private static void awaitLedgerLines(Path ledgerFile, long target, ChildJvm child) throws Exception {
    long deadline = System.nanoTime() + ChildJvm.DEADLINE.toNanos();
    while (ledger(ledgerFile).size() < target) {
      if (!child.isAlive()) {
        fail("child exited before the ledger reached " + target + " lines\n" + child.report());
      }
      if (System.nanoTime() > deadline) {
        fail("the ledger did not reach " + target + " lines within " + ChildJvm.DEADLINE + "\n" + child.report());
      }
      Thread.sleep(1); // polls the file; the wait ends on its content, not on the clock
    }
  }

  private static List<String> ledger(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    // A line counts once its newline is written: while a child runs, the tail may be half written.
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String complete = text.substring(0, text.lastIndexOf('\n') + 1);
    return complete.isEmpty() ? List.of() : List.of(complete.split("\n"));
  }

  private static Matcher parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      fail("malformed ledger line: '" + line + "'");
    }
    return m;
  }
}
