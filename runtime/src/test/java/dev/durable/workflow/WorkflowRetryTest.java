package dev.durable.workflow;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ApplicationFailure;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workflow retry options: a failed run is followed by a new run of the same workflow id and
 * input after a backoff on a durable timer, within the attempts and the execution timeout.
 */
class WorkflowRetryTest {
  @WorkflowInterface
  public interface Flaky {
    @WorkflowMethod
    String run(int failures);

    @QueryMethod
    String status();
  }

  /** Fails its first {@code failures} attempts; a negative count fails without retry. */
  public static final class FlakyImpl implements Flaky {
    private String status = "not started";

    @Override
    public String status() {
      return status;
    }

    @Override
    public String run(int failures) {
      int attempt = Workflow.getInfo().attempt();
      status = "attempt " + attempt;
      if (failures < 0) {
        throw ApplicationFailure.newNonRetryableFailure("attempt " + attempt + " fails for good", "Fatal");
      }
      if (attempt <= failures) {
        throw ApplicationFailure.newFailure("attempt " + attempt + " fails", "Flaky");
      }
      return "attempt " + attempt + " input " + failures;
    }
  }

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
    env.startWorker(b -> b.registerWorkflowImplementationTypes(FlakyImpl.class));
  }

  /** Starts the workflow and returns its first run's id. */
  private String start(String workflowId, int failures, RetryOptions retry, Duration executionTimeout) {
    return WorkflowClient.start(env.client().newWorkflowStub(Flaky.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId(workflowId).setRetryOptions(retry)
        .setWorkflowExecutionTimeout(executionTimeout).build())::run, failures).getRunId();
  }

  private static RetryOptions backoff(Duration initial, int maximumAttempts) {
    return RetryOptions.newBuilder().setInitialInterval(initial).setBackoffCoefficient(2.0)
        .setMaximumAttempts(maximumAttempts).build();
  }

  /** Waits until the workflow id's latest run is a new one, waiting for its backoff, and returns it. */
  private WorkflowDescription awaitRetryRun(String workflowId, String previousRunId) {
    return eventually("a retry run of " + workflowId, () -> env.describe(workflowId),
        d -> !d.runId().equals(previousRunId));
  }

  private List<WorkflowDescription> runsOf(String workflowId) {
    return env.client().listWorkflows(false, 100).stream().filter(d -> d.workflowId().equals(workflowId)).toList();
  }

  @Test
  void failedRunIsRetriedWithTheSameInputAfterAnExponentialBackoff() {
    String first = start("flaky", 2, backoff(Duration.ofSeconds(10), 0), null);

    WorkflowDescription second = awaitRetryRun("flaky", first);
    assertEquals(1, second.historyLength(), "the retry waits for its backoff before its first workflow task");
    assertEquals(2, second.attempt());
    assertEquals(first, second.continuedFromRunId());
    assertEquals("not started", env.client().newWorkflowStub(Flaky.class, "flaky").status(),
        "a query during the backoff is answered at once, from the state before the first task");
    env.clock().advance(Duration.ofSeconds(9));
    assertEquals(List.of("WorkflowExecutionStarted"), env.eventTypes("flaky"));
    env.clock().advance(Duration.ofSeconds(1));

    WorkflowDescription third = awaitRetryRun("flaky", second.runId());
    env.clock().advance(Duration.ofSeconds(19));
    assertEquals(List.of("WorkflowExecutionStarted"), env.eventTypes("flaky"));
    env.clock().advance(Duration.ofSeconds(1));

    assertEquals("attempt 3 input 2", env.result("flaky", String.class));
    assertEquals(third.runId(), env.describe("flaky").runId());
    List<WorkflowDescription> runs = runsOf("flaky");
    assertEquals(2, runs.stream().filter(d -> d.status() == WorkflowStatus.FAILED).count());
    assertEquals(1, runs.stream().filter(d -> d.status() == WorkflowStatus.COMPLETED).count());
  }

  @Test
  void nonRetryableFailureEndsTheWorkflowAtOnce() {
    start("fatal", -1, backoff(Duration.ofSeconds(1), 0), null);
    var e = assertThrows(WorkflowFailedException.class, () -> env.result("fatal", String.class));
    assertEquals("attempt 1 fails for good", assertInstanceOf(ApplicationFailure.class, e.getCause())
        .getOriginalMessage());
    assertEquals(1, runsOf("fatal").size());
  }

  @Test
  void maximumAttemptsBoundTheRetries() {
    String first = start("bounded", 5, backoff(Duration.ofSeconds(1), 2), null);
    awaitRetryRun("bounded", first);
    env.clock().advance(Duration.ofSeconds(1));

    var e = assertThrows(WorkflowFailedException.class, () -> env.result("bounded", String.class));
    assertEquals("attempt 2 fails", ((ApplicationFailure) e.getCause()).getOriginalMessage());
    assertEquals(2, runsOf("bounded").size());
  }

  @Test
  void executionTimeoutBoundsTheRetries() {
    // Attempt 2 starts after 10 s, within the 15 s; attempt 3 would start after 30 s, past it.
    String first = start("deadline", 5, backoff(Duration.ofSeconds(10), 0), Duration.ofSeconds(15));
    awaitRetryRun("deadline", first);
    env.clock().advance(Duration.ofSeconds(10));

    var e = assertThrows(WorkflowFailedException.class, () -> env.result("deadline", String.class));
    assertEquals(WorkflowStatus.FAILED, e.getStatus());
    assertEquals("attempt 2 fails", ((ApplicationFailure) e.getCause()).getOriginalMessage());
    assertEquals(2, runsOf("deadline").size());
  }

  @Test
  void backoffHoldsAcrossARestart() {
    String first = start("restarted", 1, backoff(Duration.ofMinutes(5), 0), null);
    awaitRetryRun("restarted", first);

    env.restartServer(Duration.ofMinutes(1));
    startWorker();
    assertEquals(List.of("WorkflowExecutionStarted"), env.eventTypes("restarted"));
    env.clock().advance(Duration.ofMinutes(4));

    assertEquals("attempt 2 input 1", env.result("restarted", String.class));
  }
}
