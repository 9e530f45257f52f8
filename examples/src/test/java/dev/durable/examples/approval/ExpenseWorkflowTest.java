package dev.durable.examples.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.testing.TestEnvironmentOptions;
import dev.durable.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The approval waits for an approver's answer, which completes it by its task token. Time skipping
 * is off: with nothing else to do the server would skip a week ahead to the approval's timeout.
 */
class ExpenseWorkflowTest {
  private final ApprovalInbox inbox = new ApprovalInbox();
  private TestWorkflowEnvironment env;

  @BeforeEach
  void open() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setTimeSkipping(false).build());
    env.newWorker("expenses", w -> w.registerWorkflowImplementationTypes(ExpenseWorkflowImpl.class)
        .registerActivitiesImplementations(new ExpenseActivitiesImpl(inbox)));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private ExpenseWorkflow workflow(String id) {
    return env.getWorkflowClient().newWorkflowStub(ExpenseWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("expenses").setWorkflowId(id).build());
  }

  /** Waits, on the real clock, until {@code done} holds. */
  private static void until(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private String activityState(String id) {
    return env.getWorkflowClient().newUntypedWorkflowStub(id).describe().orElseThrow().pendingActivities().stream()
        .map(p -> p.state()).findFirst().orElse("none");
  }

  @Test
  void anApprovedClaimIsPaidAndARejectedOneIsNot() throws InterruptedException {
    WorkflowClient.start(workflow("e-1")::submit, new Expense("e-1", "ada", 4_250));
    WorkflowClient.start(workflow("e-2")::submit, new Expense("e-2", "bob", 99_900));
    until("both claims filed", () -> inbox.tokenOf("e-1").isPresent() && inbox.tokenOf("e-2").isPresent());
    // The activities returned and hold no thread; the server knows they wait for their answer.
    until("e-1 to await its answer", () -> activityState("e-1").equals("AWAITING_COMPLETION"));

    inbox.answer(env.getWorkflowClient().newActivityCompletionClient(), "e-1", "approved");
    inbox.answer(env.getWorkflowClient().newActivityCompletionClient(), "e-2", "rejected");
    assertEquals("e-1 approved and paid: payment e-1-4250",
        env.getWorkflowClient().newUntypedWorkflowStub("e-1").getResult(String.class));
    assertEquals("e-2 rejected", env.getWorkflowClient().newUntypedWorkflowStub("e-2").getResult(String.class));
  }
}
