package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.client.WorkflowHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the crash tests share: the step ledger, waits on a child JVM that fail as soon as the
 * child dies, and the check that no step whose completion was recorded ran again.
 *
 * <h2>The ledger</h2>
 *
 * Every execution of a step appends one unique line to a ledger file before it returns (or
 * throws), and a successful one returns that very line:
 *
 * <pre>{@code chain-3:7 run=2 exec=41 attempt=1 [ok|fail]}</pre>
 *
 * that is {@code workflowId:step}, the number of the child run, a counter that makes the line
 * unique within the run, the attempt, and whether the execution failed on purpose. So the
 * {@code ActivityTaskCompleted} event of a step names the one execution whose completion the
 * server recorded, call it R. R's line was written before its completion was recorded, so any
 * execution after the completion was recorded would appear after R (the ledger is append-only
 * and child runs never overlap). {@link #checkSteps} therefore requires, for every step:
 * <ol>
 *   <li>R is the <em>last</em> ledger line of the step: nothing ran the step after R;</li>
 *   <li>every earlier line of the step comes from an earlier child run than R (an allowed
 *       at-least-once re-run: the run was killed before the completion reached the history), or
 *       is a failed earlier attempt of the same run (a retry);</li>
 *   <li>the next step's first line comes after R: steps run in order, each only once the previous
 *       one's completion is recorded.</li>
 * </ol>
 */
final class CrashHarness {
  private static final Pattern LINE =
      Pattern.compile("(\\S+):(\\d+) run=(\\d+) exec=\\d+ attempt=(\\d+)(?: (ok|fail))?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private CrashHarness() {}

  /** Returns {@code RELIABILITY_ROUNDS} from the environment: how much longer a soak run should be (0: CI). */
  static int soakRounds() {
    String rounds = System.getenv("RELIABILITY_ROUNDS");
    return rounds == null || rounds.isBlank() ? 0 : Integer.parseInt(rounds.trim());
  }

  /** Reads the ledger's complete lines: while a child runs, the last one may be half written. */
  static List<String> ledger(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String complete = text.substring(0, text.lastIndexOf('\n') + 1);
    return complete.isEmpty() ? List.of() : List.of(complete.split("\n"));
  }

  /**
   * Waits until {@code condition} holds. Fails with the child's output if the child exits first or
   * {@link ChildJvm#DEADLINE} passes. Polls with short parks; the wait ends on the condition.
   */
  static void awaitWhileAlive(ChildJvm child, String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + ChildJvm.DEADLINE.toNanos();
    while (!condition.call()) {
      if (!child.isAlive()) {
        fail("child exited before " + what + "\n" + child.report());
      }
      if (System.nanoTime() > deadline) {
        fail("no " + what + " within " + ChildJvm.DEADLINE + "\n" + child.report());
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Reads each step's recorded result from a history whose steps take the step number as first argument. */
  static List<String> recordedStepResults(WorkflowHistory history) throws IOException {
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

  /** Checks one workflow's recorded step results against the ledger, as the class comment explains. */
  static void checkSteps(String id, int steps, List<String> recorded, List<String> ledger) {
    assertEquals(steps, recorded.size(), id + " recorded " + recorded);
    int previousRecordedAt = -1;
    for (int step = 0; step < steps; step++) {
      String r = recorded.get(step);
      Matcher m = parse(r);
      assertEquals(id + ":" + step, m.group(1) + ":" + m.group(2), "step " + step + " of " + id + " recorded " + r);
      assertFalse("fail".equals(m.group(5)), "a failed execution's line is never a result: " + r);
      int recordedRun = Integer.parseInt(m.group(3));
      int recordedAttempt = Integer.parseInt(m.group(4));

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
        Matcher earlier = parse(ledger.get(p));
        int run = Integer.parseInt(earlier.group(3));
        boolean retry = "fail".equals(earlier.group(5)) && Integer.parseInt(earlier.group(4)) < recordedAttempt;
        assertTrue(run < recordedRun || retry,
            "a step runs again only after a kill or a failed attempt, never twice in one run: " + context);
      }
      assertTrue(positions.get(0) > previousRecordedAt,
          "a step starts only after the previous step's completion is recorded: " + context);
      previousRecordedAt = recordedAt;
    }
  }

  private static Matcher parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      fail("malformed ledger line: '" + line + "'");
    }
    return m;
  }
}
