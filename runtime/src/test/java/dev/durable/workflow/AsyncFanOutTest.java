package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ApplicationFailure;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One workflow fans out to 1000 activities and fans in, across a restart of server and worker half-way. */
class AsyncFanOutTest {
  static final int COUNT = 1000;
  static final int HALF = COUNT / 2;
  /** A bound, not a timing: a thousand activities take a few seconds on a loaded machine. */
  static final Duration RESULT_WAIT = Duration.ofSeconds(45);

  @ActivityInterface
  public interface Squares {
    long square(int x);
  }

  /**
   * Squares {@code x}; inputs from {@link #HALF} on fail (and are retried on the server's clock)
   * until the gate opens, which holds the run half-way without sleeping.
   */
  static final class GatedSquares implements Squares {
    final Map<Integer, AtomicInteger> successes = new ConcurrentHashMap<>();
    volatile boolean open;

    @Override
    public long square(int x) {
      if (x >= HALF && !open) {
        throw ApplicationFailure.newFailure("gate closed for " + x, "Gate");
      }
      successes.computeIfAbsent(x, k -> new AtomicInteger()).incrementAndGet();
      return (long) x * x;
    }
  }

  @WorkflowInterface
  public interface FanOut {
    @WorkflowMethod
    long run(int count);
  }

  public static final class FanOutImpl implements FanOut {
    private final Squares squares = Workflow.newActivityStub(Squares.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).build())
        .build());

    @Override
    public long run(int count) {
      List<Promise<Long>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        results.add(Async.function(squares::square, i));
      }
      Promise.allOf(results).get();
      long sum = 0;
      for (Promise<Long> r : results) {
        sum += r.get();
      }
      return sum;
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final GatedSquares squares = new GatedSquares();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(FanOutImpl.class).registerActivitiesImplementations(squares)
        .setMaxConcurrentActivityTasks(50));
  }

  private long completedActivities() {
    return env.eventTypes("fan").stream().filter("ActivityTaskCompleted"::equals).count();
  }

  @Test
  void thousandActivitiesFanOutAndInAcrossARestartWithoutRunningACompletedOneTwice() throws Exception {
    startWorker();
    // The test moves the clock in big steps below; a long workflow task timeout keeps those steps
    // from timing out a workflow task that is still running on the worker.
    WorkflowOptions options = WorkflowOptions.newBuilder().setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("fan")
        .setWorkflowTaskTimeout(Duration.ofDays(1)).build();
    WorkflowClient.start(env.client().newWorkflowStub(FanOut.class, options)::run, COUNT);
    // Counted in memory first, so that polling does not read a growing history a thousand times.
    Eventually.eventually("half of the activities to succeed", () -> squares.successes.size() == HALF);
    Eventually.eventually("half of the activities to be recorded as completed", this::completedActivities, n -> n == HALF);
    WorkflowHistory before = env.stub("fan").getHistory();

    env.restartServer();
    squares.open = true;
    startWorker();
    // The gated half retries as the clock moves, each activity after its own backoff, so the
    // clock moves in steps until the run closes.
    long deadline = System.nanoTime() + RESULT_WAIT.toNanos();
    while (env.describe("fan").status() == WorkflowStatus.RUNNING && System.nanoTime() < deadline) {
      env.clock().advance(Duration.ofSeconds(30));
      LockSupport.parkNanos(20_000_000);
    }
    assertEquals(WorkflowStatus.COMPLETED, env.describe("fan").status(), () -> "still open: " + env.describe("fan")
        + "\nsucceeded: " + squares.successes.size() + "\nlast events: " + lastEvents());

    long expected = 0;
    for (long i = 0; i < COUNT; i++) {
      expected += i * i;
    }
    assertEquals(expected, env.stub("fan").getResult(RESULT_WAIT, Long.class));

    // The half recorded as completed before the restart was replayed, not run again. (The other
    // half is at least once: moving the clock fast can time out an attempt still queued in the worker.)
    assertEquals(COUNT, squares.successes.size());
    squares.successes.forEach((x, n) -> {
      if (x < HALF) {
        assertEquals(1, n.get(), "successful executions of square(" + x + ")");
      }
    });
    assertEquals(HALF, completedSeqs(before).size());

    WorkflowHistory history = env.stub("fan").getHistory();
    assertEquals(COUNT, history.getEvents().stream().filter(e -> e.eventType().equals("ActivityTaskScheduled")).count());
    assertEquals(COUNT, completedSeqs(history).size());
    WorkflowReplayer.replayWorkflowExecution(history, FanOutImpl.class);
    WorkflowReplayer.replayWorkflowExecution(before, FanOutImpl.class);
  }

  private String lastEvents() {
    List<WorkflowHistory.Event> events = env.stub("fan").getHistory().getEvents();
    return events.subList(Math.max(0, events.size() - 15), events.size()).toString();
  }

  private static List<Integer> completedSeqs(WorkflowHistory h) {
    Pattern seq = Pattern.compile("\"seq\":(\\d+)");
    List<Integer> out = new ArrayList<>();
    for (WorkflowHistory.Event e : h.getEvents()) {
      if (e.eventType().equals("ActivityTaskCompleted")) {
        Matcher m = seq.matcher(e.attributesJson());
        assertTrue(m.find(), e.attributesJson());
        out.add(Integer.parseInt(m.group(1)));
      }
    }
    return out.stream().distinct().toList();
  }
}
