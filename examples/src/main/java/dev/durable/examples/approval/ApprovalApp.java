package dev.durable.examples.approval;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Submits an expense claim, answers it as an approver would (through the claim's task token, as a
 * web handler or a reply to an e-mail would) and prints the result.
 *
 * <p>Usage: {@code ApprovalApp [dataDir]} (default {@code data/approval}).
 */
public final class ApprovalApp {
  private ApprovalApp() {}

  /**
   * Runs the example.
   *
   * @param args optionally the data dir
   */
  public static void main(String[] args) throws InterruptedException {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "data/approval");
    ApprovalInbox inbox = new ApprovalInbox();
    Expense expense = new Expense("expense-" + System.currentTimeMillis(), "ada", 4_250);
    try (DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, "expenses")
             .registerWorkflowImplementationTypes(ExpenseWorkflowImpl.class)
             .registerActivitiesImplementations(new ExpenseActivitiesImpl(inbox))
             .build()) {
      worker.start();
      ExpenseWorkflow workflow = client.newWorkflowStub(ExpenseWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue("expenses").setWorkflowId(expense.id()).build());
      WorkflowClient.start(workflow::submit, expense);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (inbox.tokenOf(expense.id()).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10); // the approver checks the inbox
      }
      System.out.println(expense.id() + " waits for an approver; approving it");
      inbox.answer(client.newActivityCompletionClient(), expense.id(), "approved");
      System.out.println(client.newUntypedWorkflowStub(expense.id()).getResult(String.class));
    }
  }
}
