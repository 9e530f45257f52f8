package dev.durable.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowFilter;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.postgres.PostgresStoreTest.AddImpl;
import dev.durable.postgres.PostgresStoreTest.Steps;
import dev.durable.postgres.PostgresStoreTest.StepsImpl;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving a deployment's runs between a data dir and PostgreSQL, open runs included. */
class StoreCopyTest {
  private static final String QUEUE = "copy-queue";

  /** Waits for a signal, then returns what it said. */
  @WorkflowInterface
  public interface Waiting {
    @WorkflowMethod
    String run();

    @SignalMethod
    void go(String word);
  }

  /** The waiting workflow. */
  public static final class WaitingImpl implements Waiting {
    private String word;

    @Override
    public String run() {
      Workflow.await(() -> word != null);
      return word;
    }

    @Override
    public void go(String w) {
      word = w;
    }
  }

  private static void serve(DurableServer.Builder b, Consumer<WorkflowClient> body) {
    try (DurableServer server = b.build().start(); WorkflowClient client = WorkflowClient.newInstance(server);
        Worker w = Worker.newBuilder(client, QUEUE).registerWorkflowImplementationTypes(StepsImpl.class, WaitingImpl.class)
            .registerActivitiesImplementations(new AddImpl()).build()) {
      w.start();
      body.accept(client);
    }
  }

  private static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build();
  }

  private static List<String> eventTypes(WorkflowClient client, String id) {
    return client.newUntypedWorkflowStub(id).getHistory().getEvents().stream().map(WorkflowHistory.Event::eventType)
        .toList();
  }

  @Test
  void aDataDirsRunsMoveToPostgresqlAndBackAndGoOnWhereTheyWere(@TempDir Path dir) {
    Path dataDir = dir.resolve("data");
    AtomicReference<List<String>> history = new AtomicReference<>();
    serve(DurableServer.newBuilder().setDataDir(dataDir), client -> {
      for (int i = 0; i < 5; i++) {
        assertEquals(i + 3, client.newWorkflowStub(Steps.class, options("done-" + i)).run(i));
      }
      WorkflowClient.start(client.newWorkflowStub(Waiting.class, options("waiting"))::run);
      history.set(eventTypes(client, "done-2"));
    });
    PostgresCluster cluster = PostgresCluster.get();
    PostgresStorage storage = PostgresStorage.newBuilder().setUrl(cluster.jdbcUrl(cluster.createSchema("copy")))
        .setUser(cluster.user()).build();

    StoreCopy.Result copied = StoreCopy.copy(dataDir, storage);

    assertEquals(6, copied.runs());
    assertTrue(copied.events() > 5 * 10, "events: " + copied.events());
    DurableException again = assertThrows(DurableException.class, () -> StoreCopy.copy(dataDir, storage));
    assertEquals("DURABLE-314", again.getCode());
    assertTrue(again.getMessage().contains("already holds 6 runs"), again.getMessage());
    serve(DurableServer.newBuilder().setStorage(storage), client -> {
      assertEquals(6, client.newUntypedWorkflowStub("done-3").getResult(Integer.class));
      assertEquals(history.get(), eventTypes(client, "done-2"));
      assertEquals(6, client.countWorkflows(WorkflowFilter.newBuilder().build()));
      assertEquals(WorkflowStatus.RUNNING, client.newUntypedWorkflowStub("waiting").describe().orElseThrow().status());
    });

    Path back = dir.resolve("back");
    assertEquals(6, StoreCopy.copy(storage, back).runs());
    serve(DurableServer.newBuilder().setDataDir(back), client -> {
      assertEquals(1, client.countWorkflows(WorkflowFilter.newBuilder().setStatuses(List.of(WorkflowStatus.RUNNING))
          .build()));
      assertEquals(history.get(), eventTypes(client, "done-2"));
      // The open run goes on from where it was: its code runs again from its copied history.
      client.newUntypedWorkflowStub("waiting").signal("go", "now");
      assertEquals("now", client.newUntypedWorkflowStub("waiting").getResult(String.class));
    });
  }
}
