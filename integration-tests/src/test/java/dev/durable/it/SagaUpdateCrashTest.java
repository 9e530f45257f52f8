package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.server.DurableServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a worker JVM in the middle of a saga's compensation and after an update was accepted,
 * restarts it on the same data dir, and checks what holds: compensations run at least once each,
 * in reverse order, and one whose completion was recorded before the kill never runs again; an
 * accepted update is recorded once and its result reaches a client that sends the same update id
 * after the restart. Also runs local activities under the agent: their I/O is not workflow code.
 */
class SagaUpdateCrashTest {
  @TempDir Path tmp;

  @Test
  void aSagaKilledDuringCompensationFinishesItAfterARestartWithoutRepeatingRecordedCompensations() throws Exception {
    Path dataDir = tmp.resolve("data");
    Path ledgerFile = tmp.resolve("ledger.txt");
    try (ChildJvm first = start("saga", dataDir, ledgerFile, 1)) {
      CrashHarness.awaitWhileAlive(first, "two compensations in the ledger",
          () -> lines(ledgerFile, "undo ").size() >= 2);
      first.kill();
    }
    try (ChildJvm second = start("saga", dataDir, ledgerFile, 2)) {
      assertEquals(0, second.awaitExit(), second.report());
      assertEquals(List.of("FAILED"), second.stdoutValues("SAGA "), second.report());
    }

    List<String> undos = lines(ledgerFile, "undo ");
    List<Integer> firstRunOrder = new ArrayList<>();
    for (String line : undos) {
      int item = Integer.parseInt(line.split(" ")[1]);
      if (!firstRunOrder.contains(item)) {
        firstRunOrder.add(item);
      }
    }
    assertEquals(List.of(4, 3, 2, 1, 0), firstRunOrder, "each compensation ran, in reverse order: " + undos);
    assertTrue(undos.stream().anyMatch(l -> l.contains("run=1")) && undos.stream().anyMatch(l -> l.contains("run=2")),
        "the kill landed during compensation: " + undos);
    List<String> recorded = recordedResults("trip", "ActivityTaskCompleted", dataDir).stream()
        .filter(r -> r.startsWith("undo ")).toList();
    assertEquals(ITEMS_REVERSED, recorded.stream().map(r -> Integer.parseInt(r.split(" ")[1])).toList());
    for (String r : recorded) {
      String item = r.split(" run=")[0];
      List<String> runs = undos.stream().filter(l -> l.startsWith(item + " run=")).toList();
      // At least once: a compensation runs again only if the kill came before its completion was recorded.
      assertEquals(r, runs.get(runs.size() - 1), "nothing ran " + item + " after its recorded execution: " + undos);
      assertTrue(runs.size() == 1 || (runs.size() == 2 && runs.get(0).contains("run=1") && r.contains("run=2")),
          item + " ran at most once per child run, the extra one only across the kill: " + undos);
    }
    StoredHistories.assertAllValid(dataDir);
  }

  private static final List<Integer> ITEMS_REVERSED = List.of(4, 3, 2, 1, 0);

  @Test
  void anUpdateAcceptedBeforeAKillIsRecordedOnceAndItsResultReachesTheClientAfterARestart() throws Exception {
    Path dataDir = tmp.resolve("data");
    Path ledgerFile = tmp.resolve("ledger.txt");
    try (ChildJvm first = start("update", dataDir, ledgerFile, 1)) {
      CrashHarness.awaitWhileAlive(first, "the update's handler running its activity",
          () -> !lines(ledgerFile, "apply ").isEmpty());
      first.kill();
    }
    try (ChildJvm second = start("update", dataDir, ledgerFile, 2)) {
      assertEquals(0, second.awaitExit(), second.report());
      assertEquals(List.of("7"), second.stdoutValues("UPDATE-RESULT "), second.report());
      assertEquals(List.of("7"), second.stdoutValues("COUNTER "), second.report());
    }
    List<String> applies = lines(ledgerFile, "apply ");
    assertEquals(2, applies.size(), "the in-flight activity ran again after the kill (at least once): " + applies);
    assertTrue(applies.get(0).contains("run=1") && applies.get(1).contains("run=2"), applies.toString());
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      List<String> types = client.newUntypedWorkflowStub("counter").getHistory().getEvents().stream()
          .map(e -> e.eventType()).toList();
      assertEquals(1, types.stream().filter("WorkflowUpdateAccepted"::equals).count(), types.toString());
      assertEquals(1, types.stream().filter("WorkflowUpdateCompleted"::equals).count(), types.toString());
    }
    StoredHistories.assertAllValid(dataDir);
  }

  @Test
  void localActivitiesDoTheirIoOutsideTheSandboxUnderTheAgent() throws Exception {
    Path dataDir = tmp.resolve("data");
    Path ledgerFile = tmp.resolve("ledger.txt");
    try (ChildJvm child = ChildJvm.launcher(SagaUpdateChild.class.getName(), "local", dataDir, ledgerFile, 1)
        .agent("").start(tmp, "local-1")) {
      assertEquals(0, child.awaitExit(), child.report());
      assertEquals(List.of("11"), child.stdoutValues("LOCAL-RESULT "), child.report());
      assertTrue(!child.stderrText().contains("DURABLE-101"), child.report());
    }
    assertEquals(2, lines(ledgerFile, "note ").size());
    List<String> types = new ArrayList<>();
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      client.newUntypedWorkflowStub("sum").getHistory().getEvents().forEach(e -> types.add(e.eventType()));
    }
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "MarkerRecorded", "MarkerRecorded",
        "WorkflowExecutionCompleted"), types);
  }

  private ChildJvm start(String mode, Path dataDir, Path ledgerFile, int run) throws java.io.IOException {
    return ChildJvm.start(tmp, mode + "-" + run, SagaUpdateChild.class.getName(), mode, dataDir, ledgerFile, run);
  }

  private static List<String> lines(Path ledgerFile, String prefix) throws java.io.IOException {
    return CrashHarness.ledger(ledgerFile).stream().filter(l -> l.startsWith(prefix)).toList();
  }

  /** The JSON text of each activity result recorded in the workflow's history, in order. */
  private static List<String> recordedResults(String workflowId, String eventType, Path dataDir) throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> out = new ArrayList<>();
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      for (var e : client.newUntypedWorkflowStub(workflowId).getHistory().getEvents()) {
        if (e.eventType().equals(eventType)) {
          out.add(json.readTree(e.attributesJson()).get("result").get("json").asText());
        }
      }
    }
    return out;
  }
}
