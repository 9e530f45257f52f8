package dev.durable.server;

import dev.durable.common.DurableException;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A store that fails on demand, the way a full or broken disk makes RocksDB fail: with
 * DURABLE-302. A write can fail before it reaches the store (nothing recorded, the usual case) or
 * after (recorded, but the caller is told it failed: a lost acknowledgement). Reads can fail too.
 * Build a server on it with {@code DurableServer.Builder.wrapStore}.
 */
final class FaultyStore implements Store {
  private final Store delegate;
  private volatile Predicate<Transition> failBefore = t -> false;
  private volatile Predicate<Transition> failAfter = t -> false;
  private volatile java.util.function.Consumer<String> beforeDelete = runId -> { };
  private volatile boolean failReads;
  private volatile boolean failReadsAfterFailedWrite;
  private volatile boolean failEventReads;
  /** How many faults were injected. */
  final AtomicInteger injected = new AtomicInteger();
  /** How many times {@link #awaitSynced} had to sync the log itself. */
  final AtomicInteger logSyncs = new AtomicInteger();
  /** Every write applied and every wait for the log's sync that returned, in order. */
  final List<Step> steps = new CopyOnWriteArrayList<>();

  /** A write the store applied, or (with {@code write} null) a wait for the log's sync that returned. */
  record Step(String thread, Transition write) {
    boolean appends(String eventType) {
      return write != null && write.newEvents().stream().anyMatch(e -> e.eventType().equals(eventType));
    }
  }

  FaultyStore(Store delegate) {
    this.delegate = delegate;
  }

  /** Makes writes that match fail without being applied (a full disk). */
  void failWrites(Predicate<Transition> which) {
    failBefore = which;
  }

  /**
   * Makes the writes that {@code fault} (asked at each write) matches fail, and lists every other
   * write as it is passed on: its event types in {@code writes}, whether it is synced in {@code synced}.
   */
  void failOrList(java.util.function.Supplier<Predicate<Transition>> fault, List<List<String>> writes,
      List<Boolean> synced) {
    failWrites(t -> {
      if (fault.get().test(t)) {
        return true;
      }
      writes.add(t.newEvents().stream().map(dev.durable.internal.model.HistoryEvent::eventType).toList());
      synced.add(t.durable());
      return false;
    });
  }

  /** Makes writes that match be applied and then reported as failed (an acknowledgement lost). */
  void failWritesAfterApplying(Predicate<Transition> which) {
    failAfter = which;
  }

  /** Makes every read fail. */
  void failReads() {
    failReads = true;
  }

  /** Makes reads of single events fail (as a retry's read of the failed run's start event). */
  void failEventReads() {
    failEventReads = true;
  }

  /** Makes every read fail once a write failed (a disk that is going). */
  void failReadsAfterAFailedWrite() {
    failReadsAfterFailedWrite = true;
  }

  /** Removes every fault. */
  void heal() {
    failBefore = t -> false;
    failAfter = t -> false;
    failReads = false;
    failReadsAfterFailedWrite = false;
    failEventReads = false;
  }

  /** Matches the changes of one workflow. */
  static Predicate<Transition> ofWorkflow(String workflowId) {
    return t -> t.state().workflowId.equals(workflowId);
  }

  /** Matches the changes of one workflow that append an event of {@code eventType}. */
  static Predicate<Transition> appending(String workflowId, String eventType) {
    return t -> t.state().workflowId.equals(workflowId)
        && t.newEvents().stream().anyMatch(e -> e.eventType().equals(eventType));
  }

  @Override
  public long apply(Transition t) {
    if (failBefore.test(t)) {
      failReads |= failReadsAfterFailedWrite;
      throw fault("writing workflow '" + t.state().workflowId + "'");
    }
    long mark = delegate.apply(t);
    record(t);
    if (failAfter.test(t)) {
      throw fault("syncing the write of workflow '" + t.state().workflowId + "'");
    }
    return mark;
  }

  @Override
  public long applyAll(List<Transition> ts) {
    for (Transition t : ts) {
      if (failBefore.test(t)) {
        failReads |= failReadsAfterFailedWrite;
        throw fault("writing workflow '" + t.state().workflowId + "'");
      }
    }
    long mark = delegate.applyAll(ts);
    ts.forEach(this::record);
    for (Transition t : ts) {
      if (failAfter.test(t)) {
        throw fault("syncing the write of workflow '" + t.state().workflowId + "'");
      }
    }
    return mark;
  }

  private void record(Transition write) {
    steps.add(new Step(Thread.currentThread().getName(), write));
  }

  private DurableException fault(String what) {
    injected.incrementAndGet();
    return new DurableException("DURABLE-302", what + " failed: IOError: No space left on device (injected)");
  }

  private void checkRead() {
    if (failReads) {
      throw fault("reading");
    }
  }

  @Override
  public List<HistoryEvent> readHistory(String runId, long fromEventId) {
    checkRead();
    return delegate.readHistory(runId, fromEventId);
  }

  @Override
  public Optional<HistoryEvent> readEvent(String runId, long eventId) {
    checkRead();
    if (failEventReads) {
      throw fault("reading event " + eventId + " of run " + runId);
    }
    return delegate.readEvent(runId, eventId);
  }

  @Override
  public Optional<ExecutionState> readExecution(String runId) {
    checkRead();
    return delegate.readExecution(runId);
  }

  @Override
  public Optional<String> currentRunId(String workflowId) {
    checkRead();
    return delegate.currentRunId(workflowId);
  }

  @Override
  public void forEachRunToRecover(Consumer<ExecutionState> consumer) {
    checkRead();
    delegate.forEachRunToRecover(consumer);
  }

  @Override
  public void forEachExecution(Consumer<ExecutionState> consumer) {
    checkRead();
    delegate.forEachExecution(consumer);
  }

  @Override
  public VisibilityPage listRuns(dev.durable.internal.model.VisibilityQuery query) {
    checkRead();
    return delegate.listRuns(query);
  }

  @Override
  public long countRuns(dev.durable.internal.model.VisibilityQuery query) {
    checkRead();
    return delegate.countRuns(query);
  }

  @Override
  public List<String> verifyIndexes(ExecutionState state) {
    checkRead();
    return delegate.verifyIndexes(state);
  }

  @Override
  public List<ClosedRun> closedRuns(java.time.Instant closedBy, ClosedRun after, int limit) {
    checkRead();
    return delegate.closedRuns(closedBy, after, limit);
  }

  @Override
  public boolean deleteRun(String runId) {
    beforeDelete.accept(runId);
    return delegate.deleteRun(runId);
  }

  /** Calls {@code hook} with each run before it is deleted (a crash test holds the deletions there). */
  void beforeDelete(java.util.function.Consumer<String> hook) {
    this.beforeDelete = hook;
  }

  @Override
  public long syncMark() {
    return delegate.syncMark();
  }

  @Override
  public boolean awaitSynced(long mark, Duration patience) {
    boolean synced = delegate.awaitSynced(mark, patience);
    if (synced) {
      logSyncs.incrementAndGet();
    }
    record(null);
    return synced;
  }

  @Override
  public void backup(Path target) {
    delegate.backup(target);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
