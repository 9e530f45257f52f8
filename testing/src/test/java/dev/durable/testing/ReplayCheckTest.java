package dev.durable.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.durable.activity.ActivityInterface;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** The extension's replay check turns a deliberately non-deterministic workflow into a failed test. */
class ReplayCheckTest {

  @ActivityInterface
  public interface Steps {
    String first();

    String other();
  }

  public static class StepsImpl implements Steps {
    @Override
    public String first() {
      return "first";
    }

    @Override
    public String other() {
      return "other";
    }
  }

  @WorkflowInterface
  public interface Flaky {
    @WorkflowMethod
    String run();
  }

  /** Calls another activity every time it runs in this JVM: replay sees different code. */
  public static class FlakyImpl implements Flaky {
    static final AtomicInteger RUNS = new AtomicInteger();
    private final Steps steps = Workflow.newActivityStub(Steps.class, Sleepers.options());

    @Override
    public String run() {
      return RUNS.getAndIncrement() == 0 ? steps.first() : steps.other();
    }
  }

  /** Run through the test kit below, not by the build (surefire skips nested classes). */
  @DurableTest(workflows = FlakyImpl.class, activities = StepsImpl.class)
  static class NondeterministicCase {
    @Test
    void runsTheFlakyWorkflow(Flaky flaky) {
      flaky.run();
    }
  }

  @Test
  void aWorkflowThatDoesNotReplayFailsTheTestWithTheNondeterminismMessage() {
    FlakyImpl.RUNS.set(0);
    var events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NondeterministicCase.class)).execute()
        .testEvents();
    events.assertStatistics(stats -> stats.started(1).failed(1));
    Throwable failure = events.failed().stream().findFirst().map(Event::getPayload).orElseThrow()
        .map(p -> ((org.junit.platform.engine.TestExecutionResult) p).getThrowable().orElseThrow()).orElseThrow();
    String message = failure.getMessage() + " " + failure.getSuppressed()[0].getMessage();
    assertTrue(message.contains("replay check failed"), message);
    assertTrue(message.contains("DURABLE-110"), message);
    assertTrue(message.contains("activity=First"), message);
    assertTrue(message.contains("schedule activity Other"), message);
  }
}
