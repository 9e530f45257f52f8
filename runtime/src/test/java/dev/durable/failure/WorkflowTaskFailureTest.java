package dev.durable.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exception that is not a DurableFailure is a bug: it fails the workflow task (retried with backoff), not the run. */
class WorkflowTaskFailureTest {
  static volatile boolean fixed;
  static volatile int bugLine;

  @WorkflowInterface
  public interface Buggy {
    @WorkflowMethod
    String run(String input);
  }

  public static final class BuggyImpl implements Buggy {
    @Override
    public String run(String input) {
      String missing = fixed ? "fixed" : null;
      bugLine = new Throwable().getStackTrace()[0].getLineNumber() + 1;
      return missing.toUpperCase() + " " + input;
    }
  }

  @WorkflowInterface
  public interface Failing {
    @WorkflowMethod
    String run();
  }

  public static final class FailingImpl implements Failing {
    @Override
    public String run() {
      throw ApplicationFailure.newFailure("out of stock", "OutOfStock");
    }
  }

  @WorkflowInterface
  public interface Stuck {
    @WorkflowMethod
    String run();
  }

  /** Blocks its worker thread (which real workflow code must never do) until the test lets it go. */
  public static final class StuckImpl implements Stuck {
    @Override
    public String run() {
      stuck.countDown();
      try {
        unstick.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "unstuck";
    }
  }

  static volatile CountDownLatch stuck = new CountDownLatch(1);
  static volatile CountDownLatch unstick = new CountDownLatch(1);

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    fixed = false;
    stuck = new CountDownLatch(1);
    unstick = new CountDownLatch(1);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(BuggyImpl.class, FailingImpl.class, StuckImpl.class));
  }

  @AfterEach
  void close() {
    unstick.countDown();
    env.close();
  }

  @Test
  void bugInWorkflowCodeFailsTheTaskWhichIsRetriedWithBackoffUntilTheCodeWorks() {
    WorkflowClient.start(env.newWorkflow(Buggy.class, "buggy")::run, "x");
    WorkflowDescription first = env.awaitDescription("buggy", "the first task failure", d -> d.workflowTaskAttempt() == 2);
    String failure = first.lastWorkflowTaskFailure();
    assertTrue(failure.startsWith("DURABLE-216 workflow 'buggy' (Buggy) threw java.lang.NullPointerException"), failure);
    assertTrue(failure.contains(BuggyImpl.class.getName() + ".run(WorkflowTaskFailureTest.java:" + bugLine + ")"), failure);
    assertEquals(WorkflowStatus.RUNNING, first.status());

    env.clock().advance(Duration.ofSeconds(1));
    env.awaitDescription("buggy", "the second task failure", d -> d.workflowTaskAttempt() == 3);
    assertEquals(1, env.eventTypes("buggy").stream().filter("WorkflowTaskFailed"::equals).count(),
        "only the first failure of a streak is recorded");

    fixed = true;
    env.clock().advance(Duration.ofSeconds(2)); // the backoff doubles
    assertEquals("FIXED x", env.result("buggy", String.class));
  }

  @Test
  void applicationFailureThrownByWorkflowCodeFailsTheWorkflow() {
    WorkflowClient.start(env.newWorkflow(Failing.class, "failing")::run);
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> env.stub("failing").getResult(String.class));
    assertEquals(WorkflowStatus.FAILED, e.getStatus());
    ApplicationFailure cause = (ApplicationFailure) e.getCause();
    assertEquals("OutOfStock", cause.getType());
    assertEquals("out of stock", cause.getOriginalMessage());
  }

  @Test
  void workflowTaskThatExceedsItsTimeoutIsRetriedAndItsLateCompletionIgnored() throws InterruptedException {
    WorkflowClient.start(env.client().newWorkflowStub(Stuck.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("stuck").setWorkflowTaskTimeout(Duration.ofSeconds(5)).build())::run);
    assertTrue(stuck.await(10, TimeUnit.SECONDS), "the workflow task did not start");

    env.clock().advance(Duration.ofSeconds(5));
    WorkflowDescription d = env.awaitDescription("stuck", "the task timeout", x -> x.workflowTaskAttempt() == 2);
    assertEquals("workflow task did not complete within PT5S; the worker may have died or the code is stuck",
        d.lastWorkflowTaskFailure());
    unstick.countDown();

    env.clock().advance(Duration.ofSeconds(1));
    assertEquals("unstuck", env.result("stuck", String.class));
    WorkflowHistory.Event failed = env.stub("stuck").getHistory().getEvents().stream()
        .filter(e -> e.eventType().equals("WorkflowTaskFailed")).findFirst().orElseThrow();
    assertTrue(failed.attributesJson().contains("\"identity\":\"server\""), failed.attributesJson());
    assertEquals(1, env.eventTypes("stuck").stream().filter("WorkflowExecutionCompleted"::equals).count());
  }
}
