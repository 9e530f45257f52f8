package dev.durable.examples.hello;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import java.nio.file.Path;

/**
 * Runs the hello workflow on an embedded server and prints {@code Hello, World!}.
 *
 * <p>Usage: {@code HelloApp [dataDir]} (default {@code data/hello}). The workflow id is fixed, so
 * a second run on the same data dir finds the finished workflow and prints its stored result.
 */
public final class HelloApp {
  private HelloApp() {}

  /**
   * Runs the example.
   *
   * @param args optionally the data dir
   */
  public static void main(String[] args) {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "data/hello");
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, "hello")
             .registerWorkflowImplementationTypes(HelloWorkflowImpl.class)
             .registerActivitiesImplementations(new GreetingActivitiesImpl())
             .build()) {
      worker.start();
      WorkflowStub stub = client.newUntypedWorkflowStub("hello-world");
      if (stub.describe().isEmpty()) { // first run on this data dir: start the workflow
        HelloWorkflow hello = client.newWorkflowStub(HelloWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue("hello").setWorkflowId("hello-world").build());
        WorkflowClient.start(hello::sayHello, "World");
      }
      System.out.println(stub.getResult(String.class)); // waits, or reads the stored result
    }
  }
}
