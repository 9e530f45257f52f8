package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ApplicationFailure;
import dev.durable.failure.CanceledFailure;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Async starts activities and workflow code without waiting; promises combine and wait for them deterministically. */
class AsyncTest {
  @ActivityInterface
  public interface Maths {
    int square(int x);

    void note(String text);

    String explode(String why);
  }

  static final class CountingMaths implements Maths {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @Override
    public int square(int x) {
      count("square(" + x + ")");
      return x * x;
    }

    @Override
    public void note(String text) {
      count("note(" + text + ")");
    }

    @Override
    public String explode(String why) {
      count("explode(" + why + ")");
      throw ApplicationFailure.newNonRetryableFailure(why, "Boom");
    }

    private void count(String call) {
      calls.computeIfAbsent(call, k -> new AtomicInteger()).incrementAndGet();
    }

    Map<String, Integer> counts() {
      Map<String, Integer> out = new TreeMap<>();
      calls.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }
  }

  static Maths maths() {
    return Workflow.newActivityStub(Maths.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @WorkflowInterface
  public interface Combinations {
    @WorkflowMethod
    String run(String which);
  }

  public static final class CombinationsImpl implements Combinations {
    private final Maths maths = maths();

    @Override
    public String run(String which) {
      switch (which) {
        case "allOf": {
          Promise<Integer> a = Async.function(maths::square, 3);
          Promise<Integer> b = Async.function(maths::square, 4);
          Promise<Void> noted = Async.procedure(maths::note, "both started");
          Promise.allOf(a, b, noted).get();
          return a.get() + b.get() + " " + noted.isCompleted();
        }
        case "anyOf": {
          Promise<Integer> slow = Async.function(() -> {
            Workflow.sleep(Duration.ofHours(1));
            return -1;
          });
          Promise<Integer> fast = Async.function(maths::square, 5);
          return "first: " + Promise.anyOf(slow, fast).get() + ", slow done: " + slow.isCompleted();
        }
        case "then": {
          Promise<Integer> plusOne = Async.function(maths::square, 6).thenApply(x -> x + 1);
          Promise<String> recovered = Async.function(maths::explode, "kaboom")
              .handle((v, e) -> e == null ? v : "recovered from " + e.getClass().getSimpleName() + " caused by "
                  + ((ApplicationFailure) e.getCause()).getOriginalMessage());
          return plusOne.get() + " / " + recovered.get();
        }
        case "lambda": {
          // Not a method reference: runs on its own workflow thread, one activity after the other.
          Promise<Integer> sum = Async.function(() -> maths.square(2) + maths.square(3));
          List<Promise<Integer>> list = List.of(sum, Async.function(maths::square, 1));
          Promise.allOf(list).get();
          return sum.get() + "+" + list.get(1).get();
        }
        case "allOfFails": {
          Promise<Integer> ok = Async.function(maths::square, 7);
          Promise<String> bad = Async.function(maths::explode, "no");
          try {
            Promise.allOf(ok, bad).get();
            return "no failure";
          } catch (RuntimeException e) {
            return "allOf failed with " + e.getClass().getSimpleName() + ", failure seen: "
                + (bad.getFailure() != null);
          }
        }
        default:
          throw new IllegalArgumentException(which);
      }
    }
  }

  @WorkflowInterface
  public interface Approval {
    @WorkflowMethod
    String run();

    @SignalMethod
    void decide(String decision);
  }

  public static final class ApprovalImpl implements Approval {
    private final CompletablePromise<String> decision = Workflow.newPromise();

    @Override
    public String run() {
      String first = decision.get(Duration.ofHours(1));
      if (!decision.isCompleted()) {
        first = "no decision within an hour";
      }
      try {
        return first + "; then " + decision.get();
      } catch (CanceledFailure e) {
        return "canceled while waiting";
      }
    }

    @Override
    public void decide(String text) {
      decision.complete(text);
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final CountingMaths maths = new CountingMaths();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CombinationsImpl.class, ApprovalImpl.class)
        .registerActivitiesImplementations(maths));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private String combination(String which) {
    return env.newWorkflow(Combinations.class, which).run(which);
  }

  @Test
  void activitiesStartedWithAsyncRunInParallelAndAllOfWaitsForEveryOne() {
    assertEquals("25 true", combination("allOf"));

    List<String> types = env.eventTypes("allOf");
    assertTrue(types.lastIndexOf("ActivityTaskScheduled") < types.indexOf("ActivityTaskCompleted"),
        "all three activities are scheduled before any completes: " + types);
    assertEquals(3, types.stream().filter("ActivityTaskScheduled"::equals).count());
    assertEquals(Map.of("note(both started)", 1, "square(3)", 1, "square(4)", 1), maths.counts());
  }

  @Test
  void anyOfCompletesWithTheFirstOutcomeWhileTheOtherStaysPending() {
    assertEquals("first: 25, slow done: false", combination("anyOf"));
    WorkflowReplayer.replayWorkflowExecution(env.stub("anyOf").getHistory(), CombinationsImpl.class);
  }

  @Test
  void thenApplyTransformsAValueAndHandleRecoversFromAFailure() {
    assertEquals("37 / recovered from ActivityFailure caused by kaboom", combination("then"));
  }

  @Test
  void aLambdaRunsOnItsOwnWorkflowThread() {
    assertEquals("13+1", combination("lambda"));
    WorkflowReplayer.replayWorkflowExecution(env.stub("lambda").getHistory(), CombinationsImpl.class);
    assertEquals(Map.of("square(1)", 1, "square(2)", 1, "square(3)", 1), maths.counts());
  }

  @Test
  void allOfFailsWithTheFirstFailure() {
    assertEquals("allOf failed with ActivityFailure, failure seen: true", combination("allOfFails"));
  }

  @Test
  void getWithTimeoutReturnsNullWhenTheDurableTimerFiresFirst() {
    WorkflowClient.start(env.newWorkflow(Approval.class, "late")::run);
    env.awaitEvent("late", "TimerStarted");
    env.clock().advance(Duration.ofHours(1));
    env.awaitEvent("late", "TimerFired");
    env.stub("late").signal("decide", "approved");

    assertEquals("no decision within an hour; then approved", env.result("late", String.class));
    WorkflowReplayer.replayWorkflowExecution(env.stub("late").getHistory(), ApprovalImpl.class);
  }

  @Test
  void promiseCompletedBySignalHandlerEndsTheWaitAndCancelsTheTimer() {
    WorkflowClient.start(env.newWorkflow(Approval.class, "prompt")::run);
    env.awaitEvent("prompt", "TimerStarted");
    env.stub("prompt").signal("decide", "approved");

    assertEquals("approved; then approved", env.result("prompt", String.class));
    assertTrue(env.eventTypes("prompt").contains("TimerCanceled"), env.eventTypes("prompt").toString());
  }

  @Test
  void blockedGetThrowsCanceledFailureWhenTheWorkflowIsCanceled() {
    WorkflowClient.start(env.newWorkflow(Approval.class, "dropped")::run);
    env.awaitEvent("dropped", "TimerStarted");
    env.clock().advance(Duration.ofHours(1));
    env.awaitEvent("dropped", "TimerFired");
    env.stub("dropped").cancel();

    assertEquals("canceled while waiting", env.result("dropped", String.class));
    assertEquals(WorkflowStatus.COMPLETED, env.describe("dropped").status());
  }
}
