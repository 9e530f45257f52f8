package dev.durable.it.sandbox;

import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;

/**
 * A workflow taking and returning a string. Several implementations exist; each child JVM of
 * {@link WorkflowChild} registers the one it is told to.
 */
@WorkflowInterface
public interface StringWorkflow {
  /** Runs the workflow. */
  @WorkflowMethod
  String run(String arg);
}
