package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowStatus;
import dev.durable.server.DurableServer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a JVM half-way through a fan-out of 1,000 activities, a parent with 20 children, a
 * chain of runs that continue as new, and a workflow signalling another 40 times; restarts it on the same data dir; and checks the final
 * result and every stored history ({@link ToolboxCrashChild} runs the workloads).
 */
class ToolboxCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** Runs {@code mode}, killing the JVM once the ledger has each of {@code killAt} lines, then lets it finish. */
  private long runWithKills(String mode, int... killAt) throws Exception {
    Path dataDir = tmp.resolve("data");
    Path ledgerFile = tmp.resolve("ledger.txt");
    int run = 0;
    for (int target : killAt) {
      run++;
      try (ChildJvm child = start(mode, dataDir, ledgerFile, run)) {
        CrashHarness.awaitWhileAlive(child, "the ledger to reach " + target + " lines",
            () -> CrashHarness.ledger(ledgerFile).size() >= target);
        child.kill();
      }
    }
    try (ChildJvm last = start(mode, dataDir, ledgerFile, run + 1)) {
      assertEquals(0, last.awaitExit(), "the last run must finish the workflow\n" + last.report());
      List<String> results = last.stdoutValues("result=");
      assertEquals(1, results.size(), last.report());
      return Long.parseLong(results.get(0));
    }
  }

  private ChildJvm start(String mode, Path dataDir, Path ledgerFile, int run) throws Exception {
    return ChildJvm.start(tmp, mode + "-" + run, ToolboxCrashChild.class.getName(), mode, dataDir, ledgerFile);
  }

  /** The seqs of the activities a history completed, each at most once. */
  private static Set<Integer> completedActivities(WorkflowHistory history) throws Exception {
    Set<Integer> seqs = new HashSet<>();
    for (WorkflowHistory.Event e : history.getEvents()) {
      if (e.eventType().equals("ActivityTaskCompleted")) {
        int seq = JSON.readTree(e.attributesJson()).get("seq").asInt();
        assertTrue(seqs.add(seq), "activity " + seq + " completed twice in " + history.getWorkflowId());
      }
    }
    return seqs;
  }

  @Test
  void fanOutOfAThousandActivitiesFinishesAfterAKillHalfWay() throws Exception {
    long result = runWithKills("fanout", 500);

    assertEquals(ToolboxCrashChild.expected("fanout"), result);
    List<WorkflowDescription> all = StoredHistories.assertAllValid(tmp.resolve("data"));
    assertEquals(1, all.size());
    try (DurableServer server = DurableServer.newBuilder().setDataDir(tmp.resolve("data")).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      assertEquals(ToolboxCrashChild.FAN_OUT, completedActivities(client.newUntypedWorkflowStub("fanout").getHistory())
          .size());
    }
  }

  @Test
  void parentWithChildrenFinishesAfterKillsMidWay() throws Exception {
    long result = runWithKills("children", 15, 40);

    assertEquals(ToolboxCrashChild.expected("children"), result);
    List<WorkflowDescription> all = StoredHistories.assertAllValid(tmp.resolve("data"));
    assertEquals(1 + ToolboxCrashChild.CHILDREN, all.size());
    all.forEach(d -> assertEquals(WorkflowStatus.COMPLETED, d.status(), d.workflowId()));
    try (DurableServer server = DurableServer.newBuilder().setDataDir(tmp.resolve("data")).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      List<String> parent = client.newUntypedWorkflowStub("children").getHistory().getEvents().stream()
          .map(WorkflowHistory.Event::eventType).toList();
      assertEquals(ToolboxCrashChild.CHILDREN, parent.stream().filter("ChildWorkflowExecutionStarted"::equals).count());
      assertEquals(ToolboxCrashChild.CHILDREN,
          parent.stream().filter("ChildWorkflowExecutionCompleted"::equals).count());
      for (int i = 0; i < ToolboxCrashChild.CHILDREN; i++) {
        JsonNode start = JSON.readTree(client.newUntypedWorkflowStub("child-" + i).getHistory().getEvents().get(0)
            .attributesJson());
        assertEquals("children", start.get("links").get("parentWorkflowId").asText());
      }
    }
  }

  @Test
  void signalsBetweenWorkflowsArriveOnceAcrossKills() throws Exception {
    long result = runWithKills("signals", 10, 25);

    assertEquals(ToolboxCrashChild.expected("signals"), result);
    StoredHistories.assertAllValid(tmp.resolve("data"));
    try (DurableServer server = DurableServer.newBuilder().setDataDir(tmp.resolve("data")).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      List<String> sender = client.newUntypedWorkflowStub("signals").getHistory().getEvents().stream()
          .map(WorkflowHistory.Event::eventType).toList();
      List<String> receiver = client.newUntypedWorkflowStub(ToolboxCrashChild.RECEIVER).getHistory().getEvents()
          .stream().map(WorkflowHistory.Event::eventType).toList();
      assertEquals(ToolboxCrashChild.SIGNALS, receiver.stream().filter("WorkflowExecutionSignaled"::equals).count(),
          "each signal once in the receiver");
      assertEquals(ToolboxCrashChild.SIGNALS,
          sender.stream().filter("ExternalWorkflowExecutionSignaled"::equals).count());
      assertEquals(WorkflowStatus.COMPLETED, client.newUntypedWorkflowStub("signals").describe().get().status());
    }
  }

  @Test
  void chainOfContinueAsNewRunsFinishesAfterKillsMidWay() throws Exception {
    long result = runWithKills("chain", 12, 33);

    assertEquals(ToolboxCrashChild.expected("chain"), result);
    List<WorkflowDescription> all = StoredHistories.assertAllValid(tmp.resolve("data"));
    int runs = ToolboxCrashChild.CHAIN_STEPS / ToolboxCrashChild.STEPS_PER_RUN;
    assertEquals(runs, all.size());
    assertEquals(runs - 1, all.stream().filter(d -> d.status() == WorkflowStatus.CONTINUED_AS_NEW).count());
    assertEquals(1, all.stream().filter(d -> d.status() == WorkflowStatus.COMPLETED).count());
  }
}
