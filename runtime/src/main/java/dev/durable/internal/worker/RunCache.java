package dev.durable.internal.worker;

import dev.durable.internal.replay.WorkflowRun;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sticky cache: runs kept in memory between workflow tasks so that a new task only feeds the
 * new events instead of replaying the history. Least recently used runs are evicted (their
 * threads unwound) when the cache is full; an evicted run is replayed when its next task comes.
 */
final class RunCache {
  private final int capacity;
  private final LinkedHashMap<String, WorkflowRun> runs = new LinkedHashMap<>(16, 0.75f, true);

  RunCache(int capacity) {
    this.capacity = capacity;
  }

  synchronized WorkflowRun get(String runId) {
    return runs.get(runId);
  }

  /** Removes {@code run} if it is the run cached for its id (another run of the id may have replaced it). */
  synchronized void remove(WorkflowRun run) {
    runs.remove(run.runId(), run);
  }

  /** Caches a run; returns the runs evicted to make room, which the caller destroys. */
  List<WorkflowRun> put(WorkflowRun run) {
    List<WorkflowRun> evicted = new ArrayList<>();
    synchronized (this) {
      WorkflowRun displaced = runs.put(run.runId(), run);
      // Two pollers may each have built a run of one workflow (a timed-out task retried elsewhere). The one not
      // kept must be unwound or its threads stay parked forever; one still in use is unwound by its user, who
      // finds that it is no longer the cached run.
      if (displaced != null && displaced != run && displaced.lock.tryLock()) {
        evicted.add(displaced);
      }
      Iterator<Map.Entry<String, WorkflowRun>> it = runs.entrySet().iterator();
      while (runs.size() > capacity && it.hasNext()) {
        WorkflowRun eldest = it.next().getValue();
        // A run in use by another task stays; it will be evicted on a later put.
        if (eldest != run && eldest.lock.tryLock()) {
          it.remove();
          evicted.add(eldest);
        }
      }
    }
    for (WorkflowRun r : evicted) {
      try {
        r.destroy();
      } finally {
        r.lock.unlock();
      }
    }
    return evicted;
  }

  synchronized int size() {
    return runs.size();
  }

  /** Removes and returns every run. */
  synchronized List<WorkflowRun> clear() {
    List<WorkflowRun> all = new ArrayList<>(runs.values());
    runs.clear();
    return all;
  }
}
