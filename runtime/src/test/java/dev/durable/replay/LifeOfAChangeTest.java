package dev.durable.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowHistory;
import dev.durable.failure.NondeterminismError;
import dev.durable.worker.WorkflowReplayer;
import dev.durable.workflow.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole life of a change guarded by {@code Workflow.getVersion}, as docs/versioning.md tells
 * it: reserve stock before charging instead of after. (1) Add the call with both branches: runs
 * that started on the old code and new runs replay against the same code. (2) Retire the old
 * branch by raising minSupported: a run that took the old branch fails with DURABLE-111.
 * (3) Remove the call: histories with the version marker still replay.
 */
class LifeOfAChangeTest {
  static final String CHANGE = "reserve-first";

  @TempDir static Path dataDir;
  private static Recorder recorder;
  /** Ran on {@link OrderV1}, before the change. */
  private static WorkflowHistory oldRun;
  /** Ran on {@link ReserveFirst}, after the change was added. */
  private static WorkflowHistory newRun;

  @BeforeAll
  static void recordRunsBeforeAndAfterTheChange() {
    recorder = Recorder.open(dataDir);
    oldRun = recorder.completedOrder(OrderV1.class, "order-old");
    newRun = recorder.completedOrder(ReserveFirst.class, "order-new");
  }

  @AfterAll
  static void close() {
    recorder.close();
  }

  @BeforeEach
  void forgetVersionsSeen() {
    ReserveFirst.versionsSeen.clear();
  }

  /** Step 1: the change, guarded. */
  public static final class ReserveFirst extends BaseOrder {
    /** The version each run's code took, in the order the runs reached the call. */
    static final Queue<Integer> versionsSeen = new ConcurrentLinkedQueue<>();

    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      int version = Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1);
      versionsSeen.add(version);
      String charged;
      String reserved;
      if (version == Workflow.DEFAULT_VERSION) {
        charged = shop.charge(ref);
        reserved = shop.reserve(ref);
      } else {
        reserved = shop.reserve(ref);
        charged = shop.charge(ref);
      }
      Workflow.await(() -> approved);
      Workflow.sleep(Duration.ofHours(1));
      return charged + reserved + shop.ship(ref);
    }
  }

  /** Step 2: no open run took the old branch any more, so it is deleted and minSupported raised. */
  public static final class ReserveFirstOnly extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      Workflow.getVersion(CHANGE, 1, 1); // line: retired
      String reserved = shop.reserve(ref);
      String charged = shop.charge(ref);
      Workflow.await(() -> approved);
      Workflow.sleep(Duration.ofHours(1));
      return charged + reserved + shop.ship(ref);
    }
  }

  /** Step 3: the getVersion call itself is gone. */
  public static final class ReserveFirstWithoutVersion extends BaseOrder {
    @Override
    public String run(String order) {
      String ref = Workflow.sideEffect(String.class, () -> "ref-" + order);
      String reserved = shop.reserve(ref); // line: without-version
      String charged = shop.charge(ref);
      Workflow.await(() -> approved);
      Workflow.sleep(Duration.ofHours(1));
      return charged + reserved + shop.ship(ref);
    }
  }

  @Test
  void newRunRecordsTheMaximumVersionAndTakesTheNewBranch() {
    var markers = Histories.events(newRun, "MarkerRecorded").stream().map(Histories::attributes)
        .filter(a -> a.path("markerName").asText().equals("Version")).toList();
    assertEquals(1, markers.size(), Recorder.eventTypes(newRun).toString());
    assertEquals(CHANGE, markers.get(0).path("markerId").asText());
    assertEquals(1, markers.get(0).path("data").path("json").asInt());
    assertEquals(List.of("Reserve", "Charge", "Ship"), Histories.scheduledActivities(newRun));
    assertEquals(List.of("Charge", "Reserve", "Ship"), Histories.scheduledActivities(oldRun));
  }

  @Test
  void oldAndNewRunsReplayAgainstTheSameGuardedCodeEachOnItsOwnBranch() {
    var results = WorkflowReplayer.replayWorkflowExecutions(List.of(oldRun, newRun), false, ReserveFirst.class);

    assertTrue(results.ok(), results.toString());
    assertEquals(2, results.replayed());
    assertEquals(List.of(Workflow.DEFAULT_VERSION, 1), List.copyOf(ReserveFirst.versionsSeen));
  }

  @Test
  void runOpenWhenTheChangeIsDeployedFinishesOnTheOldBranchWithoutRecordingAVersion() {
    var env = recorder.env();
    WorkflowHistory waiting = recorder.orderWaitingForApproval(OrderV1.class, "order-open");
    assertEquals(List.of("Charge", "Reserve"), Histories.scheduledActivities(waiting));

    var worker = env.startWorker(b -> b.registerWorkflowImplementationTypes(ReserveFirst.class)
        .registerActivitiesImplementations(new Shop.Impl()));
    env.stub("order-open").signal("approve");
    env.awaitEvent("order-open", "TimerStarted");
    env.clock().advance(Duration.ofHours(1));
    assertEquals("charged ref-order-open;reserved ref-order-open;shipped ref-order-open;",
        env.result("order-open", String.class));
    env.closeWorker(worker);

    WorkflowHistory finished = env.stub("order-open").getHistory();
    assertEquals(List.of("Charge", "Reserve", "Ship"), Histories.scheduledActivities(finished));
    assertTrue(Histories.events(finished, "MarkerRecorded").stream().map(Histories::attributes)
        .noneMatch(a -> a.path("markerName").asText().equals("Version")), Recorder.eventTypes(finished).toString());
    assertTrue(ReserveFirst.versionsSeen.stream().allMatch(v -> v == Workflow.DEFAULT_VERSION),
        ReserveFirst.versionsSeen.toString());
    WorkflowReplayer.replayWorkflowExecution(finished, ReserveFirst.class);
  }

  @Test
  void retiredOldBranchReplaysNewRunsAndFailsRunsThatTookTheOldBranchWithDurable111() {
    WorkflowReplayer.replayWorkflowExecution(newRun, ReserveFirstOnly.class);

    NondeterminismError e = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(oldRun, ReserveFirstOnly.class));

    assertEquals("DURABLE-111 workflow 'order-old' (run " + oldRun.getRunId() + ", Order) took version -1 of change '"
        + CHANGE + "', but this code supports versions 1 to 1 (at "
        + SourceMarkers.frame(ReserveFirstOnly.class, "run", "retired") + "). Keep the branch for version -1 until no run"
        + " that took it is open, or reset those runs.", e.getMessage());
  }

  @Test
  void removedGetVersionCallReplaysHistoriesThatRecordedItsMarker() {
    WorkflowReplayer.replayWorkflowExecution(newRun, ReserveFirstWithoutVersion.class);

    // Only runs of the new branch may be open by then: the old branch is gone for good.
    NondeterminismError e = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(oldRun, ReserveFirstWithoutVersion.class));
    assertTrue(e.getMessage().startsWith("DURABLE-110 non-determinism in workflow 'order-old'"), e.getMessage());
    assertTrue(e.getMessage().contains("at history event "
        + Histories.eventId(oldRun, "ActivityTaskScheduled", "activityType", "Charge") + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("code:    schedule activity Reserve (seq 2)  at "
        + SourceMarkers.frame(ReserveFirstWithoutVersion.class, "run", "without-version")), e.getMessage());
  }
}
