package dev.durable.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.failure.ApplicationFailure;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a start does with a workflow id that was used before, per WorkflowIdReusePolicy. */
class WorkflowIdReusePolicyTest {
  @WorkflowInterface
  public interface Job {
    /** Returns {@code mode}; "fail" fails the run, "wait" waits for {@link #release()} first. */
    @WorkflowMethod
    String run(String mode);

    @SignalMethod
    void release();
  }

  public static final class JobImpl implements Job {
    private boolean released;

    @Override
    public String run(String mode) {
      if (mode.equals("fail")) {
        throw ApplicationFailure.newFailure("job failed", "JobFailed");
      }
      if (mode.equals("wait")) {
        Workflow.await(() -> released);
      }
      return mode;
    }

    @Override
    public void release() {
      released = true;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(JobImpl.class));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private WorkflowStub job(String workflowId, WorkflowIdReusePolicy policy) {
    return env.client().newUntypedWorkflowStub("Job", WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE)
        .setWorkflowId(workflowId).setWorkflowIdReusePolicy(policy).build());
  }

  /** Runs a job to its end; returns its run id. */
  private String runToEnd(String workflowId, String mode, WorkflowIdReusePolicy policy) {
    String runId = job(workflowId, policy).start(mode).getRunId();
    env.awaitDescription(workflowId, "closed", WorkflowDescription::isClosed);
    return runId;
  }

  @Test
  void allowDuplicateIsTheDefault() {
    assertEquals(WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        WorkflowOptions.newBuilder().setTaskQueue("q").build().getWorkflowIdReusePolicy());
  }

  @Test
  void allowDuplicateStartsAClosedIdAgainButRefusesARunningOne() {
    String first = runToEnd("dup", "ok", WorkflowIdReusePolicy.ALLOW_DUPLICATE);
    WorkflowExecution second = job("dup", WorkflowIdReusePolicy.ALLOW_DUPLICATE).start("wait");
    assertNotEquals(first, second.getRunId());

    var e = assertThrows(WorkflowAlreadyStartedException.class,
        () -> job("dup", WorkflowIdReusePolicy.ALLOW_DUPLICATE).start("ok"));
    assertEquals("DURABLE-208", e.getCode());
    assertEquals(second.getRunId(), e.getRunningExecution().getRunId());

    env.stub("dup").signal("release");
    assertEquals("wait", env.result("dup", String.class));
  }

  @Test
  void allowDuplicateFailedOnlyRefusesAnIdWhoseLastRunCompleted() {
    String completed = runToEnd("once", "ok", WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY);

    var e = assertThrows(WorkflowAlreadyStartedException.class,
        () -> job("once", WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY).start("ok"));
    assertEquals("DURABLE-226", e.getCode());
    assertTrue(e.getMessage().contains("ALLOW_DUPLICATE_FAILED_ONLY") && e.getMessage().contains("COMPLETED"),
        e.getMessage());
    assertEquals(completed, e.getRunningExecution().getRunId());
    assertEquals(completed, env.describe("once").runId(), "the refused start recorded nothing");
  }

  @Test
  void allowDuplicateFailedOnlyStartsAgainAfterAFailedOrTerminatedRun() {
    String failed = runToEnd("retry-me", "fail", WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY);
    assertEquals(WorkflowStatus.FAILED, env.describe("retry-me").status());

    String waiting = job("retry-me", WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY).start("wait").getRunId();
    assertNotEquals(failed, waiting);
    env.stub("retry-me").terminate("operator gave up");

    WorkflowExecution third = job("retry-me", WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY).start("ok");
    assertNotEquals(waiting, third.getRunId());
    assertEquals("ok", env.result("retry-me", String.class));
  }

  @Test
  void rejectDuplicateNeverStartsAnIdAgainEvenAfterAFailure() {
    String failed = runToEnd("single", "fail", WorkflowIdReusePolicy.REJECT_DUPLICATE);

    var e = assertThrows(WorkflowAlreadyStartedException.class,
        () -> job("single", WorkflowIdReusePolicy.REJECT_DUPLICATE).start("ok"));
    assertEquals("DURABLE-226", e.getCode());
    assertTrue(e.getMessage().contains("REJECT_DUPLICATE") && e.getMessage().contains("'single'"), e.getMessage());
    assertEquals(failed, e.getRunningExecution().getRunId());
    assertEquals(WorkflowStatus.FAILED, env.describe("single").status());
  }

