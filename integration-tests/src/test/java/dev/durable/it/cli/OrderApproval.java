package dev.durable.it.cli;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.time.Duration;

/** The workflow the CLI drives in child JVMs: waits for an approval signal, then ships through an activity. */
@WorkflowInterface
public interface OrderApproval {
  /** The task queue its workers poll. */
  String TASK_QUEUE = "cli-orders";

  @WorkflowMethod
  String run(String orderId, int amount);

  @SignalMethod
  void approve(String by);

  @QueryMethod
  String state();

  /** Ships an order. */
  @ActivityInterface
  interface Shipping {
    String ship(String orderId);
  }

  /** Ships by returning a parcel number. */
  final class ShippingImpl implements Shipping {
    @Override
    public String ship(String orderId) {
      return "parcel-" + orderId;
    }
  }

  /** The implementation. */
  final class Impl implements OrderApproval {
    private final Shipping shipping = Workflow.newActivityStub(Shipping.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
    private String approver;

    @Override
    public String run(String orderId, int amount) {
      Workflow.await(() -> approver != null);
      return orderId + " (" + amount + ") approved by " + approver + ", shipped as " + shipping.ship(orderId);
    }

    @Override
    public void approve(String by) {
      approver = by;
    }

    @Override
    public String state() {
      return approver == null ? "waiting for approval" : "approved by " + approver;
    }
  }
}
