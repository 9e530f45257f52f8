package dev.durable.examples.approval;

import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;

/** Asks a person to approve an expense claim, then pays it or not. */
@WorkflowInterface
public interface ExpenseWorkflow {
  /** Returns what became of the claim. */
  @WorkflowMethod
  String submit(Expense expense);
}
