package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.durable.client.HistoryVerification;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.server.DurableServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a data dir that child JVMs wrote, in this JVM, once they have exited: every workflow's
 * stored history must pass {@link WorkflowClient#verifyHistory}.
 */
final class StoredHistories {
  /** So that opening the dir fires no timer and times nothing out: it only reads. */
  private static final Clock FROZEN = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  private StoredHistories() {}

  /** Asserts that every workflow in {@code dataDir} has a valid history, and returns their descriptions. */
  static List<WorkflowDescription> assertAllValid(Path dataDir) {
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).setClock(FROZEN).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      List<WorkflowDescription> all = client.listWorkflows(false, Integer.MAX_VALUE);
      assertFalse(all.isEmpty(), "no workflow in " + dataDir);
      List<String> problems = new ArrayList<>();
      for (WorkflowDescription d : all) {
        HistoryVerification v = client.verifyHistory(d.workflowId());
        v.problems().forEach(p -> problems.add(d.workflowId() + ": " + p));
      }
      assertEquals(List.of(), problems, "history validator on " + dataDir);
      return all;
    }
  }
}
