package dev.durable.examples.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.testing.DurableTest;
import dev.durable.testing.TestWorkflowEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The order workflow sleeps 2 s four times; with time skipping the test does not wait for it. */
@DurableTest(workflows = OrderWorkflowImpl.class, activities = OrderActivitiesImpl.class)
class OrderWorkflowTest {

  @Test
  void runsTheFiveStepsInOrderWhileTheTimersAreSkipped(OrderWorkflow workflow, TestWorkflowEnvironment env) {
    long start = env.currentTimeMillis();
    String result = workflow.process("order-7");
    assertEquals("order-7 completed: stock reserved, card charged, items packed, parcel shipped, receipt sent", result);
    assertTrue(env.currentTimeMillis() - start >= Duration.ofSeconds(8).toMillis(), "four 2 s timers passed in virtual time");
  }
}
