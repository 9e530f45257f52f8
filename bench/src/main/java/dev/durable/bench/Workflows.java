package dev.durable.bench;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.time.Duration;

/** The workflows and activities the workloads run. */
public final class Workflows {
  private Workflows() {}

  private static Activities activities() {
    return Workflow.newActivityStub(Activities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
  }

  /** The activities: trivial, so that the engine's own cost is what is measured. */
  @ActivityInterface
  public interface Activities {
    /** Returns {@code "Hello, " + name + "!"}. */
    String greet(String name);

    /** Returns {@code i + 1}. */
    int inc(int i);
  }

  public static final class ActivitiesImpl implements Activities {
    @Override
    public String greet(String name) {
      return "Hello, " + name + "!";
    }

    @Override
    public int inc(int i) {
      return i + 1;
    }
  }

  /** hello, latency and startup: one activity. */
  @WorkflowInterface
  public interface Hello {
    @WorkflowMethod
    String sayHello(String name);
  }

  public static final class HelloImpl implements Hello {
    private final Activities activities = activities();

    @Override
    public String sayHello(String name) {
      return activities.greet(name);
    }
  }

  /** chain10: {@code steps} activities in sequence, each adding one. */
  @WorkflowInterface
  public interface Chain {
    @WorkflowMethod
    int count(int steps);
  }

  public static final class ChainImpl implements Chain {
    private final Activities activities = activities();

    @Override
    public int count(int steps) {
      int i = 0;
      for (int s = 0; s < steps; s++) {
        i = activities.inc(i);
      }
      return i;
    }
  }

  /** timers: one durable timer. */
  @WorkflowInterface
  public interface Sleep {
    @WorkflowMethod
    String sleep(Duration duration);
  }

  public static final class SleepImpl implements Sleep {
    @Override
    public String sleep(Duration duration) {
      Workflow.sleep(duration);
      return "woke";
    }
  }

  /** replay: like {@link Chain}, with a query that reads the count (so a cold query replays every step). */
  @WorkflowInterface
  public interface Steps {
    @WorkflowMethod
    int run(int steps);

    @QueryMethod
    int done();
  }

  public static final class StepsImpl implements Steps {
    private final Activities activities = activities();
    private int done;

    @Override
    public int run(int steps) {
      while (done < steps) {
        done = activities.inc(done);
      }
      return done;
    }

    @Override
    public int done() {
      return done;
    }
  }
}
