package dev.durable.workflow;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.failure.TimeoutFailure;
import dev.durable.failure.TimeoutType;
import dev.durable.testing.LogCapture;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continue-as-new: a run ends and a fresh one (new run id, empty history) carries on with the
 * same workflow id, in one write; clients follow the chain; the execution timeout spans it.
 */
class ContinueAsNewTest {
  @ActivityInterface
  public interface Steps {
    int step(int i);
  }

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    String count(int from, int to, int runs);
  }

  /** Counts with one activity per step, and continues as new when its history gets long. */
  public static final class CounterImpl implements Counter {
    private final Steps steps = Workflow.newActivityStub(Steps.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

    @Override
    public String count(int from, int to, int runs) {
      int i = from;
      while (i < to) {
        if (Workflow.getInfo().historyLength() >= 12) {
          Workflow.continueAsNew(i, to, runs + 1);
        }
        i = steps.step(i);
      }
      return i + " after " + runs + " runs, continued from " + (Workflow.getInfo().continuedFromRunId() != null);
    }
  }

  @WorkflowInterface
  public interface Napper {
    @WorkflowMethod
    String nap(int naps);
  }

  /** Sleeps 20 minutes per run. */
  public static final class NapperImpl implements Napper {
    @Override
    public String nap(int naps) {
      if (naps == 0) {
        return "rested";
      }
      Workflow.sleep(Duration.ofMinutes(20));
      Workflow.continueAsNew(naps - 1);
      throw new AssertionError("continueAsNew returned");
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private LogCapture log;
  private static final String SERVER_LOG = "dev.durable.internal.server.ServerCore";

  private void open(java.util.function.Consumer<dev.durable.server.DurableServer.Builder> config) {
    env = TestEnv.open(dir, config);
    startWorker();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CounterImpl.class, NapperImpl.class)
        .registerActivitiesImplementations((Steps) i -> i + 1));
  }

  @AfterEach
  void close() {
    if (log != null) {
      log.close();
    }
    env.close();
  }

  private List<WorkflowDescription> runsOf(String workflowId) {
    return env.client().listWorkflows(false, 1000).stream().filter(d -> d.workflowId().equals(workflowId)).toList();
  }

  @Test
  void chainOfRunsEndsWithTheResultOfTheLastAndEachHistoryStaysShort() {
    open(b -> { });
    String firstRun = WorkflowClient.start(env.newWorkflow(Counter.class, "counter")::count, 0, 20, 1).getRunId();

    String result = env.result("counter", String.class);

    List<WorkflowDescription> runs = runsOf("counter");
    assertEquals("20 after " + runs.size() + " runs, continued from true", result);
    assertTrue(runs.size() >= 4, runs.size() + " runs");
    assertEquals(1, runs.stream().filter(d -> d.status() == WorkflowStatus.COMPLETED).count());
    assertEquals(runs.size() - 1, runs.stream().filter(d -> d.status() == WorkflowStatus.CONTINUED_AS_NEW).count());
    runs.forEach(d -> assertTrue(d.historyLength() <= 20, d.runId() + " has " + d.historyLength() + " events"));
    WorkflowDescription latest = env.describe("counter");
    assertNotEquals(firstRun, latest.runId());
    assertEquals(WorkflowStatus.COMPLETED, latest.status());
    assertTrue(env.stub("counter").getHistory().getEvents().get(0).attributesJson().contains("\"continuedFromRunId\""));
    WorkflowReplayer.replayWorkflowExecution(env.stub("counter").getHistory(), CounterImpl.class);
  }

  @Test
  void typedStubCallWaitsForTheEndOfTheChain() {
    open(b -> { });
    String result = env.newWorkflow(Counter.class, "typed").count(0, 9, 1);
    assertTrue(result.startsWith("9 after "), result);
  }

  @Test
  void executionTimeoutSpansTheChainWhileTheRunTimeoutLimitsEachRun() {
    open(b -> { });
    WorkflowClient.start(env.client().newWorkflowStub(Napper.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("napper").setWorkflowExecutionTimeout(Duration.ofHours(1))
        .setWorkflowRunTimeout(Duration.ofMinutes(30)).build())::nap, 10);
    for (int run = 1; run <= 3; run++) {
      env.awaitEvent("napper", "TimerStarted");
      String runId = env.describe("napper").runId();
      env.clock().advance(Duration.ofMinutes(20));
      if (run < 3) {
        eventually("the next run after " + runId, () -> env.describe("napper"), d -> !d.runId().equals(runId));
      }
    }
    var e = assertThrows(WorkflowFailedException.class, () -> env.result("napper", String.class));
    assertEquals(WorkflowStatus.TIMED_OUT, e.getStatus());
    assertEquals(TimeoutType.WORKFLOW_EXECUTION, assertInstanceOf(TimeoutFailure.class, e.getCause()).getTimeoutType());
    assertEquals(3, runsOf("napper").size());
  }

  @Test
  void chainCarriesOnAfterARestartBetweenRunsKeepingItsSearchAttributes() {
    open(b -> { });
    WorkflowClient.start(env.client().newWorkflowStub(Napper.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("napper")
        .setSearchAttributes(java.util.Map.of("Customer", "ada")).build())::nap, 2);
    env.awaitEvent("napper", "TimerStarted");
    String first = env.describe("napper").runId();
    env.clock().advance(Duration.ofMinutes(20));
    eventually("the second run", () -> env.describe("napper"), d -> !d.runId().equals(first));

    env.restartServer();
    startWorker();
    env.awaitEvent("napper", "TimerStarted");
    env.clock().advance(Duration.ofMinutes(20));

    assertEquals("rested", env.result("napper", String.class));
    assertEquals(3, runsOf("napper").size());
    runsOf("napper").forEach(d -> assertEquals(java.util.Map.of("Customer", "ada"), d.searchAttributes(), d.runId()));
  }

  @Test
  void longHistoryIsReportedAtTheWarningLengthWithAdviceToContinueAsNew() {
    log = LogCapture.of(SERVER_LOG);
    open(b -> b.setHistoryWarningLength(8));
    WorkflowClient.start(env.newWorkflow(Counter.class, "counter")::count, 0, 3, 1);
    env.result("counter", String.class);

    List<String> warnings = log.startingWith("DURABLE-225");
    assertFalse(warnings.isEmpty());
    // The write that crosses the warning length may add more than one event.
    assertTrue(warnings.get(0).matches(".*has reached (8|9|10) events; at 50,000 the run is terminated \\(DURABLE-224\\)"
        + ".*use Workflow\\.continueAsNew.*"), warnings.get(0));
    assertEquals(1, warnings.size(), "logged once per run");
  }

  @Test
  void warningLengthMustBeBelowTheLimit() {
    open(b -> { });
    var e = assertThrows(IllegalArgumentException.class, () -> dev.durable.server.DurableServer.newBuilder()
        .setDataDir(dir.resolve("other")).setMaxHistoryLength(100).setHistoryWarningLength(100).build());
    assertEquals("DURABLE-201 historyWarningLength must be between 1 and maxHistoryLength - 1 (99), got 100",
        e.getMessage());
  }
}
