package dev.durable.examples.order;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import java.nio.file.Path;

/**
 * Runs the order workflow {@code order-1} and prints its result; shows crash recovery.
 *
 * <p>Usage: {@code OrderApp [dataDir]} (default {@code data/order}). Kill the JVM while it waits
 * between two steps, then start it again on the same data dir: it resumes {@code order-1} with
 * the next step, and no finished step runs again.
 */
public final class OrderApp {
  private static final String ORDER_ID = "order-1";

  private OrderApp() {}

  /**
   * Runs the example.
   *
   * @param args optionally the data dir
   */
  public static void main(String[] args) {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "data/order");
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, "orders")
             .registerWorkflowImplementationTypes(OrderWorkflowImpl.class)
             .registerActivitiesImplementations(new OrderActivitiesImpl())
             .build()) {
      WorkflowStub stub = client.newUntypedWorkflowStub(ORDER_ID);
      var existing = stub.describe();
      if (existing.isEmpty()) {
        OrderWorkflow order = client.newWorkflowStub(OrderWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue("orders").setWorkflowId(ORDER_ID).build());
        WorkflowClient.start(order::process, ORDER_ID);
      } else if (!existing.get().isClosed()) {
        System.out.println("resuming " + ORDER_ID + " from its history");
      }
      worker.start();
      System.out.println(stub.getResult(String.class));
    }
  }
}
