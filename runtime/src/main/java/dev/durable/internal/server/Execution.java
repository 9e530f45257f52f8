package dev.durable.internal.server;

import dev.durable.internal.model.ExecutionState;
import java.util.ArrayList;
import java.util.List;
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

  Execution(ExecutionState state) {
    this.state = state;
  }
}
