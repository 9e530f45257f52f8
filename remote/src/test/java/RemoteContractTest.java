import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.client.ConnectionOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.remote.DurableGrpcServer;
import dev.durable.testing.Eventually;
import dev.durable.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API contract program (runtime/src/test/java/Contract.java, its workflow and activity
 * classes from the runtime test-jar) with the server behind gRPC: the client and the worker come
 * from WorkflowClient.connect, and nothing else changes.
 */
class RemoteContractTest {
  @TempDir Path dir;

  private String runContract(String address) throws Exception {
    try (WorkflowClient client = WorkflowClient.connect(address);
         Worker worker = Worker.newBuilder(client, "my-task-queue")
             .registerWorkflowImplementationTypes(SayHelloImpl.class)
             .registerActivitiesImplementations(new GreetingsImpl())
             .setActivityExecutor(Executors.newFixedThreadPool(4))
             .build()) {
      worker.start();
      SayHello wf = client.newWorkflowStub(SayHello.class,
          WorkflowOptions.newBuilder().setTaskQueue("my-task-queue").setWorkflowId("hello-1").build());
      WorkflowStub untyped = client.newUntypedWorkflowStub("hello-1");
      if (untyped.describe().isEmpty()) {
        WorkflowClient.start(wf::run, "World");
      }
      Eventually.eventually("hello-1 closes", () -> {
        if (!untyped.describe().get().isClosed()
            && "waiting for approval".equals(untyped.query("status", String.class))) {
          untyped.signal("approve", "alice");
        }
        return untyped.describe().get().isClosed();
      }, closed -> closed);
      return untyped.getResult(String.class);
    }
  }

  @Test
  void contractProgramWorksAgainstAStandaloneServerAndItsRestart() throws Exception {
    Path data = dir.resolve("data");
    try (DurableGrpcServer server = DurableGrpcServer.newBuilder().setDataDir(data).setAddress("127.0.0.1:0").build().start()) {
      assertEquals("Hello, World! (approved by alice)", runContract(server.address()));
    }
    // A second server on the same data dir answers from the stored result.
    try (DurableGrpcServer server = DurableGrpcServer.newBuilder().setDataDir(data).setAddress("127.0.0.1:0").build().start();
         WorkflowClient client = WorkflowClient.connect(ConnectionOptions.newBuilder().setAddress(server.address())
             .setCallTimeout(Duration.ofSeconds(10)).build())) {
      assertEquals("Hello, World! (approved by alice)", client.newUntypedWorkflowStub("hello-1").getResult(String.class));
      assertEquals(true, client.verifyHistory("hello-1").isValid());
    }
  }
}
