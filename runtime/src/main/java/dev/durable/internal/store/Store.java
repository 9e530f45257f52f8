package dev.durable.internal.store;

import dev.durable.common.DurableException;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.VisibilityQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the server keeps histories and mutable state. Every change is one atomic
 * {@link Transition}. RocksDB is the embedded default; no storage-engine type crosses this
 * interface, so other stores (a shared SQL database) can implement it.
 *
 * <p>Failures are reported as {@link dev.durable.common.DurableException} with a
 * {@code DURABLE-3xx} code; a failed {@link #apply} leaves nothing of the transition behind.
 */
public interface Store extends AutoCloseable {

  /**
   * Atomically writes the new state of a run together with its new events.
   *
   * @return a {@link #syncMark()} taken just after the write: a write made without a sync is on
   *     disk once {@link #awaitSynced} of it returns
   */
  long apply(Transition transition);

  /**
   * Atomically writes several transitions of different runs in one write: a run that ends and the
   * run that continues it, or a child run and the parent's record of its start. Either all of
   * them are recorded or none. Returns a sync mark taken just after the write, as {@link #apply}.
   */
  long applyAll(List<Transition> transitions);

  /**
   * A mark in the order of writes, for {@link #awaitSynced}: it stands for every write that
   * returned before it was taken.
   */
  long syncMark();

  /**
   * Waits until the writes {@code mark} stands for are on disk: carried there by a synced write
   * that began after the mark was taken, or, when none has finished within {@code patience}, by
   * syncing the log itself. A write made without a sync is so acknowledged with the next synced
   * one instead of paying an fsync of its own. Returns at once under durability ASYNC, where no
   * write is synced.
   *
   * @return whether it had to sync the log itself
   */
  boolean awaitSynced(long mark, Duration patience);

  /** Reads a run's events with ids from {@code fromEventId} on, in order. */
  List<HistoryEvent> readHistory(String runId, long fromEventId);

  /** Reads one event. */
  Optional<HistoryEvent> readEvent(String runId, long eventId);

  /** Reads the mutable state of a run. */
  Optional<ExecutionState> readExecution(String runId);

  /** Returns the id of the latest run of a workflow id. */
  Optional<String> currentRunId(String workflowId);

  /**
   * Calls {@code consumer} with every run a starting server must load: the running runs, and the
   * closed ones that still have a request to another workflow to deliver (see {@link #toRecover}).
   */
  void forEachRunToRecover(Consumer<ExecutionState> consumer);

  /**
   * Whether a starting server must load the run: it is running, or the server closed it
   * (terminated it, timed it out, reset it) while one of its signals or cancel requests to another
   * workflow was still being delivered. A store keeps an index of these runs, kept up to date by
   * every write of a run's state.
   */
  static boolean toRecover(ExecutionState s) {
    return !s.status.isClosed() || !s.externalRequests.isEmpty();
  }

  /**
   * Registers what to call when another server takes this store over while this one serves. A
   * store that others can take over (PostgreSQL) checks on its own every few seconds, so that an
   * idle server notices too; the listener gets its DURABLE-311 error. A data dir cannot be taken
   * over: by default nothing is called.
   */
  default void onTakenOver(Consumer<DurableException> listener) {}

  /** Calls {@code consumer} with every run, open or closed. */
  void forEachExecution(Consumer<ExecutionState> consumer);

  /**
   * Returns one page of the runs that meet {@code query}, newest first by start time, answered
   * from indexes the store keeps in the same atomic write as each transition (never from
   * histories). Fails with DURABLE-255 when the page token is not one this query's pages gave.
   */
  VisibilityPage listRuns(VisibilityQuery query);

  /** Returns how many runs meet {@code query}, counted on the indexes. */
  long countRuns(VisibilityQuery query);

  /**
   * Checks that the listing indexes hold exactly what {@code state} implies for its run (its
   * summary and one entry per index); returns one sentence per disagreement.
   */
  List<String> verifyIndexes(ExecutionState state);

  /**
   * Returns up to {@code limit} runs that closed at or before {@code closedBy}, from the listing's
   * close-time index, the earliest closed first, continuing after {@code after} (a run an earlier
   * call returned; null to begin with the earliest).
   */
  List<ClosedRun> closedRuns(Instant closedBy, ClosedRun after, int limit);

  /**
   * Deletes a closed run in one write: its history, its state, its listing entries, and its
   * workflow id's mapping when it is that id's latest run (a later start of the id then finds no
   * earlier run). The write is not synced: a crash may undo it, and the caller deletes again. The
   * caller keeps the id's starts out meanwhile. Fails with DURABLE-229 for a run that is still
   * open.
   *
   * @return false when the run is not stored
   */
  boolean deleteRun(String runId);

  /** Writes a consistent copy of the store into {@code target}, a directory that must not exist. */
  void backup(Path target);

  @Override
  void close();

  /**
   * One atomic change to a run.
   *
   * @param state the run's whole new mutable state
   * @param newEvents events to append, with ids continuing the history
   * @param newRun whether this starts the run, making it the latest of its workflow id
   * @param durable whether the write must be synced to disk before returning (subject to the
   *     server's durability setting); progress-only writes such as heartbeats pass false, and so
   *     does a write whose caller waits for a later synced write instead ({@link #awaitSynced})
   */
  record Transition(ExecutionState state, List<HistoryEvent> newEvents, boolean newRun, boolean durable) {}

  /**
   * A closed run as the close-time index holds it.
   *
   * @param runId the run
   * @param closeTime when it closed
   * @param startTime when it started
   */
  record ClosedRun(String runId, Instant closeTime, Instant startTime) {}

  /**
   * A page of run ids and how much work finding them took.
   *
   * @param runIds the runs, newest first by start time
   * @param nextPageToken the next page's token, or null on the last page
   * @param keysRead index entries read (the planner's probes included)
   * @param summariesRead run summaries read to check conditions the chosen index does not cover
   */
  record VisibilityPage(List<String> runIds, String nextPageToken, long keysRead, long summariesRead) {}
}
