package dev.durable.internal.server;

import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An open run held in memory by the server. Its monitor serialises every change to the run;
 * different runs change concurrently, so their synced writes share fsyncs.
 */
final class Execution {
  /** The current state; replaced by a fresh read when a write fails. */
  ExecutionState state;
  /** Completed when the run closes. */
  final CompletableFuture<ExecutionState> closed = new CompletableFuture<>();
  /** Queries held until the pending workflow task has run, so they see every accepted event. */
  final List<Runnable> waitingQueries = new ArrayList<>();
  /** The newest written events, handed to the next workflow task without a store read. */
  final EventTail tail = new EventTail();
  /**
   * Events already applied to {@link #state} and in {@link #tail}, but not yet written: an
   * activity's result handed straight to the workflow task the same thread runs next. The run's
   * next write writes them first, and everything that shows the run to the outside writes them
   * before it does.
   */
  final List<HistoryEvent> unwritten = new ArrayList<>();
  /** Activity completions among {@link #unwritten}: counted once written ({@link Counters}). */
  int keptCompletions;
  /**
   * A new run's first events while its start is not yet written: its first workflow task was queued
   * where a poller takes it at once, and that task's completion writes the start with its own
   * events (the starting call waits for that, briefly). Null once written. The run's next write,
   * whichever it is, writes them first, before {@link #unwritten}.
   */
  List<HistoryEvent> unwrittenStart;
  /**
   * Set while {@link #unwrittenStart} is kept for a starting call that waits for the run's result
   * (not for its start): the timer that writes the start if the first task has not by then.
   */
  TimerService.Armed keptStartTimeout;
  /** Why writing {@link #unwrittenStart} failed: the run was dropped, and its start fails with this. */
  RuntimeException startFailure;
  /** Whether the starting call waits for the first task to write {@link #unwrittenStart}. */
  boolean startWaiting;
  /**
   * Whether the starting call runs the first task itself (eager start): it waits for the whole
   * chain of steps that task begins, so a timer bounds how long the start's write stays unsynced.
   */
  boolean eagerStart;
  /**
   * When that task's completion wrote the start without a sync: the store's sync mark for that
   * write, which the starting call waits to see on disk before it acknowledges the start. -1 otherwise.
   */
  long startSyncMark = -1;
  /** The timeout of the started workflow task, cancelled when the task ends in time. */
  TimerService.Armed taskTimeout;
  /** The start-to-close timeouts of started activity attempts, by activity seq, cancelled when they end. */
  final Map<Integer, TimerService.Armed> attemptTimeouts = new HashMap<>();

  /** Cancels the started workflow task's timeout: the task ended. */
  void disarmTaskTimeout() {
    if (taskTimeout != null) {
      taskTimeout.cancel();
      taskTimeout = null;
    }
  }

  /** Cancels the start-to-close timeout of activity {@code seq}'s attempt: it ended. */
  void disarmAttemptTimeout(int seq) {
    TimerService.Armed armed = attemptTimeouts.remove(seq);
    if (armed != null) {
      armed.cancel();
    }
  }

  Execution(ExecutionState state) {
    this.state = state;
  }
}
