package dev.durable.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowHistory;
import dev.durable.failure.NondeterminismError;
import dev.durable.worker.WorkflowReplayer;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog of changes that break runs in progress. Each test replays the history {@link OrderV1}
 * recorded against changed code of the same workflow type, through the {@link WorkflowReplayer},
 * and checks that the DURABLE-110 error names the workflow, the history event, what history
 * recorded there, what the code did instead and the changed source line, and says what to do.
 *
 * <p>A changed child workflow type or id is covered by {@code ChildWorkflowTest}.
 */
class IncompatibleChangesTest {
  @TempDir static Path dataDir;
  private static WorkflowHistory original;

  @BeforeAll
  static void recordAnOrderOnTheOriginalCode() {
    try (Recorder recorder = Recorder.open(dataDir)) {
      original = recorder.completedOrder(OrderV1.class, "order-1");
    }
  }

  /** Charges after reserving, where the original charged first. */
  public static final class Reordered extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String reserved = shop.reserve(ref); // line: reordered
      String charged = shop.charge(ref);
      Workflow.await(() -> approved);
      Workflow.sleep(Duration.ofHours(1));
      return charged + reserved + shop.ship(ref);
    }
  }

  @Test
  void reorderedActivitiesAreReportedAtTheFirstActivityWithBothActivityTypes() {
    NondeterminismError e = replayAgainst(Reordered.class);

    assertReported(e, Histories.eventId(original, "ActivityTaskScheduled", "activityType", "Charge"),
        List.of("ActivityTaskScheduled", "activity=Charge"), "schedule activity Reserve",
        "at " + SourceMarkers.frame(Reordered.class, "run", "reordered"));
  }

  /** Calls a different activity type in place of Charge. */
  public static final class ChangedActivityType extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String charged = shop.chargeCard(ref); // line: changed-type
      String reserved = shop.reserve(ref);
      Workflow.await(() -> approved);
      Workflow.sleep(Duration.ofHours(1));
      return charged + reserved + shop.ship(ref);
    }
  }

  @Test
  void changedActivityTypeIsReportedWithTheRecordedAndTheNewType() {
    NondeterminismError e = replayAgainst(ChangedActivityType.class);

    assertReported(e, Histories.eventId(original, "ActivityTaskScheduled", "activityType", "Charge"),
        List.of("ActivityTaskScheduled", "activity=Charge"), "schedule activity ChargeCard",
        "at " + SourceMarkers.frame(ChangedActivityType.class, "run", "changed-type"));
  }

  /** Ships right after the approval: the hour's pause is gone. */
  public static final class RemovedTimer extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String charged = shop.charge(ref);
      String reserved = shop.reserve(ref);
      Workflow.await(() -> approved);
      return charged + reserved + shop.ship(ref); // line: removed-timer
    }
  }

  @Test
  void removedTimerIsReportedAtTheRecordedTimerWithTheCommandThatTookItsPlace() {
    NondeterminismError e = replayAgainst(RemovedTimer.class);

    assertReported(e, Histories.eventId(original, "TimerStarted"), List.of("TimerStarted", "for PT1H"),
        "schedule activity Ship", "at " + SourceMarkers.frame(RemovedTimer.class, "run", "removed-timer"));
  }

  /** Checks for fraud before reserving: a new activity in front of an existing one. */
  public static final class ActivityAddedBefore extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String charged = shop.charge(ref);
      String checked = shop.checkFraud(ref); // line: added-before
      String reserved = shop.reserve(ref);
      Workflow.await(() -> approved);
      Workflow.sleep(Duration.ofHours(1));
      return charged + checked + reserved + shop.ship(ref);
    }
  }

  @Test
  void activityAddedBeforeAnExistingOneIsReportedAtTheExistingOne() {
    NondeterminismError e = replayAgainst(ActivityAddedBefore.class);

    assertReported(e, Histories.eventId(original, "ActivityTaskScheduled", "activityType", "Reserve"),
        List.of("ActivityTaskScheduled", "activity=Reserve"), "schedule activity CheckFraud",
        "at " + SourceMarkers.frame(ActivityAddedBefore.class, "run", "added-before"));
  }

  /** The same workflow type, whose approval signal is now called {@code confirm}. */
  @WorkflowInterface
  public interface OrderWithConfirm {
    @WorkflowMethod(name = "Order")
    String run(String order);

    @SignalMethod
    void confirm();
  }

  /** The {@code approve} handler was removed (renamed to {@code confirm}). */
  public static final class RemovedSignalHandler implements OrderWithConfirm {
    private final Shop shop = Shop.stub();
    private boolean confirmed;

    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String charged = shop.charge(ref);
      String reserved = shop.reserve(ref);
      Workflow.await(() -> confirmed);
      Workflow.sleep(Duration.ofHours(1));
      return charged + reserved + shop.ship(ref);
    }

    @Override
    public void confirm() {
      confirmed = true;
    }
  }

  @Test
  void removedSignalHandlerIsReportedAtTheSignalNamingTheInterfaceAndItsSignals() {
    NondeterminismError e = replayAgainst(RemovedSignalHandler.class);

    String message = e.getMessage();
    assertHeader(message, Histories.eventId(original, "WorkflowExecutionSignaled"));
    assertTrue(line(message, "  history: ").contains("WorkflowExecutionSignaled")
        && line(message, "  history: ").contains("signal=approve"), message);
    assertTrue(line(message, "  code:    ").contains("no @SignalMethod named 'approve' in "
        + OrderWithConfirm.class.getName() + " (known signals: [confirm])"), message);
    assertAdvice(message);
  }

  /** Gets the order's reference from an activity instead of a side effect. */
  public static final class SideEffectTurnedIntoActivity extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = shop.newReference(order); // line: side-effect-to-activity
      String charged = shop.charge(ref);
      String reserved = shop.reserve(ref);
      Workflow.await(() -> approved);
      Workflow.sleep(Duration.ofHours(1));
      return charged + reserved + shop.ship(ref);
    }
  }

  @Test
  void sideEffectTurnedIntoAnActivityIsReportedAtTheSideEffectMarker() {
    NondeterminismError e = replayAgainst(SideEffectTurnedIntoActivity.class);

    assertReported(e, Histories.eventId(original, "MarkerRecorded", "markerName", "SideEffect"),
        List.of("MarkerRecorded", "SideEffect '1'"), "schedule activity NewReference",
        "at " + SourceMarkers.frame(SideEffectTurnedIntoActivity.class, "run", "side-effect-to-activity"));
  }

  /** Notifies the customer after shipping: more work where the history says the run completed. */
  public static final class MoreAfterCompletion extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String charged = shop.charge(ref);
      String reserved = shop.reserve(ref);
      Workflow.await(() -> approved);
      Workflow.sleep(Duration.ofHours(1));
      String shipped = shop.ship(ref);
      return charged + reserved + shipped + shop.notifyCustomer(ref); // line: more-after-completion
    }
  }

  @Test
  void codeThatDoesMoreWhereHistorySaysTheRunCompletedIsReportedAtTheCompletion() {
    NondeterminismError e = replayAgainst(MoreAfterCompletion.class);

    assertReported(e, Histories.eventId(original, "WorkflowExecutionCompleted"), List.of("WorkflowExecutionCompleted"),
        "schedule activity NotifyCustomer",
        "at " + SourceMarkers.frame(MoreAfterCompletion.class, "run", "more-after-completion"));
  }

  /** Waits for the goods to be packed before the pause: the code stops where history went on. */
  public static final class StopsEarlier extends BaseOrder {
    private boolean packed;

    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String charged = shop.charge(ref);
      String reserved = shop.reserve(ref);
      Workflow.await(() -> approved);
      Workflow.await(() -> packed); // line: stops-earlier
      Workflow.sleep(Duration.ofHours(1));
      return charged + reserved + shop.ship(ref);
    }
  }

  @Test
  void historyWithACommandTheCodeNoLongerProducesIsReportedWithWhereTheCodeWaits() {
    NondeterminismError e = replayAgainst(StopsEarlier.class);

    long timerStarted = Histories.eventId(original, "TimerStarted");
    assertReported(e, timerStarted, List.of("TimerStarted", "for PT1H"),
        "nothing: the code now waits without producing this command (after workflow task " + (timerStarted - 1) + ")",
        "at " + SourceMarkers.frame(StopsEarlier.class, "run", "stops-earlier"));
  }

  /** Returns right after reserving: approval, pause and shipping are gone. */
  public static final class ReturnsEarlier extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String charged = shop.charge(ref);
      return charged + shop.reserve(ref);
    }
  }

  @Test
  void codeThatCompletesWhereHistoryRecordedNoCommandIsReportedAfterThatWorkflowTask() {
    NondeterminismError e = replayAgainst(ReturnsEarlier.class);

    // The task after Reserve completed recorded no command (the original code waited for approval), so the
    // completion has no counterpart where it would have been recorded: right after that WorkflowTaskCompleted.
    long reserveScheduled = Histories.eventId(original, "ActivityTaskScheduled", "activityType", "Reserve");
    long reserveCompleted = Histories.eventId(original, "ActivityTaskCompleted", "scheduledEventId", "" + reserveScheduled);
    long taskCompleted = reserveCompleted + 1;
    assertEquals("WorkflowTaskCompleted", original.getEvents().get((int) taskCompleted - 1).eventType());
    assertReported(e, taskCompleted + 1, List.of("no further command in workflow task " + taskCompleted),
        "complete the workflow", "when " + ReturnsEarlier.class.getName() + ".run returned");
  }

  // ------------------------------------------------------------------ helpers

  private static NondeterminismError replayAgainst(Class<?> changedCode) {
    return assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(original, changedCode));
  }

  /**
   * Checks the whole message: the header, the history side, the code side ending with where the
   * code did it ({@code at <frame>}), and the advice.
   */
  private static void assertReported(NondeterminismError e, long eventId, List<String> history, String code,
      String where) {
    String message = e.getMessage();
    assertHeader(message, eventId);
    String historyLine = line(message, "  history: ");
    history.forEach(part -> assertTrue(historyLine.contains(part), "'" + part + "' in:\n" + message));
    WorkflowHistory.Event recorded = original.getEvents().stream().filter(ev -> ev.eventId() == eventId).findFirst()
        .orElse(null);
    if (recorded != null && historyLine.contains(recorded.eventType())) {
      assertTrue(historyLine.contains("(recorded by the code that ran on " + recorded.timestamp().toString().substring(0, 10)
          + ")"), message);
    }
    String codeLine = line(message, "  code:    ");
    assertTrue(codeLine.contains(code), "'" + code + "' in:\n" + message);
    assertTrue(codeLine.endsWith(where), "'" + where + "' at the end of:\n" + message);
    assertAdvice(message);
  }

  private static void assertHeader(String message, long eventId) {
    assertTrue(message.startsWith("DURABLE-110 non-determinism in workflow 'order-1' (run " + original.getRunId()
        + ", Order) at history event " + eventId + ":\n"), message);
  }

  private static void assertAdvice(String message) {
    assertTrue(message.contains("The workflow code changed in a way that is not compatible with runs already in progress."),
        message);
    assertTrue(message.contains("Guard the change with Workflow.getVersion(") && message.contains("or reset the run"), message);
  }

  private static String line(String message, String prefix) {
    return message.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + message));
  }
}
