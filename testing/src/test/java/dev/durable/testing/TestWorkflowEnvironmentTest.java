package dev.durable.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// @Timeout only guards against a hang; no test measures time.
@Timeout(60)
class TestWorkflowEnvironmentTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private final List<String> recorded = Collections.synchronizedList(new ArrayList<>());
  private final TestWorkflowEnvironment env =
      TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setStartTime(START).build());

  @AfterEach
  void close() {
    env.close();
  }

  private void worker() {
    env.newWorker("q", b -> b.registerWorkflowImplementationTypes(Sleepers.SleepThenRecordImpl.class,
            Sleepers.TimeLineImpl.class, Sleepers.CollectorImpl.class)
        .registerActivitiesImplementations((Sleepers.Recorder) what -> {
          recorded.add(what);
          return what;
        }));
  }

  private <T> T stub(Class<T> type, String id) {
    return env.getWorkflowClient().newWorkflowStub(type, WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(id).build());
  }

  @Test
  void aThirtyDayTimerCompletesWithoutWaitingAndTheClockMovesThirtyDays() {
    worker();
    long woke = stub(Sleepers.SleepThenRecord.class, "month").run("month", 30);
    assertEquals(START.plus(Duration.ofDays(30)).toEpochMilli(), woke, 1_000);
    assertTrue(env.currentTimeMillis() >= START.plus(Duration.ofDays(30)).toEpochMilli());
    assertEquals(List.of("month"), recorded);
  }

  @Test
  void timersOfManyWorkflowsFireInTheOrderOfTheirDueTimes() {
    worker();
    int[] days = {5, 1, 3, 2, 4};
    List<WorkflowStub> stubs = new ArrayList<>();
    env.setTimeSkipping(false); // start all of them before time moves
    for (int d : days) {
      Sleepers.SleepThenRecord wf = stub(Sleepers.SleepThenRecord.class, "sleep-" + d);
      WorkflowClient.start(wf::run, "day " + d, d);
      stubs.add(env.getWorkflowClient().newUntypedWorkflowStub("sleep-" + d));
    }
    env.setTimeSkipping(true);
    for (WorkflowStub s : stubs) {
      s.getResult(Long.class);
    }
    assertEquals(List.of("day 1", "day 2", "day 3", "day 4", "day 5"), recorded);
  }

  @Test
  void workflowTimeNeverGoesBackwards() {
    worker();
    List<Long> times = stub(Sleepers.TimeLine.class, "timeline").run(5);
    assertEquals(6, times.size());
    for (int i = 1; i < times.size(); i++) {
      assertTrue(times.get(i) >= times.get(i - 1) + Duration.ofHours(1).toMillis(), "times " + times);
    }
    env.setTimeSkipping(false); // stale timeouts of finished tasks would otherwise still move the clock
    long before = env.currentTimeMillis();
    assertThrows(IllegalArgumentException.class, () -> env.sleep(Duration.ofSeconds(-1)));
    assertEquals(before, env.currentTimeMillis());
  }

  @Test
  void signalsSentWhileTimeIsSkippedArriveInTheOrderSent() {
    worker();
    Sleepers.Collector wf = stub(Sleepers.Collector.class, "collector");
    WorkflowClient.start(wf::run, 20);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add("s" + i);
      wf.add("s" + i);
    }
    assertEquals(sent, env.getWorkflowClient().newUntypedWorkflowStub("collector").getResult(List.class));
    assertTrue(env.currentTimeMillis() >= START.toEpochMilli());
  }

  @Test
  void withTimeSkippingOffTheClockMovesOnlyWhenTheTestSleeps() {
    env.setTimeSkipping(false);
    worker();
    Sleepers.SleepThenRecord wf = stub(Sleepers.SleepThenRecord.class, "manual");
    WorkflowClient.start(wf::run, "manual", 2);
    WorkflowStub untyped = env.getWorkflowClient().newUntypedWorkflowStub("manual");
    waitForTimerStarted(untyped);
    assertEquals(START.toEpochMilli(), env.currentTimeMillis(), "time must not move by itself");
    assertEquals(false, untyped.describe().orElseThrow().isClosed());
    assertEquals(List.of(), recorded);
    env.sleep(Duration.ofDays(2));
    assertEquals(START.plus(Duration.ofDays(2)).toEpochMilli(), untyped.getResult(Long.class), 1_000);
    assertEquals(List.of("manual"), recorded);
  }

  /** Waits until the workflow's first task has recorded its timer. */
  private static void waitForTimerStarted(WorkflowStub stub) {
    while (stub.getHistory().getEvents().stream().noneMatch(e -> e.eventType().equals("TimerStarted"))) {
      Thread.onSpinWait();
    }
  }

  @Test
  void closedWorkflowsReplayFromTheirHistory() {
    worker();
    stub(Sleepers.TimeLine.class, "replayed").run(3);
    var results = env.replayClosedWorkflows();
    assertEquals(1, results.replayed());
    assertTrue(results.ok(), results.toString());
  }
}
