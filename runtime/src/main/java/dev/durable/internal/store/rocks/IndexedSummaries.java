package dev.durable.internal.store.rocks;

import dev.durable.internal.model.RunSummary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The summary the listing indexes hold for each open run, as of the last successful write of that
 * run, so that a transition finds what to change in the indexes (usually nothing) without reading
 * and decoding the stored summary.
 *
 * <p>It is only ever a copy of what is stored: an entry is set after its write succeeded, a run
 * whose write failed is forgotten (a failed write may still have been recorded), and so is a run
 * once it closes (closed runs are rarely written again). A run that has no entry is read from the
 * store, as is every run after a restart. Writes of one run are serialised by the caller (the
 * server holds the run's lock), so its entry cannot be overtaken by an older one. At most
 * {@value #MAX_RUNS} runs are kept; beyond that new runs go without an entry.
 */
final class IndexedSummaries {
  static final int MAX_RUNS = 100_000;

  private final ConcurrentHashMap<String, RunSummary> byRun = new ConcurrentHashMap<>();

  /** Returns what the indexes hold for the run, or null when it is not known here. */
  RunSummary get(String runId) {
    return byRun.get(runId);
  }

  /** Records the summaries of a write that succeeded. */
  void recorded(Map<String, RunSummary> summaries) {
    for (Map.Entry<String, RunSummary> e : summaries.entrySet()) {
      String runId = e.getKey();
      if (e.getValue().status().isClosed()) {
        byRun.remove(runId);
      } else if (byRun.size() < MAX_RUNS || byRun.containsKey(runId)) {
        byRun.put(runId, e.getValue());
      }
    }
  }

  /** Forgets a run: its next write reads what the indexes hold from the store. */
  void forget(String runId) {
    byRun.remove(runId);
  }

  /** Forgets every run. */
  void clear() {
    byRun.clear();
  }

  /** Returns how many runs are known. */
  int size() {
    return byRun.size();
  }
}
