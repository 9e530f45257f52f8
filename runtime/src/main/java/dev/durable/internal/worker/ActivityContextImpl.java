package dev.durable.internal.worker;

import dev.durable.activity.ActivityExecutionContext;
import dev.durable.activity.ActivityInfo;
import dev.durable.failure.CanceledFailure;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.service.TaskTokens;
import dev.durable.internal.service.WorkflowService;
import dev.durable.internal.service.WorkflowService.ActivityTask;
import java.util.Optional;

/** The context of one running activity attempt. */
public final class ActivityContextImpl implements ActivityExecutionContext {
  private static final ThreadLocal<ActivityContextImpl> CURRENT = new ThreadLocal<>();

  private final WorkflowService service;
  private final ActivityTask task;
  private boolean doNotCompleteOnReturn;

  ActivityContextImpl(WorkflowService service, ActivityTask task) {
    this.service = service;
    this.task = task;
  }

  /** Returns the context of the activity running on this thread, or null. */
  public static ActivityContextImpl current() {
    return CURRENT.get();
  }

  void enter() {
    CURRENT.set(this);
  }

  void exit() {
    CURRENT.remove();
  }

  @Override
  public ActivityInfo getInfo() {
    return new ActivityInfo(task.workflowId(), task.workflowType(), task.activityType(),
        Integer.toString(task.token().seq()), task.token().attempt(), task.scheduledTime());
  }

  @Override
  public void heartbeat(Object details) {
    var payload = JsonConverter.DEFAULT.toPayload(details, () -> "heartbeat details of activity " + task.activityType());
    if (service.recordHeartbeat(task.token(), payload)) {
      throw new CanceledFailure("activity " + task.activityType() + " of workflow '" + task.workflowId()
          + "' is no longer needed (its workflow closed, was canceled, or this attempt timed out)");
    }
  }

  @Override
  public String getTaskToken() {
    return TaskTokens.encode(task.token());
  }

  @Override
  public void doNotCompleteOnReturn() {
    doNotCompleteOnReturn = true;
  }

  /** Whether the activity asked that its return report nothing (it completes by task token later). */
  boolean completesLater() {
    return doNotCompleteOnReturn;
  }

  @Override
  public <V> Optional<V> getHeartbeatDetails(Class<V> type) {
    if (task.heartbeatDetails() == null) {
      return Optional.empty();
    }
    Object v = JsonConverter.DEFAULT.fromPayload(task.heartbeatDetails(), type,
        () -> "heartbeat details of activity " + task.activityType());
    return Optional.ofNullable(type.cast(v));
  }
}
