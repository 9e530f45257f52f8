package dev.durable.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.testing.DurableExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hello workflow with its activity replaced by a lambda. */
class HelloWorkflowWithMockTest {
  @RegisterExtension
  final DurableExtension durable = DurableExtension.newBuilder()
      .registerWorkflowImplementationTypes(HelloWorkflowImpl.class)
      .registerActivitiesImplementations(() -> new Object[] {(GreetingActivities) name -> "Hi " + name})
      .build();

  @Test
  void usesWhatTheActivityReturns(HelloWorkflow workflow) {
    assertEquals("Hi World", workflow.sayHello("World"));
  }
}
