package dev.durable.client;

import java.util.List;

/**
 * What {@link WorkflowClient#verifyHistory(String)} found in the stored history and state of a
 * workflow's latest run. An empty problem list means the history is well formed and the stored
 * state is exactly what the history implies.
 *
 * @param workflowId the workflow id
 * @param runId the run that was checked
 * @param eventCount the number of events in its history
 * @param problems one sentence per problem found, naming the event id where there is one
 */
public record HistoryVerification(String workflowId, String runId, long eventCount, List<String> problems) {

  /** Creates the result; the problem list is copied. */
  public HistoryVerification {
    problems = List.copyOf(problems);
  }

  /** Returns whether no problem was found. */
  public boolean isValid() {
    return problems.isEmpty();
  }
}
