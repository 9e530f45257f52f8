package dev.durable.examples.hello;

import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;

/** The hello workflow: greets one name through an activity. */
@WorkflowInterface
public interface HelloWorkflow {
  /**
   * Greets {@code name}.
   *
   * @param name who to greet
   * @return the greeting, such as {@code Hello, World!}
   */
  @WorkflowMethod
  String sayHello(String name);
}
