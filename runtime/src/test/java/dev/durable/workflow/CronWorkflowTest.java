package dev.durable.workflow;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ApplicationFailure;
import dev.durable.testing.ManualClock;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cron schedules: the server starts a run each time the schedule fires after the run before it
 * closed, on its clock, across restarts, until the workflow is terminated or canceled. The test
 * clock starts at 2030-01-01T00:00:00Z.
 */
class CronWorkflowTest {
  private static final String EVERY_TEN_MINUTES = "*/10 * * * *";

  @ActivityInterface
  public interface Log {
    void record(String line);
  }

  /** What the runs recorded, in order. */
  static final List<String> LOG = new CopyOnWriteArrayList<>();

  public static final class LogImpl implements Log {
    @Override
    public void record(String line) {
      LOG.add(line);
    }
  }

  @WorkflowInterface
  public interface Report {
    @WorkflowMethod
    String report(String mode);

    @SignalMethod
    void finish();
  }

  /**
   * Records its workflow time and attempt. Mode "fail-second" fails the runs that start from 00:20 to 00:29;
   * "slow" waits for {@link #finish()} in its first run.
   */
  public static final class ReportImpl implements Report {
    private final Log log = Workflow.newActivityStub(Log.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    private boolean finished;

    @Override
    public String report(String mode) {
      String at = Workflow.now().toString().substring(11, 16);
      if (mode.equals("carry")) { // goes on from the last completed run's result; the 00:20 run fails
        log.record(at + " after " + Workflow.getLastCompletionResult(String.class));
        if (at.equals("00:20")) {
          throw ApplicationFailure.newFailure("the report of 00:20 failed", "ReportFailed");
        }
        return "report of " + at;
      }
      log.record(at + " attempt " + Workflow.getInfo().attempt()
          + (EVERY_TEN_MINUTES.equals(Workflow.getInfo().cronSchedule()) ? "" : " without its schedule"));
      if (mode.equals("fail-second") && at.startsWith("00:2")) { // the 00:20 run and its retry
        throw ApplicationFailure.newFailure("the report of " + at + " failed", "ReportFailed");
      }
      if (mode.equals("slow") && Workflow.getInfo().continuedFromRunId() == null) {
        Workflow.await(() -> finished);
      }
      return "report of " + at;
    }

    @Override
    public void finish() {
      finished = true;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    LOG.clear();
    env = TestEnv.open(dir);
    startWorker();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ReportImpl.class).registerActivitiesImplementations(
        new LogImpl()));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private static WorkflowOptions cron(String workflowId, String schedule) {
    return WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId(workflowId)
        .setCronSchedule(schedule).build();
  }

  private void start(String workflowId, String schedule, String mode) {
    WorkflowClient.start(env.client().newWorkflowStub(Report.class, cron(workflowId, schedule))::report, mode);
  }

  /** The runs of {@code workflowId} with their statuses, oldest first. */
  private List<WorkflowStatus> statuses(String workflowId) {
    return env.client().listWorkflows(false, 100).stream().filter(d -> d.workflowId().equals(workflowId))
        .sorted(java.util.Comparator.comparing(WorkflowDescription::startTime).thenComparing(WorkflowDescription::runId))
        .map(WorkflowDescription::status).toList();
  }

  /** Moves the clock on by ten minutes, then waits for {@code reports} reports and {@code runs} runs. */
  private void tick(int reports, int runs) {
    env.clock().advance(Duration.ofMinutes(10));
    eventually(reports + " reports", () -> LOG.size() >= reports);
    eventually(runs + " runs, the last one scheduled", () -> statuses("daily"),
        l -> l.size() == runs && l.get(runs - 1) == WorkflowStatus.RUNNING);
  }

