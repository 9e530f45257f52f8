package dev.durable.it.sandbox;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import java.nio.file.Path;

/**
 * The child JVM of {@link DurableWaitsTest}. With {@code run} it starts {@link PlainWaits}, waits
 * until it waits for its signals, sends them, and prints {@code RESULT <result>} and the history as
 * {@code EVENT <type>} lines. With {@code replay}, in a new JVM on the same data dir, it prints
 * {@code PHASE <phase>}: the query of the closed run replays its whole history.
 *
 * <p>Usage: {@code WaitsChild dataDir run|replay}.
 */
public final class WaitsChild {
  static final String WORKFLOW_ID = "plain-waits";
  private static final String TASK_QUEUE = "waits";

  private WaitsChild() {}

  /**
   * Runs the child.
   *
   * @param args the data dir, then {@code run} or {@code replay}
   */
  public static void main(String[] args) {
    try (DurableServer server = DurableServer.newBuilder().setDataDir(Path.of(args[0])).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, TASK_QUEUE).registerWorkflowImplementationTypes(PlainWaits.Impl.class)
             .build()) {
      worker.start();
      WorkflowStub stub = client.newUntypedWorkflowStub(WORKFLOW_ID);
      if (args[1].equals("replay")) {
        System.out.println("PHASE " + stub.query("phase", String.class));
        return;
      }
      PlainWaits workflow = client.newWorkflowStub(PlainWaits.class,
          WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(WORKFLOW_ID).build());
      WorkflowClient.start(workflow::run);
      Await.query(stub, "phase", PlainWaits.WAITING::equals);
      stub.signal("arrive");
      stub.signal("approve", "ada");
      System.out.println("RESULT " + stub.getResult(String.class));
      for (WorkflowHistory.Event e : stub.getHistory().getEvents()) {
        System.out.println("EVENT " + e.eventType());
      }
    }
  }
}