  @Test
  void policyIsThatOfTheNewStartNotOfTheEarlierRun() {
    runToEnd("relaxed", "ok", WorkflowIdReusePolicy.REJECT_DUPLICATE);
    job("relaxed", WorkflowIdReusePolicy.ALLOW_DUPLICATE).start("again");
    assertEquals("again", env.result("relaxed", String.class));
  }

  @Test
  void terminateIfRunningTerminatesTheRunningRunAndStartsANewOne() {
    String old = job("replace", WorkflowIdReusePolicy.ALLOW_DUPLICATE).start("wait").getRunId();
    env.awaitEvent("replace", "WorkflowTaskCompleted");

    WorkflowExecution replacement = job("replace", WorkflowIdReusePolicy.TERMINATE_IF_RUNNING).start("new");
    assertNotEquals(old, replacement.getRunId());
    assertEquals("new", env.result("replace", String.class));

    List<HistoryEvent> oldHistory = env.client().workflowService().readHistory(old, 1);
    HistoryEvent last = oldHistory.get(oldHistory.size() - 1);
    var terminated = assertInstanceOf(EventAttributes.WorkflowExecutionTerminated.class, last.attributes());
    assertTrue(terminated.reason().contains("TERMINATE_IF_RUNNING"), terminated.reason());
  }

  @Test
  void theLatestRunOfAnIdIsFoundBeforeAndAfterARestart() {
    // The server finds a workflow id's latest run from memory for runs it wrote; a restart reads it from the store.
    String first = runToEnd("latest", "ok", WorkflowIdReusePolicy.ALLOW_DUPLICATE);
    String second = job("latest", WorkflowIdReusePolicy.ALLOW_DUPLICATE).start("wait").getRunId();
    env.awaitEvent("latest", "WorkflowTaskCompleted");
    String third = job("latest", WorkflowIdReusePolicy.TERMINATE_IF_RUNNING).start("wait").getRunId();
    assertEquals(3, List.of(first, second, third).stream().distinct().count());
    assertEquals(third, env.describe("latest").runId());
    env.awaitEvent("latest", "WorkflowTaskCompleted"); // no task in flight across the restart

    env.restartServer();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(JobImpl.class));
    assertEquals(third, env.describe("latest").runId());
    env.stub("latest").signal("release");
    assertEquals("wait", env.result("latest", String.class));
    String fourth = job("latest", WorkflowIdReusePolicy.ALLOW_DUPLICATE).start("ok").getRunId();
    assertEquals("ok", env.result("latest", String.class));
    assertEquals(fourth, env.describe("latest").runId());
  }

  @Test
  void terminateIfRunningStartsAClosedIdLikeAllowDuplicate() {
    runToEnd("gone", "ok", WorkflowIdReusePolicy.TERMINATE_IF_RUNNING);
    job("gone", WorkflowIdReusePolicy.TERMINATE_IF_RUNNING).start("again");
    assertEquals("again", env.result("gone", String.class));
  }

  @Test
  void concurrentStartsOfOneIdStartExactlyOneRun() throws Exception {
    int clients = 8;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> starts = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        starts.add(pool.submit(() -> {
          go.await();
          try {
            return job("race", WorkflowIdReusePolicy.REJECT_DUPLICATE).start("ok").getRunId();
          } catch (WorkflowAlreadyStartedException e) {
            return null;
          }
        }));
      }
      go.countDown();
      List<String> started = new ArrayList<>();
      for (Future<String> f : starts) {
        String runId = f.get(10, TimeUnit.SECONDS);
        if (runId != null) {
          started.add(runId);
        }
      }
      assertEquals(1, started.size(), "started runs: " + started);
      assertEquals("ok", env.result("race", String.class));
      assertEquals(started.get(0), env.describe("race").runId());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nullPolicyIsRefusedAtBuild() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowIdReusePolicy(null).build());
    assertTrue(e.getMessage().startsWith("DURABLE-201 workflowIdReusePolicy must not be null"), e.getMessage());
  }
}