  @Test
  void aRunStartsEachTimeTheScheduleFiresAndTerminatingEndsTheSchedule() {
    start("daily", EVERY_TEN_MINUTES, "plain");
    WorkflowDescription first = env.describe("daily");
    assertEquals(WorkflowStatus.RUNNING, first.status());
    assertEquals(EVERY_TEN_MINUTES, first.cronSchedule());
    assertEquals(ManualClock.START, first.startTime());
    assertEquals(ManualClock.START.plus(Duration.ofMinutes(10)), first.executionTime(), "its code starts at 00:10");
    assertEquals(List.of(), LOG, "the first run waits until the schedule fires at 00:10");

    tick(1, 2);
    tick(2, 3);
    env.restartServer(); // the next run and its start time are stored
    startWorker();
    tick(3, 4);
    assertEquals(List.of("00:10 attempt 1", "00:20 attempt 1", "00:30 attempt 1"), LOG);
    assertEquals(List.of(WorkflowStatus.COMPLETED, WorkflowStatus.COMPLETED, WorkflowStatus.COMPLETED,
        WorkflowStatus.RUNNING), statuses("daily"));

    env.stub("daily").terminate("no more reports");
    env.clock().advance(Duration.ofHours(1));
    WorkflowFailedException ended = assertThrows(WorkflowFailedException.class,
        () -> env.stub("daily").getResult(String.class));
    assertTrue(ended.getMessage().contains("TERMINATED"), ended.getMessage());
    assertEquals(3, LOG.size());
    assertEquals(List.of(WorkflowStatus.COMPLETED, WorkflowStatus.COMPLETED, WorkflowStatus.COMPLETED,
        WorkflowStatus.TERMINATED), statuses("daily"));
    env.assertHistoriesValid();
  }

  @Test
  void aFailedRunIsRetriedAndThenTheScheduleGoesOn() {
    WorkflowOptions options = WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("daily")
        .setCronSchedule(EVERY_TEN_MINUTES)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(2).setInitialInterval(Duration.ofMinutes(1))
            .build()).build();
    WorkflowClient.start(env.client().newWorkflowStub(Report.class, options)::report, "fail-second");
    tick(1, 2);
    env.clock().advance(Duration.ofMinutes(10));
    eventually("the 00:20 run failed", () -> statuses("daily").contains(WorkflowStatus.FAILED));
    env.clock().advance(Duration.ofMinutes(1));
    eventually("its retry failed too", () -> statuses("daily").size() == 4);
    env.clock().advance(Duration.ofMinutes(9));
    eventually("the 00:30 report", () -> LOG.size() >= 4);
    assertEquals(List.of("00:10 attempt 1", "00:20 attempt 1", "00:21 attempt 2", "00:30 attempt 1"), LOG);
    eventually("the 00:40 run scheduled", () -> statuses("daily"), l -> l.equals(List.of(WorkflowStatus.COMPLETED,
        WorkflowStatus.FAILED, WorkflowStatus.FAILED, WorkflowStatus.COMPLETED, WorkflowStatus.RUNNING)));
  }

  @Test
  void runsNeverOverlapAFiringDuringALongRunIsSkipped() {
    start("daily", EVERY_TEN_MINUTES, "slow");
    env.clock().advance(Duration.ofMinutes(10));
    // Waiting in Workflow.await: its second task completed (a clock moved during a task would time it out).
    eventually("the first run to wait", () -> env.eventTypes("daily").stream()
        .filter("WorkflowTaskCompleted"::equals).count() == 2);
    assertEquals(1, LOG.size());
    env.clock().advance(Duration.ofMinutes(25)); // 00:20 and 00:30 pass while it runs
    env.stub("daily").signal("finish"); // it closes at 00:35
    eventually("the next run scheduled", () -> statuses("daily").size() == 2);
    env.clock().advance(Duration.ofMinutes(4));
    assertEquals(1, LOG.size(), "nothing before 00:40");
    env.clock().advance(Duration.ofMinutes(1));
    eventually("the 00:40 report", () -> LOG.size() == 2);
    assertEquals(List.of("00:10 attempt 1", "00:40 attempt 1"), LOG);
  }

  @Test
  void eachRunGetsTheResultOfTheLastRunThatCompleted() {
    start("daily", EVERY_TEN_MINUTES, "carry");
    tick(1, 2);
    tick(2, 3); // the 00:20 run fails
    env.restartServer(); // the result is stored with the next run's start
    startWorker();
    tick(3, 4);
    assertEquals(List.of("00:10 after null", "00:20 after report of 00:10", "00:30 after report of 00:10"), LOG);
    assertEquals(List.of(WorkflowStatus.COMPLETED, WorkflowStatus.FAILED, WorkflowStatus.COMPLETED,
        WorkflowStatus.RUNNING), statuses("daily"));
  }

