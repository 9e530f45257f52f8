package dev.durable.examples.order;

import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;

/** Processes one order in five steps, with a pause between them. */
@WorkflowInterface
public interface OrderWorkflow {
  /**
   * Runs the order through all five steps.
   *
   * @param orderId the order
   * @return a summary of what was done
   */
  @WorkflowMethod
  String process(String orderId);
}
