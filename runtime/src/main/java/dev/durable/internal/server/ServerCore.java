package dev.durable.internal.server;

import dev.durable.client.HistoryVerification;
import dev.durable.client.ResetPoint;
import dev.durable.client.WorkflowAlreadyStartedException;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowExecution;
import dev.durable.client.WorkflowIdReusePolicy;
import dev.durable.client.WorkflowNotFoundException;
import dev.durable.client.WorkflowPage;
import dev.durable.client.WorkflowQueryException;
import dev.durable.client.WorkflowStatus;
import dev.durable.client.WorkflowUpdateException;
import dev.durable.common.DurableException;
import dev.durable.failure.TimeoutType;
import dev.durable.internal.Checks;
import dev.durable.internal.CronSchedule;
import dev.durable.internal.Deadlines;
import dev.durable.internal.LazyLogger;
import dev.durable.internal.failure.Failures;
import dev.durable.internal.model.Command;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.EventAttributes.ActivityTaskScheduled;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.model.PendingChild;
import dev.durable.internal.model.RunLinks;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.model.SearchAttributes;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.sandbox.SandboxState;
import dev.durable.internal.service.TaskRejectedException;
import dev.durable.internal.service.TaskTokens;
import dev.durable.internal.service.WorkflowService;
import dev.durable.internal.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The brain: turns requests into atomic transitions of runs, keeps the ready-task queues and the
 * timers, and rebuilds both from the store on start.
 */
public final class ServerCore implements WorkflowService, AutoCloseable {
  private static final System.Logger LOG = LazyLogger.of(ServerCore.class);
  private static final Duration MAX_TASK_BACKOFF = Duration.ofSeconds(10);
  /**
   * How long a run waits before its pending work runs again after a failed write: a full disk
   * stays full for a while, and retrying at once would spin (and re-run activities) meanwhile.
   */
  static final Duration STORAGE_RETRY_DELAY = Duration.ofSeconds(1);

  private final Store store;
  private final Clock clock;
  private final Limits limits;
  private final TimerService timers;
  private final Map<String, Execution> open = new ConcurrentHashMap<>();
  private final Map<String, DispatchQueue<Object>> workflowQueues = new ConcurrentHashMap<>();
  private final Map<String, DispatchQueue<ActivityRef>> activityQueues = new ConcurrentHashMap<>();
  private final Set<String> releasedPollers = ConcurrentHashMap.newKeySet();
  private final Map<Long, CompletableFuture<QueryResult>> pendingQueries = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();
  /** Follow-ups scheduled or running: work in flight that a time-skipping test must wait for. */
  private final java.util.concurrent.atomic.AtomicInteger followUps = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong runsRegistered = new java.util.concurrent.atomic.AtomicLong();
  private final Object[] startLocks = new Object[64];
  /** The runs that closed last, for clients asking for a result just after the close. */
  private final RecentlyClosed recentlyClosed = new RecentlyClosed(1024);
  // Guards the store against use after close: RocksDB crashes the JVM on a closed handle.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;
  /** Set when a storage failure made the server stop serving. */
  private volatile RuntimeException stoppedBy;
  private final CompletableFuture<RuntimeException> stoppedItself = new CompletableFuture<>();
  private volatile Runnable changeListener = () -> { };

  private record ActivityRef(String runId, int seq, int attempt) {}

  private record QueryRef(String runId, QueryTask query) {}

  private record UpdateRef(String runId, UpdateTask update) {}

  private final Updates updates = new Updates();
  private final Counters counters = new Counters();
  /** How long a start waits by default for its first task's completion to write both, before writing itself alone. */
  static final Duration FIRST_TASK_WAIT = Duration.ofMillis(2);
  /** The wait this server uses (see {@link #handFirstTaskOver}); zero: every start is written alone. */
  private volatile Duration firstTaskWait = FIRST_TASK_WAIT;
  /** How long a start kept for its waiting caller may stay unwritten (see {@link #keepStartForResult}). */
  public static final Duration KEPT_START_LIMIT = Duration.ofSeconds(1);
  /**
   * Starts written without a sync whose starting calls still wait for a later synced write (see
   * {@link #persist}): what shows runs to the outside syncs them first ({@link #syncStarts}).
   */
  private final AtomicInteger unsyncedStarts = new AtomicInteger();
  /** Starts being kept for their callers' results now, between arming their timers and registering their runs. */
  private final AtomicInteger keepingStarts = new AtomicInteger();
  /** Whether the timer thread fired a timer since its last sync ({@link #fireTimer}); only that thread uses it. */
  private boolean firedUnsynced;
  /** The task the calling thread takes itself, while it completes a task that way. */
  private final ThreadLocal<Held> held = new ThreadLocal<>();
  /** The workers in this process by task queue, for eager first tasks ({@link #startForResult}). */
  private final Map<String, List<LocalWorker>> localWorkers = new ConcurrentHashMap<>();
  /** How long closed runs are kept; null: for good. */
  private Duration retention;
  /** Where the sweep of closed runs goes on: after this run, or from the earliest closed when null. */
  private Store.ClosedRun sweptUpTo;
  /** Runs whose start is kept unwritten for their waiting caller, by workflow id (see {@link #keepStartForResult}). */
  private final Map<String, Execution> startsKeptForResult = new ConcurrentHashMap<>();

  public ServerCore(Store store, Clock clock, Limits limits) {
    this.store = store;
    this.clock = clock;
    this.limits = limits;
    this.timers = new TimerService(clock);
    timers.onBatchEnd(this::syncFiredTimers);
    for (int i = 0; i < startLocks.length; i++) {
      startLocks[i] = new Object();
    }
  }

  /**
   * Loads every open run, queues its due work and arms its timers, then starts the timer thread.
   * A run the server closed while one of its requests to another workflow was in flight has that
   * request delivered again.
   */
  public void recover() {
    store.forEachRunToRecover(s -> {
      Execution ex = new Execution(s);
      if (s.status.isClosed()) {
        // Not served: only its requests are left to deliver (the delivery looks for them first).
        for (int seq : s.externalRequests.keySet()) {
          followUp(() -> deliverExternal(ex, seq, true));
        }
        return;
      }
      open.put(s.runId, ex);
      synchronized (ex) {
        rearm(s, null);
      }
    });
    if (retention != null) {
      // Queued after the follow-ups rearm queued, which run first: some read a closed run the sweep
      // may delete (a closed parent, whose children's close policy a crash left unapplied).
      followUp(this::sweepClosedRuns);
    }
    timers.start();
    store.onTakenOver(this::stopIfStoreLost); // an idle server learns of it too, not only at its next write
    if (!open.isEmpty()) { // a fresh data dir's start need not set up the logging back end for nothing
      LOG.log(System.Logger.Level.DEBUG, "recovered {0} open runs", open.size());
    }
  }

  /**
   * Queues a run's pending work and arms its timers from its stored state: on start, and after a
   * failed write replaced the in-memory state by the stored one (which dropped what was queued or
   * armed for it). Work that is due runs at {@code notBefore}, or at once when it is null. Call
   * with the run's lock held; entries armed twice are harmless, as each checks the state when it
   * fires.
   */
  private void rearm(ExecutionState s, Instant notBefore) {
    Instant now = now();
    if (s.workflowTaskPending) {
      if (s.firstTaskAt != null && s.lastCompletedTaskEventId == 0 && s.firstTaskAt.isAfter(now)) {
        // A retried run's backoff holds across restarts.
        scheduleWorkflowTask(s, later(s.firstTaskAt, notBefore));
      } else {
        // A failing task runs again at once after a restart: new code is the usual reason for one.
        Instant at = notBefore == null || s.workflowTaskRetryAt == null ? notBefore
            : later(s.workflowTaskRetryAt, notBefore);
        if (at != null && at.isAfter(now)) {
          // It waits like a retry: not started before then, and idle meanwhile for time skipping.
          s.workflowTaskRetryAt = at;
        }
        scheduleWorkflowTask(s, at);
      }
    }
    // What a crash or a failed write may have cut off between the writes of two runs: a child
    // initiated but not started, a child that closed before its parent heard of it, a child whose
    // parent closed. Each follow-up checks the stored state, so one that is not needed does nothing.
    Instant at = notBefore == null ? now : notBefore;
    String runId = s.runId;
    for (PendingChild c : s.children.values()) {
      if (PendingChild.INITIATED.equals(c.state)) {
        followUp(at, () -> startChild(runId, c.seq));
      } else {
        followUp(at, () -> reportChainEnd(c.runId));
        if (!c.signalsToDeliver.isEmpty()) {
          followUp(at, () -> deliverChildSignals(runId, c.seq));
        }
        if (c.cancelRequested) {
          followUp(at, () -> cancelChild(runId, c.runId));
        }
      }
    }
    if (s.links.parentRunId() != null && !"ABANDON".equals(s.links.parentClosePolicy())) {
      followUp(at, () -> applyParentCloseIfClosed(runId));
    }
    // A signal or cancel request to another workflow whose outcome is not recorded: it may have
    // been delivered already, which the re-driven delivery checks.
    for (int seq : s.externalRequests.keySet()) {
      followUp(at, () -> {
        Execution source = open.get(runId);
        if (source != null) {
          deliverExternal(source, seq, true);
        }
      });
    }
    armActivitiesAndTimers(s, notBefore);
    // A deadline that passed while the server was down fires at once.
    armRunTimeout(s);
  }

  /** Dispatches a run's pending activities (or arms their retries) and arms its timers; see {@link #rearm}. */
  private void armActivitiesAndTimers(ExecutionState s, Instant notBefore) {
    Instant now = now();
    for (PendingActivity pa : s.activities.values()) {
      armScheduleToClose(s, pa);
      if (PendingActivity.BACKOFF.equals(pa.state)) {
        timers.schedule(later(pa.nextAttemptTime, notBefore), () -> retryActivity(s.runId, pa.seq, pa.attempt));
      } else if (PendingActivity.STARTED.equals(pa.state) && pa.awaitingCompletionSince != null) {
        // Its method returned; it waits for its task token (or its timeouts), wherever it ran.
        armAttempt(open.get(s.runId), pa, pa.awaitingCompletionSince);
      } else if (notBefore == null) {
        // The process that ran it is gone: dispatch again now rather than wait for a timeout.
        pa.state = PendingActivity.SCHEDULED;
        pa.attemptScheduledTime = now;
        enqueueActivity(s, pa);
      } else {
        // Its attempt may be running, but its result may also have been lost with the failed write.
        pa.state = PendingActivity.BACKOFF;
        pa.nextAttemptTime = notBefore;
        timers.schedule(notBefore, () -> retryActivity(s.runId, pa.seq, pa.attempt));
      }
    }
    s.timers.forEach((seq, fireAt) -> timers.schedule(later(fireAt, notBefore), () -> fireTimer(s.runId, seq)));
  }

  private static Instant later(Instant a, Instant b) {
    return b == null || a.isAfter(b) ? a : b;
  }

  // ---------------------------------------------------------------- clients

  @Override
  public StartResponse start(StartRequest r) {
    return startOrSignal(r, null, null, false);
  }

  /**
   * A start for a caller that waits for the result next. When a worker of the task queue runs in
   * this process and has room ({@link LocalWorker#reserve}), the run's first workflow task is not
   * queued for a poller: it is started for the calling thread, which runs it with that worker
   * before returning (eager start), so no poller is woken for it. The start is then kept unwritten
   * ({@link #keepStartForResult}) and that task's completion writes both.
   */
  @Override
  public StartResponse startForResult(StartRequest r) {
    LocalWorker worker = reserveLocalWorker(r.taskQueue(), r.workflowType());
    if (worker == null) {
      return startOrSignal(r, null, null, true);
    }
    StartResponse[] started = new StartResponse[1];
    Optional<WorkflowTask> first;
    Held mine = new Held(r.taskQueue(), false);
    try {
      mine.workflowId = r.workflowId(); // not a task the start makes ready for another run (a terminated one's parent)
      first = holding(mine, () -> started[0] = startOrSignal(r, null, null, true), m -> startWorkflowTask(m.runId));
    } catch (RuntimeException | Error e) {
      worker.release();
      throw e;
    }
    if (first.isEmpty()) {
      worker.release();
      return started[0];
    }
    worker.run(first.get());
    // The first task's completion wrote the start without a sync, as for a start that waits for it
    // (see persist): acknowledged once on disk, usually carried there by the run's next synced write.
    // Should that write have failed, the start fails, as it would have for its wait for the result.
    Execution ex = mine.eagerRun;
    if (ex == null) {
      return started[0];
    }
    long syncMark;
    synchronized (ex) {
      ex.startWaiting = false;
      syncMark = takeStartOutcome(ex);
    }
    if (syncMark >= 0) {
      awaitStartSynced(syncMark, System.nanoTime() + firstTaskWait.toNanos());
    }
    return started[0];
  }

  /** A worker of {@code taskQueue} in this process with room for one eager first task, reserved; or null. */
  private LocalWorker reserveLocalWorker(String taskQueue, String workflowType) {
    List<LocalWorker> workers = localWorkers.get(taskQueue);
    if (workers == null || firstTaskWait.isZero() || SandboxState.hooks() != null) {
      return null; // no eager start from workflow code, nor with combined writes off
    }
    for (LocalWorker w : workers) {
      if (w.reserve(workflowType)) {
        return w;
      }
    }
    return null;
  }

