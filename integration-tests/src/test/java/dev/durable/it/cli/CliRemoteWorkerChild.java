package dev.durable.it.cli;

import dev.durable.client.ConnectionOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.worker.Worker;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Child JVM of {@link CliServerTest}: a worker for {@link OrderApproval} polling a standalone
 * server over gRPC. Prints {@code polling} once started and runs until its stdin is closed.
 *
 * <p>Usage: {@code CliRemoteWorkerChild host:port token}.
 */
public final class CliRemoteWorkerChild {
  private CliRemoteWorkerChild() {}

  /**
   * Runs the child.
   *
   * @param args the server address and token
   */
  public static void main(String[] args) throws IOException {
    ConnectionOptions options = ConnectionOptions.newBuilder().setAddress(args[0]).setToken(args[1]).build();
    try (WorkflowClient client = WorkflowClient.connect(options);
         Worker worker = Worker.newBuilder(client, OrderApproval.TASK_QUEUE)
             .registerWorkflowImplementationTypes(OrderApproval.Impl.class)
             .registerActivitiesImplementations(new OrderApproval.ShippingImpl())
             .build()) {
      worker.start();
      System.out.println("polling");
      System.in.transferTo(OutputStream.nullOutputStream()); // returns when the parent closes our stdin
    }
    System.out.println("stopped");
  }
}
