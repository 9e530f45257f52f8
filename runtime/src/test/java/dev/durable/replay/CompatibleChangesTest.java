package dev.durable.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowHistory;
import dev.durable.worker.WorkflowReplayer;
import dev.durable.workflow.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes that runs in progress survive: replaying what {@link OrderV1} recorded against each of
 * them passes. (Changes guarded by {@code Workflow.getVersion} are in {@link LifeOfAChangeTest}.)
 */
class CompatibleChangesTest {
  @TempDir static Path dataDir;
  private static WorkflowHistory completed;
  private static WorkflowHistory waitingForApproval;
  private static WorkflowHistory gotUnknownSignal;

  @BeforeAll
  static void recordOrdersOnTheOriginalCode() {
    try (Recorder recorder = Recorder.open(dataDir)) {
      completed = recorder.completedOrder(OrderV1.class, "order-completed");
      waitingForApproval = recorder.orderWaitingForApproval(OrderV1.class, "order-waiting");
      gotUnknownSignal = recorder.orderThatGotAnUnknownSignal(OrderV1.class, "order-misspelled-signal");
    }
  }

  /** The same calls in the same order, with other variable names and the steps moved into helper methods. */
  public static final class Refactored implements Order {
    private final Shop shop = Shop.stub();
    private boolean approvalReceived;

    @Override
    public String run(String orderId) {
      String reference = newReference(orderId);
      String payment = pay(reference);
      String stock = shop.reserve(reference);
      awaitApprovalAndCoolDown();
      return payment + stock + shop.ship(reference);
    }

    private static String newReference(String orderId) {
      return Workflow.sideEffect(String.class, () -> "ref-" + orderId);
    }

    private String pay(String reference) {
      return shop.charge(reference);
    }

    private void awaitApprovalAndCoolDown() {
      Workflow.await(() -> approvalReceived);
      Workflow.sleep(Duration.ofHours(1));
    }

    @Override
    public void approve() {
      approvalReceived = true;
    }
  }

  @Test
  void renamedVariablesAndStepsMovedIntoHelperMethodsReplay() {
    WorkflowReplayer.replayWorkflowExecution(completed, Refactored.class);
    WorkflowReplayer.replayWorkflowExecution(waitingForApproval, Refactored.class);
  }

  /** Other activity arguments and options, and a different way to build the result. */
  public static final class ChangedArguments extends BaseOrder {
    private final Shop patientShop = Shop.stub(Duration.ofMinutes(2));

    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "reference-of-" + order.toUpperCase());
      String charged = patientShop.charge(ref + "?currency=EUR");
      String reserved = patientShop.reserve(order);
      Workflow.await(() -> approved);
      Workflow.sleep(Duration.ofHours(1));
      return String.join(" / ", charged, reserved, patientShop.ship("express:" + ref));
    }
  }

  @Test
  void changedActivityArgumentsAndOptionsReplayBecauseTheyAreNotPartOfTheMatch() {
    assertTrue(Histories.attributes(Histories.events(completed, "ActivityTaskScheduled").get(0)).path("input")
        .toString().contains("ref-order-completed"), "the recorded argument differs from what the new code passes");

    WorkflowReplayer.replayWorkflowExecution(completed, ChangedArguments.class);
  }

  /** Notifies the customer once the order is approved: new work past the point the open run has reached. */
  public static final class NotifiesAfterApproval extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String charged = shop.charge(ref);
      String reserved = shop.reserve(ref);
      Workflow.await(() -> approved);
      String notified = shop.notifyCustomer(ref);
      Workflow.sleep(Duration.ofHours(1));
      return charged + reserved + notified + shop.ship(ref);
    }
  }

  @Test
  void codeAddedAfterThePointAnOpenRunHasReachedReplaysItsHistory() {
    assertEquals(List.of("Charge", "Reserve"), Histories.scheduledActivities(waitingForApproval));

    WorkflowReplayer.replayWorkflowExecution(waitingForApproval, NotifiesAfterApproval.class);
  }

  @Test
  void aRunThatDroppedASignalWithoutHandlerReplaysAgainstTheSameCode() {
    assertTrue(gotUnknownSignal.getEvents().stream().anyMatch(e -> e.eventType().equals("MarkerRecorded")
        && e.attributesJson().contains("SignalDropped") && e.attributesJson().contains("aprove")),
        "the dropped signal is recorded: " + gotUnknownSignal.toJson());
    WorkflowReplayer.replayWorkflowExecution(gotUnknownSignal, OrderV1.class);
  }
}
