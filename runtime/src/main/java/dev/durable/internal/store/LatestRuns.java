package dev.durable.internal.store;

import dev.durable.internal.store.Store.Transition;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest run of each workflow id whose run a store wrote since it was opened, so that
 * {@link Store#currentRunId} answers without a read for the runs this process starts (a start,
 * then the client waiting for its result, asked for it twice per workflow). Both stores keep one.
 *
 * <p>It is only a copy of what is stored. The stored mapping changes
 * only in a write with a transition that starts a run ({@link Transition#newRun()}: a start, a
 * child, a continue-as-new, a retry); an entry is set after such a write succeeded, in the order
 * of the batch (a later run of one id wins), and forgotten when a write failed (a failed write may
 * still have been recorded). Two writes that make runs of one workflow id current are ordered by
 * the server (the id's start lock, or the lock of the run that continues), and the entry is set
 * before {@code apply} returns, so a later write's entry cannot be overtaken by an earlier one.
 * Ids without an entry, and every id after a restart or a reopen, are read from the store. At
 * most {@value #MAX_IDS} ids are kept: at that size the map is emptied and fills again.
 */
public final class LatestRuns {
  public static final int MAX_IDS = 50_000;

  private final ConcurrentHashMap<String, String> byWorkflowId = new ConcurrentHashMap<>();

  /** Returns the latest run of the id, or null when it is not known here. */
  public String get(String workflowId) {
    return byWorkflowId.get(workflowId);
  }

  /** Records the runs a successful write started. */
  public void recorded(List<Transition> transitions) {
    for (Transition t : transitions) {
      if (t.newRun()) {
        if (byWorkflowId.size() >= MAX_IDS) {
          byWorkflowId.clear();
        }
        byWorkflowId.put(t.state().workflowId, t.state().runId);
      }
    }
  }

  /** Forgets the ids whose runs a failed write may or may not have started. */
  public void forget(List<Transition> transitions) {
    for (Transition t : transitions) {
      if (t.newRun()) {
        byWorkflowId.remove(t.state().workflowId);
      }
    }
  }

  /** Forgets the id's latest run if it is {@code runId} (a run that was deleted). */
  public void forget(String workflowId, String runId) {
    byWorkflowId.remove(workflowId, runId);
  }

  /** Forgets every id. */
  public void clear() {
    byWorkflowId.clear();
  }

  /** Returns how many ids are known. */
  public int size() {
    return byWorkflowId.size();
  }
}
