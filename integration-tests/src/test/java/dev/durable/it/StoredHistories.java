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
 * stored history must pass {@link WorkflowClient#verifyHistory}, and so must every earlier run.
 */
public final class StoredHistories {
  /** So that opening the dir fires no timer and times nothing out: it only reads. */
  private static final Clock FROZEN = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  private StoredHistories() {}

  /**
   * Asserts that every workflow in every data dir below {@code root} (a test's temp dir, once its
   * child JVMs have exited) has a valid history. Data dirs without workflows are fine.
   */
  public static void assertAllValidUnder(Path root) {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root, 4)) {
      for (Path lock : files.filter(p -> p.getFileName().toString().equals("durable.lock")).toList()) {
        Path dir = lock.getParent();
        try (DurableServer server = DurableServer.newBuilder().setDataDir(dir).setClock(FROZEN).build().start();
             WorkflowClient client = WorkflowClient.newInstance(server)) {
          List<String> problems = new ArrayList<>();
          var core = (dev.durable.internal.server.ServerCore) server.workflowService();
          for (WorkflowDescription d : client.listWorkflows(false, Integer.MAX_VALUE)) {
            client.verifyHistory(d.workflowId()).problems().forEach(p -> problems.add(d.workflowId() + ": " + p));
            core.verifyRun(d.runId()).problems().forEach(p -> problems.add(d.workflowId() + " run " + d.runId() + ": "
                + p));
          }
          assertEquals(List.of(), problems, "history validator on " + dir);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Asserts that every workflow in {@code dataDir} has a valid history, and returns their descriptions. */
  public static List<WorkflowDescription> assertAllValid(Path dataDir) {
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).setClock(FROZEN).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      List<WorkflowDescription> all = client.listWorkflows(false, Integer.MAX_VALUE);
      assertFalse(all.isEmpty(), "no workflow in " + dataDir);
      List<String> problems = new ArrayList<>();
      var core = (dev.durable.internal.server.ServerCore) server.workflowService();
      for (WorkflowDescription d : all) {
        HistoryVerification v = client.verifyHistory(d.workflowId());
        v.problems().forEach(p -> problems.add(d.workflowId() + ": " + p));
        // Every run, not only the latest of its id: chains of continue-as-new and retries leave several.
        core.verifyRun(d.runId()).problems().forEach(p -> problems.add(d.workflowId() + " run " + d.runId() + ": " + p));
      }
      assertEquals(List.of(), problems, "history validator on " + dataDir);
      return all;
    }
  }
}
