package dev.durable.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowOptions;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ApplicationFailure;
import dev.durable.workflow.ChildWorkflowOptions;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Time skipping covers a chain of continue-as-new runs, a child workflow and a workflow retry's backoff. */
// @Timeout only guards against a hang; no test measures time.
@Timeout(60)
class ToolboxTimeSkippingTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  @WorkflowInterface
  public interface Days {
    @WorkflowMethod
    String run(int days);
  }

  /** Sleeps a day per run, continuing as new until {@code days} is 0; the first run fails once and is retried. */
  public static final class DaysImpl implements Days {
    @Override
    public String run(int days) {
      if (days == 3 && Workflow.getInfo().attempt() == 1) {
        throw ApplicationFailure.newFailure("first attempt fails", "Flaky");
      }
      if (days == 0) {
        return "done at " + Workflow.now();
      }
      Workflow.sleep(Duration.ofDays(1));
      Workflow.continueAsNew(days - 1);
      return "unreachable";
    }
  }

  @WorkflowInterface
  public interface Parent {
    @WorkflowMethod
    String run();
  }

  public static final class ParentImpl implements Parent {
    @Override
    public String run() {
      return Workflow.newChildWorkflowStub(Days.class, ChildWorkflowOptions.newBuilder().setWorkflowId("days")
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofHours(6)).build()).build()).run(3);
    }
  }

  private final TestWorkflowEnvironment env =
      TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setStartTime(START).build());

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void childThatIsRetriedAndContinuesAsNewForThreeDaysFinishesWithoutWaiting() {
    env.newWorker("q", b -> b.registerWorkflowImplementationTypes(ParentImpl.class, DaysImpl.class));
    String result = env.getWorkflowClient().newWorkflowStub(Parent.class,
        WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("parent").build()).run();

    // 6 hours of retry backoff, then three days of sleep across three runs.
    assertEquals("done at " + START.plus(Duration.ofHours(6)).plus(Duration.ofDays(3)), result);
    assertTrue(env.currentTimeMillis() >= START.plus(Duration.ofDays(3)).toEpochMilli());
  }
}
