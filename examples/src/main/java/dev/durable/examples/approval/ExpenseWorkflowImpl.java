package dev.durable.examples.approval;

import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.Workflow;
import java.time.Duration;

/**
 * Waits up to a week for an approver's answer (the approval activity's start-to-close timeout),
 * then pays an approved claim. The wait holds no thread: the activity returned at once and the
 * answer completes it by its task token.
 */
public class ExpenseWorkflowImpl implements ExpenseWorkflow {
  private final ExpenseActivities approvals = Workflow.newActivityStub(ExpenseActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofDays(7)).build());
  private final ExpenseActivities payments = Workflow.newActivityStub(ExpenseActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

  @Override
  public String submit(Expense expense) {
    String decision = approvals.requestApproval(expense);
    if (!"approved".equals(decision)) {
      return expense.id() + " " + decision;
    }
    return expense.id() + " approved and paid: " + payments.pay(expense);
  }
}
