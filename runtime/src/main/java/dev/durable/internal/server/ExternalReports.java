package dev.durable.internal.server;

import dev.durable.common.DurableException;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.service.WorkflowService.ActivityAddress;
import dev.durable.internal.service.WorkflowService.ActivityToken;
import java.util.Map;

/**
 * The checks and errors of reports on an activity from outside its worker (asynchronous
 * completion, {@code ActivityCompletionClient}): which attempt an address names, and why one that
 * is no longer pending is refused (DURABLE-234).
 */
final class ExternalReports {
  private static final String NOTHING_RECORDED = " Nothing was recorded.";

  private ExternalReports() {}

  /** The address named a workflow id that has no run. */
  static DurableException noWorkflow(ActivityAddress address) {
    return notPending(address, "no workflow has the id '" + address.workflowId() + "'." + NOTHING_RECORDED
        + " Check the workflow id.");
  }

  /** The run of the address is closed ({@code stored} is its state), or unknown (null: deleted, or never here). */
  static DurableException runClosed(ActivityAddress address, String runId, ExecutionState stored) {
    if (stored == null) {
      return notPending(address, "its run " + runId + " is unknown to this server: the workflow was deleted (by"
          + " retention or on request), or the address is of another server's data." + NOTHING_RECORDED);
    }
    return notPending(address, "its workflow '" + stored.workflowId + "' (run " + runId + ") is closed: "
        + stored.status + "." + NOTHING_RECORDED + " A closed workflow no longer waits for the activity.");
  }

  /**
   * Returns why the activity {@code seq} (pending as {@code pa}, or null) cannot take a report
   * addressed to {@code token} (null: to its current attempt), or null when it can.
   */
  static DurableException whyNotPending(ActivityAddress address, ExecutionState s, int seq, PendingActivity pa,
      ActivityToken token) {
    String which = "activity " + seq + (pa == null ? "" : " (" + pa.activityType + ")")
        + (token == null ? "" : " attempt " + token.attempt()) + " of workflow '" + s.workflowId + "' run " + s.runId;
    if (pa == null) {
      return new DurableException("DURABLE-234", which + " is no longer pending: it has completed, failed, timed out"
          + " for good or was canceled (its history says which), or the run never had it." + NOTHING_RECORDED);
    }
    if (token != null && token.attempt() != pa.attempt) {
      return new DurableException("DURABLE-234", which + " is no longer pending: attempt " + pa.attempt + " "
          + attemptState(pa) + ". A timed out or failed attempt is retried with a new task token; this one's outcome"
          + " no longer counts." + NOTHING_RECORDED);
    }
    if (token == null && PendingActivity.BACKOFF.equals(pa.state)) {
      return new DurableException("DURABLE-234", which + " has no attempt running: attempt " + pa.attempt + " "
          + attemptState(pa) + "." + NOTHING_RECORDED + " Report on it once that attempt runs.");
    }
    return null;
  }

  /** What the current attempt of {@code pa} is doing, for messages. */
  private static String attemptState(PendingActivity pa) {
    return switch (pa.state) {
      case PendingActivity.STARTED -> "is running";
      case PendingActivity.SCHEDULED -> "waits for a worker";
      default -> "is due at " + pa.nextAttemptTime;
    };
  }

  /** A cancellation report without a cancellation request (DURABLE-235). */
  static DurableException noCancelRequest(ActivityAddress address, ExecutionState s, PendingActivity pa) {
    return new DurableException("DURABLE-235", "activity " + pa.seq + " (" + pa.activityType + ") attempt "
        + pa.attempt + " of workflow '" + s.workflowId + "' run " + s.runId + " cannot report its cancellation: the"
        + " workflow did not ask to cancel it." + NOTHING_RECORDED + " Complete or fail it instead, or heartbeat it"
        + " to learn when cancellation is requested.");
  }

  /** The failure of an attempt that reported its cancellation, with the reported details. */
  static FailureInfo canceled(PendingActivity pa, Payload details) {
    return new FailureInfo(FailureInfo.CANCELED, "dev.durable.failure.CanceledFailure", "activity " + pa.activityType
        + " attempt " + pa.attempt + " reported its cancellation", "", details, true, Map.of(), null);
  }

  /** Names the report in payload-limit errors. */
  static String what(String part, ExecutionState s, PendingActivity pa) {
    return "the " + part + " of activity " + pa.activityType + " (attempt " + pa.attempt + ") of workflow '"
        + s.workflowId + "' reported through ActivityCompletionClient";
  }

  /** The suffix of refusals of an external report: the caller can fix it and the attempt goes on. */
  static String refused() {
    return NOTHING_RECORDED + " The activity is still pending.";
  }

  private static DurableException notPending(ActivityAddress address, String why) {
    return new DurableException("DURABLE-234", "the activity of " + address.describe() + " is no longer pending: "
        + why);
  }
}
