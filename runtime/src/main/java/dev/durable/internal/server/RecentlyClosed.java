package dev.durable.internal.server;

import dev.durable.internal.model.ExecutionState;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The final states of the runs that closed last, kept after they leave the open runs, so that a
 * client that asks for a result just after the close (a start's caller often does: its thread
 * wakes after the workflow, if the workflow is quick) gets it without reading and decoding the
 * stored state. Each is the state the close wrote; at most {@code capacity} are kept, the oldest
 * dropped first.
 */
final class RecentlyClosed {
  private final ConcurrentHashMap<String, ExecutionState> byRun = new ConcurrentHashMap<>();
  private final String[] order;
  private int next; // guarded by this

  RecentlyClosed(int capacity) {
    order = new String[capacity];
  }

  /** Keeps {@code s}, a closed run's written state, dropping the oldest kept one if full. */
  synchronized void add(ExecutionState s) {
    String dropped = order[next];
    if (dropped != null) {
      byRun.remove(dropped);
    }
    order[next] = s.runId;
    next = (next + 1) % order.length;
    byRun.put(s.runId, s);
  }

  /** Returns the closed run's state, or null when it is not kept here. */
  ExecutionState get(String runId) {
    return byRun.get(runId);
  }
}
