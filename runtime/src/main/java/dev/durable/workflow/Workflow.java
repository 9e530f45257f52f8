package dev.durable.workflow;

import dev.durable.activity.ActivityOptions;
import dev.durable.internal.replay.ActivityStub;
import dev.durable.internal.replay.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What workflow code uses instead of threads, clocks and randomness. Every method here is
 * deterministic: on replay it returns what it returned the first time, so the code reaches the
 * same state. These methods may only be called from workflow code (DURABLE-210 otherwise).
 */
public final class Workflow {
  private Workflow() {}

  /**
   * Creates a stub whose method calls run activities: each call is scheduled durably, executed
   * by a worker (retried per {@code options}) and returns the activity's result, or throws an
   * {@link dev.durable.failure.ActivityFailure}.
   *
   * @param activityInterface an interface annotated with {@link dev.durable.activity.ActivityInterface}
   * @param options timeouts and retries for every call through the stub
   * @return the stub
   */
  public static <T> T newActivityStub(Class<T> activityInterface, ActivityOptions options) {
    return ActivityStub.create(activityInterface, options);
  }

  /**
   * Sleeps on a durable timer. The timer survives restarts: a workflow sleeping for a month
   * wakes up after a month even if the process was restarted in between.
   *
   * @param duration how long; zero or negative returns at once
   */
  public static void sleep(Duration duration) {
    run("Workflow.sleep").sleep(duration);
  }

  /**
   * Blocks until {@code condition} is true. The condition is re-evaluated whenever something
   * happened (a signal, an activity result), so it must only read workflow state.
   *
   * @param condition what to wait for
   */
  public static void await(Supplier<Boolean> condition) {
    run("Workflow.await").await(null, () -> Boolean.TRUE.equals(condition.get()));
  }

  /**
   * Blocks until {@code condition} is true or {@code timeout} has passed (on a durable timer).
   *
   * @param timeout the longest wait
   * @param condition what to wait for
   * @return true if the condition became true, false on timeout
   */
  public static boolean await(Duration timeout, Supplier<Boolean> condition) {
    return run("Workflow.await").await(timeout, () -> Boolean.TRUE.equals(condition.get()));
  }

  /** Returns the workflow time: the time of the current workflow task, the same on replay. */
  public static Instant now() {
    return run("Workflow.now").now();
  }

  /** Returns {@link #now()} in milliseconds since the epoch. */
  public static long currentTimeMillis() {
    return now().toEpochMilli();
  }

  /** Returns a new random generator whose sequence is the same on every replay of this run. */
  public static Random newRandom() {
    return new Random(run("Workflow.newRandom").random().nextLong());
  }

  /** Returns a random UUID that is the same on every replay of this run. */
  public static UUID randomUUID() {
    return run("Workflow.randomUUID").randomUUID();
  }

  /** Returns whether the code is replaying history rather than running for the first time. */
  public static boolean isReplaying() {
    return run("Workflow.isReplaying").isReplaying();
  }

  /** Returns facts about the running workflow. */
  public static WorkflowInfo getInfo() {
    return run("Workflow.getInfo").info();
  }

  private static WorkflowRun run(String api) {
    WorkflowRun run = WorkflowRun.current();
    if (run == null) {
      throw new IllegalStateException("DURABLE-210 " + api + " can only be called from workflow code (a workflow"
          + " method, signal handler or query), not on thread '" + Thread.currentThread().getName() + "'");
    }
    return run;
  }
}
