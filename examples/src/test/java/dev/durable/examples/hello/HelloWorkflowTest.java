package dev.durable.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.testing.DurableTest;
import org.junit.jupiter.api.Test;

/** The typical test of a workflow: the real engine in a time-skipping test environment. */
@DurableTest(workflows = HelloWorkflowImpl.class, activities = GreetingActivitiesImpl.class)
class HelloWorkflowTest {

  @Test
  void greetsByName(HelloWorkflow workflow) {
    assertEquals("Hello, World!", workflow.sayHello("World"));
  }
}
