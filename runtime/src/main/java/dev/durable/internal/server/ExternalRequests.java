package dev.durable.internal.server;

import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import java.util.Map;

/** What the server records about the signals and cancel requests a run sends to other workflows. */
final class ExternalRequests {
  /** Failure type of a request that found no open run with the workflow id. */
  static final String NOT_FOUND = "dev.durable.client.WorkflowNotFoundException";

  private ExternalRequests() {}

  /**
   * The failure a sender sees when no open run has {@code workflowId}: there is none with the id
   * ({@code latestRunId} null), or its latest run is closed; or the run it named ({@code runId}) is
   * closed or not one of the id's.
   */
  static FailureInfo notDelivered(String workflowId, String runId, boolean signal, String latestRunId) {
    String what = signal ? "the signal" : "the cancel request";
    String why = runId != null ? "its run " + runId + " is closed, or is not a run of this workflow id"
        : latestRunId == null ? "no workflow with this id exists"
        : "its latest run (" + latestRunId + ") is closed";
    return new FailureInfo(FailureInfo.APPLICATION, NOT_FOUND, "DURABLE-247 " + what + " to workflow '" + workflowId
        + "' was not delivered: " + why + ". Check the id, or whether the workflow may have finished first.", "", null,
        true, Map.of(), null);
  }

  /** Whether {@code e} is the signal {@code sender} sent. */
  static boolean from(HistoryEvent e, EventAttributes.ExternalSender sender) {
    return e.attributes() instanceof EventAttributes.WorkflowExecutionSignaled s && sender.equals(s.sender());
  }
}
