package dev.durable.client;

import dev.durable.internal.Checks;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.failure.Failures;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.Payload;
import dev.durable.internal.service.WorkflowService;
import dev.durable.internal.service.WorkflowService.ActivityAddress;
import dev.durable.internal.service.WorkflowService.ActivityOutcome;
import dev.durable.internal.service.WorkflowService.ActivityResponse;

/**
 * Completes, fails or heartbeats activities that complete asynchronously: an activity hands its
 * {@linkplain dev.durable.activity.ActivityExecutionContext#getTaskToken() task token} to another
 * system and returns after {@link dev.durable.activity.ActivityExecutionContext#doNotCompleteOnReturn()};
 * later, anyone with a client reports the outcome here, for example when a person approves a
 * request or a webhook arrives. Obtained with {@link WorkflowClient#newActivityCompletionClient()}.
 *
 * <pre>{@code
 * ActivityCompletionClient completions = client.newActivityCompletionClient();
 * completions.complete(taskToken, "approved by alice");
 * }</pre>
 *
 * <p>Each report is recorded as the worker's own report of the attempt would be, and is on disk
 * when the call returns. A report on an attempt that is no longer pending (it completed, its
 * timeout fired and a new attempt began, its workflow closed or was deleted) is refused with
 * DURABLE-234 and records nothing; a token that is not one Durable issued is refused with
 * DURABLE-233.
 *
 * <p>Each method also exists addressed by workflow id and activity id (the id in
 * {@link dev.durable.activity.ActivityInfo#activityId()} and {@link PendingActivityInfo#activityId()}):
 * it then applies to the activity's current attempt in the workflow's latest run.
 */
public final class ActivityCompletionClient {
  private final WorkflowService service;

  ActivityCompletionClient(WorkflowService service) {
    this.service = service;
  }

  /**
   * Completes the attempt of {@code taskToken} with {@code result}; the workflow receives it as
   * the activity method's return value.
   *
   * @param result the result, convertible to JSON, or null (for a {@code void} activity)
   * @throws dev.durable.common.DurableException DURABLE-233 for a malformed token, DURABLE-234 when
   *     the attempt is no longer pending, DURABLE-223 for a result over the payload limit
   */
  public void complete(String taskToken, Object result) {
    report(ActivityAddress.ofToken(token(taskToken)), ActivityOutcome.COMPLETED, result("result", result), null);
  }

  /**
   * Completes the current attempt of activity {@code activityId} of workflow {@code workflowId}
   * with {@code result}; see {@link #complete(String, Object)}.
   */
  public void complete(String workflowId, String activityId, Object result) {
    report(address(workflowId, activityId), ActivityOutcome.COMPLETED, result("result", result), null);
  }

  /**
   * Fails the attempt of {@code taskToken}. The activity's retry policy applies as to a failure
   * the activity method threw: an {@link dev.durable.failure.ApplicationFailure} keeps its type,
   * details and non-retryable flag, and a retry is a new attempt (run by a worker) with a new token.
   *
   * @throws dev.durable.common.DurableException DURABLE-233 for a malformed token, DURABLE-234 when
   *     the attempt is no longer pending
   */
  public void fail(String taskToken, Exception failure) {
    report(ActivityAddress.ofToken(token(taskToken)), ActivityOutcome.FAILED, null, failure(failure));
  }

  /**
   * Fails the current attempt of activity {@code activityId} of workflow {@code workflowId}; see
   * {@link #fail(String, Exception)}.
   */
  public void fail(String workflowId, String activityId, Exception failure) {
    report(address(workflowId, activityId), ActivityOutcome.FAILED, null, failure(failure));
  }

  /**
   * Records progress of the attempt of {@code taskToken}, as
   * {@link dev.durable.activity.ActivityExecutionContext#heartbeat} does: it pushes the heartbeat
   * timeout back, and the details go to the next attempt if this one fails.
   *
   * @param details progress to keep, convertible to JSON, or null
   * @return whether the workflow asked to cancel the activity: then stop the work and call
   *     {@link #reportCancellation(String, Object)}
   * @throws dev.durable.common.DurableException DURABLE-233 for a malformed token, DURABLE-234 when
   *     the attempt is no longer pending
   */
  public boolean heartbeat(String taskToken, Object details) {
    return report(ActivityAddress.ofToken(token(taskToken)), ActivityOutcome.HEARTBEAT,
        result("heartbeat details", details), null);
  }

  /**
   * Records progress of the current attempt of activity {@code activityId} of workflow
   * {@code workflowId}; see {@link #heartbeat(String, Object)}.
   */
  public boolean heartbeat(String workflowId, String activityId, Object details) {
    return report(address(workflowId, activityId), ActivityOutcome.HEARTBEAT, result("heartbeat details", details),
        null);
  }

  /**
   * Reports that the attempt of {@code taskToken} stopped because the workflow asked to cancel the
   * activity (which {@link #heartbeat(String, Object)} returns): the workflow sees the activity
   * canceled.
   *
   * @param details what to record with the cancellation, convertible to JSON, or null
   * @throws dev.durable.common.DurableException DURABLE-235 when the workflow did not ask to cancel
   *     the activity, DURABLE-233 for a malformed token, DURABLE-234 when the attempt is no longer
   *     pending
   */
  public void reportCancellation(String taskToken, Object details) {
    report(ActivityAddress.ofToken(token(taskToken)), ActivityOutcome.CANCELED,
        result("cancellation details", details), null);
  }

  /**
   * Reports the cancellation of the current attempt of activity {@code activityId} of workflow
   * {@code workflowId}; see {@link #reportCancellation(String, Object)}.
   */
  public void reportCancellation(String workflowId, String activityId, Object details) {
    report(address(workflowId, activityId), ActivityOutcome.CANCELED, result("cancellation details", details), null);
  }

  private boolean report(ActivityAddress address, ActivityOutcome outcome, Payload payload, FailureInfo failure) {
    return service.respondActivity(new ActivityResponse(address, outcome, payload, failure));
  }

  private static String token(String taskToken) {
    return Checks.notBlank("taskToken", taskToken);
  }

  private static ActivityAddress address(String workflowId, String activityId) {
    return ActivityAddress.ofActivity(Checks.name("workflowId", workflowId), Checks.notBlank("activityId", activityId));
  }

  private static Payload result(String what, Object value) {
    return JsonConverter.DEFAULT.toPayload(value, () -> "the " + what + " passed to ActivityCompletionClient");
  }

  private static FailureInfo failure(Exception failure) {
    if (failure == null) {
      throw Checks.invalid("failure must not be null: pass the exception the activity failed with, such as"
          + " ApplicationFailure.newFailure(message, type)");
    }
    return Failures.toInfo(failure);
  }
}
