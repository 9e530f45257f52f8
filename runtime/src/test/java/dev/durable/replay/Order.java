package dev.durable.replay;

import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;

/**
 * The workflow type {@code Order}. Its original code is {@link OrderV1}; the tests replay what
 * that code recorded against changed implementations of the same type.
 */
@WorkflowInterface
public interface Order {
  /** Takes an order through to shipping and returns what was done. */
  @WorkflowMethod(name = "Order")
  String run(String order);

  /** A person approved the order. */
  @SignalMethod
  void approve();
}
