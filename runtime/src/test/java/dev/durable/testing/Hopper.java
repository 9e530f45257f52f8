package dev.durable.testing;

import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;

/** A workflow that continues as new {@code hops} times, then waits for {@link #land()}: a chain of runs. */
@WorkflowInterface
public interface Hopper {
  @WorkflowMethod
  String hop(int hops);

  @SignalMethod
  void land();

  final class Impl implements Hopper {
    private boolean landed;

    @Override
    public String hop(int hops) {
      if (hops > 0) {
        Workflow.continueAsNew(hops - 1);
      }
      Workflow.await(() -> landed);
      return "landed";
    }

    @Override
    public void land() {
      landed = true;
    }
  }
}
