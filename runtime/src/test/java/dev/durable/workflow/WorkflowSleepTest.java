package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowStatus;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflow.sleep starts a durable timer that fires when the server clock reaches it, across restarts. */
class WorkflowSleepTest {
  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    String run(Duration duration);
  }

  public static final class SleeperImpl implements Sleeper {
    @Override
    public String run(Duration duration) {
      String before = Workflow.now().toString();
      Workflow.sleep(duration);
      return before + " -> " + Workflow.now();
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(SleeperImpl.class));
  }

  @Test
  void sleepRecordsADurableTimerThatFiresWhenTheClockReachesIt() {
    startWorker();
    WorkflowClient.start(env.newWorkflow(Sleeper.class, "nap")::run, Duration.ofHours(1));
    env.awaitEvent("nap", "TimerStarted");

    WorkflowHistory.Event timer = env.stub("nap").getHistory().getEvents().stream()
        .filter(e -> e.eventType().equals("TimerStarted")).findFirst().orElseThrow();
    assertTrue(timer.attributesJson().contains("\"fireAt\":\"2030-01-01T01:00:00Z\""), timer.attributesJson());
    assertEquals(WorkflowStatus.RUNNING, env.describe("nap").status());

    env.clock().advance(Duration.ofHours(1));
    assertEquals("2030-01-01T00:00:00Z -> 2030-01-01T01:00:00Z", env.result("nap", String.class));
    assertTrue(env.eventTypes("nap").contains("TimerFired"));
  }

  @Test
  void sleepingWorkflowWakesUpAfterTheServerIsRestarted() {
    startWorker();
    WorkflowClient.start(env.newWorkflow(Sleeper.class, "long-nap")::run, Duration.ofDays(30));
    env.awaitEvent("long-nap", "TimerStarted");

    env.restartServer();
    startWorker();
    assertEquals(WorkflowStatus.RUNNING, env.describe("long-nap").status());
    env.clock().advance(Duration.ofDays(30));

    assertEquals("2030-01-01T00:00:00Z -> 2030-01-31T00:00:00Z", env.result("long-nap", String.class));
  }

  @Test
  void timerThatBecameDueWhileTheServerWasDownFiresWhenItStarts() {
    startWorker();
    WorkflowClient.start(env.newWorkflow(Sleeper.class, "overslept")::run, Duration.ofMinutes(5));
    env.awaitEvent("overslept", "TimerStarted");

    env.restartServer(Duration.ofHours(2));
    startWorker();
    assertEquals("2030-01-01T00:00:00Z -> 2030-01-01T02:00:00Z", env.result("overslept", String.class));
  }

  @Test
  void zeroSleepReturnsAtOnceWithoutATimer() {
    startWorker();
    assertEquals("2030-01-01T00:00:00Z -> 2030-01-01T00:00:00Z",
        env.newWorkflow(Sleeper.class, "no-nap").run(Duration.ZERO));
    assertFalse(env.eventTypes("no-nap").contains("TimerStarted"));
  }
}
