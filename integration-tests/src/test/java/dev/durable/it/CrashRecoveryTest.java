package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowStub;
import dev.durable.server.DurableServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a worker JVM with SIGKILL at random points while 20 workflows run 10 steps each, restarts
 * it on the same data dir each time, and checks the history against the ledger the steps wrote
 * (the rules are in {@link CrashHarness}). {@link TortureTest} does the same
 * with a mixed workload.
 */
class CrashRecoveryTest {
  private static final long SEED = 20_261_126L;
  private static final int KILLS = 6;
  // Each killed run waits for 5..25 new ledger lines, so the kills together allow at most
  // 6 * 25 = 150 of the 200 steps: every kill lands while work is still going on.
  private static final int MIN_GROWTH = 5;
  private static final int MAX_GROWTH = 25;

  @TempDir Path tmp;

  @Test
  void workflowsFinishAfterRepeatedSigkillsAndNoCompletedStepRunsAgain() throws Exception {
    Path dataDir = tmp.resolve("data");
    Path ledgerFile = tmp.resolve("ledger.txt");
    Random random = new Random(SEED);

    int run = 0;
    for (int kill = 1; kill <= KILLS; kill++) {
      run++;
      long target = CrashHarness.ledger(ledgerFile).size() + MIN_GROWTH + random.nextInt(MAX_GROWTH - MIN_GROWTH + 1);
      try (ChildJvm child = startChild(dataDir, ledgerFile, run)) {
        CrashHarness.awaitWhileAlive(child, "the ledger to reach " + target + " lines",
            () -> CrashHarness.ledger(ledgerFile).size() >= target);
        child.kill();
      }
    }
    run++;
    try (ChildJvm last = startChild(dataDir, ledgerFile, run)) {
      assertEquals(0, last.awaitExit(), "the last run must finish every workflow\n" + last.report());
    }

    List<String> ledger = CrashHarness.ledger(ledgerFile);
    assertEquals(ledger.size(), new HashSet<>(ledger).size(), "ledger lines are unique by construction");
    System.out.println(run + " child runs wrote " + ledger.size() + " ledger lines for "
        + CrashChild.WORKFLOWS * CrashChild.STEPS + " steps");
    StoredHistories.assertAllValid(dataDir);
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      for (int i = 0; i < CrashChild.WORKFLOWS; i++) {
        String id = CrashChild.workflowId(i);
        WorkflowStub stub = client.newUntypedWorkflowStub(id);
        List<String> recorded = CrashHarness.recordedStepResults(stub.getHistory());
        @SuppressWarnings("unchecked")
        List<String> result = stub.getResult(List.class);
        assertEquals(recorded, result, id + ": the result is the list of the recorded step results");
        CrashHarness.checkSteps(id, CrashChild.STEPS, recorded, ledger);
      }
    }
  }

  private ChildJvm startChild(Path dataDir, Path ledgerFile, int run) throws IOException {
    return ChildJvm.start(tmp, "crash-child-" + run, CrashChild.class.getName(), dataDir, ledgerFile, run);
  }
}
