import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowExecution;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.common.RetryOptions;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;

@ActivityInterface
interface Greetings { String sayHello(String name); }

class GreetingsImpl implements Greetings {
  public String sayHello(String name) { return "Hello, " + name + "!"; }
}

@WorkflowInterface
interface SayHello {
  @WorkflowMethod String run(String name);
  @SignalMethod void approve(String who);
  @QueryMethod String status();
}

class SayHelloImpl implements SayHello {
  private final Greetings greetings = Workflow.newActivityStub(Greetings.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(0).build()) // 0 = unlimited
          .build());
  private String approvedBy;
  private String status = "started";

  @Override public String run(String name) {
    String greeting = greetings.sayHello(name);
    status = "waiting for approval";
    Workflow.await(() -> approvedBy != null);
    Workflow.sleep(Duration.ofMillis(100));
    status = "done";
    return greeting + " (approved by " + approvedBy + ")";
  }
  @Override public void approve(String who) { approvedBy = who; }
  @Override public String status() { return status; }
}

public class Contract {
  public static void main(String[] args) throws Exception {
    try (DurableServer server = DurableServer.newBuilder().setDataDir(Path.of(args[0])).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, "my-task-queue")
             .registerWorkflowImplementationTypes(SayHelloImpl.class)
             .registerActivitiesImplementations(new GreetingsImpl())
             .setActivityExecutor(Executors.newFixedThreadPool(4))
             .build()) {
      worker.start();
      SayHello wf = client.newWorkflowStub(SayHello.class,
          WorkflowOptions.newBuilder().setTaskQueue("my-task-queue").setWorkflowId("hello-1").build());
      WorkflowStub untyped = client.newUntypedWorkflowStub("hello-1");
      if (untyped.describe().isEmpty()) {                 // describe() is empty for an unknown id
        WorkflowExecution started = WorkflowClient.start(wf::run, "World");
        System.out.println("started " + started.getWorkflowId() + " " + started.getRunId());
      }
      while (!untyped.describe().get().isClosed()) {
        if ("waiting for approval".equals(untyped.query("status", String.class))) untyped.signal("approve", "alice");
        Thread.sleep(10);
      }
      System.out.println(untyped.getResult(String.class));   // Hello, World! (approved by alice)
    }
  }
}
