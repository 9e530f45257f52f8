package dev.durable.client;

/**
 * Whether a workflow id may be started again, set with
 * {@link WorkflowOptions.Builder#setWorkflowIdReusePolicy}. Whatever the policy, only one run per
 * id runs at a time; the policy decides what a start does when the id was used before. The
 * server checks it and starts the run in one step, so two clients starting the same id at once
 * cannot both pass it.
 */
public enum WorkflowIdReusePolicy {
  /**
   * The id may start again once its latest run has closed, however it closed. A start while a
   * run is running throws {@link WorkflowAlreadyStartedException} (DURABLE-208). The default.
   */
  ALLOW_DUPLICATE,
  /**
   * The id may start again only if its latest run did not succeed: it failed, was canceled,
   * terminated or timed out. After a {@link WorkflowStatus#COMPLETED} run, a start throws
   * {@link WorkflowAlreadyStartedException} (DURABLE-226). Use it for work that must succeed once.
   */
  ALLOW_DUPLICATE_FAILED_ONLY,
  /**
   * The id is never started again once used, even after its run closed: a start throws
   * {@link WorkflowAlreadyStartedException} (DURABLE-226).
   */
  REJECT_DUPLICATE,
  /**
   * A start terminates the running run of the id, if any (recording the reason in its history),
   * and then starts the new run. A closed id starts again as with {@link #ALLOW_DUPLICATE}.
   */
  TERMINATE_IF_RUNNING
}
