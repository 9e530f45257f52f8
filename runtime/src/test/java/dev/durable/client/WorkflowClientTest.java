package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.testing.Greetings.Greeter;
import dev.durable.testing.Greetings.Greeting;
import dev.durable.testing.Greetings.GreetingImpl;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting workflows and waiting for them through typed and untyped stubs; workflow id rules. */
class WorkflowClientTest {
  @WorkflowInterface
  public interface Waiting {
    @WorkflowMethod
    String run();

    @SignalMethod
    void release();
  }

  public static final class WaitingImpl implements Waiting {
    private boolean released;

    @Override
    public String run() {
      Workflow.await(() -> released);
      return "released";
    }

    @Override
    public void release() {
      released = true;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(GreetingImpl.class, WaitingImpl.class)
        .registerActivitiesImplementations((Greeter) name -> "Hello, " + name + "!"));
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void callingTheWorkflowMethodOfATypedStubStartsTheWorkflowAndWaitsForItsResult() {
    assertEquals("Hello, World!", env.newWorkflow(Greeting.class, "typed").run("World"));
    assertEquals(WorkflowStatus.COMPLETED, env.describe("typed").status());
  }

  @Test
  void startReturnsTheStartedRunWithoutWaitingForIt() {
    WorkflowExecution e = WorkflowClient.start(env.newWorkflow(Waiting.class, "async")::run);
    assertEquals("async", e.getWorkflowId());
    assertEquals(e.getRunId(), env.describe("async").runId());
    assertEquals(WorkflowStatus.RUNNING, env.describe("async").status());
    UUID.fromString(e.getRunId());

    env.stub("async").signal("release");
    assertEquals("released", env.result("async", String.class));
  }

  @Test
  void startWithArgumentPassesItToTheWorkflow() {
    WorkflowExecution e = WorkflowClient.start(env.newWorkflow(Greeting.class, "with-arg")::run, "Ann");
    assertEquals("with-arg", e.workflowId());
    assertEquals("Hello, Ann!", env.result("with-arg", String.class));
  }

  @Test
  void workflowIdIsGeneratedWhenNoneIsGiven() {
    Greeting stub = env.client().newWorkflowStub(Greeting.class,
        WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE).build());
    WorkflowExecution e = WorkflowClient.start(stub::run, "Zed");
    UUID.fromString(e.workflowId());
    assertEquals("Hello, Zed!", env.result(e.workflowId(), String.class));
  }

  @Test
  void startRequiresAMethodReferenceToAStubsWorkflowMethod() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkflowClient.start(() -> "not a stub"));
    assertTrue(e.getMessage().startsWith("DURABLE-217 WorkflowClient.start expects a method reference"), e.getMessage());
  }

  @Test
  void startingAnIdWhoseRunIsRunningThrowsWorkflowAlreadyStarted() {
    WorkflowExecution first = WorkflowClient.start(env.newWorkflow(Waiting.class, "busy")::run);

    WorkflowAlreadyStartedException e = assertThrows(WorkflowAlreadyStartedException.class,
        () -> WorkflowClient.start(env.newWorkflow(Waiting.class, "busy")::run));
    assertEquals("DURABLE-208", e.getCode());
    assertEquals("DURABLE-208 workflow id 'busy' is already running (run " + first.runId() + ", Waiting). Wait for it"
        + " with getResult(), or pick another workflow id.", e.getMessage());
    assertEquals(first, e.getRunningExecution());
    assertEquals(first.runId(), env.describe("busy").runId(), "the running run is untouched");
  }

  @Test
  void idCanBeStartedAgainOnceItsRunClosedAndCallsThenAddressTheNewRun() {
    WorkflowExecution first = WorkflowClient.start(env.newWorkflow(Greeting.class, "again")::run, "one");
    assertEquals("Hello, one!", env.result("again", String.class));

    WorkflowExecution second = WorkflowClient.start(env.newWorkflow(Greeting.class, "again")::run, "two");
    assertNotEquals(first.runId(), second.runId());
    assertEquals("Hello, two!", env.result("again", String.class));
    assertEquals(second.runId(), env.describe("again").runId());
    assertEquals(second.runId(), env.stub("again").getHistory().getRunId());
  }

  @Test
  void untypedStubStartsAWorkflowByTypeName() {
    WorkflowStub stub = env.client().newUntypedWorkflowStub("Greeting", TestEnv.options("untyped"));
    WorkflowExecution e = stub.start("Bob");
    assertEquals("untyped", e.workflowId());
    assertEquals("Hello, Bob!", stub.getResult(String.class));
  }

  @Test
  void stubMadeFromAnIdCannotStartAWorkflow() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.stub("by-id").start());
    assertTrue(e.getMessage().startsWith("DURABLE-217 this stub of workflow 'by-id' was made from an id"), e.getMessage());
  }

  @Test
  void typedStubMadeFromAnIdWaitsForTheExistingRun() {
    WorkflowClient.start(env.newWorkflow(Greeting.class, "existing")::run, "Eve");
    assertEquals("Hello, Eve!", env.client().newWorkflowStub(Greeting.class, "existing").run("ignored"));
  }

  @Test
  void getResultOfAnUnknownWorkflowIdThrowsWorkflowNotFound() {
    WorkflowNotFoundException e = assertThrows(WorkflowNotFoundException.class, () -> env.stub("nobody").getResult(String.class));
    assertEquals("DURABLE-207 cannot get the result of workflow 'nobody': no workflow with this id exists. Check the id,"
        + " or start it first.", e.getMessage());
    assertTrue(env.stub("nobody").describe().isEmpty());
  }

  @Test
  void listWorkflowsShowsRunningOrAllRunsNewestFirst() {
    env.newWorkflow(Greeting.class, "finished").run("x");
    env.clock().advance(Duration.ofSeconds(1));
    WorkflowClient.start(env.newWorkflow(Waiting.class, "running")::run);

    List<WorkflowDescription> running = env.client().listWorkflows(true, 10);
    assertEquals(List.of("running"), running.stream().map(WorkflowDescription::workflowId).toList());
    List<WorkflowDescription> all = env.client().listWorkflows(false, 10);
    assertEquals(List.of("running", "finished"), all.stream().map(WorkflowDescription::workflowId).toList());
    assertEquals(1, env.client().listWorkflows(false, 1).size());
  }
}
