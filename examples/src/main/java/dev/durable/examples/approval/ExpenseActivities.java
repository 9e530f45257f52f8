package dev.durable.examples.approval;

import dev.durable.activity.ActivityInterface;

/** The steps of an expense claim. */
@ActivityInterface
public interface ExpenseActivities {
  /**
   * Puts the claim in the approvers' inbox and returns their decision, {@code "approved"} or
   * {@code "rejected"}: it completes when an approver answers, through its task token.
   */
  String requestApproval(Expense expense);

  /** Pays the claim; returns the payment's reference. */
  String pay(Expense expense);
}
