package dev.durable.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowExecution;
import dev.durable.client.WorkflowStatus;
import dev.durable.testing.TestEnv;
import dev.durable.worker.Worker;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying a history with code that makes different calls fails the workflow task with DURABLE-110, naming the
 * event, both calls and the new code's source line; the run keeps running until compatible code comes back.
 */
class NondeterminismTest {
  /** The source line of the changed call, captured on the same line as the call. */
  static volatile int changedCallLine;

  @ActivityInterface
  public interface Shipping {
    String reserve(String item);

    String ship(String item);
  }

  static final class ShippingImpl implements Shipping {
    @Override
    public String reserve(String item) {
      return "reserved " + item + ";";
    }

    @Override
    public String ship(String item) {
      return "shipped " + item + ";";
    }
  }

  private static Shipping shipping() {
    return Workflow.newActivityStub(Shipping.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
  }

  private static int here() {
    return new Throwable().getStackTrace()[1].getLineNumber();
  }

  @WorkflowInterface
  public interface OrderV1 {
    @WorkflowMethod(name = "Order")
    String run(String item);

    @SignalMethod
    void confirm();
  }

  /** The original code: reserve, wait for the confirmation, ship. */
  public static final class OrderV1Impl implements OrderV1 {
    private boolean confirmed;

    @Override
    public String run(String item) {
      String reserved = shipping().reserve(item);
      Workflow.await(() -> confirmed);
      return reserved + shipping().ship(item);
    }

    @Override
    public void confirm() {
      confirmed = true;
    }
  }

  @WorkflowInterface
  public interface OrderV2 {
    @WorkflowMethod(name = "Order")
    String run(String item);

    @SignalMethod
    void confirm();
  }

  /** An incompatible change: it ships first. */
  public static final class OrderV2Impl implements OrderV2 {
    private boolean confirmed;

    @Override
    public String run(String item) {
      changedCallLine = here(); String shipped = shipping().ship(item);
      Workflow.await(() -> confirmed);
      return shipped;
    }

    @Override
    public void confirm() {
      confirmed = true;
    }
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

  private Worker worker(Class<?> workflowImpl) {
    return env.startWorker(b -> b.registerWorkflowImplementationTypes(workflowImpl)
        .registerActivitiesImplementations(new ShippingImpl()));
  }

  @Test
  void changedCodeFailsTheWorkflowTaskNamingTheEventBothCallsAndTheSourceLine() {
    Worker original = worker(OrderV1Impl.class);
    WorkflowExecution run = WorkflowClient.start(env.newWorkflow(OrderV1.class, "order-1")::run, "book");
    List<String> waiting = List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled",
        "ActivityTaskCompleted", "WorkflowTaskCompleted");
    env.awaitDescription("order-1", "the workflow to wait for its confirmation", d -> d.historyLength() == 5);
    assertEquals(waiting, env.eventTypes("order-1"));
    env.closeWorker(original);

    worker(OrderV2Impl.class);
    env.stub("order-1").signal("confirm");
    WorkflowDescription d = env.awaitDescription("order-1", "the workflow task failure", x -> x.lastWorkflowTaskFailure() != null);

    String failure = d.lastWorkflowTaskFailure();
    assertTrue(failure.startsWith("DURABLE-110 non-determinism in workflow 'order-1' (run " + run.runId() + ", Order)"
        + " at history event 3:\n"), failure);
    assertTrue(failure.contains("history: ActivityTaskScheduled") && failure.contains("activity=Reserve"), failure);
    assertTrue(failure.contains("code:    schedule activity Ship"), failure);
    assertTrue(changedCallLine > 0);
    assertTrue(failure.contains(OrderV2Impl.class.getName() + ".run(NondeterminismTest.java:" + changedCallLine + ")"), failure);
    assertEquals(WorkflowStatus.RUNNING, d.status());
    assertEquals(2, d.workflowTaskAttempt());
  }

  @Test
  void runWithANondeterminismFailureCompletesOnceCompatibleCodeIsDeployedAgain() {
    Worker original = worker(OrderV1Impl.class);
    WorkflowClient.start(env.newWorkflow(OrderV1.class, "order-2")::run, "lamp");
    env.awaitDescription("order-2", "the workflow to wait for its confirmation", d -> d.historyLength() == 5);
    env.closeWorker(original);
    Worker changed = worker(OrderV2Impl.class);
    env.stub("order-2").signal("confirm");
    env.awaitDescription("order-2", "the workflow task failure", x -> x.lastWorkflowTaskFailure() != null);
    env.closeWorker(changed);

    worker(OrderV1Impl.class);
    env.clock().advance(Duration.ofSeconds(1)); // the failed task's retry backoff
    assertEquals("reserved lamp;shipped lamp;", env.result("order-2", String.class));
  }
}