  @Test
  void firingsMissedWhileTheServerWasDownRunOnceAfterTheRestart() {
    start("daily", EVERY_TEN_MINUTES, "plain");
    tick(1, 2); // the 00:10 report; the next run waits for 00:20
    env.restartServer(Duration.ofMinutes(35)); // down from 00:10 to 00:45: 00:20, 00:30 and 00:40 are missed
    startWorker();
    eventually("one run for the missed firings", () -> statuses("daily"),
        l -> l.size() == 3 && l.get(2) == WorkflowStatus.RUNNING);
    assertEquals(List.of("00:10 attempt 1", "00:45 attempt 1"), LOG);
    env.clock().advance(Duration.ofMinutes(5));
    eventually("the 00:50 report", () -> LOG.size() == 3);
    assertEquals("00:50 attempt 1", LOG.get(2));
  }

  @Test
  void aPausedScheduleStartsNoRunAcrossARestartUntilResumedThenWaitsForTheNextFiring() {
    start("daily", EVERY_TEN_MINUTES, "plain");
    tick(1, 2); // the 00:10 report; the next run waits for 00:20
    env.stub("daily").pauseSchedule("maintenance");
    assertTrue(env.describe("daily").schedulePaused());
    env.stub("daily").pauseSchedule(null); // again: nothing changes

    env.clock().advance(Duration.ofMinutes(25)); // 00:35: the 00:20 and 00:30 firings pass while paused
    env.restartServer(); // the pause is stored
    startWorker();
    env.clock().advance(Duration.ofMinutes(10)); // 00:45
    // Idle means no task runs or waits for a worker: a run started meanwhile would have reported first.
    var core = (dev.durable.internal.server.ServerCore) env.server().workflowService();
    eventually("the server to be idle", core::isIdle);
    assertEquals(List.of("00:10 attempt 1"), LOG);
    assertEquals(List.of(WorkflowStatus.COMPLETED, WorkflowStatus.RUNNING), statuses("daily"));

    env.stub("daily").resumeSchedule();
    WorkflowDescription resumed = env.describe("daily");
    assertFalse(resumed.schedulePaused());
    assertEquals(ManualClock.START.plus(Duration.ofMinutes(50)), resumed.executionTime(),
        "the next firing from the resume at 00:45; the ones missed while paused are not made up");
    env.clock().advance(Duration.ofMinutes(5));
    eventually("the 00:50 report", () -> LOG.size() == 2);
    assertEquals("00:50 attempt 1", LOG.get(1));
    env.assertHistoriesValid();
  }

  @Test
  void onlyAWorkflowWithACronScheduleHasOneToPause() {
    WorkflowClient.start(env.client().newWorkflowStub(Report.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("once").build())::report, "slow");
    var e = assertThrows(dev.durable.common.DurableException.class, () -> env.stub("once").pauseSchedule(null));
    assertEquals("DURABLE-238", e.getCode());
    assertTrue(e.getMessage().contains("cannot pause the schedule of workflow 'once': it has no cron schedule"),
        e.getMessage());
  }

  @Test
  void theExecutionTimeoutEndsTheSchedule() {
    WorkflowOptions options = WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("daily")
        .setCronSchedule(EVERY_TEN_MINUTES).setWorkflowExecutionTimeout(Duration.ofMinutes(25)).build();
    WorkflowClient.start(env.client().newWorkflowStub(Report.class, options)::report, "plain");
    tick(1, 2);
    env.clock().advance(Duration.ofMinutes(10));
    // The 00:30 firing is after the deadline (00:25): the 00:20 run is the last, and its result the workflow's.
    assertEquals("report of 00:20", env.result("daily", String.class));
    assertEquals(List.of(WorkflowStatus.COMPLETED, WorkflowStatus.COMPLETED), statuses("daily"));
  }

  @Test
  void anInvalidScheduleIsRefusedBeforeAnythingIsStarted() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> cron("daily", "*/10 * * *"));
    assertTrue(bad.getMessage().startsWith("DURABLE-201 cronSchedule"), bad.getMessage());
    assertEquals(List.of(), env.client().listWorkflows(false, 10));
  }
}
