package dev.durable.client;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.testing.ManualClock;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start delay: the run is started and stored at once, its code runs once the delay passed (also
 * across a restart), plain signals wait with it, and a signal-with-start for the waiting run ends
 * the delay.
 */
class StartDelayTest {
  /** The runs whose code started, as "name at workflow time". */
  static final List<String> LOG = new CopyOnWriteArrayList<>();

  @WorkflowInterface
  public interface Reminder {
    @WorkflowMethod
    String remind(String name, int notes);

    @SignalMethod
    void note(String text);
  }

  /** Waits for {@code notes} notes, then returns them with the workflow time its code started at. */
  public static final class ReminderImpl implements Reminder {
    private final List<String> notes = new ArrayList<>();

    @Override
    public String remind(String name, int expected) {
      String startedAt = Workflow.now().toString();
      LOG.add(name + " at " + startedAt);
      Workflow.await(() -> notes.size() >= expected);
      return name + " at " + startedAt + " with " + notes;
    }

    @Override
    public void note(String text) {
      notes.add(text);
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

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ReminderImpl.class));
  }

  private static WorkflowOptions delayed(String workflowId) {
    return WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId(workflowId)
        .setStartDelay(Duration.ofHours(1)).build();
  }

  /** Waits until no task runs or waits for a worker: code that was due would have run by then. */
  private void awaitIdle() {
    var core = (dev.durable.internal.server.ServerCore) env.server().workflowService();
    eventually("the server to be idle", core::isIdle);
  }

  @Test
  void theCodeRunsOnceTheDelayHasPassedAlsoAcrossARestartWithTheSignalsThatArrivedMeanwhile() {
    WorkflowClient.start(env.client().newWorkflowStub(Reminder.class, delayed("later"))::remind, "Ada", 1);

    WorkflowDescription d = env.describe("later");
    assertEquals(WorkflowStatus.RUNNING, d.status());
    assertEquals(ManualClock.START.plus(Duration.ofHours(1)), d.executionTime());
    env.stub("later").signal("note", "bring cake"); // recorded, but does not end the delay
    env.clock().advance(Duration.ofMinutes(30));
    env.restartServer(); // the delay is stored
    startWorker();
    awaitIdle();
    assertEquals(List.of(), LOG);
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowExecutionSignaled"), env.eventTypes("later"));

    env.clock().advance(Duration.ofMinutes(30));
    assertEquals("Ada at " + ManualClock.START.plus(Duration.ofHours(1)) + " with [bring cake]",
        env.result("later", String.class));
    env.assertHistoriesValid();
  }

  @Test
  void aSignalWithStartForTheWaitingRunEndsTheDelay() {
    WorkflowClient.start(env.client().newWorkflowStub(Reminder.class, delayed("early"))::remind, "Bo", 1);
    awaitIdle();
    assertEquals(List.of(), LOG);

    env.client().newUntypedWorkflowStub("Reminder", delayed("early"))
        .signalWithStart("note", new Object[] {"now please"}, new Object[] {"ignored", 1});

    assertEquals("Bo at " + ManualClock.START + " with [now please]", env.result("early", String.class));
    env.assertHistoriesValid();
  }

  @Test
  void aSignalWithStartThatStartsTheRunKeepsItsDelay() {
    env.client().newUntypedWorkflowStub("Reminder", delayed("new"))
        .signalWithStart("note", new Object[] {"first"}, new Object[] {"Cy", 1});
    awaitIdle();
    assertEquals(List.of(), LOG);

    env.clock().advance(Duration.ofHours(1));
    assertEquals("Cy at " + ManualClock.START.plus(Duration.ofHours(1)) + " with [first]",
        env.result("new", String.class));
  }

  @Test
  void aDelayThatIsNotPositiveOrGoesWithACronScheduleIsRefused() {
    var negative = assertThrows(IllegalArgumentException.class, () -> WorkflowOptions.newBuilder()
        .setTaskQueue("q").setStartDelay(Duration.ofSeconds(-1)).build());
    assertTrue(negative.getMessage().startsWith("DURABLE-201 startDelay must be positive"), negative.getMessage());

    var cron = assertThrows(IllegalArgumentException.class, () -> WorkflowOptions.newBuilder()
        .setTaskQueue("q").setStartDelay(Duration.ofMinutes(5)).setCronSchedule("@hourly").build());
    assertTrue(cron.getMessage().contains("startDelay cannot be combined with a cron schedule"), cron.getMessage());
  }
}
