package dev.durable.internal.worker;

import dev.durable.activity.LocalActivityOptions;
import dev.durable.common.DataConverterException;
import dev.durable.failure.TimeoutType;
import dev.durable.internal.Deadlines;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.failure.Failures;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.LocalActivityMarker;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.replay.LocalActivityExecutor;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs local activities on the worker's own threads (never on a workflow thread, so the sandbox
 * does not apply to them) with the registered activity implementations. Backoffs up to the
 * options' local retry threshold are waited out here; the workflow code turns a longer one into a
 * durable timer. Local activities have no execution context: they cannot heartbeat.
 */
public final class LocalActivityRunner implements LocalActivityExecutor {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private final Map<String, ActivityTaskHandler.Registration> activities;
  private final String taskQueue;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "durable-local-activity-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  public LocalActivityRunner(Map<String, ActivityTaskHandler.Registration> activities, String taskQueue) {
    this.activities = Map.copyOf(activities);
    this.taskQueue = taskQueue;
  }

  @Override
  public LocalActivityMarker execute(String workflowId, String activityType, List<Payload> input,
      LocalActivityOptions options, int firstAttempt, Duration remaining) {
    Future<LocalActivityMarker> all = threads.submit(() -> attempts(workflowId, activityType, input, options,
        firstAttempt, remaining));
    try {
      return all.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      all.cancel(true);
      throw new IllegalStateException("interrupted while running local activity " + activityType, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("local activity " + activityType + " could not run: " + e.getCause(), e.getCause());
    }
  }

  private LocalActivityMarker attempts(String workflowId, String activityType, List<Payload> input,
      LocalActivityOptions options, int firstAttempt, Duration remaining) throws InterruptedException {
    RetryPolicy policy = RetryPolicy.of(options.getRetryOptions());
    long start = System.nanoTime();
    for (int attempt = firstAttempt; ; attempt++) {
      Duration left = remaining == null ? null : remaining.minusNanos(System.nanoTime() - start);
      Duration limit = options.getStartToCloseTimeout();
      if (left != null && (limit == null || left.compareTo(limit) < 0)) {
        limit = left;
      }
      Object outcome = attempt(workflowId, activityType, input, limit, attempt);
      if (outcome instanceof Payload result) {
        return new LocalActivityMarker(activityType, attempt, result, null, null);
      }
      FailureInfo failure = (FailureInfo) outcome;
      Duration backoff = policy.backoffAfter(attempt);
      boolean withinDeadline = remaining == null
          || remaining.minusNanos(System.nanoTime() - start).compareTo(backoff) > 0;
      if (!policy.allowsRetry(attempt, failure) || !withinDeadline) {
        return new LocalActivityMarker(activityType, attempt, null, failure, null);
      }
      if (backoff.compareTo(options.getLocalRetryThreshold()) > 0) {
        return new LocalActivityMarker(activityType, attempt, null, failure, backoff);
      }
      // Short: waited out here, in the worker, within the workflow task.
      Thread.sleep(Deadlines.millis(backoff));
    }
  }

  /** One attempt: its result payload, or the FailureInfo of how it failed. */
  private Object attempt(String workflowId, String activityType, List<Payload> input, Duration limit, int attempt)
      throws InterruptedException {
    ActivityTaskHandler.Registration reg = activities.get(activityType);
    if (reg == null) {
      return FailureInfo.simple(FailureInfo.APPLICATION, "dev.durable.ActivityTypeNotRegistered", "DURABLE-205 local"
          + " activity type '" + activityType + "' (called by workflow '" + workflowId + "') is not registered on the"
          + " worker for task queue '" + taskQueue + "'; registered activity types: " + new TreeSet<>(activities.keySet())
          + ". Register it with registerActivitiesImplementations(...) on the worker that runs the workflow.", true);
    }
    String where = "local activity " + activityType + " of workflow '" + workflowId + "'";
    Future<Payload> run = threads.submit(() -> {
      Object[] args = JsonConverter.DEFAULT.fromPayloads(input, reg.method().getGenericParameterTypes(), () -> where);
      Object result = reg.method().invoke(reg.impl(), args);
      return JsonConverter.DEFAULT.toPayload(result, () -> "result of " + where);
    });
    try {
      return limit == null ? run.get() : run.get(Math.max(1, Deadlines.nanos(limit)), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      return new FailureInfo(FailureInfo.TIMEOUT, "dev.durable.failure.TimeoutFailure", "local activity " + activityType
          + " attempt " + attempt + " exceeded its " + TimeoutType.START_TO_CLOSE + " timeout of " + limit, "", null,
          false, Map.of("timeoutType", TimeoutType.START_TO_CLOSE.name()), null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
      FailureInfo f = Failures.toInfo(cause);
      if (cause instanceof DataConverterException) {
        // The same value fails the same way on every attempt.
        return new FailureInfo(f.kind(), f.type(), f.message(), f.stackTrace(), f.details(), true, f.attributes(),
            f.cause());
      }
      return f;
    }
  }

  /** Stops the runner's threads (the worker closes). */
  public void shutdown() {
    threads.shutdownNow();
  }
}
