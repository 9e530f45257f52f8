package dev.durable.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.server.DurableServer;
import dev.durable.server.RetentionCrashChild;
import dev.durable.testing.Eventually;
import dev.durable.worker.Worker;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed (SIGKILL) in the middle of a retention sweep: every run it deleted is gone
 * whole, every other run is whole and valid, and the next server with a retention goes on.
 */
class RetentionCrashTest {
  private static final String QUEUE = "retention";
  private static final int CLOSED = 1_500;
  /** Deleted before the child is held: more than one sweep's share, fewer than all. */
  private static final int DELETED = 700;

  @WorkflowInterface
  public interface Echo {
    @WorkflowMethod
    String echo(String text);

    @SignalMethod
    void release();
  }

  /** Returns its text at once, or waits for {@link #release()} when the text is "wait". */
  public static final class EchoImpl implements Echo {
    private boolean released;

    @Override
    public String echo(String text) {
      if (text.equals("wait")) {
        Workflow.await(() -> released);
      }
      return text + "!";
    }

    @Override
    public void release() {
      released = true;
    }
  }

  @TempDir Path tmp;

  private static WorkflowOptions options(String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(workflowId).build();
  }

  private static Worker worker(WorkflowClient client) {
    Worker w = Worker.newBuilder(client, QUEUE).registerWorkflowImplementationTypes(EchoImpl.class).build();
    w.start();
    return w;
  }

  @Test
  void aServerKilledWhileItDeletesClosedRunsLeavesEveryRunWholeOrGone() throws Exception {
    Path dataDir = tmp.resolve("data");
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker w = worker(client)) {
      for (int i = 0; i < CLOSED; i++) {
        WorkflowClient.start(client.newWorkflowStub(Echo.class, options("w-" + i))::echo, "w-" + i);
      }
      for (int i = 0; i < CLOSED; i++) {
        assertEquals("w-" + i + "!", client.newUntypedWorkflowStub("w-" + i).getResult(String.class));
      }
      WorkflowClient.start(client.newWorkflowStub(Echo.class, options("open"))::echo, "wait");
    }

    try (ChildJvm child = ChildJvm.start(tmp, "sweeper", RetentionCrashChild.class.getName(), dataDir, DELETED)) {
      child.awaitLine("the sweep held after " + DELETED + " deletions", "held"::equals);
      child.kill();
    }

    List<WorkflowDescription> kept = StoredHistories.assertAllValid(dataDir); // histories and indexes agree
    assertEquals(CLOSED - DELETED + 1, kept.size(), "every deletion written before the kill is kept, and no other");
    Set<String> keptIds = new HashSet<>();
    kept.forEach(d -> keptIds.add(d.workflowId()));
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      for (int i = 0; i < CLOSED; i++) {
        String id = "w-" + i;
        Optional<WorkflowDescription> d = client.newUntypedWorkflowStub(id).describe();
        assertEquals(keptIds.contains(id), d.isPresent(), id);
        if (d.isPresent()) {
          assertEquals("w-" + i + "!", client.newUntypedWorkflowStub(id).getResult(String.class));
          assertEquals(WorkflowStatus.COMPLETED, d.get().status());
        }
      }
      assertEquals(WorkflowStatus.RUNNING, client.newUntypedWorkflowStub("open").describe().orElseThrow().status());
    }

    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).setRetention(Duration.ofMillis(1))
            .build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker w = worker(client)) {
      Eventually.eventually("the rest deleted", () -> client.listWorkflows(false, 10).size() == 1);
      client.newUntypedWorkflowStub("open").signal("release");
      assertEquals("wait!", client.newUntypedWorkflowStub("open").getResult(String.class));
      Eventually.eventually("the last run deleted", () -> client.listWorkflows(false, 10).isEmpty());
    }
  }
}
