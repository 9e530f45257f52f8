package dev.durable.internal.server;

import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The final states of the runs that closed last, kept after they leave the open runs, so that a
 * client that asks for a result just after the close (a start's caller often does: its thread
 * wakes after the workflow, if the workflow is quick) gets it without reading and decoding the
 * stored state. Each is the state the close wrote; at most {@code capacity} are kept, the oldest
 * dropped first, and only states whose result or failure is small ({@value #MAX_KEPT_BYTES} bytes
 * at most), so that a burst of large results does not pin much memory.
 */
final class RecentlyClosed {
  static final int MAX_KEPT_BYTES = 16 * 1024;
  private final ConcurrentHashMap<String, ExecutionState> byRun = new ConcurrentHashMap<>();
  private final String[] order;
  private int next; // guarded by this

  RecentlyClosed(int capacity) {
    order = new String[capacity];
  }

  /** Keeps {@code s}, a closed run's written state, dropping the oldest kept one if full; a large one is not kept. */
  synchronized void add(ExecutionState s) {
    if (weight(s) > MAX_KEPT_BYTES) {
      return;
    }
    String dropped = order[next];
    if (dropped != null) {
      byRun.remove(dropped);
    }
    order[next] = s.runId;
    next = (next + 1) % order.length;
    byRun.put(s.runId, s);
  }

  /** About how many bytes the state's outcome holds: its result, or its failure's texts and details. */
  private static long weight(ExecutionState s) {
    long n = s.result == null ? 0 : s.result.data().length;
    for (FailureInfo f = s.failure; f != null && n <= MAX_KEPT_BYTES; f = f.cause()) {
      n += length(f.message()) + length(f.stackTrace()) + (f.details() == null ? 0 : f.details().data().length);
    }
    return n;
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }

  /** Forgets a run that was deleted. */
  void remove(String runId) {
    byRun.remove(runId);
  }

  /** Returns the closed run's state, or null when it is not kept here. */
  ExecutionState get(String runId) {
    return byRun.get(runId);
  }
}
