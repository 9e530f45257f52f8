package dev.durable.examples.approval;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityExecutionContext;

/** Files claims in an {@link ApprovalInbox} and pays them. */
public final class ExpenseActivitiesImpl implements ExpenseActivities {
  private final ApprovalInbox inbox;

  /** Activities that file claims in {@code inbox}. */
  public ExpenseActivitiesImpl(ApprovalInbox inbox) {
    this.inbox = inbox;
  }

  @Override
  public String requestApproval(Expense expense) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    inbox.file(expense.id(), ctx.getTaskToken());
    // Returns now and frees its thread: the answer completes the activity whenever it comes.
    ctx.doNotCompleteOnReturn();
    return null;
  }

  @Override
  public String pay(Expense expense) {
    return "payment " + expense.id() + "-" + expense.cents();
  }
}
