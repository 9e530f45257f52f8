package dev.durable.testing;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.time.Duration;

/** The smallest useful workflow, shared by tests: one activity that greets a name. */
public final class Greetings {
  private Greetings() {}

  @ActivityInterface
  public interface Greeter {
    String greet(String name);
  }

  @WorkflowInterface
  public interface Greeting {
    @WorkflowMethod
    String run(String name);
  }

  public static final class GreetingImpl implements Greeting {
    private final Greeter greeter = Workflow.newActivityStub(Greeter.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

    @Override
    public String run(String name) {
      return greeter.greet(name);
    }
  }
}
