package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.failure.TimeoutFailure;
import dev.durable.failure.TimeoutType;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server closes a run as TIMED_OUT when its workflow execution or run timeout passes, across restarts. */
class WorkflowTimeoutTest {
  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    startWorker();
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(WorkflowClientTest.WaitingImpl.class));
  }

  private void start(String workflowId, Duration executionTimeout, Duration runTimeout) {
    env.client().newUntypedWorkflowStub("Waiting", WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE)
        .setWorkflowId(workflowId).setWorkflowExecutionTimeout(executionTimeout).setWorkflowRunTimeout(runTimeout)
        .build()).start();
    env.awaitEvent(workflowId, "WorkflowTaskCompleted");
  }

  private TimeoutFailure timedOut(String workflowId) {
    var e = assertThrows(WorkflowFailedException.class, () -> env.result(workflowId, String.class));
    assertEquals(WorkflowStatus.TIMED_OUT, e.getStatus());
    return assertInstanceOf(TimeoutFailure.class, e.getCause());
  }

  @Test
  void runIsClosedAsTimedOutWhenItsExecutionTimeoutPasses() {
    start("slow", Duration.ofHours(1), null);

    env.clock().advance(Duration.ofMinutes(59));
    assertEquals(WorkflowStatus.RUNNING, env.describe("slow").status());
    env.clock().advance(Duration.ofMinutes(1));

    TimeoutFailure cause = timedOut("slow");
    assertEquals(TimeoutType.WORKFLOW_EXECUTION, cause.getTimeoutType());
    assertTrue(cause.getMessage().contains("DURABLE-227") && cause.getMessage().contains("PT1H")
        && cause.getMessage().contains("'slow'"), cause.getMessage());
    WorkflowDescription d = env.describe("slow");
    assertEquals(WorkflowStatus.TIMED_OUT, d.status());
    assertEquals(Instant.parse("2030-01-01T01:00:00Z"), d.closeTime());
    List<String> types = env.eventTypes("slow");
    assertEquals("WorkflowExecutionTimedOut", types.get(types.size() - 1));
  }

  @Test
  void theEarlierOfRunAndExecutionTimeoutEndsTheRun() {
    start("short-run", Duration.ofHours(1), Duration.ofMinutes(10));
    env.clock().advance(Duration.ofMinutes(10));
    assertEquals(TimeoutType.WORKFLOW_RUN, timedOut("short-run").getTimeoutType());

    start("short-execution", Duration.ofMinutes(5), Duration.ofHours(1));
    env.clock().advance(Duration.ofMinutes(5));
    assertEquals(TimeoutType.WORKFLOW_EXECUTION, timedOut("short-execution").getTimeoutType());
  }

  @Test
  void signalsAfterTheTimeoutAreDroppedAndNoCodeRuns() {
    start("late", Duration.ofMinutes(1), null);
    env.clock().advance(Duration.ofMinutes(1));
    timedOut("late");

    env.stub("late").signal("release");
    assertEquals(WorkflowStatus.TIMED_OUT, env.describe("late").status());
    assertTrue(env.eventTypes("late").stream().noneMatch(t -> t.equals("WorkflowExecutionSignaled")));
  }

  @Test
  void runThatFinishesInTimeIsNotAffectedByItsDeadline() {
    start("quick", Duration.ofMinutes(10), Duration.ofMinutes(10));
    env.stub("quick").signal("release");
    assertEquals("released", env.result("quick", String.class));

    env.clock().advance(Duration.ofHours(1));
    assertEquals(WorkflowStatus.COMPLETED, env.describe("quick").status());
    assertTrue(env.eventTypes("quick").stream().noneMatch(t -> t.equals("WorkflowExecutionTimedOut")));
  }

  @Test
  void deadlineSurvivesAServerRestart() {
    start("restarted", Duration.ofDays(2), null);

    env.restartServer();
    startWorker();
    assertEquals(WorkflowStatus.RUNNING, env.describe("restarted").status());
    env.clock().advance(Duration.ofDays(2));

    assertEquals(TimeoutType.WORKFLOW_EXECUTION, timedOut("restarted").getTimeoutType());
  }

  @Test
  void deadlineThatPassedWhileTheServerWasDownClosesTheRunWhenItStarts() {
    start("overdue", Duration.ofMinutes(30), null);

    env.restartServer(Duration.ofHours(3));

    assertEquals(TimeoutType.WORKFLOW_EXECUTION, timedOut("overdue").getTimeoutType());
    assertEquals(Instant.parse("2030-01-01T03:00:00Z"), env.describe("overdue").closeTime());
  }

  @Test
  void timeoutsMustBePositive() {
    var e = assertThrows(IllegalArgumentException.class, () -> WorkflowOptions.newBuilder().setTaskQueue("q")
        .setWorkflowExecutionTimeout(Duration.ofSeconds(-1)).build());
    assertEquals("DURABLE-201 workflowExecutionTimeout must be positive, got PT-1S", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> WorkflowOptions.newBuilder().setTaskQueue("q")
        .setWorkflowRunTimeout(Duration.ZERO).build());
    assertEquals("DURABLE-201 workflowRunTimeout must be positive, got PT0S", e.getMessage());
  }

  @Test
  void withoutTimeoutsARunHasNoDeadline() {
    WorkflowOptions o = WorkflowOptions.newBuilder().setTaskQueue("q").build();
    assertEquals(null, o.getWorkflowExecutionTimeout());
    assertEquals(null, o.getWorkflowRunTimeout());
    start("patient", null, null);
    env.clock().advance(Duration.ofDays(365));
    assertEquals(WorkflowStatus.RUNNING, env.describe("patient").status());
  }
}
