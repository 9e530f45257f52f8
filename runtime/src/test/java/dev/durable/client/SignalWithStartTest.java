package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** signalWithStart signals the running run of an id, or starts one whose history begins with the signal. */
class SignalWithStartTest {
  @WorkflowInterface
  public interface Cart {
    /** Collects items until "checkout" arrives; returns the customer, the cart when the method began, and at its end. */
    @WorkflowMethod
    String run(String customer);

    @SignalMethod
    void add(String item);
  }

  public static final class CartImpl implements Cart {
    private final List<String> items = new ArrayList<>();

    @Override
    public String run(String customer) {
      List<String> atStart = List.copyOf(items);
      Workflow.await(() -> items.contains("checkout"));
      return customer + " " + atStart + " " + items;
    }

    @Override
    public void add(String item) {
      items.add(item);
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CartImpl.class));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private WorkflowStub cart(String workflowId) {
    return cart(workflowId, WorkflowIdReusePolicy.ALLOW_DUPLICATE);
  }

  private WorkflowStub cart(String workflowId, WorkflowIdReusePolicy policy) {
    return env.client().newUntypedWorkflowStub("Cart", WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE)
        .setWorkflowId(workflowId).setWorkflowIdReusePolicy(policy).build());
  }

  @Test
  void startsTheWorkflowWithTheSignalAsItsSecondEvent() {
    WorkflowExecution e = cart("cart-1").signalWithStart("add", new Object[] {"book"}, new Object[] {"ann"});

    assertEquals(e.getRunId(), env.describe("cart-1").runId());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowExecutionSignaled"),
        env.eventTypes("cart-1").subList(0, 2));
    env.stub("cart-1").signal("add", "checkout");
    // The handler runs once the workflow method first blocks, in the run's first workflow task.
    assertEquals("ann [] [book, checkout]", env.result("cart-1", String.class));
  }

  @Test
  void signalsTheRunningRunWithoutStartingAnother() {
    WorkflowExecution started = cart("cart-2").start("bob");
    env.awaitEvent("cart-2", "WorkflowTaskCompleted");

    WorkflowExecution signaled = cart("cart-2").signalWithStart("add", new Object[] {"pen"}, new Object[] {"ignored"});
    assertEquals(started.getRunId(), signaled.getRunId());
    env.stub("cart-2").signal("add", "checkout");
    assertEquals("bob [] [pen, checkout]", env.result("cart-2", String.class));
    assertEquals(1, env.eventTypes("cart-2").stream().filter(t -> t.equals("WorkflowExecutionStarted")).count());
  }

  @Test
  void startsANewRunOfAClosedIdWhenTheReusePolicyAllowsIt() {
    WorkflowExecution first = cart("cart-3").signalWithStart("add", new Object[] {"checkout"}, new Object[] {"cy"});
    assertEquals("cy [] [checkout]", env.result("cart-3", String.class));
    assertEquals(1, env.eventTypes("cart-3").stream().filter(t -> t.equals("WorkflowTaskCompleted")).count(),
        "the first workflow task saw the signal");

    WorkflowExecution second = cart("cart-3").signalWithStart("add", new Object[] {"checkout"}, new Object[] {"di"});
    assertNotEquals(first.getRunId(), second.getRunId());
    assertEquals("di [] [checkout]", env.result("cart-3", String.class));
  }

  @Test
  void refusedByTheReusePolicyRecordsNeitherStartNorSignal() {
    WorkflowExecution first = cart("cart-4").signalWithStart("add", new Object[] {"checkout"}, new Object[] {"ed"});
    env.result("cart-4", String.class);
    long events = env.describe("cart-4").historyLength();

    var e = assertThrows(WorkflowAlreadyStartedException.class, () -> cart("cart-4",
        WorkflowIdReusePolicy.REJECT_DUPLICATE).signalWithStart("add", new Object[] {"x"}, new Object[] {"fay"}));
    assertEquals("DURABLE-226", e.getCode());
    assertEquals(first.getRunId(), env.describe("cart-4").runId());
    assertEquals(events, env.describe("cart-4").historyLength());
  }

  @Test
  void needsAStubMadeWithATypeAndOptions() {
    var e = assertThrows(IllegalStateException.class,
        () -> env.stub("cart-5").signalWithStart("add", new Object[] {"x"}, new Object[] {"gil"}));
    assertTrue(e.getMessage().startsWith("DURABLE-217"), e.getMessage());
  }

  @Test
  void startsSurviveARestartTogetherWithTheirSignal() {
    cart("cart-6").signalWithStart("add", new Object[] {"lamp"}, new Object[] {"hal"});
    env.restartServer();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CartImpl.class));

    env.stub("cart-6").signal("add", "checkout");
    assertEquals("hal [] [lamp, checkout]", env.result("cart-6", String.class));
  }
}