  @Override
  public void addLocalWorker(String taskQueue, LocalWorker worker) {
    localWorkers.computeIfAbsent(taskQueue, q -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(worker);
  }

  @Override
  public void removeLocalWorker(String taskQueue, LocalWorker worker) {
    List<LocalWorker> workers = localWorkers.get(taskQueue);
    if (workers != null) {
      workers.remove(worker);
    }
  }

  @Override
  public StartResponse signalWithStart(StartRequest r, String signalName, List<Payload> signalInput) {
    Checks.name("signalName", signalName);
    limits.checkPayloads(signalInput, () -> "the input of signal '" + signalName + "' to workflow '" + r.workflowId()
        + "'", " The signal was not recorded and no workflow was started.");
    return startOrSignal(r, signalName, signalInput, false);
  }

  /**
   * Starts a run under the workflow id's start lock, so the reuse policy is checked and the run
   * started in one step. With a signal, a running run gets the signal instead, and a new run's
   * first write holds both its start and the signal. {@code forResult}: see {@link #keepStartForResult}.
   */
  private StartResponse startOrSignal(StartRequest r, String signalName, List<Payload> signalInput,
      boolean forResult) {
    // Checked here too, not only in WorkflowOptions: a remote client may send anything.
    Checks.workflowId(r.workflowId());
    Checks.name("workflowType", r.workflowType());
    Checks.name("taskQueue", r.taskQueue());
    // Without one, every poll of the queue failed on this run; with zero, every task timed out at once.
    Checks.positive("workflowTaskTimeout", r.workflowTaskTimeout());
    Checks.positiveOrNull("workflowExecutionTimeout", r.executionTimeout());
    Checks.positiveOrNull("workflowRunTimeout", r.runTimeout());
    if (r.cronSchedule() != null) {
      CronSchedule.parse(r.cronSchedule());
    }
    dev.durable.client.WorkflowOptions.checkStartDelay(r.startDelay(), r.cronSchedule());
    SearchAttributes.merge(Map.of(), SearchAttributes.check(r.searchAttributes()), r.workflowId());
    limits.checkPayloads(r.input(), () -> "the input of workflow '" + r.workflowId() + "' (" + r.workflowType() + ")",
        " The workflow was not started.");
    WorkflowIdReusePolicy policy = r.reusePolicy() == null ? WorkflowIdReusePolicy.ALLOW_DUPLICATE : r.reusePolicy();
    try (var g = enter()) {
      synchronized (startLock(r.workflowId())) {
        Optional<String> existing = currentRunId(r.workflowId());
        if (existing.isPresent()) {
          Execution running = open.get(existing.get());
          if (running != null) {
            synchronized (running) {
              if (!running.state.status.isClosed()) {
                if (signalName != null) {
                  var events = new ArrayList<HistoryEvent>();
                  addInput(running.state, events, new EventAttributes.WorkflowExecutionSignaled(signalName, signalInput));
                  boolean delayed = endStartDelay(running.state);
                  persist(running, events, true);
                  if (delayed) {
                    scheduleWorkflowTask(running.state, null);
                  }
                  return new StartResponse(r.workflowId(), existing.get());
                }
                if (policy != WorkflowIdReusePolicy.TERMINATE_IF_RUNNING) {
                  throw new WorkflowAlreadyStartedException(new WorkflowExecution(r.workflowId(), existing.get()),
                      running.state.workflowType);
                }
                terminate(running, "terminated by a start of workflow '" + r.workflowId() + "' with id reuse policy "
                    + policy + "; a new run replaces this one");
              }
            }
          }
          // Also when the run closed after open.get: its close is stored by now (it happens under its lock).
          checkReuse(r, policy, existing.get());
        }
        return startRun(r, signalName, signalInput, forResult);
      }
    }
  }

  /** Applies the reuse policy to a workflow id whose latest run, {@code runId}, is closed. */
  private void checkReuse(StartRequest r, WorkflowIdReusePolicy policy, String runId) {
    if (policy == WorkflowIdReusePolicy.ALLOW_DUPLICATE || policy == WorkflowIdReusePolicy.TERMINATE_IF_RUNNING) {
      return;
    }
    ExecutionState last = store.readExecution(runId).orElse(null);
    if (last == null) {
      return;
    }
    if (policy == WorkflowIdReusePolicy.REJECT_DUPLICATE || last.status == WorkflowStatus.COMPLETED) {
      throw new WorkflowAlreadyStartedException(new WorkflowExecution(r.workflowId(), runId), last.workflowType,
          last.status, policy);
    }
  }

  /** Records a new run (with the signal, if any, in the same write) and queues its first task. */
  private StartResponse startRun(StartRequest r, String signalName, List<Payload> signalInput, boolean forResult) {
    Instant now = now();
    // On a cron schedule, the first run's code waits until the schedule first fires; with a start
    // delay, until the delay has passed.
    Instant firstAt = r.cronSchedule() != null ? CronSchedule.parse(r.cronSchedule()).next(now)
        : r.startDelay() != null ? Deadlines.after(now, r.startDelay()) : null;
    RunLinks links = r.retryPolicy() == null && firstAt == null ? RunLinks.NONE
        : new RunLinks(null, null, 0, null, null, 1, r.retryPolicy(), null,
            firstAt == null ? null : Duration.between(now, firstAt), r.cronSchedule());
    var spec = new RunChains.Spec(r.workflowId(), r.workflowType(), r.taskQueue(), r.input(),
        r.workflowTaskTimeout(), r.executionTimeout(), r.runTimeout(), links, SearchAttributes.check(r.searchAttributes()));
    Store.Transition t = RunChains.start(spec, now, signalName == null ? List.of()
        : List.of(new EventAttributes.WorkflowExecutionSignaled(signalName, signalInput)));
    ExecutionState s = t.state();
    Execution ex = new Execution(s);
    long deadline = System.nanoTime() + firstTaskWait.toNanos();
    long syncMark = -1;
    // The start may wait for its first task's completion only when that task is due now, and
    // combined writes are on (tests that check each write turn them off).
    boolean mayWait = !firstTaskWait.isZero() && (s.firstTaskAt == null || !s.firstTaskAt.isAfter(now()));
    synchronized (ex) {
      Held eager = forResult ? held.get() : null;
      if (mayWait && eager != null) {
        // Its first task goes to the calling thread (eager start), which waits for its completion's
        // write as a start does that waits for it (awaitStartWritten): that write need not be synced.
        eager.eagerRun = ex;
        ex.startWaiting = true;
        ex.eagerStart = true;
        keepStartForResult(ex, t.newEvents());
      } else if (mayWait && workflowQueue(s.taskQueue).isServed()) {
        handFirstTaskOver(ex, t.newEvents());
        syncMark = awaitStartWritten(ex, deadline);
      } else if (mayWait && forResult) {
        keepStartForResult(ex, t.newEvents());
      } else {
        try {
          store.apply(t);
        } catch (RuntimeException e) {
          if (stopIfStoreLost(e) || !recordedAfterAll(s.runId, e)) {
            throw e;
          }
        }
        registerNewRun(ex, t.newEvents());
      }
    }
    if (syncMark >= 0) {
      awaitStartSynced(syncMark, deadline);
    }
    return new StartResponse(s.workflowId, s.runId);
  }

  /**
   * Whether a new run whose write was reported as failed is stored after all, and on disk (only the
   * acknowledgement was lost).
   */
  private boolean recordedAfterAll(String runId, RuntimeException writeFailure) {
    try {
      return store.readExecution(runId).isPresent() && syncRecorded(writeFailure);
    } catch (RuntimeException readFailed) {
      writeFailure.addSuppressed(readFailed);
      return false;
    }
  }

  /**
   * Puts what a write reported as failed recorded after all on disk, before it is acknowledged;
   * returns false, with the sync's failure added to {@code writeFailure}, if that fails too.
   */
  private boolean syncRecorded(RuntimeException writeFailure) {
    try {
      store.awaitSynced(store.syncMark(), Duration.ZERO);
      return true;
    } catch (RuntimeException syncFailed) {
      writeFailure.addSuppressed(syncFailed);
      return false;
    }
  }

  /**
   * Queues a new run's first workflow task before the run's start is written, and keeps the start
   * unwritten ({@link Execution#unwrittenStart}): that task's completion writes the start together
   * with its own events, one synced write for both (see {@link #awaitStartWritten}). For a first
   * task due now, on a task queue whose pollers take its tasks at once ({@link DispatchQueue#isServed}).
   */
  private void handFirstTaskOver(Execution ex, List<HistoryEvent> events) {
    ex.unwrittenStart = events;
    registerNewRun(ex, events);
  }

  /**
   * Keeps a new run's start unwritten for a caller that waits for the run's result next ({@link
   * #startForResult}), when its first task is due now but no poller is free to take it at once (else
   * {@link #handFirstTaskOver} serves the start better): the start call returns at once, and that
   * task's completion writes the start with its own events, one write instead of two. Until then
   * nothing shows the run: listings miss it, and whatever asks for its workflow id ({@link
   * #currentRunId}) writes it first. If the first task has not written it after {@link
   * #KEPT_START_LIMIT}, a timer does. Nobody learns of the start before it is written, so a crash
   * before then loses nothing anyone was told (the waiting caller dies with the process); a failed
   * write fails the run's result instead of its start.
   */
  private void keepStartForResult(Execution ex, List<HistoryEvent> events) {
    ExecutionState s = ex.state;
    String runId = s.runId;
    // The timer first, then the map: whoever sees the start kept finds its timer already due at
    // the limit (a test that then advances its clock by the limit, too). The timer's write waits
    // for this run's lock, which the caller holds until the run is registered.
    // Until the run is registered it is in no map isIdle looks at, while its timer already is: a
    // time-skipping clock must not jump to that timer meanwhile.
    keepingStarts.incrementAndGet();
    try {
      ex.keptStartTimeout = timers.schedule(now().plus(KEPT_START_LIMIT), () -> writeKeptResults(runId));
      startsKeptForResult.put(s.workflowId, ex);
      handFirstTaskOver(ex, events);
    } finally {
      keepingStarts.decrementAndGet();
    }
  }

  /**
   * The workflow id's latest run, as the store holds it. A start kept unwritten for its waiting
   * caller ({@link #keepStartForResult}) is written first: whoever asks for the id may act on the
   * answer.
   */
  private Optional<String> currentRunId(String workflowId) {
    // Every lookup by id passes here: an id UTF-8 cannot encode would find another id's runs.
    Checks.wholeUnicode("workflowId", workflowId);
    Execution kept = startsKeptForResult.get(workflowId);
    if (kept != null) {
      writeUnwritten(kept);
    }
    return store.currentRunId(workflowId);
  }

  /**
   * Waits, with the run's lock released, until the start kept unwritten by {@link
   * #handFirstTaskOver} is written, usually by its first task's completion, and writes it itself if
   * that takes until {@code deadline} ({@link #firstTaskWait} after the start began). The caller
   * still holds the workflow id's start lock, so no other start of the id can begin meanwhile;
   * nothing about the run is shown or written before its start. If the write fails, the run is
   * dropped (its task's completion is refused) and the start fails (with a fresh exception: the one
   * the write threw also reaches the task's completion).
   *
   * @return the store's sync mark when the first task's completion wrote the start without a sync
   *     (see {@link #persist}): the caller acknowledges the start only once {@link
   *     #awaitStartSynced} saw it on disk. -1 when the start was written synced.
   */
  private long awaitStartWritten(Execution ex, long deadline) {
    ex.startWaiting = true;
    try {
      for (long left = deadline - System.nanoTime(); ex.unwrittenStart != null && ex.startFailure == null && left > 0;
          left = deadline - System.nanoTime()) {
        TimeUnit.NANOSECONDS.timedWait(ex, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // write it now
    } finally {
      ex.startWaiting = false;
    }
    if (ex.unwrittenStart != null && ex.startFailure == null) {
      persist(ex, List.of(), true); // only the start: a result kept meanwhile waits for its task
    }
    return takeStartOutcome(ex);
  }

  /** Syncs the log up to {@code syncMark} if no sync carried it yet; a failure is the next write's to report. */
  private void syncQuietly(long syncMark) {
    try {
      store.awaitSynced(syncMark, Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not sync a start's write: " + e.getMessage());
    }
  }

  /**
   * Under the run's lock, after its start was written (or its write failed) while the starting
   * call waited: returns the store's sync mark of an unsynced start write (-1 if synced), or throws
   * the write's failure (a fresh exception: the one the write threw also reached the task's completion).
   */
  private long takeStartOutcome(Execution ex) {
    long syncMark = ex.startSyncMark;
    ex.startSyncMark = -1;
    if (ex.startFailure != null) {
      if (syncMark >= 0) {
        unsyncedStarts.decrementAndGet();
      }
      RuntimeException f = ex.startFailure;
      throw f instanceof DurableException d ? new DurableException(d.getCode(), d.getMessage()
          .substring(d.getCode().length() + 1), f) : f;
    }
    return syncMark;
  }

  /**
   * Waits, with the run's lock released, until the start its first task's completion wrote without a
   * sync is on disk: carried there by the next synced write (the run's next step, usually, or any
   * other run's), or synced by this call once {@code deadline} passed. Only then is the start
   * acknowledged. A lone workflow whose first step is short so costs one fsync, not two.
   */
  private void awaitStartSynced(long syncMark, long deadline) {
    try {
      store.awaitSynced(syncMark, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } finally {
      unsyncedStarts.decrementAndGet();
    }
  }

  /**
   * Puts the starts written without a sync whose starting calls still wait (see {@link
   * #awaitStartSynced}) on disk now: called before anything shows runs to the outside, which must
   * not show a start that a crash could still lose. Call it after reading what is shown: a start is
   * counted before its write, so a read that found it sees it counted.
   */
  private void syncStarts() {
    if (unsyncedStarts.get() > 0) {
      store.awaitSynced(store.syncMark(), Duration.ZERO);
    }
  }

  /**
   * Not API: how long a start may wait for its first task to write both at once ({@link
   * #FIRST_TASK_WAIT} by default); zero writes every start on its own. Tests that check each write
   * turn it off, and tests of the combined write make it long enough not to depend on timing.
   */
  public void setFirstTaskWait(Duration wait) {
    firstTaskWait = wait;
  }

  /**
   * Sets how long closed runs are kept before they are deleted, or null to keep them for good
   * (the default). Call before {@link #recover()}.
   */
  public void setRetention(Duration retention) {
    this.retention = retention;
  }

  /** Not API: whether the workflow id's start is kept unwritten for its waiting caller now (for tests). */
  public boolean startKeptForResult(String workflowId) {
    return startsKeptForResult.containsKey(workflowId);
  }

  /** Not API: whether {@code taskQueue}'s workflow tasks are taken at once now (for tests). */
  public boolean workflowTasksServed(String taskQueue) {
    return workflowQueue(taskQueue).isServed();
  }

  /** What this server recorded since it started, for metrics. */
  public Counters counters() {
    return counters;
  }

  /** How many runs this server serves as open now (a start not yet written included), for metrics. */
  public int openRuns() {
    return open.size();
  }

  /**
   * Tasks queued for workers but not yet taken, by task queue, for metrics: workflow tasks (with
   * queries and updates) when {@code workflow}, else activity attempts. An entry made stale by a
   * timeout or a close stays queued until a poll skips it. Every queue polled or offered to since
   * the start is listed, empty ones with 0.
   */
  public SortedMap<String, Integer> backlog(boolean workflow) {
    var out = new TreeMap<String, Integer>();
    (workflow ? workflowQueues : activityQueues).forEach((name, q) -> out.put(name, q.size()));
    return out;
  }

  /** Starts serving a run just written as new: queues its first task (after its backoff) and arms its timeout. */
  private void registerNewRun(ExecutionState s) {
    registerNewRun(new Execution(s), List.of());
  }

  /** Like {@link #registerNewRun(ExecutionState)}; {@code events}, just written, go to the run's tail. */
  private void registerNewRun(Execution ex, List<HistoryEvent> events) {
    ExecutionState s = ex.state;
    ex.tail.record(events, 1);
    open.put(s.runId, ex);
    runsRegistered.incrementAndGet();
    if (ex.unwrittenStart == null) {
      counters.runStarted(); // else counted once written, in persist
    }
    synchronized (ex) {
      scheduleWorkflowTask(s, s.firstTaskAt);
      armRunTimeout(s);
    }
  }

  @Override
  public void signal(String workflowId, String signalName, List<Payload> input) {
    Checks.name("signalName", signalName);
    limits.checkPayloads(input, () -> "the input of signal '" + signalName + "' to workflow '" + workflowId + "'",
        " The signal was not recorded.");
    try (var g = enter()) {
      String runId = currentRunId(workflowId).orElseThrow(() -> notFound(workflowId, "signal '" + signalName + "'"));
      Execution ex = open.get(runId);
      if (ex != null) {
        synchronized (ex) {
          if (!ex.state.status.isClosed()) {
            var events = new ArrayList<HistoryEvent>();
            addInput(ex.state, events, new EventAttributes.WorkflowExecutionSignaled(signalName, input));
            persist(ex, events, true);
            return;
          }
        }
      }
      // Like a message to a finished conversation: nobody can receive it any more. Reported, not thrown,
      // because senders race with completion and cannot avoid it (see docs/semantics.md).
      LOG.log(System.Logger.Level.WARNING, "DURABLE-219 signal ''{0}'' to workflow ''{1}'' was dropped: the workflow"
          + " is closed (run {2})", signalName, workflowId, runId);
    }
  }

  @Override
  public void requestCancel(String workflowId, String reason) {
    try (var g = enter()) {
      Execution ex = requireOpen(workflowId, "cancel");
      synchronized (ex) {
        ensureOpen(ex, workflowId, "cancel");
        requestCancel(ex, reason);
      }
    }
  }

  /** Records a cancel request on an open run, once. Call with the run's lock held. */
  private void requestCancel(Execution ex, String reason) {
    if (ex.state.cancelRequested) {
      return;
    }
    ex.state.cancelRequested = true;
    var events = new ArrayList<HistoryEvent>();
    addInput(ex.state, events, new EventAttributes.WorkflowExecutionCancelRequested(reason));
    persist(ex, events, true);
  }

  @Override
  public void terminate(String workflowId, String reason) {
    try (var g = enter()) {
      Execution ex = requireOpen(workflowId, "terminate");
      synchronized (ex) {
        ensureOpen(ex, workflowId, "terminate");
        terminate(ex, reason);
      }
    }
  }

  /** Closes an open run as TERMINATED. Call with the run's lock held. */
  private void terminate(Execution ex, String reason) {
    terminate(ex, reason, null);
  }

  /**
   * Closes an open run as TERMINATED; {@code replacement}, when not null, is the run a reset starts
   * in its place, in the same write. Call with the run's lock held.
   */
  private void terminate(Execution ex, String reason, Store.Transition replacement) {
    ExecutionState s = ex.state;
    var events = new ArrayList<HistoryEvent>();
    flushBuffered(s, events);
    events.add(new HistoryEvent(s.nextEventId++, now(), new EventAttributes.WorkflowExecutionTerminated(reason)));
    s.failure = FailureInfo.simple(FailureInfo.TERMINATED, "dev.durable.failure.TerminatedFailure", reason, true);
    close(s, WorkflowStatus.TERMINATED);
    if (replacement == null) {
      persist(ex, events, true);
    } else {
      s.nextRunId = replacement.state().runId; // getResult and a waiting parent follow it there
      persist(ex, events, true, List.of(replacement));
    }
  }

  @Override
  public Payload query(String workflowId, String queryName, List<Payload> input, Duration timeout) {
    Checks.name("queryName", queryName);
    limits.checkPayloads(input, () -> "the input of query '" + queryName + "' to workflow '" + workflowId + "'", "");
    final ExecutionState s;
    long id = tokens.incrementAndGet();
    CompletableFuture<QueryResult> answer = new CompletableFuture<>();
    try (var g = enter()) {
      s = latestState(workflowId).orElseThrow(() -> notFound(workflowId, "query '" + queryName + "'"));
      syncStarts();
      pendingQueries.put(id, answer);
      String taskQueue = s.taskQueue;
      Runnable dispatch = () -> workflowQueue(taskQueue).offer(new QueryRef(s.runId, new QueryTask(id, queryName, input)));
      Execution ex = open.get(s.runId);
      boolean held = false;
      if (ex != null) {
        synchronized (ex) {
          // Not while a retried run waits for its backoff: its first task may be far off.
          if (!ex.state.status.isClosed() && ex.state.workflowTaskPending && ex.state.workflowTaskAttempt == 1
              && ex.state.workflowTaskRetryAt == null) {
            ex.waitingQueries.add(dispatch);
            held = true;
          }
        }
      }
      if (!held) {
        dispatch.run();
      }
    }
    try {
      QueryResult result = answer.get(Deadlines.millis(timeout), TimeUnit.MILLISECONDS);
      if (result.failure() != null) {
        throw new WorkflowQueryException("query '" + queryName + "' on workflow '" + workflowId + "' failed: "
            + result.failure().message(), Failures.toException(result.failure()));
      }
      return result.result();
    } catch (TimeoutException e) {
      throw new WorkflowQueryException("no worker answered query '" + queryName + "' on workflow '" + workflowId
          + "' within " + timeout + ". Start a worker on task queue '" + s.taskQueue + "' that registers workflow type '"
          + s.workflowType + "'.", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkflowQueryException("interrupted while waiting for query '" + queryName + "'", e);
    } catch (ExecutionException e) {
      throw new WorkflowQueryException("query '" + queryName + "' failed: " + e.getCause(), e.getCause());
    } finally {
      pendingQueries.remove(id);
    }
  }

  @Override
  public void respondQuery(QueryResult result) {
    CompletableFuture<QueryResult> f = pendingQueries.get(result.queryId());
    if (f != null) {
      f.complete(result);
    }
  }

  @Override
  public Optional<UpdateOutcome> update(UpdateRequest r) {
    Checks.name("updateName", r.updateName());
    Checks.name("updateId", r.updateId());
    limits.checkPayloads(r.input(), () -> "the input of update '" + r.updateName() + "' to workflow '" + r.workflowId()
        + "'", " The update was not recorded.");
    String runId;
    try (var g = enter()) {
      runId = currentRunId(r.workflowId()).orElseThrow(() -> notFound(r.workflowId(), "update"));
    }
    CompletableFuture<UpdateOutcome> outcome = updateStep(r, runId, false);
    if (outcome == null) {
      validate(r, runId);
      outcome = updateStep(r, runId, true);
    }
    try {
      return Optional.ofNullable(awaitUpdate(outcome, r, "completed"));
    } finally {
      updates.stopWaiting(runId, r.updateId(), outcome);
    }
  }

  /**
   * Under the run's lock: for an update the run knows, its recorded outcome or a wait for it; for
   * a new one, once {@code validated}, records it as accepted and waits for it; else null: it
   * must be validated first. Throws for a closed run without the update's outcome.
   */
  private CompletableFuture<UpdateOutcome> updateStep(UpdateRequest r, String runId, boolean validated) {
    try (var g = enter()) {
      Execution ex = open.get(runId);
      if (ex == null) {
        return CompletableFuture.completedFuture(closedRunOutcome(r, runId));
      }
      synchronized (ex) {
        ExecutionState s = ex.state;
        if (s.status.isClosed()) {
          return CompletableFuture.completedFuture(closedRunOutcome(r, runId));
        }
        Long completedBy = s.updates.get(r.updateId());
        if (completedBy != null && completedBy > 0) {
          return CompletableFuture.completedFuture(recordedOutcome(runId, completedBy));
        }
        if (completedBy == null) {
          if (!validated) {
            return null;
          }
          s.updates.put(r.updateId(), 0L);
          var events = new ArrayList<HistoryEvent>();
          addInput(s, events, new EventAttributes.WorkflowUpdateAccepted(r.updateId(), r.updateName(), r.input()));
          persist(ex, events, true);
        }
        // Accepted now, or by an earlier request with the same id (maybe one racing with this one): wait for it.
        return updates.waitFor(runId, r.updateId());
      }
    }
  }

  /**
   * Has a worker run the update's validator. Nothing is stored before it accepted the update, so a
   * rejected update leaves no trace. Throws when it was rejected or no worker answered in time.
   */
  private void validate(UpdateRequest r, String runId) {
    long validationId = tokens.incrementAndGet();
    CompletableFuture<UpdateValidation> validation = updates.newValidation(validationId);
    UpdateValidation v;
    try {
      try (var g = enter()) {
        Execution ex = open.get(runId);
        if (ex == null) {
          return; // closed meanwhile: the next step reports it
        }
        String taskQueue;
        synchronized (ex) {
          taskQueue = ex.state.taskQueue;
        }
        workflowQueue(taskQueue).offer(new UpdateRef(runId, new UpdateTask(validationId, r.updateId(), r.updateName(),
            r.input())));
      }
      v = awaitUpdate(validation, r, "validated");
    } finally {
      updates.forgetValidation(validationId);
    }
    if (v == null) {
      throw new WorkflowUpdateException("DURABLE-244", r.workflowId(), r.updateName(), r.updateId(), "no worker"
          + " validated update '" + r.updateName() + "' of workflow '" + r.workflowId() + "' within " + r.timeout()
          + "; nothing was recorded. Start a worker for the workflow's task queue, then send the update again.", null);
    }
    if (v.rejection() != null) {
      String code = v.rejection().message().startsWith("DURABLE-240") ? "DURABLE-240" : "DURABLE-241";
      throw new WorkflowUpdateException(code, r.workflowId(), r.updateName(), r.updateId(), "update '"
          + r.updateName() + "' (id " + r.updateId() + ") of workflow '" + r.workflowId() + "' was rejected: "
          + v.rejection().message() + ". Nothing was recorded.", Failures.toException(v.rejection()));
    }
  }

  private <T> T awaitUpdate(CompletableFuture<T> f, UpdateRequest r, String what) {
    try {
      return f.get(Deadlines.millis(r.timeout()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DurableException("DURABLE-212", "interrupted while waiting for update '" + r.updateName() + "' of"
          + " workflow '" + r.workflowId() + "' to be " + what);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new DurableException("DURABLE-302", "update '" + r.updateName() + "' failed", e.getCause());
    }
  }

  /** The outcome of an update to a run that is closed: the recorded one, if it completed, else an error. */
  private UpdateOutcome closedRunOutcome(UpdateRequest r, String runId) {
    ExecutionState s = store.readExecution(runId).orElseThrow(() -> notFound(r.workflowId(), "update"));
    Long completedBy = s.updates.get(r.updateId());
    if (completedBy != null && completedBy > 0) {
      return recordedOutcome(runId, completedBy);
    }
    if (completedBy != null) {
      throw Updates.closedBeforeCompletion(s, r.updateId());
    }
    throw new WorkflowUpdateException("DURABLE-242", r.workflowId(), r.updateName(), r.updateId(), "cannot update"
        + " workflow '" + r.workflowId() + "' with '" + r.updateName() + "': it is " + s.status + " (run " + runId
        + "). Only running workflows take updates; nothing was recorded.", null);
  }

  private UpdateOutcome recordedOutcome(String runId, long eventId) {
    return Updates.outcomeOf(store.readEvent(runId, eventId).orElseThrow(() -> new DurableException("DURABLE-303",
        "run " + runId + " lacks the event " + eventId + " that recorded an update's outcome")));
  }

  @Override
  public void respondUpdateValidation(UpdateValidation validation) {
    updates.validated(validation);
  }

  @Override
  public Optional<WorkflowDescription> describe(String workflowId) {
    try (var g = enter()) {
      Optional<String> runId = currentRunId(workflowId);
      syncStarts();
      Execution ex = runId.map(open::get).orElse(null);
      if (ex != null) {
        // Built under the run's lock: the timer thread and workers change its activities concurrently.
        synchronized (ex) {
          return Optional.of(Descriptions.of(written(ex), now()));
        }
      }
      return runId.flatMap(store::readExecution).map(s -> Descriptions.of(s, now()));
    }
  }

  @Override
  public List<String> delete(String workflowId) {
    Checks.workflowId(workflowId);
    try (var g = enter()) {
      synchronized (startLock(workflowId)) { // no start of the id meanwhile
        String latest = currentRunId(workflowId).orElseThrow(() -> notFound(workflowId, "delete"));
        if (open.containsKey(latest)) {
          throw new DurableException("DURABLE-229", "cannot delete workflow '" + workflowId + "': its run " + latest
              + " is still running. Terminate it first (or cancel it and wait for it to close), then delete it.");
        }
        List<String> chain = new ArrayList<>();
        ExecutionState s = store.readExecution(latest).orElse(null);
        while (s != null) {
          if (awaitedByParent(s)) {
            throw new DurableException("DURABLE-229", "cannot delete workflow '" + workflowId + "' yet: its parent run "
                + s.links.parentRunId() + " is open and has not yet recorded how it ended. Try again in a moment.");
          }
          if (!s.externalRequests.isEmpty()) {
            throw new DurableException("DURABLE-229", "cannot delete workflow '" + workflowId + "' yet: its run "
                + s.runId + " was closed while it signalled or canceled another workflow, and that request is still"
                + " being delivered. Try again in a moment.");
          }
          chain.add(s.runId);
          String earlier = s.links.continuedFromRunId();
          s = earlier == null ? null : store.readExecution(earlier).orElse(null);
        }
        // The earliest first: should this stop half way, the workflow id still names what is left.
        for (int i = chain.size() - 1; i >= 0; i--) {
          deleteStored(chain.get(i));
        }
        store.awaitSynced(store.syncMark(), Duration.ZERO);
        return chain;
      }
    }
  }

  @Override
  public String reset(String workflowId, ResetPoint point, String reason, String requestId) {
    Checks.workflowId(workflowId);
    if (point == null) {
      throw Checks.invalid("reset point must not be null: use ResetPoint.firstWorkflowTask(), lastWorkflowTask() or"
          + " event(id)");
    }
    if (requestId != null) {
      Checks.name("requestId", requestId);
    }
    try (var g = enter()) {
      synchronized (startLock(workflowId)) { // no start of the id meanwhile
        String runId = currentRunId(workflowId).orElseThrow(() -> notFound(workflowId, "reset"));
        if (requestId != null && requestId.equals(RunResets.requestId(store.readHistory(runId, 1)))) {
          return runId; // this reset, asked again: its answer was lost
        }
        Execution ex = open.get(runId);
        if (ex != null) {
          synchronized (ex) {
            if (!ex.state.status.isClosed()) {
              return resetOpen(ex, point, reason, requestId);
            }
          }
        }
        return resetClosed(workflowId, runId, point, reason, requestId);
      }
    }
  }

  /** Resets an open latest run: terminates it and starts its replacement in one write. Call under both locks. */
  private String resetOpen(Execution ex, ResetPoint point, String reason, String requestId) {
    ExecutionState s = written(ex);
    List<HistoryEvent> history = store.readHistory(s.runId, 1);
    long at = RunResets.resolve(s.workflowId, s.runId, history, point);
    Store.Transition next = RunResets.newRun(s, history, at, reason, requestId, s.bufferedEvents, now());
    String nextRunId = next.state().runId;
    terminate(ex, "reset to run " + nextRunId + " at event " + at + (reason == null ? "" : ": " + reason), next);
    armReset(s.workflowId, s.runId, at, nextRunId);
    return nextRunId;
  }

  /** Resets a closed latest run: links it to its replacement, written in one write. Call under the id's lock. */
  private String resetClosed(String workflowId, String runId, ResetPoint point, String reason, String requestId) {
    ExecutionState old = store.readExecution(runId).orElseThrow(() -> notFound(workflowId, "reset"));
    List<HistoryEvent> history = store.readHistory(runId, 1);
    long at = RunResets.resolve(workflowId, runId, history, point);
    Store.Transition next = RunResets.newRun(old, history, at, reason, requestId, List.of(), now());
    old.nextRunId = next.state().runId; // getResult and a waiting parent follow it there
    store.applyAll(List.of(new Store.Transition(old, List.of(), false, true), next));
    recentlyClosed.remove(runId);
    registerNewRun(next.state());
    armReset(workflowId, runId, at, old.nextRunId);
    return old.nextRunId;
  }

  /** Dispatches again the activities and arms the timers the reset run {@code runId} had pending at its point. */
  private void armReset(String workflowId, String oldRunId, long at, String runId) {
    Execution ex = open.get(runId);
    if (ex != null) {
      synchronized (ex) {
        armActivitiesAndTimers(ex.state, null);
      }
    }
    LOG.log(System.Logger.Level.INFO, "workflow ''{0}'' reset at event {1} of run {2}: run {3} replaces it",
        workflowId, at, oldRunId, runId);
  }

  @Override
  public void setSchedulePaused(String workflowId, boolean paused, String note) {
    String what = (paused ? "pause" : "resume") + " the schedule of";
    try (var g = enter()) {
      Execution ex = requireOpen(workflowId, what);
      synchronized (ex) {
        ensureOpen(ex, workflowId, what);
        ExecutionState s = ex.state;
        String cron = s.links.cronSchedule();
        if (cron == null) {
          throw new DurableException("DURABLE-238", "cannot " + what + " workflow '" + workflowId + "': it has no cron"
              + " schedule. Only a workflow started with WorkflowOptions.setCronSchedule (durable workflow start"
              + " --cron) has one; to stop another workflow, cancel or terminate it.");
        }
        if (s.schedulePaused == paused) {
          return;
        }
        s.schedulePaused = paused;
        boolean waiting = s.workflowTaskPending && waitsForFirstTask(s);
        Instant now = now();
        if (!paused && waiting && !s.firstTaskAt.isAfter(now)) {
          // Firings missed while paused are not made up: the run waits for the next one.
          Instant next = CronSchedule.parse(cron).next(now);
          s.firstTaskAt = next != null ? next : now;
          s.workflowTaskRetryAt = s.firstTaskAt;
        }
        persist(ex, List.of(), true);
        if (!paused && waiting) {
          scheduleWorkflowTask(s, s.firstTaskAt);
        }
        LOG.log(System.Logger.Level.INFO, "workflow ''{0}'': cron schedule ''{1}'' {2}{3}", workflowId, cron,
            paused ? "paused" : "resumed; the next run starts at " + s.firstTaskAt,
            note == null ? "" : " (" + note + ")");
      }
    }
  }

  /**
   * Whether the run waits for its cron firing (or a retry's backoff) while its schedule is paused:
   * its first task is held. A run continued as new carries on its firing and is not held.
   */
  private static boolean heldBySchedulePause(ExecutionState s) {
    return s.schedulePaused && waitsForFirstTask(s);
  }

  /**
   * Ends the start delay of a run whose first task waits for it (a signal-with-start arrived):
   * its first task is due now. A cron firing and a retry's backoff are not start delays. Returns
   * whether it did; the caller schedules the task once its change is written.
   */
  private boolean endStartDelay(ExecutionState s) {
    boolean delayed = waitsForFirstTask(s) && s.links.cronSchedule() == null && s.links.attempt() == 1
        && s.links.continuedFromRunId() == null && s.firstTaskAt.isAfter(now());
    if (delayed) {
      s.firstTaskAt = now();
      s.workflowTaskRetryAt = null;
    }
    return delayed;
  }

  /** Whether the run waits for its first task's time (a cron firing or a retry's backoff) and has run no code yet. */
  private static boolean waitsForFirstTask(ExecutionState s) {
    return s.firstTaskAt != null && s.lastCompletedTaskEventId == 0 && !s.isTaskStarted();
  }

  @Override
  public List<WorkflowDescription> list(boolean runningOnly, int limit) {
    Checks.atLeast("limit", limit, 1);
    VisibilityQuery q = new VisibilityQuery(runningOnly ? List.of(WorkflowStatus.RUNNING) : List.of(), null, null,
        null, null, null, null, List.of(), Math.min(limit, VisibilityQuery.MAX_PAGE_SIZE), null);
    List<WorkflowDescription> out = new ArrayList<>();
    do {
      WorkflowPage page = listWorkflows(q.withPage(Math.min(limit - out.size(), VisibilityQuery.MAX_PAGE_SIZE),
          q.pageToken()));
      out.addAll(page.executions());
      q = q.withPage(q.pageSize(), page.nextPageToken());
    } while (q.pageToken() != null && out.size() < limit);
    return out;
  }

  @Override
  public WorkflowPage listWorkflows(VisibilityQuery query) {
    try (var g = enter()) {
      Store.VisibilityPage page = store.listRuns(requireQuery(query));
      syncStarts();
      List<WorkflowDescription> out = new ArrayList<>(page.runIds().size());
      Instant now = now();
      for (String runId : page.runIds()) {
        Execution ex = open.get(runId);
        if (ex != null) {
          synchronized (ex) {
            out.add(Descriptions.of(written(ex), now));
          }
        } else {
          // A run closed between the index read and here is still listed, with its closed state.
          store.readExecution(runId).ifPresent(st -> out.add(Descriptions.of(st, now)));
        }
      }
      return new WorkflowPage(out, page.nextPageToken());
    }
  }

  @Override
  public long countWorkflows(VisibilityQuery query) {
    try (var g = enter()) {
      long count = store.countRuns(requireQuery(query));
      syncStarts();
      return count;
    }
  }

  private static VisibilityQuery requireQuery(VisibilityQuery query) {
    if (query == null) {
      throw new IllegalArgumentException("DURABLE-254 invalid workflow filter: the query must not be null");
    }
    return query;
  }

  @Override
  public RunHistory getHistory(String workflowId) {
    try (var g = enter()) {
      String runId = currentRunId(workflowId).orElseThrow(() -> notFound(workflowId, "read the history of"));
      syncStarts();
      return new RunHistory(workflowId, runId, writtenHistory(runId, 1));
    }
  }

  @Override
  public List<HistoryEvent> readHistory(String runId, long fromEventId) {
    try (var g = enter()) {
      return writtenHistory(runId, fromEventId);
    }
  }

  /** Reads a run's history once all of it is written (a worker replaying the run needs every event). */
  private List<HistoryEvent> writtenHistory(String runId, long fromEventId) {
    writeUnwritten(runId);
    return store.readHistory(runId, fromEventId);
  }

  @Override
  public HistoryVerification verifyHistory(String workflowId) {
    try (var g = enter()) {
      String runId = currentRunId(workflowId).orElseThrow(() -> notFound(workflowId, "verify the history of"));
      syncStarts();
      Execution ex = open.get(runId);
      if (ex == null) {
        // Closed runs no longer change.
        return verifyRun(workflowId, runId);
      }
      synchronized (ex) {
        // Every write of the run happens under this lock, so state and history are read at one point.
        return verifyRun(workflowId, runId);
      }
    }
  }

  /**
   * Like {@link #verifyHistory}, for any run of a workflow id, not only its latest: the runs a
   * chain of continue-as-new or retries left behind. Not part of the service: for tests and tools
   * that hold the embedded server.
   */
  public HistoryVerification verifyRun(String runId) {
    try (var g = enter()) {
      ExecutionState stored = store.readExecution(runId).orElse(null);
      syncStarts();
      String workflowId = stored == null ? null : stored.workflowId;
      Execution ex = open.get(runId);
      if (ex == null) {
        return verifyRun(workflowId, runId);
      }
      synchronized (ex) {
        return verifyRun(workflowId, runId);
      }
    }
  }

  /** Checks the history against the state, and the listing indexes against the state. */
  private HistoryVerification verifyRun(String workflowId, String runId) {
    ExecutionState state = store.readExecution(runId).orElse(null);
    HistoryVerification v = HistoryVerifier.verify(workflowId, runId, state, store.readHistory(runId, 1));
    if (state == null) {
      return v;
    }
    List<String> problems = new ArrayList<>(v.problems());
    problems.addAll(store.verifyIndexes(state));
    return new HistoryVerification(v.workflowId(), v.runId(), v.eventCount(), problems);
  }

  @Override
  public Optional<ExecutionState> awaitClose(String workflowId, Duration timeout) {
    Execution ex;
    try (var g = enter()) {
      // A start kept for its waiting caller is not written for this: waiting shows nothing.
      ex = startsKeptForResult.get(workflowId);
      if (ex == null) {
        String runId = currentRunId(workflowId).orElseThrow(() -> notFound(workflowId, "get the result of"));
        ex = open.get(runId);
        if (ex == null) {
          ExecutionState closed = recentlyClosed.get(runId);
          return closed != null ? Optional.of(closed) : store.readExecution(runId);
        }
      }
    }
    try {
      return Optional.of(ex.closed.get(Deadlines.millis(timeout), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DurableException("DURABLE-212", "interrupted while waiting for workflow '" + workflowId + "'", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DurableException d && "DURABLE-213".equals(d.getCode())) {
        throw new DurableException("DURABLE-213", "the server closed while waiting for workflow '" + workflowId
            + "'; start a server on the same data dir and wait again.", d);
      }
      throw new DurableException("DURABLE-302", "waiting for workflow '" + workflowId + "' failed", e.getCause());
    }
  }

  // ---------------------------------------------------------------- workflow tasks

  @Override
  public Optional<WorkflowTask> pollWorkflowTask(PollRequest r) {
    return poll(r, workflowQueue(r.taskQueue()),
        item -> item instanceof QueryRef q ? queryTask(q)
            : item instanceof UpdateRef u ? updateTask(u) : startWorkflowTask((String) item));
  }

  /**
   * Long-polls a dispatch queue until an item starts a task ({@code start} returns it) or the
   * poll times out. Items that no longer apply (the run closed, the attempt moved on) are skipped.
   */
  private <T, R> Optional<R> poll(PollRequest r, DispatchQueue<T> queue, java.util.function.Function<T, Optional<R>> start) {
    failIfClosed();
    long deadline = System.nanoTime() + Deadlines.nanos(r.timeout());
    while (true) {
      T item;
      try {
        item = queue.poll(r.identity(), Duration.ofNanos(deadline - System.nanoTime()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      if (item == null) {
        failIfClosed();
        return Optional.empty();
      }
      try (var g = enter()) {
        Optional<R> task = start.apply(item);
        if (task.isPresent()) {
          return task;
        }
      }
    }
  }

  private Optional<WorkflowTask> queryTask(QueryRef q) {
    Execution ex = open.get(q.runId());
    ExecutionState s = ex != null ? ex.state : store.readExecution(q.runId()).orElse(null);
    if (s == null) {
      return Optional.empty();
    }
    return Optional.of(new WorkflowTask(0, s.workflowId, s.runId, s.workflowType, s.taskQueue, 0, List.of(),
        0, null, q.query()));
  }

  private Optional<WorkflowTask> updateTask(UpdateRef u) {
    Execution ex = open.get(u.runId());
    if (ex == null) {
      updates.validated(new UpdateValidation(u.update().validationId(), null)); // the update path reports the close
      return Optional.empty();
    }
    ExecutionState s = ex.state;
    return Optional.of(new WorkflowTask(0, s.workflowId, s.runId, s.workflowType, s.taskQueue, 0, List.of(), 0, null,
        null, u.update()));
  }

  private Optional<WorkflowTask> startWorkflowTask(String runId) {
    Execution ex = open.get(runId);
    if (ex == null) {
      return Optional.empty();
    }
    long token;
    long from;
    long last;
    Instant time;
    ExecutionState s;
    synchronized (ex) {
      s = ex.state;
      if (!s.workflowTaskPending || s.isTaskStarted() || s.status.isClosed()) {
        return Optional.empty();
      }
      if ((s.workflowTaskRetryAt != null && s.workflowTaskRetryAt.isAfter(now())) || heldBySchedulePause(s)) {
        return Optional.empty(); // queued before its schedule was paused: resuming queues it again
      }
      token = tokens.incrementAndGet();
      time = now();
      if (s.taskReadyTime != null) {
        counters.workflowTaskWaited(s.taskReadyTime, time);
        s.taskReadyTime = null;
      }
      s.startedTaskToken = token;
      s.startedTaskLastEventId = last = s.nextEventId - 1;
      s.startedTaskTime = time;
      from = Math.max(1, s.lastCompletedTaskEventId);
      Duration timeout = s.workflowTaskTimeout;
      ex.disarmTaskTimeout();
      ex.taskTimeout = timers.schedule(Deadlines.after(time, timeout),
          () -> workflowTaskTimedOut(runId, token, timeout));
    }
    // History is append-only, so it can be read outside the run's lock; later events are cut off.
    List<HistoryEvent> events = ex.tail.slice(from, last);
    if (events == null) {
      events = store.readHistory(runId, from);
      if (events.size() > last - from + 1) {
        events = events.subList(0, (int) (last - from + 1));
      }
    }
    return Optional.of(new WorkflowTask(token, s.workflowId, runId, s.workflowType, s.taskQueue,
        s.workflowTaskAttempt, events, last, time, null));
  }

  @Override
  public void completeWorkflowTask(CompleteWorkflowTaskRequest r) {
    try (var g = enter()) {
      Execution ex = open.get(r.runId());
      if (ex == null) {
        throw new TaskRejectedException("run " + r.runId() + " is closed");
      }
      List<Runnable> after = new ArrayList<>();
      synchronized (ex) {
        ExecutionState s = ex.state;
        if (s.startedTaskToken != r.token()) {
          throw new TaskRejectedException("workflow task of run " + r.runId() + " is no longer expected (timed out?)");
        }
        limits.checkCommands(r.commands(), s.workflowId, s.workflowType);
        checkSearchAttributes(r.commands(), s);
        if (closesRun(r.commands()) && hasSignalOrUpdate(s.bufferedEvents)) {
          // A signal or an accepted update arrived while the code decided to finish: run the task again so the code sees it.
          s.startedTaskToken = 0;
          ex.disarmTaskTimeout();
          var events = new ArrayList<HistoryEvent>();
          flushBuffered(s, events);
          persist(ex, events, true);
          scheduleWorkflowTask(s, null);
          throw new TaskRejectedException("new signals arrived while the workflow task ran; it runs again with them");
        }
        Instant now = now();
        var events = new ArrayList<HistoryEvent>();
        var newRuns = new ArrayList<Store.Transition>();
        long completedId = s.nextEventId++;
        events.add(new HistoryEvent(completedId, now,
            new EventAttributes.WorkflowTaskCompleted(s.startedTaskLastEventId, s.startedTaskTime, r.identity())));
        try {
          for (Command c : r.commands()) {
            if (s.status.isClosed()) {
              break;
            }
            applyCommand(s, c, now, events, after, newRuns);
          }
        } catch (RuntimeException e) {
          // A store read failed half-way (say, a retry's start event): nothing half-applied may stay.
          restoreStored(ex, e);
          throw e;
        }
        s.lastCompletedTaskEventId = completedId;
        s.startedTaskToken = 0;
        ex.disarmTaskTimeout();
        s.workflowTaskPending = false;
        s.workflowTaskAttempt = 1;
        s.workflowTaskRetryAt = null;
        s.lastWorkflowTaskFailure = null;
        if (s.status.isClosed()) {
          s.bufferedEvents.clear();
        } else if (!s.bufferedEvents.isEmpty()) {
          flushBuffered(s, events);
          s.workflowTaskPending = true;
          after.add(() -> scheduleWorkflowTask(s, null));
        }
        persist(ex, events, true, newRuns);
        counters.workflowTask(Counters.Outcome.COMPLETED);
        after.forEach(Runnable::run);
      }
    }
  }

  /** Whether events buffered during a task hold a signal or an accepted update (a loop: asked at every close). */
  private static boolean hasSignalOrUpdate(List<HistoryEvent> buffered) {
    for (HistoryEvent e : buffered) {
      if (e.attributes() instanceof EventAttributes.WorkflowExecutionSignaled
          || e.attributes() instanceof EventAttributes.WorkflowUpdateAccepted) {
        return true;
      }
    }
    return false;
  }

  /** Whether the commands end the run (a loop, not a stream: this runs for every workflow task). */
  private static boolean closesRun(List<Command> commands) {
    for (Command c : commands) {
      if (c instanceof Command.CompleteWorkflow || c instanceof Command.FailWorkflow
          || c instanceof Command.CancelWorkflow || c instanceof Command.ContinueAsNew) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks a task's search attribute upserts before anything of the task is applied (a remote
   * worker may send anything): a bad one fails the whole task, which is retried.
   */
  private static void checkSearchAttributes(List<Command> commands, ExecutionState s) {
    Map<String, SearchAttributeValue> attributes = s.searchAttributes;
    for (Command c : commands) {
      if (c instanceof Command.UpsertSearchAttributes u) {
        attributes = SearchAttributes.merge(attributes, SearchAttributes.check(u.attributes()), s.workflowId);
      }
    }
  }

  private void applyCommand(ExecutionState s, Command c, Instant now, List<HistoryEvent> events, List<Runnable> after,
      List<Store.Transition> newRuns) {
    long id = s.nextEventId++;
    if (c instanceof Command.ScheduleActivity a) {
      events.add(new HistoryEvent(id, now,
          new ActivityTaskScheduled(a.seq(), a.activityType(), a.taskQueue(), a.input(), a.spec())));
      PendingActivity pa = new PendingActivity();
      pa.seq = a.seq();
      pa.scheduledEventId = id;
      pa.activityType = a.activityType();
      pa.taskQueue = a.taskQueue();
      pa.spec = a.spec();
      pa.scheduledTime = now;
      pa.attemptScheduledTime = now;
      pa.input = a.input();
      s.activities.put(a.seq(), pa);
      after.add(() -> {
        armScheduleToClose(s, pa);
        enqueueActivity(s, pa);
      });
    } else if (c instanceof Command.StartTimer t) {
      Instant fireAt = Deadlines.after(now, t.duration());
      events.add(new HistoryEvent(id, now, new EventAttributes.TimerStarted(t.seq(), t.duration(), fireAt)));
      s.timers.put(t.seq(), fireAt);
      String runId = s.runId;
      after.add(() -> timers.schedule(fireAt, () -> fireTimer(runId, t.seq())));
    } else if (c instanceof Command.CancelTimer t) {
      events.add(new HistoryEvent(id, now, new EventAttributes.TimerCanceled(t.seq())));
      s.timers.remove(t.seq());
    } else if (c instanceof Command.RequestCancelActivity r) {
      ActivityCancellation.request(s, r.seq(), id, now, events, attrs -> addInput(s, events, attrs));
    } else if (c instanceof Command.CompleteUpdate u) {
      events.add(new HistoryEvent(id, now, new EventAttributes.WorkflowUpdateCompleted(u.updateId(), u.result(), u.failure())));
      updates.completed(s, u, id, after);
    } else if (c instanceof Command.RecordMarker m) {
      events.add(new HistoryEvent(id, now, new EventAttributes.MarkerRecorded(m.markerName(), m.markerId(), m.data())));
    } else if (c instanceof Command.UpsertSearchAttributes u) {
      events.add(new HistoryEvent(id, now, new EventAttributes.UpsertWorkflowSearchAttributes(u.attributes())));
      s.searchAttributes = SearchAttributes.merge(s.searchAttributes, u.attributes(), s.workflowId);
    } else if (c instanceof Command.CompleteWorkflow done) {
      events.add(new HistoryEvent(id, now, new EventAttributes.WorkflowExecutionCompleted(done.result())));
      s.result = done.result();
      close(s, WorkflowStatus.COMPLETED);
      cronRun(s, now).ifPresent(newRuns::add);
    } else if (c instanceof Command.FailWorkflow f) {
      events.add(new HistoryEvent(id, now, new EventAttributes.WorkflowExecutionFailed(f.failure())));
      s.failure = f.failure();
      close(s, WorkflowStatus.FAILED);
      retryRun(s, f.failure(), now).or(() -> cronRun(s, now)).ifPresent(newRuns::add);
    } else if (c instanceof Command.StartChildWorkflow sc) {
      events.add(new HistoryEvent(id, now, new EventAttributes.StartChildWorkflowExecutionInitiated(sc.seq(),
          sc.workflowId(), sc.workflowType(), sc.taskQueue(), sc.input(), sc.workflowTaskTimeout(),
          sc.workflowExecutionTimeout(), sc.workflowRunTimeout(), sc.retryPolicy(), sc.parentClosePolicy(),
          sc.workflowIdReusePolicy())));
      PendingChild pc = new PendingChild();
      pc.seq = sc.seq();
      pc.initiatedEventId = id;
      pc.workflowId = sc.workflowId();
      pc.workflowType = sc.workflowType();
      pc.parentClosePolicy = sc.parentClosePolicy();
      s.children.put(sc.seq(), pc);
      String runId = s.runId;
      // Scheduled now, not after the write, so that a time-skipping test never sees the run idle
      // in between; it runs once this run's lock is free, and finds nothing to do if the write failed.
      followUp(() -> startChild(runId, sc.seq()));
    } else if (c instanceof Command.SignalChild sc) {
      PendingChild pc = s.children.get(sc.seq());
      events.add(new HistoryEvent(id, now, new EventAttributes.SignalChildWorkflowExecutionInitiated(sc.seq(),
          pc == null ? null : pc.workflowId, sc.signalName(), sc.input())));
      if (pc == null) {
        LOG.log(System.Logger.Level.WARNING, "DURABLE-219 signal ''{0}'' from workflow ''{1}'' to its child {2} was"
            + " dropped: the child has closed", sc.signalName(), s.workflowId, sc.seq());
      } else {
        pc.signalsToDeliver.add(id);
        if (PendingChild.STARTED.equals(pc.state)) {
          String parentRunId = s.runId;
          followUp(() -> deliverChildSignals(parentRunId, sc.seq()));
        }
      }
    } else if (c instanceof Command.RequestCancelChild rc) {
      PendingChild pc = s.children.get(rc.seq());
      events.add(new HistoryEvent(id, now, new EventAttributes.ChildWorkflowCancelRequested(rc.seq(),
          pc == null ? null : pc.workflowId)));
      if (pc != null && !pc.cancelRequested) {
        pc.cancelRequested = true;
        if (PendingChild.STARTED.equals(pc.state)) {
          String childRunId = pc.runId;
          String parentRunId = s.runId;
          followUp(() -> cancelChild(parentRunId, childRunId));
        }
      }
    } else if (c instanceof Command.SignalExternal se) {
      events.add(new HistoryEvent(id, now, new EventAttributes.SignalExternalWorkflowExecutionInitiated(se.seq(),
          se.workflowId(), se.runId(), se.signalName(), se.input())));
      requestExternal(s, se.seq(), id);
    } else if (c instanceof Command.RequestCancelExternal rc) {
      events.add(new HistoryEvent(id, now, new EventAttributes.RequestCancelExternalWorkflowExecutionInitiated(
          rc.seq(), rc.workflowId(), rc.runId())));
      requestExternal(s, rc.seq(), id);
    } else if (c instanceof Command.ContinueAsNew can) {
      var spec = new RunChains.Spec(s.workflowId, can.workflowType() != null ? can.workflowType() : s.workflowType,
          can.taskQueue() != null ? can.taskQueue() : s.taskQueue, can.input(),
          can.workflowTaskTimeout() != null ? can.workflowTaskTimeout() : s.workflowTaskTimeout,
          s.workflowExecutionTimeout, can.workflowRunTimeout() != null ? can.workflowRunTimeout() : s.workflowRunTimeout,
          RunChains.following(s, 1, null), s.searchAttributes,
          s.links.cronSchedule() == null ? null : startedEvent(s).lastCompletionResult()); // the same firing
      Store.Transition next = RunChains.start(spec, now, List.of());
      events.add(new HistoryEvent(id, now, new EventAttributes.WorkflowExecutionContinuedAsNew(next.state().runId,
          spec.workflowType(), spec.taskQueue(), spec.input(), spec.workflowTaskTimeout(), spec.runTimeout())));
      s.nextRunId = next.state().runId;
      next.state().lastParentSignalEventId = s.lastParentSignalEventId;
      next.state().schedulePaused = s.schedulePaused; // it carries on the same firing: not held
      close(s, WorkflowStatus.CONTINUED_AS_NEW);
      newRuns.add(next);
    } else if (c instanceof Command.CancelWorkflow f) {
      events.add(new HistoryEvent(id, now, new EventAttributes.WorkflowExecutionCanceled(f.failure())));
      s.failure = f.failure();
      close(s, WorkflowStatus.CANCELED);
    }
  }

  @Override
  public void failWorkflowTask(FailWorkflowTaskRequest r) {
    try (var g = enter()) {
      Execution ex = open.get(r.runId());
      if (ex == null) {
        return;
      }
      synchronized (ex) {
        if (ex.state.startedTaskToken != r.token()) {
          return;
        }
        DurableException refused = limits.failureError(r.failure(), () -> "the failure of a workflow task of '"
            + ex.state.workflowId + "' (" + r.failure().type() + ": " + Failures.cut(r.failure().message()) + ")", "");
        failStartedTask(ex, refused == null ? Failures.bounded(r.failure())
            : FailureInfo.simple(FailureInfo.APPLICATION, "dev.durable.InvalidPayload", refused.getMessage(), false),
            r.identity());
        counters.workflowTask(Counters.Outcome.FAILED);
      }
    }
  }

  private void failStartedTask(Execution ex, FailureInfo failure, String identity) {
    ExecutionState s = ex.state;
    s.startedTaskToken = 0;
    ex.disarmTaskTimeout();
    var events = new ArrayList<HistoryEvent>();
    if (s.workflowTaskAttempt == 1) {
      // Only the first failure of a streak goes into history, so a task failing for days does not grow it.
      events.add(new HistoryEvent(s.nextEventId++, now(),
          new EventAttributes.WorkflowTaskFailed(s.workflowTaskAttempt, failure, identity)));
    }
    flushBuffered(s, events);
    Duration backoff = taskBackoff(s.workflowTaskAttempt);
    s.lastWorkflowTaskFailure = failure;
    s.workflowTaskAttempt++;
    s.workflowTaskRetryAt = now().plus(backoff);
    persist(ex, events, true);
    LOG.log(System.Logger.Level.WARNING, "workflow task of ''{0}'' ({1}) failed (attempt {2}), retrying in {3}: {4}",
        s.workflowId, s.workflowType, s.workflowTaskAttempt - 1, backoff, failure.message());
    scheduleWorkflowTask(s, s.workflowTaskRetryAt);
  }

  private static Duration taskBackoff(int failedAttempt) {
    long millis = 1000L << Math.min(20, failedAttempt - 1);
    return Duration.ofMillis(Math.min(millis, MAX_TASK_BACKOFF.toMillis()));
  }

  private void workflowTaskTimedOut(String runId, long token, Duration timeout) {
    withOpen(runId, ex -> {
      if (ex.state.startedTaskToken == token) {
        failStartedTask(ex, FailureInfo.simple(FailureInfo.TIMEOUT, "dev.durable.failure.TimeoutFailure",
            "workflow task did not complete within " + timeout + "; the worker may have died or the code is stuck", false),
            "server");
        counters.workflowTask(Counters.Outcome.TIMED_OUT);
      }
    });
  }

  /** Queues the run's workflow task now, or arms a timer for {@code at}. Call with the run's lock held. */
  private void scheduleWorkflowTask(ExecutionState s, Instant at) {
    if (heldBySchedulePause(s)) {
      return; // resuming the schedule schedules it
    }
    String runId = s.runId;
    if (at != null && at.isAfter(now())) {
      timers.schedule(at, () -> withOpen(runId, ex -> {
        if (ex.state.workflowTaskPending && !ex.state.isTaskStarted() && !heldBySchedulePause(ex.state)) {
          ex.state.workflowTaskRetryAt = null;
          ex.state.taskReadyTime = now();
          workflowQueue(ex.state.taskQueue).offer(runId);
        }
      }));
    } else {
      s.workflowTaskRetryAt = null;
      s.taskReadyTime = now();
      Held mine = held.get();
      if (mine == null || !mine.keepWorkflowTask(s)) {
        workflowQueue(s.taskQueue).offer(runId);
      }
    }
  }

  // ---------------------------------------------------------------- activity tasks

  @Override
  public Optional<ActivityTask> pollActivityTask(PollRequest r) {
    return poll(r, activityQueue(r.taskQueue()), this::startActivity);
  }

  private Optional<ActivityTask> startActivity(ActivityRef ref) {
    Execution ex = open.get(ref.runId());
    if (ex == null) {
      return Optional.empty();
    }
    synchronized (ex) {
      ExecutionState s = ex.state;
      PendingActivity pa = s.activities.get(ref.seq());
      if (pa == null || pa.attempt != ref.attempt() || !PendingActivity.SCHEDULED.equals(pa.state)) {
        return Optional.empty();
      }
      Instant now = now();
      counters.activityWaited(pa.attemptScheduledTime, now);
      pa.state = PendingActivity.STARTED;
      pa.awaitingCompletionSince = null;
      if (pa.input == null) {
        pa.input = store.readEvent(s.runId, pa.scheduledEventId)
            .map(e -> ((ActivityTaskScheduled) e.attributes()).input())
            .orElseThrow(() -> new DurableException("DURABLE-303", "run " + s.runId + " lacks the event "
                + pa.scheduledEventId + " that scheduled activity " + pa.activityType));
      }
      armAttempt(ex, pa, now);
      String runId = s.runId;
      int seq = pa.seq;
      int attempt = pa.attempt;
      return Optional.of(new ActivityTask(new ActivityToken(runId, seq, attempt), s.workflowId, s.workflowType,
          pa.activityType, pa.input, pa.heartbeatDetails, pa.scheduledTime, pa.spec.startToCloseTimeout(),
          pa.spec.heartbeatTimeout()));
    }
  }

  /** Marks the attempt of {@code pa} started at {@code startedAt}; arms its start-to-close and heartbeat timeouts. */
  private void armAttempt(Execution ex, PendingActivity pa, Instant startedAt) {
    pa.startedTime = startedAt;
    String runId = ex.state.runId;
    int seq = pa.seq;
    int attempt = pa.attempt;
    if (pa.spec.startToCloseTimeout() != null) {
      ex.disarmAttemptTimeout(seq);
      ex.attemptTimeouts.put(seq, timers.schedule(Deadlines.after(startedAt, pa.spec.startToCloseTimeout()),
          () -> attemptTimedOut(runId, seq, attempt, TimeoutType.START_TO_CLOSE)));
    }
    if (pa.spec.heartbeatTimeout() != null) {
      armHeartbeat(runId, pa, later(startedAt, pa.lastHeartbeatTime));
    }
  }

  private void armHeartbeat(String runId, PendingActivity pa, Instant from) {
    int seq = pa.seq;
    int attempt = pa.attempt;
    timers.schedule(Deadlines.after(from, pa.spec.heartbeatTimeout()), () -> withOpen(runId, ex -> {
      PendingActivity cur = ex.state.activities.get(seq);
      if (cur == null || cur.attempt != attempt || !PendingActivity.STARTED.equals(cur.state)) {
        return;
      }
      Instant last = cur.lastHeartbeatTime != null && cur.lastHeartbeatTime.isAfter(cur.startedTime)
          ? cur.lastHeartbeatTime : cur.startedTime;
      if (Deadlines.after(last, cur.spec.heartbeatTimeout()).isAfter(now())) {
        armHeartbeat(runId, cur, last);
      } else {
        failAttempt(ex, cur, timeoutFailure(cur, TimeoutType.HEARTBEAT));
        counters.activityAttempt(Counters.Outcome.TIMED_OUT);
      }
    }));
  }

  private void armScheduleToClose(ExecutionState s, PendingActivity pa) {
    if (pa.spec.scheduleToCloseTimeout() != null) {
      String runId = s.runId;
      int seq = pa.seq;
      timers.schedule(Deadlines.after(pa.scheduledTime, pa.spec.scheduleToCloseTimeout()), () -> withOpen(runId, ex -> {
        PendingActivity cur = ex.state.activities.get(seq);
        if (cur != null) {
          finishActivityFailed(ex, cur, timeoutFailure(cur, TimeoutType.SCHEDULE_TO_CLOSE));
          if (!PendingActivity.BACKOFF.equals(cur.state)) { // in a backoff, no attempt was under way
            counters.activityAttempt(Counters.Outcome.TIMED_OUT);
          }
        }
      }));
    }
  }

  /** Queues one attempt. Call with the run's lock held. */
  private void enqueueActivity(ExecutionState s, PendingActivity pa) {
    String queue = pa.taskQueue != null ? pa.taskQueue : s.taskQueue;
    ActivityRef ref = new ActivityRef(s.runId, pa.seq, pa.attempt);
    Held mine = held.get();
    if (mine == null || !mine.keepActivity(queue, ref)) {
      activityQueue(queue).offer(ref);
    }
    if (pa.spec.scheduleToStartTimeout() != null) {
      String runId = s.runId;
      int seq = pa.seq;
      int attempt = pa.attempt;
      timers.schedule(Deadlines.after(pa.attemptScheduledTime, pa.spec.scheduleToStartTimeout()),
          () -> attemptTimedOut(runId, seq, attempt, TimeoutType.SCHEDULE_TO_START));
    }
  }

  private void attemptTimedOut(String runId, int seq, int attempt, TimeoutType type) {
    withOpen(runId, ex -> {
      PendingActivity pa = ex.state.activities.get(seq);
      String expectedState = type == TimeoutType.SCHEDULE_TO_START ? PendingActivity.SCHEDULED : PendingActivity.STARTED;
      if (pa == null || pa.attempt != attempt || !expectedState.equals(pa.state)) {
        return;
      }
      FailureInfo failure = timeoutFailure(pa, type);
      if (type == TimeoutType.SCHEDULE_TO_START) {
        finishActivityFailed(ex, pa, failure);
      } else {
        failAttempt(ex, pa, failure);
      }
      counters.activityAttempt(Counters.Outcome.TIMED_OUT);
    });
  }

  private static FailureInfo timeoutFailure(PendingActivity pa, TimeoutType type) {
    Duration limit = switch (type) {
      case START_TO_CLOSE -> pa.spec.startToCloseTimeout();
      case SCHEDULE_TO_START -> pa.spec.scheduleToStartTimeout();
      case SCHEDULE_TO_CLOSE -> pa.spec.scheduleToCloseTimeout();
      case HEARTBEAT -> pa.spec.heartbeatTimeout();
      default -> throw new IllegalArgumentException("not an activity timeout: " + type);
    };
    boolean retryable = type == TimeoutType.START_TO_CLOSE || type == TimeoutType.HEARTBEAT;
    var f = new FailureInfo(FailureInfo.TIMEOUT, "dev.durable.failure.TimeoutFailure",
        "activity " + pa.activityType + " attempt " + pa.attempt + " exceeded its " + type + " timeout of " + limit,
        "", pa.heartbeatDetails, !retryable, Map.of("timeoutType", type.name()), null);
    return f;
  }

  @Override
  public void completeActivityTask(ActivityToken token, Payload result) {
    withOpen(token.runId(), ex -> {
      PendingActivity pa = ex.state.activities.get(token.seq());
      if (pa == null || pa.attempt != token.attempt()) {
        return;
      }
      DurableException refused = limits.payloadError(Limits.nullable(result), () -> "the result of activity "
          + pa.activityType + " (attempt " + pa.attempt + ") of workflow '" + ex.state.workflowId + "'",
          " The attempt fails without retry.");
      if (refused != null) {
        // The same code returns the same result on every attempt: retrying cannot help.
        failAttempt(ex, pa, refusedPayload(refused));
        counters.activityAttempt(Counters.Outcome.FAILED);
        return;
      }
      ExecutionState s = ex.state;
      s.activities.remove(pa.seq);
      ex.disarmAttemptTimeout(pa.seq);
      var events = new ArrayList<HistoryEvent>();
      addInput(s, events, new EventAttributes.ActivityTaskCompleted(pa.seq, pa.scheduledEventId, pa.attempt, result));
      if (keptForHandOff(ex, events)) {
        ex.keptCompletions++; // counted once written, in persist
      } else {
        persist(ex, events, true);
        counters.activityAttempt(Counters.Outcome.COMPLETED);
      }
    });
  }

  /**
   * Keeps an activity result's events unwritten when the workflow task they made ready is handed
   * to the calling thread: that task's completion, moments later on the same thread, writes them
   * together with its own events in one synced write, so an activity step costs one write, not
   * two. Nothing outside this thread learns of the result before then (descriptions and listings
   * write it first). If the process dies in between, the result is lost and the attempt runs
   * again, as if it had died while the activity ran: activities are at-least-once either way.
   * Returns false, and keeps nothing, when the task is not handed over or the store could not
   * serve that task the events.
   */
  private boolean keptForHandOff(Execution ex, List<HistoryEvent> events) {
    ExecutionState s = ex.state;
    Held mine = held.get();
    if (mine == null || !s.runId.equals(mine.runId) || s.nextEventId - 1 >= limits.warnHistoryLength()) {
      return false;
    }
    long from = Math.max(1, s.lastCompletedTaskEventId);
    ex.tail.record(events, from);
    if (!ex.tail.holds(from, s.nextEventId - 1)) {
      return false; // the next write records them again
    }
    ex.unwritten.addAll(events);
    mine.unwritten = ex;
    return true;
  }

  @Override
  public void writeKeptResults(String runId) {
    try (var g = enter()) {
      writeUnwritten(runId);
    }
  }

  private void writeUnwritten(String runId) {
    Execution ex = open.get(runId);
    if (ex != null) {
      writeUnwritten(ex);
    }
  }

  /** Writes the run's unwritten events, if it has any (see {@link #keptForHandOff}). */
  private void writeUnwritten(Execution ex) {
    synchronized (ex) {
      written(ex);
    }
  }

  /** Writes the run's unwritten events, then returns its state: what it may show. Call under the run's lock. */
  private ExecutionState written(Execution ex) {
    if (!ex.unwritten.isEmpty() || ex.unwrittenStart != null) {
      persist(ex, List.of(), true);
    }
    return ex.state;
  }

  @Override
  public Optional<WorkflowTask> completeActivityTaskAndTakeWorkflowTask(ActivityToken token, Payload result,
      String taskQueue) {
    return holding(new Held(taskQueue, false), () -> completeActivityTask(token, result),
        mine -> startWorkflowTask(mine.runId));
  }

  @Override
  public Optional<ActivityTask> completeWorkflowTaskAndTakeActivity(CompleteWorkflowTaskRequest request,
      String taskQueue) {
    return holding(new Held(taskQueue, true), () -> completeWorkflowTask(request), mine -> startActivity(mine.activity));
  }

  /**
   * Runs {@code call} with the first task it makes ready on {@code mine}'s task queue held back
   * for the calling thread rather than queued, then starts that task with {@code start} and returns
   * it. A task that is not handed over (the call failed, or it no longer applies) is queued after all.
   */
  private <T> Optional<T> holding(Held mine, Runnable call, java.util.function.Function<Held, Optional<T>> start) {
    held.set(mine);
    try {
      call.run();
    } catch (RuntimeException e) {
      mine.release();
      throw e;
    } finally {
      held.remove();
    }
    if (mine.runId == null && mine.activity == null) {
      return Optional.empty();
    }
    Optional<T> task;
    try (var g = enter()) {
      task = start.apply(mine);
    } catch (RuntimeException e) {
      mine.release();
      throw e;
    }
    if (task.isEmpty()) {
      mine.release();
    }
    return task;
  }

  /**
   * The task a call made ready on the calling thread and kept for it instead of queuing it: a
   * workflow task (its run) or an activity attempt, of one task queue. {@link #release()} queues it.
   */
  private final class Held {
    final String taskQueue;
    final boolean forActivity;
    String runId;
    ActivityRef activity;
    /** The run whose events were kept unwritten for the held workflow task, if any. */
    Execution unwritten;
    /** When set, only a workflow task of a run of this workflow id is kept. */
    String workflowId;
    /** The run an eager start started ({@link #startForResult}). */
    Execution eagerRun;

    Held(String taskQueue, boolean forActivity) {
      this.taskQueue = taskQueue;
      this.forActivity = forActivity;
    }

    /** Keeps the run's workflow task if this holds workflow tasks of its queue and none yet. */
    boolean keepWorkflowTask(ExecutionState s) {
      if (forActivity || runId != null || !taskQueue.equals(s.taskQueue)
          || (workflowId != null && !workflowId.equals(s.workflowId))) {
        return false;
      }
      runId = s.runId;
      return true;
    }

    /** Keeps the activity attempt if this holds activities of its queue and none yet. */
    boolean keepActivity(String queue, ActivityRef ref) {
      if (!forActivity || activity != null || !taskQueue.equals(queue)) {
        return false;
      }
      activity = ref;
      return true;
    }

    void release() {
      if (unwritten != null) {
        // The task was not handed over: its events must be in the store before anyone else may take it.
        try {
          writeUnwritten(unwritten);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "could not write the result of an activity of run " + runId + ": "
              + e.getMessage() + "; the attempt runs again");
        }
        unwritten = null;
      }
      if (runId != null) {
        workflowQueue(taskQueue).offer(runId);
        runId = null;
      }
      if (activity != null) {
        activityQueue(taskQueue).offer(activity);
        activity = null;
      }
    }
  }

  @Override
  public void failActivityTask(ActivityToken token, FailureInfo failure) {
    withOpen(token.runId(), ex -> {
      PendingActivity pa = ex.state.activities.get(token.seq());
      if (pa != null && pa.attempt == token.attempt()) {
        ex.disarmAttemptTimeout(pa.seq);
        DurableException refused = limits.failureError(failure, () -> "the failure of activity " + pa.activityType
            + " (attempt " + pa.attempt + ") of workflow '" + ex.state.workflowId + "' (" + failure.type() + ": "
            + Failures.cut(failure.message()) + ")", " The attempt fails without retry.");
        // Bounded after the check of its depth: a remote worker's failure did not go through Failures.toInfo.
        failAttempt(ex, pa, refused == null ? Failures.bounded(failure) : refusedPayload(refused));
        counters.activityAttempt(Counters.Outcome.FAILED);
      }
    });
  }

  /**
   * The failure recorded in place of an activity's result or failure that could not be recorded
   * (DURABLE-223, DURABLE-228): not retryable, since the same code makes the same payload again.
   */
  private static FailureInfo refusedPayload(DurableException refused) {
    String type = "DURABLE-223".equals(refused.getCode()) ? "dev.durable.PayloadTooLarge" : "dev.durable.InvalidPayload";
    return FailureInfo.simple(FailureInfo.APPLICATION, type, refused.getMessage(), true);
  }

  /** One attempt failed: retry after a backoff if the policy and the deadline allow, else fail for good. */
  private void failAttempt(Execution ex, PendingActivity pa, FailureInfo failure) {
    ExecutionState s = ex.state;
    if (pa.cancelRequested) {
      // The attempt stopped (or timed out) after the workflow asked to cancel it: that is the acknowledgement.
      s.activities.remove(pa.seq);
      var events = new ArrayList<HistoryEvent>();
      addInput(s, events, ActivityCancellation.canceled(pa, failure));
      persist(ex, events, true);
      return;
    }
    Instant now = now();
    Instant next = Deadlines.after(now, pa.spec.retryPolicy().backoffAfter(pa.attempt));
    boolean withinDeadline = pa.spec.scheduleToCloseTimeout() == null
        || next.isBefore(Deadlines.after(pa.scheduledTime, pa.spec.scheduleToCloseTimeout()));
    if (!pa.spec.retryPolicy().allowsRetry(pa.attempt, failure) || !withinDeadline) {
      finishActivityFailed(ex, pa, failure);
      return;
    }
    pa.attempt++;
    pa.state = PendingActivity.BACKOFF;
    pa.lastFailure = failure;
    pa.nextAttemptTime = next;
    pa.startedTime = null;
    persist(ex, List.of(), true);
    String runId = s.runId;
    int seq = pa.seq;
    int attempt = pa.attempt;
    timers.schedule(next, () -> retryActivity(runId, seq, attempt));
  }

  private void retryActivity(String runId, int seq, int attempt) {
    withOpen(runId, ex -> {
      PendingActivity pa = ex.state.activities.get(seq);
      if (pa != null && pa.attempt == attempt && PendingActivity.BACKOFF.equals(pa.state)) {
        pa.state = PendingActivity.SCHEDULED;
        pa.attemptScheduledTime = now();
        pa.nextAttemptTime = null;
        enqueueActivity(ex.state, pa);
      }
    });
  }

  private void finishActivityFailed(Execution ex, PendingActivity pa, FailureInfo cause) {
    ExecutionState s = ex.state;
    s.activities.remove(pa.seq);
    FailureInfo failure = new FailureInfo(FailureInfo.ACTIVITY, "dev.durable.failure.ActivityFailure",
        "activity " + pa.activityType + " failed", "", null, false,
        Map.of("activityType", pa.activityType, "activityId", Integer.toString(pa.seq),
            "attempt", Integer.toString(pa.attempt)), cause);
    var events = new ArrayList<HistoryEvent>();
    addInput(s, events, new EventAttributes.ActivityTaskFailed(pa.seq, pa.scheduledEventId, pa.attempt, failure));
    persist(ex, events, true);
  }

  @Override
  public boolean recordHeartbeat(ActivityToken token, Payload details) {
    try (var g = enter()) {
      Execution ex = open.get(token.runId());
      if (ex == null) {
        return true;
      }
      synchronized (ex) {
        PendingActivity pa = ex.state.activities.get(token.seq());
        if (pa == null || pa.attempt != token.attempt() || ex.state.status.isClosed()) {
          return true;
        }
        limits.checkPayloads(Limits.nullable(details), () -> "the heartbeat details of activity " + pa.activityType
            + " (attempt " + pa.attempt + ") of workflow '" + ex.state.workflowId + "'", " They were not recorded.");
        pa.heartbeatDetails = details;
        pa.lastHeartbeatTime = now();
        // Progress only: not worth an fsync; it rides along with the next synced write.
        persist(ex, List.of(), false);
        // Only its own cancellation stops it: an activity of a detached scope runs on after a workflow cancel.
        return pa.cancelRequested;
      }
    }
  }

  // ---------------------------------------------------------------- activities reported from outside their worker

  /**
   * Finds the attempt the address names and hands the report to what a worker's report goes
   * through ({@link #completeActivityTask}, {@link #failActivityTask}, {@link #recordHeartbeat}),
   * under the run's lock, so that nothing changes between the check and the record. Unlike a
   * worker's report, one that cannot be recorded is refused with an error rather than dropped:
   * its caller is a person or another system, who must learn that it did not count.
   */
  @Override
  public boolean respondActivity(ActivityResponse r) {
    if (r == null || r.address() == null || r.outcome() == null) {
      throw Checks.invalid("an activity report needs an address and an outcome, got " + r);
    }
    ActivityAddress address = r.address();
    ActivityToken token = address.taskToken() != null ? TaskTokens.decode(address.taskToken()) : null;
    int seq = token != null ? token.seq() : TaskTokens.activitySeq(address.activityId());
    if (token == null) {
      Checks.name("workflowId", address.workflowId());
    }
    if (r.outcome() == ActivityOutcome.FAILED && r.failure() == null) {
      throw Checks.invalid("a failure report needs a failure, got null");
    }
    try (var g = enter()) {
      String runId = token != null ? token.runId()
          : currentRunId(address.workflowId()).orElseThrow(() -> ExternalReports.noWorkflow(address));
      Execution ex = open.get(runId);
      if (ex == null) {
        if (r.outcome() == ActivityOutcome.COMPLETES_LATER) {
          return false; // completed meanwhile, and its run closed
        }
        throw ExternalReports.runClosed(address, runId, store.readExecution(runId).orElse(null));
      }
      synchronized (ex) {
        ExecutionState s = ex.state;
        if (r.outcome() == ActivityOutcome.COMPLETES_LATER) {
          awaitCompletion(ex, seq, token);
          return false;
        }
        if (s.status.isClosed()) {
          throw ExternalReports.runClosed(address, runId, s);
        }
        PendingActivity pa = s.activities.get(seq);
        DurableException stale = ExternalReports.whyNotPending(address, s, seq, pa, token);
        if (stale != null) {
          throw stale;
        }
        ActivityToken attempt = new ActivityToken(runId, seq, pa.attempt);
        switch (r.outcome()) {
          case COMPLETED -> {
            limits.checkPayloads(Limits.nullable(r.payload()), () -> ExternalReports.what("result", s, pa),
                ExternalReports.refused());
            completeActivityTask(attempt, r.payload());
          }
          case FAILED -> {
            DurableException refused = limits.failureError(r.failure(), () -> ExternalReports.what("failure", s, pa),
                ExternalReports.refused());
            if (refused != null) {
              throw refused;
            }
            failActivityTask(attempt, r.failure());
          }
          case HEARTBEAT -> {
            return recordHeartbeat(attempt, r.payload());
          }
          case CANCELED -> {
            if (!pa.cancelRequested) {
              throw ExternalReports.noCancelRequest(address, s, pa);
            }
            limits.checkPayloads(Limits.nullable(r.payload()), () -> ExternalReports.what("cancellation details", s,
                pa), ExternalReports.refused());
            failActivityTask(attempt, ExternalReports.canceled(pa, r.payload()));
          }
          default -> throw new IllegalStateException("unknown outcome " + r.outcome());
        }
        return false;
      }
    }
  }

  /**
   * Records that the attempt of {@code token}, whose method returned, waits to be completed by its
   * token: a restart keeps it waiting instead of running it again. Nothing when the attempt has
   * already ended (its completion may come before this) or the worker's token is not one. Written
   * without a sync of its own: should the write be lost, a restart runs the attempt again, as it
   * did before the note. Call with the run's lock held.
   */
  private void awaitCompletion(Execution ex, int seq, ActivityToken token) {
    ExecutionState s = ex.state;
    PendingActivity pa = s.activities.get(seq);
    if (token == null || s.status.isClosed() || pa == null || pa.attempt != token.attempt()
        || !PendingActivity.STARTED.equals(pa.state) || pa.startedTime == null) {
      return;
    }
    pa.awaitingCompletionSince = pa.startedTime;
    persist(ex, List.of(), false);
  }

  // ---------------------------------------------------------------- timers

  /**
   * Records a timer's firing without a sync of its own: the timer thread syncs the log once after a
   * batch of them ({@link #syncFiredTimers}), so that timers due together are not fired at the
   * speed of one fsync each. Nobody is told of a firing before its sync but the run's workflow
   * task, and that task's completion is a synced write, which carries the firing to disk first. A
   * firing lost before its sync (a power loss or OS crash; a killed process loses nothing
   * written) leaves the timer pending in what is stored: it fires again after the restart.
   */
  private void fireTimer(String runId, int seq) {
    withOpen(runId, ex -> {
      Instant fireAt = ex.state.timers.remove(seq);
      if (fireAt == null) {
        return;
      }
      var events = new ArrayList<HistoryEvent>();
      addInput(ex.state, events, new EventAttributes.TimerFired(seq));
      persist(ex, events, false);
      counters.timerFired();
      firedUnsynced = true;
    });
  }

  /** The timer thread's batch end: syncs the log once for the timers it fired since the last one. */
  private void syncFiredTimers() {
    if (firedUnsynced) {
      firedUnsynced = false;
      store.awaitSynced(store.syncMark(), Duration.ZERO);
    }
  }

  /** Arms the run's execution/run timeout, if it has one. Call with the run's lock held. */
  private void armRunTimeout(ExecutionState s) {
    Instant deadline = s.timeoutDeadline();
    if (deadline != null) {
      String runId = s.runId;
      timers.schedule(deadline, () -> withOpen(runId, this::runTimedOut));
    }
  }

  /**
   * Closes a run whose execution or run timeout passed. No workflow code runs: like a terminate,
   * the server decides, so a workflow task running now is rejected when it completes.
   */
  private void runTimedOut(Execution ex) {
    ExecutionState s = ex.state;
    Instant executionDeadline = s.executionDeadline();
    boolean runLimit = s.workflowRunTimeout != null
        && (executionDeadline == null
            || Deadlines.after(s.startTime, s.workflowRunTimeout).isBefore(executionDeadline));
    TimeoutType type = runLimit ? TimeoutType.WORKFLOW_RUN : TimeoutType.WORKFLOW_EXECUTION;
    Duration limit = runLimit ? s.workflowRunTimeout : s.workflowExecutionTimeout;
    String message = "DURABLE-227 workflow '" + s.workflowId + "' (" + s.workflowType + ", run " + s.runId
        + ") did not finish within its " + (runLimit ? "workflow run timeout" : "workflow execution timeout")
        + " of " + limit + "; the server closed it. Raise the timeout in WorkflowOptions if the work needs longer.";
    FailureInfo failure = new FailureInfo(FailureInfo.TIMEOUT, "dev.durable.failure.TimeoutFailure", message, "",
        null, true, Map.of("timeoutType", type.name()), null);
    var events = new ArrayList<HistoryEvent>();
    flushBuffered(s, events);
    events.add(new HistoryEvent(s.nextEventId++, now(), new EventAttributes.WorkflowExecutionTimedOut(failure)));
    s.failure = failure;
    close(s, WorkflowStatus.TIMED_OUT);
    // Only a run timeout is retried (or followed by the next cron run): the execution timeout bounds the whole chain.
    Instant now = now();
    List<Store.Transition> retry = runLimit ? retryRun(s, failure, now).or(() -> cronRun(s, now)).map(List::of)
        .orElse(List.of()) : List.of();
    persist(ex, events, true, retry);
    LOG.log(System.Logger.Level.INFO, message);
  }

  // ---------------------------------------------------------------- child workflows and run chains

  /**
   * Runs {@code action} soon on the timer thread, outside any run's lock: work that spans two runs
   * (starting a child, telling a parent, applying a parent close policy) takes their locks one
   * after the other, never one inside the other. Each action checks the stored state first, so it
   * is harmless twice; {@link #recover()} runs them again for what a crash cut off.
   */
  private void followUp(Runnable action) {
    followUp(now(), action);
  }

  /** Like {@link #followUp(Runnable)}, at {@code at}. */
  private void followUp(Instant at, Runnable action) {
    // Only work due now holds time skipping back; a later follow-up is a timer like any other.
    boolean due = !at.isAfter(now());
    if (due) {
      followUps.incrementAndGet();
    }
    timers.schedule(at, () -> {
      try (var g = enter()) {
        action.run();
      } catch (DurableException e) {
        if (!closed) {
          throw e;
        }
      } finally {
        if (due) {
          followUps.decrementAndGet();
        }
      }
    });
  }

  /** Work due when a run closed: tell its parent, apply its children's parent close policy. */
  private void afterClose(ExecutionState s) {
    if (s.links.parentRunId() != null && s.nextRunId == null) {
      String runId = s.runId;
      followUp(() -> reportChainEnd(runId));
    }
    for (PendingChild c : s.childrenAtClose) {
      if (PendingChild.STARTED.equals(c.state) && !"ABANDON".equals(c.parentClosePolicy)) {
        followUp(() -> applyParentClose(c.runId, s));
      }
    }
    s.childrenAtClose = List.of();
  }

  /** Returns the transition of the run that retries {@code s}, which just closed with {@code failure}, if any. */
  private Optional<Store.Transition> retryRun(ExecutionState s, FailureInfo failure, Instant now) {
    Duration backoff = RunChains.retryBackoff(s, failure, now);
    if (backoff == null) {
      return Optional.empty();
    }
    Store.Transition next = followingRun(s, s.links.attempt() + 1, backoff, now);
    LOG.log(System.Logger.Level.INFO, "workflow ''{0}'' ({1}) run {2} failed (attempt {3}); retrying as run {4} in {5}",
        s.workflowId, s.workflowType, s.runId, s.links.attempt(), s.nextRunId, backoff);
    return Optional.of(next);
  }

  /**
   * Returns the transition of the next run of the cron schedule of {@code s}, which just closed
   * and is not retried: it starts now, and its first workflow task waits until the schedule next
   * fires. None without a schedule, or when that firing is at or after the execution deadline.
   */
  private Optional<Store.Transition> cronRun(ExecutionState s, Instant now) {
    String cron = s.links.cronSchedule();
    if (cron == null) {
      return Optional.empty();
    }
    Instant at = CronSchedule.parse(cron).next(now);
    Instant deadline = s.executionDeadline();
    if (at == null || (deadline != null && !at.isBefore(deadline))) {
      return Optional.empty();
    }
    Store.Transition next = followingRun(s, 1, Duration.between(now, at), now);
    LOG.log(System.Logger.Level.DEBUG, "workflow ''{0}'' ({1}) run {2} closed as {3}; its cron schedule ''{4}'' starts"
        + " run {5} at {6}", s.workflowId, s.workflowType, s.runId, s.status, cron, s.nextRunId, at);
    return Optional.of(next);
  }

  /**
   * A retry or the next cron run of {@code s}: the same workflow, with the first run's input, after
   * {@code backoff}. A run of a cron schedule carries the result of the last run that completed:
   * {@code s}'s when it completed, else the one {@code s} was given.
   */
  private Store.Transition followingRun(ExecutionState s, int attempt, Duration backoff, Instant now) {
    var started = startedEvent(s);
    Payload lastCompletion = s.links.cronSchedule() == null ? null
        : s.status == WorkflowStatus.COMPLETED ? s.result : started.lastCompletionResult();
    var spec = new RunChains.Spec(s.workflowId, s.workflowType, s.taskQueue, started.input(), s.workflowTaskTimeout,
        s.workflowExecutionTimeout, s.workflowRunTimeout, RunChains.following(s, attempt, backoff), s.searchAttributes,
        lastCompletion);
    Store.Transition next = RunChains.start(spec, now, List.of());
    s.nextRunId = next.state().runId;
    next.state().lastParentSignalEventId = s.lastParentSignalEventId;
    next.state().schedulePaused = s.schedulePaused;
    return next;
  }

  /** The {@code WorkflowExecutionStarted} of {@code s}, from memory while its start is unwritten. */
  private EventAttributes.WorkflowExecutionStarted startedEvent(ExecutionState s) {
    Execution ex = open.get(s.runId);
    List<HistoryEvent> unwrittenStart = ex == null ? null : ex.unwrittenStart; // its first task closed the run
    return (EventAttributes.WorkflowExecutionStarted) (unwrittenStart != null ? unwrittenStart.get(0)
        : store.readEvent(s.runId, 1).orElseThrow(() -> new DurableException("DURABLE-303", "run " + s.runId
            + " lacks its start event"))).attributes();
  }

  /**
   * Starts the child that the parent run initiated as {@code seq}, and records its start in the
   * parent in the same write; or records why it could not start. The child's workflow id start
   * lock is taken first, then the parent's lock, as a client's start takes the id's lock first.
   */
  private void startChild(String parentRunId, int seq) {
    Execution parent = open.get(parentRunId);
    if (parent == null) {
      return;
    }
    EventAttributes.StartChildWorkflowExecutionInitiated init;
    synchronized (parent) {
      PendingChild pc = parent.state.children.get(seq);
      if (parent.state.status.isClosed() || pc == null || !PendingChild.INITIATED.equals(pc.state)) {
        return;
      }
      init = (EventAttributes.StartChildWorkflowExecutionInitiated) store.readEvent(parentRunId, pc.initiatedEventId)
          .orElseThrow(() -> new DurableException("DURABLE-303", "run " + parentRunId + " lacks the event "
              + pc.initiatedEventId + " that initiated child workflow " + pc.workflowId))
          .attributes();
    }
    synchronized (startLock(init.workflowId())) {
      FailureInfo refused = null;
      Optional<String> existing = currentRunId(init.workflowId());
      if (existing.isPresent()) {
        Execution running = open.get(existing.get());
        boolean isRunning = false;
        if (running != null) {
          synchronized (running) {
            isRunning = !running.state.status.isClosed();
          }
        }
        if (isRunning) {
          refused = ChildWorkflows.alreadyStarted("DURABLE-208 child workflow '" + init.workflowId() + "' ("
              + init.workflowType() + ") was not started: a run with this workflow id is running (run "
              + existing.get() + "). Give each child its own id, or wait for the other run to close.");
        } else {
          WorkflowIdReusePolicy policy = init.workflowIdReusePolicy() == null ? WorkflowIdReusePolicy.ALLOW_DUPLICATE
              : WorkflowIdReusePolicy.valueOf(init.workflowIdReusePolicy());
          try {
            checkReuse(new StartRequest(init.workflowId(), init.workflowType(), init.taskQueue(), List.of(),
                init.workflowTaskTimeout()), policy, existing.get());
          } catch (WorkflowAlreadyStartedException e) {
            refused = ChildWorkflows.alreadyStarted(e.getMessage());
          }
        }
      }
      synchronized (parent) {
        ExecutionState ps = parent.state;
        PendingChild pc = ps.children.get(seq);
        if (ps.status.isClosed() || pc == null || !PendingChild.INITIATED.equals(pc.state)) {
          return;
        }
        var events = new ArrayList<HistoryEvent>();
        if (refused != null) {
          ps.children.remove(seq);
          addInput(ps, events, new EventAttributes.StartChildWorkflowExecutionFailed(seq, pc.initiatedEventId,
              pc.workflowId, refused));
          persist(parent, events, true);
          return;
        }
        RunLinks links = new RunLinks(ps.workflowId, ps.runId, pc.initiatedEventId, init.parentClosePolicy(), null, 1,
            init.retryPolicy(), null, null, null);
        // A cancel and the signals the parent sent before the child started are in the child's first write.
        List<EventAttributes> first = new ArrayList<>();
        if (pc.cancelRequested) {
          first.add(new EventAttributes.WorkflowExecutionCancelRequested("requested by parent workflow '"
              + ps.workflowId + "' (run " + ps.runId + ")"));
        }
        for (long signalEventId : pc.signalsToDeliver) {
          var sig = (EventAttributes.SignalChildWorkflowExecutionInitiated) store.readEvent(ps.runId, signalEventId)
              .orElseThrow(() -> new DurableException("DURABLE-303", "run " + ps.runId + " lacks its event "
                  + signalEventId))
              .attributes();
          first.add(new EventAttributes.WorkflowExecutionSignaled(sig.signalName(), sig.input()));
        }
        Store.Transition child = RunChains.start(new RunChains.Spec(init.workflowId(), init.workflowType(),
            init.taskQueue(), init.input(), init.workflowTaskTimeout(), init.workflowExecutionTimeout(),
            init.workflowRunTimeout(), links, null), now(), first);
        child.state().cancelRequested = pc.cancelRequested;
        if (!pc.signalsToDeliver.isEmpty()) {
          child.state().lastParentSignalEventId = pc.signalsToDeliver.get(pc.signalsToDeliver.size() - 1);
          pc.signalsToDeliver.clear();
        }
        pc.state = PendingChild.STARTED;
        pc.runId = child.state().runId;
        addInput(ps, events, new EventAttributes.ChildWorkflowExecutionStarted(seq, pc.initiatedEventId,
            pc.workflowId, pc.runId));
        persist(parent, events, true, List.of(child));
      }
    }
  }

  /**
   * Follows a child's chain from {@code runId} (through continue-as-new and retries) and, when
   * its last run is closed, records the outcome in the parent that waits for it.
   */
  private void reportChainEnd(String runId) {
    ExecutionState child = lastOfChain(runId);
    if (child == null || !child.status.isClosed() || child.links.parentRunId() == null) {
      return;
    }
    Execution parent = open.get(child.links.parentRunId());
    if (parent == null) {
      return; // the parent closed first; its close policy decided the child's fate
    }
    synchronized (parent) {
      ExecutionState ps = parent.state;
      if (ps.status.isClosed()) {
        return;
      }
      PendingChild pc = null;
      for (PendingChild c : ps.children.values()) {
        if (c.initiatedEventId == child.links.parentInitiatedEventId()) {
          pc = c;
        }
      }
      if (pc == null || !PendingChild.STARTED.equals(pc.state)) {
        return;
      }
      ps.children.remove(pc.seq);
      var events = new ArrayList<HistoryEvent>();
      addInput(ps, events, ChildWorkflows.outcome(pc, child));
      persist(parent, events, true);
    }
  }

  /** The last run of the chain that starts at {@code runId}; null if unknown. */
  private ExecutionState lastOfChain(String runId) {
    String id = runId;
    while (true) {
      Execution ex = open.get(id);
      ExecutionState s;
      if (ex != null) {
        synchronized (ex) {
          s = ex.state;
        }
      } else {
        s = store.readExecution(id).orElse(null);
      }
      if (s == null || s.nextRunId == null) {
        return s;
      }
      id = s.nextRunId;
    }
  }

  /**
   * Records a signal or cancel request to another workflow as pending in run {@code s} and queues
   * its delivery, which runs once the run's lock is free (after the write that records it; it
   * finds nothing to do if that write failed).
   */
  private void requestExternal(ExecutionState s, int seq, long initiatedEventId) {
    if (s.externalRequests.isEmpty()) {
      s.externalRequests = new TreeMap<>(); // in place of the shared empty map
    }
    s.externalRequests.put(seq, initiatedEventId);
    Execution source = open.get(s.runId);
    if (source != null) { // it is: a run's tasks complete while it is open
      followUp(() -> deliverExternal(source, seq, false));
    }
  }

  /**
   * Delivers the signal or cancel request {@code seq} that run {@code source} sent to another
   * workflow to that workflow's current run, then records the outcome in the source. The two are
   * separate writes: a delivery re-driven after a crash or a failed write ({@code redriven}) first
   * looks for the signal in the receiver's runs, so that it arrives once (a cancel request is
   * recorded once anyway). A source that closed meanwhile (its last task sent the request) still
   * has it delivered, and records no outcome.
   */
  private void deliverExternal(Execution source, int seq, boolean redriven) {
    HistoryEvent initiated;
    String sourceWorkflowId;
    String sourceRunId;
    synchronized (source) {
      ExecutionState ss = source.state;
      Long id = ss.externalRequests.get(seq);
      if (id == null) {
        return; // delivered, or the write that recorded it failed
      }
      sourceWorkflowId = ss.workflowId;
      sourceRunId = ss.runId;
      initiated = store.readEvent(sourceRunId, id)
          .orElseThrow(() -> new DurableException("DURABLE-303", "run " + sourceRunId + " lacks its event " + id));
    }
    boolean signal = initiated.attributes() instanceof EventAttributes.SignalExternalWorkflowExecutionInitiated;
    String targetId;
    String targetRunId;
    if (signal) {
      var si = (EventAttributes.SignalExternalWorkflowExecutionInitiated) initiated.attributes();
      targetId = si.workflowId();
      targetRunId = si.runId();
    } else {
      var ci = (EventAttributes.RequestCancelExternalWorkflowExecutionInitiated) initiated.attributes();
      targetId = ci.workflowId();
      targetRunId = ci.runId();
    }
    var sender = new EventAttributes.ExternalSender(sourceWorkflowId, sourceRunId, initiated.eventId());
    // A named run, if it is one of the id's; else the id's latest run.
    Optional<String> latest = targetRunId != null ? Optional.of(targetRunId) : currentRunId(targetId);
    Execution target = latest.map(open::get).filter(t -> t.state.workflowId.equals(targetId)).orElse(null);
    String deliveredTo = null;
    if (target != null) {
      synchronized (target) {
        ExecutionState ts = target.state;
        if (!ts.status.isClosed()) {
          deliveredTo = ts.runId;
          try {
            if (!signal) {
              requestCancel(target, "requested by workflow '" + sourceWorkflowId + "' (run " + sourceRunId + ")");
            } else if (!redriven || !signalArrived(ts, sender, initiated.timestamp())) {
              var si = (EventAttributes.SignalExternalWorkflowExecutionInitiated) initiated.attributes();
              var events = new ArrayList<HistoryEvent>();
              addInput(ts, events, new EventAttributes.WorkflowExecutionSignaled(si.signalName(), si.input(), sender));
              persist(target, events, true);
            }
          } catch (RuntimeException e) {
            // The write failed, perhaps after it was recorded: try again later, looking for it first.
            followUp(now().plus(STORAGE_RETRY_DELAY), () -> deliverExternal(source, seq, true));
            throw e;
          }
        }
      }
    }
    EventAttributes outcome;
    if (deliveredTo == null) {
      FailureInfo failure = ExternalRequests.notDelivered(targetId, targetRunId, signal, latest.orElse(null));
      outcome = signal
          ? new EventAttributes.SignalExternalWorkflowExecutionFailed(seq, initiated.eventId(), targetId, failure)
          : new EventAttributes.RequestCancelExternalWorkflowExecutionFailed(seq, initiated.eventId(), targetId,
              failure);
    } else {
      outcome = signal
          ? new EventAttributes.ExternalWorkflowExecutionSignaled(seq, initiated.eventId(), targetId, deliveredTo)
          : new EventAttributes.ExternalWorkflowExecutionCancelRequested(seq, initiated.eventId(), targetId,
              deliveredTo);
    }
    synchronized (source) {
      ExecutionState ss = source.state;
      if (!Long.valueOf(initiated.eventId()).equals(ss.externalRequests.get(seq))) {
        return;
      }
      if (!ss.status.isClosed()) {
        ss.externalRequests.remove(seq);
        var events = new ArrayList<HistoryEvent>();
        addInput(ss, events, outcome);
        persist(source, events, true);
        return;
      }
    }
    forgetDelivered(source, seq); // outside the run's lock: it takes the id's
  }

  /**
   * Removes the delivered request {@code seq} from the stored state of run {@code source}, which
   * the server closed while the request was in flight: a closed run records no outcome, and a
   * restart no longer loads it to deliver the request again. Reads the stored state under the
   * id's lock, as the other writes of a closed run do (a reset links it to its replacement). A
   * failed write is tried again later.
   */
  private void forgetDelivered(Execution source, int seq) {
    String workflowId;
    String runId;
    synchronized (source) {
      workflowId = source.state.workflowId;
      runId = source.state.runId;
    }
    synchronized (startLock(workflowId)) {
      ExecutionState stored = store.readExecution(runId).orElse(null);
      if (stored != null && stored.externalRequests.containsKey(seq)) {
        stored.externalRequests = without(stored.externalRequests, seq);
        try {
          store.apply(new Store.Transition(stored, List.of(), false, true));
        } catch (RuntimeException e) {
          followUp(now().plus(STORAGE_RETRY_DELAY), () -> deliverExternal(source, seq, true));
          throw e;
        }
      }
    }
    synchronized (source) { // a copy, not a change: a run closed in this process is shared with RecentlyClosed
      source.state.externalRequests = without(source.state.externalRequests, seq);
    }
  }

  private static Map<Integer, Long> without(Map<Integer, Long> requests, int seq) {
    Map<Integer, Long> rest = new TreeMap<>(requests);
    rest.remove(seq);
    return rest;
  }

  /**
   * Whether {@code sender}'s signal is already in the history of open run {@code ts} or of the runs
   * of its chain before it that were still open when the signal was sent at {@code sentAt}. Only a
   * re-driven delivery asks: it reads those histories.
   */
  private boolean signalArrived(ExecutionState ts, EventAttributes.ExternalSender sender, Instant sentAt) {
    if (ts.bufferedEvents.stream().anyMatch(e -> ExternalRequests.from(e, sender))) {
      return true;
    }
    ExecutionState run = ts;
    while (run != null && (run.closeTime == null || !run.closeTime.isBefore(sentAt))) {
      if (store.readHistory(run.runId, 1).stream().anyMatch(e -> ExternalRequests.from(e, sender))) {
        return true;
      }
      String previous = run.links.continuedFromRunId();
      run = previous == null ? null : store.readExecution(previous).orElse(null);
    }
    return false;
  }

  /**
   * Delivers the signals the parent run sent to its child {@code seq} to the child's current run,
   * then clears them in the parent. A crash between the two writes is harmless: the child's run
   * records the last parent signal it got, and the re-driven delivery skips it.
   */
  private void deliverChildSignals(String parentRunId, int seq) {
    Execution parent = open.get(parentRunId);
    if (parent == null) {
      return;
    }
    List<Long> ids;
    String childRunId;
    List<EventAttributes.SignalChildWorkflowExecutionInitiated> signals = new ArrayList<>();
    synchronized (parent) {
      PendingChild pc = parent.state.children.get(seq);
      if (parent.state.status.isClosed() || pc == null || !PendingChild.STARTED.equals(pc.state)
          || pc.signalsToDeliver.isEmpty()) {
        return;
      }
      ids = List.copyOf(pc.signalsToDeliver);
      childRunId = pc.runId;
      for (long id : ids) {
        signals.add((EventAttributes.SignalChildWorkflowExecutionInitiated) store.readEvent(parentRunId, id)
            .orElseThrow(() -> new DurableException("DURABLE-303", "run " + parentRunId + " lacks its event " + id))
            .attributes());
      }
    }
    ExecutionState last = lastOfChain(childRunId);
    Execution child = last == null ? null : open.get(last.runId);
    boolean delivered = false;
    if (child != null) {
      synchronized (child) {
        ExecutionState cs = child.state;
        if (!cs.status.isClosed() && parentRunId.equals(cs.links.parentRunId())) {
          var events = new ArrayList<HistoryEvent>();
          for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) > cs.lastParentSignalEventId) {
              addInput(cs, events, new EventAttributes.WorkflowExecutionSignaled(signals.get(i).signalName(),
                  signals.get(i).input()));
              cs.lastParentSignalEventId = ids.get(i);
            }
          }
          persist(child, events, true);
          delivered = true;
        }
      }
    }
    if (!delivered) {
      LOG.log(System.Logger.Level.WARNING, "DURABLE-219 {0} signal(s) from run {1} to its child {2} were dropped: the"
          + " child has closed", ids.size(), parentRunId, signals.get(0).workflowId());
    }
    synchronized (parent) {
      PendingChild pc = parent.state.children.get(seq);
      if (!parent.state.status.isClosed() && pc != null && pc.signalsToDeliver.removeAll(ids)) {
        persist(parent, List.of(), true);
      }
    }
  }

  /** Asks the open run of a child chain to cancel, on behalf of its parent run. */
  private void cancelChild(String parentRunId, String childRunId) {
    ExecutionState last = lastOfChain(childRunId);
    Execution ex = last == null ? null : open.get(last.runId);
    if (ex == null) {
      return;
    }
    synchronized (ex) {
      ExecutionState s = ex.state;
      if (!s.status.isClosed() && parentRunId.equals(s.links.parentRunId())) {
        requestCancel(ex, "requested by parent workflow '" + s.links.parentWorkflowId() + "' (run " + parentRunId + ")");
      }
    }
  }

  /** On recovery: applies the parent close policy to the open child run {@code runId} if its parent has closed. */
  private void applyParentCloseIfClosed(String runId) {
    Execution ex = open.get(runId);
    if (ex == null) {
      return;
    }
    RunLinks links;
    synchronized (ex) {
      links = ex.state.links;
    }
    if (open.containsKey(links.parentRunId()) || "ABANDON".equals(links.parentClosePolicy())) {
      return;
    }
    ExecutionState parent = store.readExecution(links.parentRunId()).orElse(null);
    if (parent == null) {
      // Neither open nor stored: the parent closed and was deleted (retention, or a client's delete).
      applyParentClose(runId, links.parentRunId(), "parent workflow '" + links.parentWorkflowId() + "' (run "
          + links.parentRunId() + ") closed and was deleted");
    } else if (parent.status.isClosed()) {
      applyParentClose(runId, parent);
    }
  }

  /**
   * Applies the parent close policy to the open run of the child chain that starts at {@code childRunId}:
   * {@code TERMINATE} terminates it, {@code REQUEST_CANCEL} asks it to cancel.
   */
  private void applyParentClose(String childRunId, ExecutionState parent) {
    applyParentClose(childRunId, parent.runId, "parent workflow '" + parent.workflowId + "' (run " + parent.runId
        + ") closed as " + parent.status);
  }

  private void applyParentClose(String childRunId, String parentRunId, String parentClosed) {
    ExecutionState last = lastOfChain(childRunId);
    Execution ex = last == null ? null : open.get(last.runId);
    if (ex == null) {
      return;
    }
    synchronized (ex) {
      ExecutionState s = ex.state;
      if (s.status.isClosed() || !parentRunId.equals(s.links.parentRunId())) {
        return;
      }
      String why = parentClosed + "; parent close policy " + s.links.parentClosePolicy();
      if ("REQUEST_CANCEL".equals(s.links.parentClosePolicy())) {
        requestCancel(ex, why);
      } else {
        terminate(ex, why);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Records an input event: appended now when no workflow task runs, else buffered until the
   * running task completes (so that replay sees events in the order the code saw them).
   */
  private void addInput(ExecutionState s, List<HistoryEvent> events, EventAttributes attributes) {
    Instant now = now();
    if (s.isTaskStarted()) {
      s.bufferedEvents.add(new HistoryEvent(0, now, attributes));
      return;
    }
    // Events held back for a task that never completed (it died with the previous process, or its
    // write failed) were accepted first, so they go first.
    flushBuffered(s, events);
    events.add(new HistoryEvent(s.nextEventId++, now, attributes));
    if (!s.workflowTaskPending) {
      s.workflowTaskPending = true;
      scheduleWorkflowTask(s, null);
    }
  }

  private void flushBuffered(ExecutionState s, List<HistoryEvent> events) {
    for (HistoryEvent e : s.bufferedEvents) {
      events.add(e.withEventId(s.nextEventId++));
    }
    s.bufferedEvents.clear();
  }

  private void close(ExecutionState s, WorkflowStatus status) {
    s.status = status;
    s.closeTime = now();
    s.activities.clear();
    s.timers.clear();
    s.childrenAtClose = List.copyOf(s.children.values());
    s.children.clear();
    s.startedTaskToken = 0;
    s.workflowTaskPending = false;
  }

  /**
   * Writes the run's new state with its new events. If the write fails, the in-memory state is
   * replaced by what the store holds, so nothing unrecorded stays visible, and the run's pending
   * work is re-armed from it after {@link #STORAGE_RETRY_DELAY} (what was queued or armed for the
   * lost change is gone, and a result whose write failed must be produced again).
   */
  private void persist(Execution ex, List<HistoryEvent> events, boolean durable) {
    persist(ex, events, durable, List.of());
  }

  /**
   * Like {@link #persist(Execution, List, boolean)}, with transitions of other runs in the same
   * write (new runs: the continuation of this one, or a child it starts), which start being
   * served once the write succeeded.
   */
  private void persist(Execution ex, List<HistoryEvent> events, boolean durable, List<Store.Transition> others) {
    ExecutionState s = ex.state;
    List<HistoryEvent> start = ex.unwrittenStart;
    int kept = ex.unwritten.size() + (start == null ? 0 : start.size());
    if (kept > 0) {
      List<HistoryEvent> all = new ArrayList<>(kept + events.size());
      if (start != null) {
        all.addAll(start);
      }
      all.addAll(ex.unwritten);
      all.addAll(events);
      events = all;
    }
    events = limitHistory(s, events);
    // A run's start is acknowledged only once synced. The write that carries it is synced, unless its
    // starting call waits for this write (its first task's completion, handed over) and nothing else
    // learns of this write's outcome now (a close, a new run, an answered query). Then the starting
    // call waits instead for a later synced write to carry this one to disk (awaitStartSynced),
    // while the run goes on: its first activity may run before the start is on disk. A killed
    // process loses nothing written; should the power fail (or the OS crash) before the sync, the
    // start was never acknowledged, and the activity ran once more than recorded, as when a process
    // dies while an activity runs.
    boolean unsyncedStart = start != null && ex.startWaiting && !s.status.isClosed() && others.isEmpty()
        && ex.waitingQueries.isEmpty();
    if (unsyncedStart) {
      // Counted before the write: whoever finds the start in the store next counts it, and syncs first.
      unsyncedStarts.incrementAndGet();
    }
    try {
      Store.Transition own = new Store.Transition(s, events, start != null, !unsyncedStart && (durable || start != null));
      long syncMark;
      if (others.isEmpty()) {
        syncMark = store.apply(own);
      } else {
        List<Store.Transition> all = new ArrayList<>();
        all.add(own);
        all.addAll(others);
        syncMark = store.applyAll(all);
      }
      ex.unwritten.clear();
      ex.tail.record(events.subList(kept, events.size()), Math.max(1, s.lastCompletedTaskEventId));
      if (ex.keptCompletions > 0) {
        counters.activityAttempts(Counters.Outcome.COMPLETED, ex.keptCompletions);
        ex.keptCompletions = 0;
      }
      if (start != null) {
        counters.runStarted();
        if (unsyncedStart) {
          ex.startSyncMark = syncMark; // taken right after the write: a sync that begins later carries it
          if (ex.eagerStart) {
            // Its caller runs the chain that follows, which may take long (a carried activity): the
            // start is on disk within the time a waiting start call gives a later write to carry it.
            // Upkeep: a test's time-skipping clock does not jump to it.
            timers.scheduleHousekeeping(now().plus(firstTaskWait), () -> syncQuietly(syncMark));
          }
        }
        ex.unwrittenStart = null;
        forgetKeptStart(ex);
        ex.notifyAll(); // the start waits for this write
      }
    } catch (RuntimeException e) {
      if (unsyncedStart) {
        unsyncedStarts.decrementAndGet();
      }
      restoreStored(ex, e);
      throw e;
    }
    if (s.status.isClosed()) {
      // Queued before the run that continues this one is served: the follow-up that closes a child
      // under this run's close policy runs before one that starts a child of the same id in that run.
      afterClose(s);
    }
    for (Store.Transition t : others) {
      if (t.newRun()) {
        registerNewRun(t.state());
      }
    }
    if (s.status.isClosed()) {
      recentlyClosed.add(s);
      if (open.remove(s.runId) != null) { // once per run, should a closed run ever be written again
        counters.runClosed(s.status);
        counters.runLasted(s.firstTaskAt != null ? s.firstTaskAt : s.startTime, s.closeTime);
      }
      updates.runClosed(s);
      ex.closed.complete(s);
    }
    if (!ex.waitingQueries.isEmpty()
        && (s.status.isClosed() || !s.workflowTaskPending || s.workflowTaskAttempt > 1)) {
      ex.waitingQueries.forEach(Runnable::run);
      ex.waitingQueries.clear();
    }
    changeListener.run();
  }

  /**
   * After a change of the run failed, while it was applied in memory or written: makes the run in
   * memory what the store holds again, so nothing unrecorded stays visible or gets written with a
   * later change, and re-arms its pending work after {@link #STORAGE_RETRY_DELAY}. A run whose start
   * was not written is dropped (its start fails with {@code e}); a store that cannot even be read
   * stops the server. The caller throws {@code e} next.
   */
  private void restoreStored(Execution ex, RuntimeException e) {
    ExecutionState s = ex.state;
    // The tail may hold unwritten events whose ids the next events will reuse.
    ex.unwritten.clear();
    ex.keptCompletions = 0; // lost with the write: the attempts run again
    ex.tail.clear();
    if (stopIfStoreLost(e)) {
      failStart(ex, e);
      return;
    }
    Optional<ExecutionState> stored;
    try {
      stored = store.readExecution(s.runId);
    } catch (RuntimeException readFailed) {
      // The store can neither take the change nor say what it holds: serving on could show the
      // unrecorded change, or write it with a later one. Stop, as a crash would; a restart loads what is stored.
      e.addSuppressed(readFailed);
      stopItself(e, "workflow '" + s.workflowId + "': a change failed and reading back what was stored failed too;"
          + " the server stops serving. Fix the disk (or the database), then restart the server.",
          "the server stopped after a storage failure");
      failStart(ex, e);
      return;
    }
    if (ex.unwrittenStart != null) {
      if (stored.isEmpty()) {
        // Nothing of the run is stored: drop it, so its task's completion is refused, and fail its start.
        open.remove(s.runId);
        failStart(ex, e);
        return;
      }
      if (!syncRecorded(e)) {
        open.remove(s.runId);
        failStart(ex, e);
        return;
      }
      ex.unwrittenStart = null; // recorded after all (only the acknowledgement was lost): the start succeeds
      counters.runStarted();
      forgetKeptStart(ex);
      ex.notifyAll();
    }
    ex.state = stored.orElse(s);
    if (!ex.state.status.isClosed()) {
      rearm(ex.state, now().plus(STORAGE_RETRY_DELAY));
    }
  }

  /**
   * Whether {@code e}, from a write, says that another server took the store over (DURABLE-311):
   * then this server stops serving, for nothing it holds in memory may be shown or written any more.
   */
  private boolean stopIfStoreLost(RuntimeException e) {
    if (!(e instanceof DurableException d) || !"DURABLE-311".equals(d.getCode())) {
      return false;
    }
    stopItself(e, "the server stops serving: " + e.getMessage(), "the server stopped: another server took its store over");
    return true;
  }

  /**
   * Stops serving after the storage failure {@code e}, logging {@code log} the first time: every
   * later call fails with DURABLE-213 quoting {@code e}; see {@link #stoppedItself()}.
   */
  private void stopItself(RuntimeException e, String log, String why) {
    synchronized (stoppedItself) {
      if (stoppedBy == null) {
        stoppedBy = e;
        LOG.log(System.Logger.Level.ERROR, log, e);
      }
    }
    stopServing(why);
    stoppedItself.complete(stoppedBy);
  }

  /**
   * Completed with the storage failure after which the server stopped serving by itself (a write
   * failed and reading back what was stored failed too, or another server took the store over);
   * never completed by {@link #close()}.
   */
  public CompletableFuture<RuntimeException> stoppedItself() {
    return stoppedItself;
  }

  /**
   * Fails the start waiting in {@link #awaitStartWritten} for the run's unwritten start, if any, with
   * {@code e}; or, for a start kept for its waiting caller, that caller's wait for the result.
   */
  private void failStart(Execution ex, RuntimeException e) {
    if (ex.unwrittenStart != null) {
      ex.startFailure = e;
      if (forgetKeptStart(ex)) {
        ex.closed.completeExceptionally(e);
      }
      ex.notifyAll();
    }
  }

  /** Forgets the run's start as kept for its waiting caller, once written or dropped; returns whether it was. */
  private boolean forgetKeptStart(Execution ex) {
    if (ex.keptStartTimeout == null) {
      return false;
    }
    ex.keptStartTimeout.cancel();
    ex.keptStartTimeout = null;
    startsKeptForResult.remove(ex.state.workflowId, ex);
    return true;
  }

  /**
   * Applies the history length limit to a change about to be written: logs once when the history
   * reaches a fifth of the limit, and terminates the run in the same write when it reaches the
   * limit. Returns the events to write.
   */
  private List<HistoryEvent> limitHistory(ExecutionState s, List<HistoryEvent> events) {
    long length = s.nextEventId - 1;
    long warnAt = limits.warnHistoryLength();
    if (length >= warnAt && length - events.size() < warnAt) {
      LOG.log(System.Logger.Level.WARNING, "DURABLE-225 the history of workflow ''{0}'' ({1}, run {2}) has reached {3}"
          + " events; at {4} the run is terminated (DURABLE-224). Every replay reads the whole history: use"
          + " Workflow.continueAsNew to carry on in a fresh run with an empty history, or split long work into"
          + " several workflows.", s.workflowId, s.workflowType, s.runId,
          length, limits.maxHistoryLength());
    }
    if (s.status.isClosed() || length < limits.maxHistoryLength()) {
      return events;
    }
    List<HistoryEvent> out = new ArrayList<>(events);
    flushBuffered(s, out);
    String reason = "DURABLE-224 workflow '" + s.workflowId + "' (" + s.workflowType + ") was terminated: its history"
        + " reached " + Limits.count(s.nextEventId - 1) + " events, the limit is "
        + Limits.count(limits.maxHistoryLength()) + ". Use Workflow.continueAsNew to carry on in a fresh run before"
        + " the limit, split long work into several workflows, or raise the limit with"
        + " DurableServer.Builder.setMaxHistoryLength.";
    out.add(new HistoryEvent(s.nextEventId++, now(), new EventAttributes.WorkflowExecutionTerminated(reason)));
    s.failure = FailureInfo.simple(FailureInfo.TERMINATED, "dev.durable.failure.TerminatedFailure", reason, true);
    close(s, WorkflowStatus.TERMINATED);
    LOG.log(System.Logger.Level.WARNING, reason);
    return out;
  }

  // ---------------------------------------------------------------- for time-skipping test environments

  /**
   * Sets a callback run after every recorded change and every fired timer, so that a test
   * environment can check {@link #isIdle()} and skip time when nothing else can happen.
   */
  public void setChangeListener(Runnable listener) {
    this.changeListener = listener;
    timers.onChange(listener);
  }

  /**
   * Returns whether nothing can happen before the next timer: no workflow task or activity is
   * queued or running, and no query waits.
   */
  public boolean isIdle() {
    if (!pendingQueries.isEmpty() || updates.hasPendingValidations() || followUps.get() > 0
        || keepingStarts.get() > 0) {
      return false;
    }
    // A run registered during the scan (a continuation or a retry, written while the scan waited
    // for the lock of the run that made it) can be missed by the map's iterator: then not idle.
    long registeredBefore = runsRegistered.get();
    for (Execution ex : open.values()) {
      synchronized (ex) {
        ExecutionState s = ex.state;
        if (s.isTaskStarted() || (s.workflowTaskPending && s.workflowTaskRetryAt == null)) {
          return false;
        }
        for (PendingActivity pa : s.activities.values()) {
          if (!PendingActivity.BACKOFF.equals(pa.state)) {
            return false;
          }
        }
      }
    }
    return runsRegistered.get() == registeredBefore;
  }

  /** Returns when the earliest timer is due, or null when none is armed. */
  public Instant nextTimerDue() {
    return timers.nextDue();
  }

  // ---------------------------------------------------------------- retention

  /** Closed runs read from the close-time index at a time. */
  static final int SWEEP_PAGE = 256;
  /**
   * At most this many closed runs are looked at per sweep (about a tenth of a second of the timer
   * thread); the next sweep follows at once when there are more, after the timers due meanwhile.
   */
  static final int SWEEP_LIMIT = 512;
  /** The longest time between two sweeps; they come every tenth of the retention when that is shorter. */
  static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
  static final Duration MIN_SWEEP_INTERVAL = Duration.ofSeconds(1);

  /**
   * Deletes the runs that closed more than the retention ago, the earliest closed first, except
   * those an open parent still waits for. Runs on the timer thread, as do the follow-ups that tell
   * a parent of its child's close, so a child is not deleted between its close and that report.
   */
  private void sweepClosedRuns() {
    Duration interval = retention.dividedBy(10);
    if (interval.compareTo(SWEEP_INTERVAL) > 0) {
      interval = SWEEP_INTERVAL;
    } else if (interval.compareTo(MIN_SWEEP_INTERVAL) < 0) {
      interval = MIN_SWEEP_INTERVAL;
    }
    Instant next = now().plus(interval);
    try {
      Instant cutoff = now().minus(retention);
      int looked = 0;
      int deleted = 0;
      List<Store.ClosedRun> page;
      do {
        page = store.closedRuns(cutoff, sweptUpTo, SWEEP_PAGE);
        for (Store.ClosedRun r : page) {
          if (deleteExpired(r.runId())) {
            deleted++;
          }
        }
        looked += page.size();
        sweptUpTo = page.size() < SWEEP_PAGE ? null : page.get(page.size() - 1);
      } while (sweptUpTo != null && looked < SWEEP_LIMIT);
      if (sweptUpTo != null) {
        next = now(); // more than one sweep's share: go on after the timers due meanwhile
      }
      if (deleted > 0) {
        LOG.log(System.Logger.Level.DEBUG, "deleted {0} runs closed before {1} (retention {2})", deleted, cutoff,
            retention);
      }
    } finally {
      followUp(next, this::sweepClosedRuns);
    }
  }

  /**
   * Deletes a closed run unless its parent is open and still waits for it, or a request it sent is
   * still being delivered; returns whether it did.
   */
  private boolean deleteExpired(String runId) {
    if (open.containsKey(runId)) {
      return false; // its close is written, but its lock not yet left
    }
    ExecutionState s = store.readExecution(runId).orElse(null);
    if (s == null || !s.status.isClosed() || awaitedByParent(s) || !s.externalRequests.isEmpty()) {
      return false;
    }
    synchronized (startLock(s.workflowId)) { // a start of the id must not read the mapping this deletes
      return deleteStored(runId);
    }
  }

  /** Deletes a closed run from the store and forgets it here; returns false when it was not stored. */
  private boolean deleteStored(String runId) {
    boolean deleted = store.deleteRun(runId);
    if (deleted) {
      counters.runDeleted();
    }
    recentlyClosed.remove(runId);
    return deleted;
  }

  /**
   * Whether an open parent still waits for the chain of child runs {@code s} belongs to: it learns
   * of the chain's end by following it from its first run.
   */
  private boolean awaitedByParent(ExecutionState s) {
    Execution parent = s.links.parentRunId() == null ? null : open.get(s.links.parentRunId());
    if (parent == null) {
      return false;
    }
    synchronized (parent) {
      for (PendingChild c : parent.state.children.values()) {
        if (c.initiatedEventId == s.links.parentInitiatedEventId()) {
          return true;
        }
      }
    }
    return false;
  }

  private Object startLock(String workflowId) {
    return startLocks[Math.floorMod(workflowId.hashCode(), startLocks.length)];
  }

  private void withOpen(String runId, java.util.function.Consumer<Execution> action) {
    try (var g = enter()) {
      Execution ex = open.get(runId);
      if (ex == null) {
        return;
      }
      synchronized (ex) {
        if (!ex.state.status.isClosed()) {
          action.accept(ex);
        }
      }
    }
  }

  private Optional<ExecutionState> latestState(String workflowId) {
    Optional<String> runId = currentRunId(workflowId);
    if (runId.isEmpty()) {
      return Optional.empty();
    }
    Execution ex = open.get(runId.get());
    if (ex != null) {
      synchronized (ex) {
        return Optional.of(written(ex));
      }
    }
    return store.readExecution(runId.get());
  }

  private Execution requireOpen(String workflowId, String what) {
    String runId = currentRunId(workflowId).orElseThrow(() -> notFound(workflowId, what));
    Execution ex = open.get(runId);
    if (ex == null) {
      throw new WorkflowNotFoundException("cannot " + what + " workflow '" + workflowId + "': its latest run "
          + runId + " is closed.");
    }
    return ex;
  }

  private static void ensureOpen(Execution ex, String workflowId, String what) {
    if (ex.state.status.isClosed()) {
      throw new WorkflowNotFoundException("cannot " + what + " workflow '" + workflowId + "': it is "
          + ex.state.status + ".");
    }
  }

  private static WorkflowNotFoundException notFound(String workflowId, String what) {
    return new WorkflowNotFoundException("cannot " + what + " workflow '" + workflowId
        + "': no workflow with this id exists. Check the id, or start it first.");
  }

  private DispatchQueue<Object> workflowQueue(String name) {
    return workflowQueues.computeIfAbsent(name, n -> newQueue());
  }

  private DispatchQueue<ActivityRef> activityQueue(String name) {
    return activityQueues.computeIfAbsent(name, n -> newQueue());
  }

  private <T> DispatchQueue<T> newQueue() {
    DispatchQueue<T> q = new DispatchQueue<>(releasedPollers);
    if (closed) {
      q.close(); // made after close() closed the others: a poll must not wait on it for its whole timeout
    }
    return q;
  }

  private Instant now() {
    return clock.instant();
  }

  /**
   * A closed queue answers polls at once; without this, pollers would spin instead of learning
   * (DURABLE-213) that the server is gone.
   */
  private void failIfClosed() {
    enter().close();
  }

  /** Holds the store open for the duration of one call. */
  private AutoCloseable0 enter() {
    var read = lifecycle.readLock();
    read.lock();
    if (closed) {
      read.unlock();
      RuntimeException cause = stoppedBy;
      throw cause == null
          ? new DurableException("DURABLE-213", "the server is closed; create a new DurableServer to continue.")
          : cause instanceof DurableException d && "DURABLE-311".equals(d.getCode())
          ? new DurableException("DURABLE-213", "the server stopped serving: " + cause.getMessage(), cause)
          : new DurableException("DURABLE-213", "the server stopped after a write and the read that followed it"
              + " failed (" + cause.getMessage() + "). Fix the data dir's disk (or the database), then close this"
              + " server and start a new one on the same store.", cause);
    }
    return read::unlock;
  }

  /** An AutoCloseable whose close does not throw. */
  @FunctionalInterface
  private interface AutoCloseable0 extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  public void shutdownWorker(String identity) {
    releasedPollers.add(identity);
    workflowQueues.values().forEach(DispatchQueue::wakeAll);
    activityQueues.values().forEach(DispatchQueue::wakeAll);
  }

  /** Writes a consistent copy of the store into {@code target}. */
  public void backup(java.nio.file.Path target) {
    try (var g = enter()) {
      store.backup(target);
    }
  }

  @Override
  public void close() {
    // Timers first: one firing after the server stopped serving would only log a spurious failure.
    timers.close();
    stopServing("the server closed");
    var write = lifecycle.writeLock();
    write.lock();
    try {
      // No call is in flight now; a handed-over task's completion will be refused, so write what it kept.
      for (Execution ex : open.values()) {
        try {
          writeUnwritten(ex);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "closing: could not write the result of an activity of run "
              + ex.state.runId + ": " + e.getMessage() + "; the attempt runs again after a restart");
        }
      }
      store.close();
    } finally {
      write.unlock();
    }
  }

  /** Refuses every later call (DURABLE-213) and tells those who wait: pollers, queries, result waiters. */
  private void stopServing(String why) {
    closed = true;
    workflowQueues.values().forEach(DispatchQueue::close);
    activityQueues.values().forEach(DispatchQueue::close);
    pendingQueries.values().forEach(f -> f.completeExceptionally(
        new DurableException("DURABLE-213", why + " before the query was answered")));
    // Clients waiting for results would otherwise only notice at the end of their wait slice.
    DurableException closedFirst = new DurableException("DURABLE-213", why + " before the workflow did");
    open.values().forEach(ex -> ex.closed.completeExceptionally(closedFirst));
    updates.closeAll(why);
  }
}
