package dev.durable.examples.hello;

import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.Workflow;
import java.time.Duration;

/** Calls the {@code greet} activity and returns its result. */
public class HelloWorkflowImpl implements HelloWorkflow {
  private final GreetingActivities activities = Workflow.newActivityStub(GreetingActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

  @Override
  public String sayHello(String name) {
    return activities.greet(name);
  }
}
