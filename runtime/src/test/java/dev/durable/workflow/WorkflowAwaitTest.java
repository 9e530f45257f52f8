package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowStatus;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflow.await blocks on workflow state; with a timeout it gives up on a durable timer. */
class WorkflowAwaitTest {
  @WorkflowInterface
  public interface Gate {
    /** Waits for {@link #open}; forever when {@code timeout} is null. */
    @WorkflowMethod
    String run(Duration timeout);

    @SignalMethod
    void open(String who);
  }

  public static final class GateImpl implements Gate {
    private String openedBy;

    @Override
    public String run(Duration timeout) {
      if (timeout == null) {
        Workflow.await(() -> openedBy != null);
        return "opened by " + openedBy;
      }
      boolean opened = Workflow.await(timeout, () -> openedBy != null);
      return opened ? "opened by " + openedBy + " at " + Workflow.now() : "timed out at " + Workflow.now();
    }

    @Override
    public void open(String who) {
      openedBy = who;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(GateImpl.class));
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void awaitBlocksUntilASignalMakesTheConditionTrue() {
    WorkflowClient.start(env.newWorkflow(Gate.class, "gate")::run, (Duration) null);
    env.awaitEvent("gate", "WorkflowTaskCompleted");
    assertEquals(WorkflowStatus.RUNNING, env.describe("gate").status());
    assertFalse(env.eventTypes("gate").contains("TimerStarted"), "await without a timeout needs no timer");

    env.stub("gate").signal("open", "alice");
    assertEquals("opened by alice", env.result("gate", String.class));
  }

  @Test
  void awaitWithTimeoutReturnsFalseWhenTheTimeoutPassesFirst() {
    WorkflowClient.start(env.newWorkflow(Gate.class, "late")::run, Duration.ofMinutes(10));
    env.awaitEvent("late", "TimerStarted");

    env.clock().advance(Duration.ofMinutes(10));
    assertEquals("timed out at 2030-01-01T00:10:00Z", env.result("late", String.class));
  }

  @Test
  void awaitWithTimeoutReturnsTrueWhenASignalArrivesFirstAndCancelsItsTimer() {
    WorkflowClient.start(env.newWorkflow(Gate.class, "early")::run, Duration.ofMinutes(10));
    env.awaitEvent("early", "TimerStarted");
    env.clock().advance(Duration.ofMinutes(3));

    env.stub("early").signal("open", "bob");
    assertEquals("opened by bob at 2030-01-01T00:03:00Z", env.result("early", String.class));
    List<String> events = env.eventTypes("early");
    assertTrue(events.contains("TimerCanceled"), events.toString());
    assertFalse(events.contains("TimerFired"), events.toString());

    env.clock().advance(Duration.ofMinutes(10));
    assertEquals(events, env.eventTypes("early"), "the canceled timer must not add events to the closed run");
  }
}
