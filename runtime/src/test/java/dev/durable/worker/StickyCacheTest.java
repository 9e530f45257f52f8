package dev.durable.worker;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs evicted from a small sticky cache are replayed, and still reach the right result without re-running activities. */
class StickyCacheTest {
  static final AtomicInteger REPLAYED_STEPS = new AtomicInteger();

  @ActivityInterface
  public interface Steps {
    String step(String workflowId, int n);
  }

  @WorkflowInterface
  public interface Stepper {
    @WorkflowMethod
    String run(int steps);

    @SignalMethod
    void go();
  }

  public static final class StepperImpl implements Stepper {
    private final Steps steps = Workflow.newActivityStub(Steps.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    private int gos;

    @Override
    public String run(int count) {
      StringBuilder out = new StringBuilder();
      for (int n = 1; n <= count; n++) {
        int needed = n;
        Workflow.await(() -> gos >= needed);
        if (Workflow.isReplaying()) {
          REPLAYED_STEPS.incrementAndGet();
        }
        out.append(steps.step(Workflow.getInfo().workflowId(), n));
      }
      return out.toString();
    }

    @Override
    public void go() {
      gos++;
    }
  }

  /** Counts executions per workflow and step. */
  static final class CountingSteps implements Steps {
    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

    @Override
    public String step(String workflowId, int n) {
      executions.computeIfAbsent(workflowId + "#" + n, k -> new AtomicInteger()).incrementAndGet();
      return "[" + n + " attempt " + Activity.getExecutionContext().getInfo().attempt() + "]";
    }
  }

  @WorkflowInterface
  public interface Slowpoke {
    @WorkflowMethod
    String run();

    @SignalMethod
    void go();
  }

  static final AtomicBoolean holdOnce = new AtomicBoolean();
  static volatile CountDownLatch held = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  /** Its first task is held on the worker (a test hook) until the server has timed it out and retried it elsewhere. */
  public static final class SlowpokeImpl implements Slowpoke {
    private boolean go;

    @Override
    public String run() {
      if (holdOnce.compareAndSet(true, false)) {
        held.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Workflow.await(() -> go);
      return "done";
    }

    @Override
    public void go() {
      go = true;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    REPLAYED_STEPS.set(0);
  }

  @AfterEach
  void close() {
    release.countDown();
    env.close();
  }

  @Test
  void interleavedWorkflowsOnACacheOfOneRunRightAndRunEachActivityOnce() {
    CountingSteps steps = new CountingSteps();
    // One workflow task at a time: a run in use by another task cannot be evicted, so with more the
    // cache may hold all three for a while and nothing would need a replay.
    env.startWorker(b -> b.registerWorkflowImplementationTypes(StepperImpl.class).registerActivitiesImplementations(steps)
        .setStickyCacheSize(1).setMaxConcurrentWorkflowTasks(1));
    List<String> ids = List.of("red", "green", "blue");
    for (String id : ids) {
      WorkflowClient.start(env.newWorkflow(Stepper.class, id)::run, 3);
    }
    for (int round = 1; round <= 3; round++) {
      // One run at a time takes its step, in turn: the cache of one then holds at most the run in use and the
      // one before, never all three, so from the second round on each run is replayed past a step. Signalled
      // together, runs in use at once stay cached together (a run in use is not evicted), and under a busy
      // machine all three could stay cached with nothing replayed; or one run could take all its steps while
      // the others wait in the queue.
      int taken = round;
      for (String id : ids) {
        env.stub(id).signal("go");
        eventually(id + " to take step " + taken, () -> tookStep(id, taken));
      }
    }

    for (String id : ids) {
      assertEquals("[1 attempt 1][2 attempt 1][3 attempt 1]", env.result(id, String.class));
    }
    assertEquals(9, steps.executions.size(), steps.executions.toString());
    steps.executions.forEach((step, count) -> assertEquals(1, count.get(), step + " ran " + count + " times"));
    assertTrue(REPLAYED_STEPS.get() > 0, "a cache of one with three workflows must have replayed some of them");
  }

  /** Whether the run has completed activity step {@code n} and the workflow task after it. */
  private boolean tookStep(String workflowId, int n) {
    List<String> events = env.eventTypes(workflowId);
    String last = events.get(events.size() - 1);
    return events.stream().filter("ActivityTaskCompleted"::equals).count() >= n
        && (last.equals("WorkflowTaskCompleted") || last.equals("WorkflowExecutionCompleted"));
  }

  private static long liveThreadsOf(String workflowId) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("workflow[" + workflowId + "]") && t.isAlive()).count();
  }

  @Test
  void lateCompletionOfATimedOutTaskLeavesNoWorkflowThreadsBehind() throws InterruptedException {
    holdOnce.set(true);
    held = new CountDownLatch(1);
    release = new CountDownLatch(1);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(SlowpokeImpl.class).setMaxConcurrentWorkflowTasks(2));
    WorkflowClient.start(env.client().newWorkflowStub(Slowpoke.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("slowpoke").setWorkflowTaskTimeout(Duration.ofSeconds(5)).build())::run);
    assertTrue(held.await(10, TimeUnit.SECONDS));

    env.clock().advance(Duration.ofSeconds(5)); // the held task times out...
    env.awaitDescription("slowpoke", "the task timeout", d -> d.workflowTaskAttempt() == 2);
    env.clock().advance(Duration.ofSeconds(1)); // ...and runs again on the other poller
    env.awaitEvent("slowpoke", "WorkflowTaskCompleted");
    release.countDown(); // the held task finishes; its completion is rejected
    env.stub("slowpoke").signal("go");

    assertEquals("done", env.result("slowpoke", String.class));
    eventually("every thread of the closed run to end", () -> liveThreadsOf("slowpoke") == 0);
  }
}
