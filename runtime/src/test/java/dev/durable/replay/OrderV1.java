package dev.durable.replay;

import dev.durable.workflow.Workflow;
import java.time.Duration;

/**
 * The code running orders before any change: a reference from a side effect, charge, reserve,
 * wait for approval, an hour's pause, ship. Its completed history has these events:
 *
 * <pre>
 *  1 WorkflowExecutionStarted       10 WorkflowExecutionSignaled approve
 *  2 WorkflowTaskCompleted          11 WorkflowTaskCompleted
 *  3 MarkerRecorded SideEffect      12 TimerStarted (1 hour)
 *  4 ActivityTaskScheduled Charge   13 TimerFired
 *  5 ActivityTaskCompleted          14 WorkflowTaskCompleted
 *  6 WorkflowTaskCompleted          15 ActivityTaskScheduled Ship
 *  7 ActivityTaskScheduled Reserve  16 ActivityTaskCompleted
 *  8 ActivityTaskCompleted          17 WorkflowTaskCompleted
 *  9 WorkflowTaskCompleted          18 WorkflowExecutionCompleted
 * </pre>
 *
 * The tests find event ids in the exported history rather than relying on this table.
 */
public final class OrderV1 extends BaseOrder {
  @Override
  public String run(String order) {
    String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
    String charged = shop.charge(ref);
    String reserved = shop.reserve(ref);
    Workflow.await(() -> approved);
    Workflow.sleep(Duration.ofHours(1));
    return charged + reserved + shop.ship(ref);
  }
}
