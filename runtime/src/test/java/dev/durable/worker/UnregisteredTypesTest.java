package dev.durable.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowStatus;
import dev.durable.testing.Greetings.Greeter;
import dev.durable.testing.Greetings.Greeting;
import dev.durable.testing.Greetings.GreetingImpl;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task of a type the worker does not know fails with a clear message and waits for a worker that knows it. */
class UnregisteredTypesTest {
  @WorkflowInterface
  public interface Unrelated {
    @WorkflowMethod
    void run();
  }

  public static final class UnrelatedImpl implements Unrelated {
    @Override
    public void run() {}
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void unknownWorkflowTypeFailsTheWorkflowTaskUntilAWorkerThatKnowsItComes() {
    Worker unaware = env.startWorker(b -> b.registerWorkflowImplementationTypes(UnrelatedImpl.class));
    WorkflowClient.start(env.newWorkflow(Greeting.class, "orphan")::run, "Ada");

    WorkflowDescription d = env.awaitDescription("orphan", "the workflow task failure", x -> x.lastWorkflowTaskFailure() != null);
    assertEquals("DURABLE-204 workflow type 'Greeting' of workflow 'orphan' is not registered on the worker for task"
        + " queue 'test-queue'; registered types: [Unrelated]. Register it with registerWorkflowImplementationTypes(...);"
        + " the workflow waits until a worker that knows the type polls this task queue.", d.lastWorkflowTaskFailure());
    assertEquals(WorkflowStatus.RUNNING, d.status());
    assertEquals(2, d.workflowTaskAttempt());
    assertTrue(env.eventTypes("orphan").contains("WorkflowTaskFailed"));

    env.closeWorker(unaware);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(GreetingImpl.class)
        .registerActivitiesImplementations((Greeter) name -> "Hello, " + name));
    env.clock().advance(Duration.ofSeconds(1)); // the workflow task's retry backoff

    assertEquals("Hello, Ada", env.result("orphan", String.class));
  }

  @Test
  void unregisteredActivityFailsEachAttemptWithClearMessageUntilAWorkerRegistersIt() {
    Worker withoutActivity = env.startWorker(b -> b.registerWorkflowImplementationTypes(GreetingImpl.class));
    WorkflowClient.start(env.newWorkflow(Greeting.class, "no-greeter")::run, "Bo");

    PendingActivityInfo pa = env.awaitPendingActivity("no-greeter", "the failed attempt", p -> p.state().equals("BACKOFF"));
    assertEquals("dev.durable.ActivityTypeNotRegistered: DURABLE-205 activity type 'Greet' (called by workflow"
        + " 'no-greeter') is not registered on the worker for task queue 'test-queue'; registered activity types: [].",
        pa.lastFailure().substring(0, pa.lastFailure().indexOf(". Register") + 1));
    assertTrue(pa.lastFailure().endsWith("Register it with registerActivitiesImplementations(...)."), pa.lastFailure());

    env.closeWorker(withoutActivity);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(GreetingImpl.class)
        .registerActivitiesImplementations((Greeter) name -> "Hi " + name));
    env.clock().advance(Duration.ofSeconds(1));

    assertEquals("Hi Bo", env.result("no-greeter", String.class));
  }
}
