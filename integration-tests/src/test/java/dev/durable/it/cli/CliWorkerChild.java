package dev.durable.it.cli;

import dev.durable.client.WorkflowClient;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import java.nio.file.Path;

/**
 * Child JVM of {@link CliJarTest}: opens the data dir with a worker for {@link OrderApproval},
 * waits until the workflow {@code workflowId} closes, prints {@code result <value>} and exits,
 * releasing the data dir for the CLI.
 *
 * <p>Usage: {@code CliWorkerChild dataDir workflowId}.
 */
public final class CliWorkerChild {
  private CliWorkerChild() {}

  /**
   * Runs the child.
   *
   * @param args the data dir and the workflow id
   */
  public static void main(String[] args) {
    try (DurableServer server = DurableServer.newBuilder().setDataDir(Path.of(args[0])).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, OrderApproval.TASK_QUEUE)
             .registerWorkflowImplementationTypes(OrderApproval.Impl.class)
             .registerActivitiesImplementations(new OrderApproval.ShippingImpl())
             .build()) {
      worker.start();
      System.out.println("result " + client.newUntypedWorkflowStub(args[1]).getResult(String.class));
    }
  }
}
