package dev.durable.examples.order;

import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the five order steps in turn, sleeping on a durable timer between them. Kill the JVM
 * during a pause and start it again: replay restores the finished steps from history, so they
 * do not run again, and the workflow goes on with the next one.
 */
public class OrderWorkflowImpl implements OrderWorkflow {
  private static final Duration PAUSE = Duration.ofSeconds(2);

  private final OrderActivities activities = Workflow.newActivityStub(OrderActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

  @Override
  public String process(String orderId) {
    List<String> done = new ArrayList<>();
    done.add(activities.reserveStock(orderId));
    pauseBefore("chargeCard", orderId);
    done.add(activities.chargeCard(orderId));
    pauseBefore("packItems", orderId);
    done.add(activities.packItems(orderId));
    pauseBefore("shipParcel", orderId);
    done.add(activities.shipParcel(orderId));
    pauseBefore("sendReceipt", orderId);
    done.add(activities.sendReceipt(orderId));
    return orderId + " completed: " + String.join(", ", done);
  }

  private void pauseBefore(String nextStep, String orderId) {
    // Replay runs this code again after a restart; print only the first time through.
    if (!Workflow.isReplaying()) {
      System.out.println(orderId + " waits " + PAUSE.toSeconds() + "s before " + nextStep);
    }
    Workflow.sleep(PAUSE);
  }
}
