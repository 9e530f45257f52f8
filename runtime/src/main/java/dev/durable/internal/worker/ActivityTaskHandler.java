package dev.durable.internal.worker;

import dev.durable.common.DataConverterException;
import dev.durable.internal.LazyLogger;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.failure.Failures;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.Payload;
import dev.durable.internal.service.TaskTokens;
import dev.durable.internal.service.WorkflowService;
import dev.durable.internal.service.WorkflowService.ActivityTask;
import dev.durable.internal.service.WorkflowService.WorkflowTask;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/** Runs one activity attempt and reports its outcome. */
public final class ActivityTaskHandler {
  private static final System.Logger LOG = LazyLogger.of(ActivityTaskHandler.class);

  /** A registered activity implementation method. */
  public record Registration(Object impl, Method method) {}

  private final WorkflowService service;
  private final String taskQueue;
  private final Map<String, Registration> activities;

  public ActivityTaskHandler(WorkflowService service, String taskQueue, Map<String, Registration> activities) {
    this.service = service;
    this.taskQueue = taskQueue;
    this.activities = Map.copyOf(activities);
  }

  public void handle(ActivityTask task) {
    handle(task, false);
  }

  /**
   * Runs the attempt and reports its outcome. With {@code takeWorkflowTask}, a successful result is
   * reported so that the server may hand over the workflow task it made ready, which is returned
   * for the caller to run next.
   */
  public Optional<WorkflowTask> handle(ActivityTask task, boolean takeWorkflowTask) {
    Registration reg = activities.get(task.activityType());
    if (reg == null) {
      report(task, FailureInfo.simple(FailureInfo.APPLICATION, "dev.durable.ActivityTypeNotRegistered",
          "DURABLE-205 activity type '" + task.activityType() + "' (called by workflow '" + task.workflowId()
              + "') is not registered on the worker for task queue '" + taskQueue + "'; registered activity types: "
              + new TreeSet<>(activities.keySet()) + ". Register it with registerActivitiesImplementations(...).",
          false));
      return Optional.empty();
    }
    ActivityContextImpl ctx = new ActivityContextImpl(service, task);
    ctx.enter();
    Payload payload;
    try {
      Object[] args = JsonConverter.DEFAULT.fromPayloads(task.input(), reg.method().getGenericParameterTypes(), () -> where(task));
      Object result = reg.method().invoke(reg.impl(), args);
      // A method that completes later returns a placeholder (often null), which is not its result.
      payload = ctx.completesLater() ? null : JsonConverter.DEFAULT.toPayload(result, () -> "result of " + where(task));
    } catch (DataConverterException e) {
      // The same value fails the same way on every attempt: retrying cannot help.
      report(task, nonRetryable(Failures.toInfo(e)));
      return Optional.empty();
    } catch (InvocationTargetException e) {
      report(task, Failures.toInfo(e.getCause()));
      return Optional.empty();
    } catch (IllegalAccessException | RuntimeException e) {
      report(task, Failures.toInfo(e));
      return Optional.empty();
    } finally {
      ctx.exit();
    }
    if (ctx.completesLater()) {
      // Someone completes it by its task token, or its timeouts end it: the attempt stays started,
      // and the server keeps it so across a restart once told.
      LOG.log(System.Logger.Level.DEBUG, "activity {0} attempt {1} of ''{2}'' returned; it completes by task token",
          task.activityType(), task.token().attempt(), task.workflowId());
      return call(task, "report the return of", () -> {
        service.respondActivity(new WorkflowService.ActivityResponse(
            WorkflowService.ActivityAddress.ofToken(TaskTokens.encode(task.token())),
            WorkflowService.ActivityOutcome.COMPLETES_LATER, null, null));
        return Optional.empty();
      });
    }
    // Outside the try above: if the server cannot take the result, the activity did not fail.
    return call(task, "report the result of", () -> {
      if (takeWorkflowTask) {
        return service.completeActivityTaskAndTakeWorkflowTask(task.token(), payload, taskQueue);
      }
      service.completeActivityTask(task.token(), payload);
      return Optional.empty();
    });
  }

  /** Names the attempt in conversion errors; built only for one. */
  private static String where(ActivityTask task) {
    return "activity " + task.activityType() + " of workflow '" + task.workflowId() + "'";
  }

  private void report(ActivityTask task, FailureInfo failure) {
    LOG.log(System.Logger.Level.DEBUG, "activity {0} attempt {1} of ''{2}'' failed: {3}", task.activityType(),
        task.token().attempt(), task.workflowId(), failure.summary());
    call(task, "report the failure of", () -> {
      service.failActivityTask(task.token(), failure);
      return Optional.empty();
    });
  }

  /**
   * Tells the server and returns what it hands over; a server that is gone dispatches the attempt
   * again after its timeout or restart, and nothing is handed over.
   */
  private static Optional<WorkflowTask> call(ActivityTask task, String what, Supplier<Optional<WorkflowTask>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not " + what + " activity " + task.activityType() + " attempt "
          + task.token().attempt() + " of workflow '" + task.workflowId() + "': " + e.getMessage());
      return Optional.empty();
    }
  }

  private static FailureInfo nonRetryable(FailureInfo f) {
    return new FailureInfo(f.kind(), f.type(), f.message(), f.stackTrace(), f.details(), true, f.attributes(), f.cause());
  }
}
