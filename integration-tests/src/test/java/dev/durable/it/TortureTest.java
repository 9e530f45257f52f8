package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowStatus;
import dev.durable.client.WorkflowStub;
import dev.durable.server.DurableServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash torture: runs {@link TortureChild}'s mixed workload (chains of activities that fail and
 * are retried, durable timers, signals sent from here) in a child JVM, SIGKILLs it at moments
 * picked by a seeded random — while a step runs or its completion is being committed, right
 * after a signal was acknowledged, right after a workflow closed, or during recovery right after
 * a restart — restarts it on the same data dir, and repeats. At the end:
 * <ul>
 *   <li>every workflow was started once, and closed once as COMPLETED with the right result;</li>
 *   <li>no step whose completion was recorded ran again ({@link CrashHarness#checkSteps});</li>
 *   <li>every signal acknowledged to this test was delivered exactly once, and none twice;</li>
 *   <li>no timer fired early (by the server's event times and by workflow time) nor was lost;</li>
 *   <li>every history passes the history validator.</li>
 * </ul>
 * CI runs 12 kills; {@code RELIABILITY_ROUNDS=N} runs 12 N kills with N times the work.
 */
class TortureTest {
  private static final long SEED = 7_2026L;
  private static final int ROUNDS = Math.max(1, CrashHarness.soakRounds());
  private static final int KILLS = 12 * ROUNDS;
  private static final int CHAINS = 6;
  private static final int STEPS = 20 * ROUNDS;
  private static final int SLEEPERS = 3;
  private static final int NAPS = 4;
  private static final int INBOXES = 3;
  private static final int MESSAGES = 8 * ROUNDS;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The moments a kill can be tied to. */
  private enum Trigger { STEP_RAN, SIGNAL_ACKED, WORKFLOW_CLOSED, RESTARTED }

  @TempDir Path tmp;
  private Path dataDir;
  private Path ledgerFile;
  private final Random random = new Random(SEED);
  /** Signals still to send, in order: {@code inbox-i} and its payload. */
  private final Deque<String[]> toSend = new ArrayDeque<>();
  private final Set<String> acked = new HashSet<>();
  private final Set<String> sent = new HashSet<>();
  private final Map<String, List<String>> startedRuns = new HashMap<>();
  private final Map<Trigger, Integer> kills = new HashMap<>();
  private final Set<String> finished = new HashSet<>();

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void mixedWorkloadSurvivesRepeatedSigkillsWithEveryGuaranteeIntact() throws Exception {
    dataDir = tmp.resolve("data");
    ledgerFile = tmp.resolve("ledger.txt");
    for (int m = 0; m < MESSAGES; m++) {
      for (int i = 0; i < INBOXES; i++) {
        toSend.add(new String[] {"inbox-" + i, "inbox-" + i + "/m" + m});
      }
    }

    for (int run = 1; run <= KILLS; run++) {
      killedRun(run);
    }
    lastRun(KILLS + 1);
    System.out.println("TortureTest: " + KILLS + " kills " + kills + ", " + CrashHarness.ledger(ledgerFile).size()
        + " step executions for " + CHAINS * STEPS + " steps, " + acked.size() + " of " + sent.size()
        + " signals acknowledged");

    List<WorkflowDescription> all = StoredHistories.assertAllValid(dataDir);
    assertEquals(CHAINS + SLEEPERS + INBOXES, all.size());
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      for (WorkflowDescription d : all) {
        assertEquals(WorkflowStatus.COMPLETED, d.status(), d.toString());
        List<String> runs = startedRuns.getOrDefault(d.workflowId(), List.of());
        assertTrue(runs.size() <= 1, d.workflowId() + " was started more than once: " + runs);
        runs.forEach(r -> assertEquals(r, d.runId(), d.workflowId() + " closed in another run than it started"));
      }
      List<String> ledger = CrashHarness.ledger(ledgerFile);
      for (int i = 0; i < CHAINS; i++) {
        checkChain(client.newUntypedWorkflowStub("chain-" + i), ledger);
      }
      for (int i = 0; i < SLEEPERS; i++) {
        checkSleeper(client.newUntypedWorkflowStub("sleeper-" + i));
      }
      // The listing indexes survived the kills in step with the runs.
      assertEquals(SLEEPERS, client.countWorkflows(dev.durable.client.WorkflowFilter.newBuilder()
          .addSearchAttribute("Nap", NAPS - 1).setStatuses(WorkflowStatus.COMPLETED).build()));
      assertEquals(CHAINS + SLEEPERS + INBOXES, client.countWorkflows(dev.durable.client.WorkflowFilter.newBuilder()
          .setStatuses(WorkflowStatus.COMPLETED).build()));
      for (int i = 0; i < INBOXES; i++) {
        checkInbox(client.newUntypedWorkflowStub("inbox-" + i));
      }
    }
  }

  private ChildJvm startChild(int run) throws Exception {
    ChildJvm child = ChildJvm.start(tmp, "torture-" + run, TortureChild.class.getName(), dataDir, ledgerFile, run,
        SEED, CHAINS, STEPS, SLEEPERS, NAPS, INBOXES);
    child.awaitLine("ready", "ready"::equals);
    return child;
  }

  /** Runs the child until the trigger picked for this run, sending signals meanwhile, then kills it. */
  private void killedRun(int run) throws Exception {
    try (ChildJvm child = startChild(run)) {
      Trigger trigger = pickTrigger();
      kills.merge(trigger, 1, Integer::sum);
      int ledgerAtStart = CrashHarness.ledger(ledgerFile).size();
      int ledgerTarget = ledgerAtStart + 1 + random.nextInt(4);
      int ackTarget = child.stdoutValues("acked ").size() + 1 + random.nextInt(3);
      int closedTarget = child.stdoutValues("finished ").size() + 1;
      // Signals go out all along, but only a few per run unless the kill waits for them, so that
      // some are left for the later runs.
      int budget = trigger == Trigger.SIGNAL_ACKED ? Integer.MAX_VALUE : random.nextInt(3);
      String[] outstanding = null;
      long deadline = System.nanoTime() + ChildJvm.DEADLINE.toNanos();
      while (true) {
        boolean reached = switch (trigger) {
          case STEP_RAN -> CrashHarness.ledger(ledgerFile).size() >= ledgerTarget;
          case SIGNAL_ACKED -> child.stdoutValues("acked ").size() >= ackTarget;
          // Or every workflow has closed: the last close of a child killed before it could print
          // "finished" shows only as "already finished" in the next child, which closes nothing more.
          case WORKFLOW_CLOSED -> child.stdoutValues("finished ").size() >= closedTarget || allFinished(child);
          case RESTARTED -> true;
        };
        if (reached) {
          break;
        }
        outstanding = acknowledged(child, outstanding) ? null : outstanding;
        if (outstanding == null && budget > 0 && !toSend.isEmpty()) {
          outstanding = send(child);
          budget--;
        }
        assertTrue(child.isAlive(), "child died on its own\n" + child.report());
        assertTrue(System.nanoTime() < deadline, "trigger " + trigger + " not reached\n" + child.report());
        LockSupport.parkNanos(1_000_000);
      }
      child.kill();
      collect(child);
      // A signal sent but not acknowledged may or may not have been recorded: it is not sent again.
    }
  }

  /** Runs the child without killing it: sends the remaining signals, then one {@code done} to each inbox. */
  private void lastRun(int run) throws Exception {
    try (ChildJvm child = startChild(run)) {
      for (int i = 0; i < INBOXES; i++) {
        toSend.add(new String[] {"inbox-" + i, "inbox-" + i + "/done"});
      }
      String[] outstanding = null;
      long deadline = System.nanoTime() + ChildJvm.DEADLINE.toNanos();
      while (!toSend.isEmpty() || outstanding != null) {
        outstanding = acknowledged(child, outstanding) ? null : outstanding;
        if (outstanding == null && !toSend.isEmpty()) {
          outstanding = send(child);
        }
        assertTrue(child.isAlive(), "child died on its own\n" + child.report());
        assertTrue(System.nanoTime() < deadline, "signals not acknowledged\n" + child.report());
        LockSupport.parkNanos(1_000_000);
      }
      assertEquals(0, child.awaitExit(), child.report());
      collect(child);
    }
  }

  /** Whether every chain and sleeper has closed, as this child and the ones before it printed. */
  private boolean allFinished(ChildJvm child) {
    Set<String> all = new HashSet<>(finished);
    all.addAll(child.stdoutValues("finished "));
    all.addAll(child.stdoutValues("already finished "));
    return all.size() >= CHAINS + SLEEPERS;
  }

  /** Picks a trigger that this run can still reach, given the work left. */
  private Trigger pickTrigger() throws Exception {
    List<Trigger> possible = new ArrayList<>(List.of(Trigger.RESTARTED));
    if (toSend.size() > 3) {
      possible.add(Trigger.SIGNAL_ACKED);
    }
    if (stepsWithSuccess() < CHAINS * STEPS - 4) {
      possible.add(Trigger.STEP_RAN);
    }
    if (finished.size() < CHAINS + SLEEPERS - 1) {
      possible.add(Trigger.WORKFLOW_CLOSED);
    }
    if (possible.size() > 1 && random.nextInt(4) > 0) {
      possible.remove(Trigger.RESTARTED); // the least interesting moment: picked a quarter of the time
    }
    return possible.get(random.nextInt(possible.size()));
  }

  private int stepsWithSuccess() throws Exception {
    Set<String> steps = new HashSet<>();
    for (String line : CrashHarness.ledger(ledgerFile)) {
      if (line.endsWith(" ok")) {
        steps.add(line.substring(0, line.indexOf(' ')));
      }
    }
    return steps.size();
  }

  /** Returns whether the child acknowledged {@code outstanding} (false when there is none). */
  private static boolean acknowledged(ChildJvm child, String[] outstanding) {
    return outstanding != null && child.stdoutValues("acked ").contains(outstanding[1]);
  }

  /** Sends the next signal and returns it: one at a time, so that the order they are sent in is known. */
  private String[] send(ChildJvm child) {
    String[] next = toSend.poll();
    sent.add(next[1]);
    child.send("signal " + next[0] + " " + next[1]);
    return next;
  }

  /** Records what a finished child run acknowledged and started. */
  private void collect(ChildJvm child) {
    acked.addAll(child.stdoutValues("acked "));
    finished.addAll(child.stdoutValues("finished "));
    finished.addAll(child.stdoutValues("already finished "));
    for (String started : child.stdoutValues("started ")) {
      String[] parts = started.split(" ");
      startedRuns.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
    }
  }

  private void checkChain(WorkflowStub stub, List<String> ledger) throws Exception {
    String id = stub.getWorkflowId();
    List<String> recorded = CrashHarness.recordedStepResults(stub.getHistory());
    assertEquals(recorded, stub.getResult(List.class), id + ": the result is the list of the recorded step results");
    CrashHarness.checkSteps(id, STEPS, recorded, ledger);
  }

  private void checkSleeper(WorkflowStub stub) throws Exception {
    String id = stub.getWorkflowId();
    @SuppressWarnings("unchecked")
    List<String> naps = stub.getResult(List.class);
    assertEquals(NAPS, naps.size(), id + " " + naps);
    for (int nap = 0; nap < NAPS; nap++) {
      String[] f = naps.get(nap).split(" ");
      assertEquals(nap, Integer.parseInt(f[0]));
      long before = Long.parseLong(f[1]);
      long millis = Long.parseLong(f[2]);
      long after = Long.parseLong(f[3]);
      assertEquals(TortureChild.napLength(nap).toMillis(), millis);
      assertTrue(after >= before + millis, id + " nap " + nap + " woke up early in workflow time: " + naps.get(nap));
    }
    Map<Integer, Instant> fireAt = new HashMap<>();
    int fired = 0;
    WorkflowHistory history = stub.getHistory();
    for (WorkflowHistory.Event e : history.getEvents()) {
      JsonNode a = JSON.readTree(e.attributesJson());
      if (e.eventType().equals("TimerStarted")) {
        fireAt.put(a.get("seq").asInt(), Instant.parse(a.get("fireAt").asText()));
      } else if (e.eventType().equals("TimerFired")) {
        Instant due = fireAt.get(a.get("seq").asInt());
        assertNotNull(due, id + " fired a timer it never started");
        assertTrue(!e.timestamp().isBefore(due), id + " timer fired at " + e.timestamp() + ", before " + due);
        fired++;
      }
    }
    assertEquals(NAPS, fired, id + " lost a timer:\n" + history.toJson());
    assertEquals((long) NAPS - 1, stub.describe().orElseThrow().searchAttributes().get("Nap"), id + " search attributes");
  }

  private void checkInbox(WorkflowStub stub) {
    String id = stub.getWorkflowId();
    @SuppressWarnings("unchecked")
    List<String> received = stub.getResult(List.class);
    assertEquals(received.size(), new LinkedHashSet<>(received).size(), id + " got a signal twice: " + received);
    for (String message : received) {
      assertTrue(sent.contains(message), id + " got a signal nobody sent: " + message);
    }
    for (String message : acked) {
      if (message.startsWith(id + "/")) {
        assertTrue(received.contains(message), id + " lost the acknowledged signal " + message + ": " + received);
      }
    }
    assertEquals(id + "/done", received.get(received.size() - 1), id + " " + received);
    List<String> ordered = received.stream().filter(m -> !m.endsWith("/done")).toList();
    List<String> inSendOrder = ordered.stream()
        .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
    assertEquals(inSendOrder, ordered, id + " got its signals out of order");
  }

  private static int number(String message) {
    return Integer.parseInt(message.substring(message.indexOf("/m") + 2));
  }
}
