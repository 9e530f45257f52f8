package dev.durable.internal.replay;

import dev.durable.activity.ActivityCancellationType;
import dev.durable.activity.ActivityOptions;
import dev.durable.activity.LocalActivityOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.CanceledFailure;
import dev.durable.failure.DurableFailure;
import dev.durable.failure.NondeterminismError;
import dev.durable.internal.Deadlines;
import dev.durable.internal.LazyLogger;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.failure.Failures;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.Command;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.LocalActivityMarker;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.ReplaySemantics;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.model.SearchAttributes;
import dev.durable.internal.reflect.UpdateMethods;
import dev.durable.internal.reflect.WorkflowInterfaceInfo;
import dev.durable.internal.sandbox.Sandbox;
import dev.durable.internal.sandbox.SandboxState;
import dev.durable.internal.sandbox.Violation;
import dev.durable.internal.sandbox.WorkflowHooks;
import dev.durable.worker.ViolationListener;
import dev.durable.workflow.DeterminismViolation;
import dev.durable.workflow.WorkflowInfo;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One run of workflow code in a worker: the instance, its threads and what it waits for. It
 * consumes history events and produces commands. Batches of events already followed by a
 * {@code WorkflowTaskCompleted} are replayed, and the commands the code produces are checked
 * against the recorded ones; the last batch runs for real and its commands go to the server.
 */
public final class WorkflowRun implements WorkflowHooks {
  static final ThreadLocal<WorkflowRun> CURRENT = new ThreadLocal<>();
  private static final System.Logger LOG = LazyLogger.of(WorkflowRun.class);

  private final WorkflowInterfaceInfo info;
  private final Class<?> implClass;
  private final String workflowId;
  private final String runId;
  private final String taskQueue;
  private final JsonConverter converter = JsonConverter.DEFAULT;
  private final List<WorkflowThread> threads = new ArrayList<>();
  private final Map<Integer, ResultSlot<Object>> activities = new HashMap<>();
  private final Map<Integer, ResultSlot<Void>> timers = new HashMap<>();
  private final Map<Integer, ChildCall> children = new HashMap<>();
  /** Signals and cancel requests sent to other workflows, waiting for the server to record their outcome. */
  private final Map<Integer, ResultSlot<Void>> externalRequests = new HashMap<>();
  /** Parent, predecessor, attempt: from the run's start event. */
  private dev.durable.internal.model.RunLinks links = dev.durable.internal.model.RunLinks.NONE;
  /** For a run of a cron schedule, the result of the schedule's last completed run; else null. */
  private Payload lastCompletionResult;
  /** The history length the code sees: the last event of the task being run or replayed. */
  private long historyLength;
  /** Numbers the threads Async starts, for their names. */
  private int asyncThreads;
  /** Held by whoever drives the run (a workflow task or a query). */
  public final RunLock lock = new RunLock();

  private Object instance;
  private Random random;
  private int nextSeq = 1;
  private Instant time;
  private long lastEventId;
  private boolean ranAhead;
  private boolean closed;
  private volatile boolean destroyed;
  /** The workflow method's scope; a workflow cancel request cancels it. */
  private final CancellationScopeImpl rootScope = CancellationScopeImpl.root(this);
  /** A cancel request among the inputs being applied; delivered once all of them are. */
  private EventAttributes.WorkflowExecutionCancelRequested cancelDelivery;
  /** Runs local activities; null where none can run (a replayer), which only replay can then reach. */
  private LocalActivityExecutor localActivities;
  /** Starts the run's workflow threads. */
  private ThreadMaker threadMaker = ThreadMaker.UNPOOLED;
  /** The replay semantics the run started with; older runs keep the behaviour they were recorded with. */
  private int replaySemantics = ReplaySemantics.CURRENT;
  /** Cancel handlers of pending timers, by timer seq. */
  private final Map<Integer, CancellationScopeImpl.Registration> timerCancels = new HashMap<>();
  private boolean queryMode;
  /** When the server recorded the run's start; from its WorkflowExecutionStarted event. */
  private Instant startTime;
  /** The run's search attributes: the start's, then each upsert's. */
  private Map<String, SearchAttributeValue> searchAttributes = Map.of();

  private final List<Command> commands = new ArrayList<>();
  /** The events being driven (during {@link #drive}), and the index of the first not yet taken. */
  private List<HistoryEvent> feed;
  private int feedNext;
  /** What the driver's work threw when the workflow thread did it (see {@link #replayAhead}); the driver rethrows it. */
  private Throwable aheadFailure;
  /** Set while a workflow thread does the driver's work: the code it runs must see no workflow thread, as on the driver. */
  private boolean drivingAhead;
  private List<HistoryEvent> expected;
  private int expectedIndex;
  /** The WorkflowTaskCompleted event of the batch being replayed. */
  private long expectedTaskEventId;
  private Error nondeterminism;
  private DeterminismViolation violationError;
  private final ViolationListener violationListener;
  /** Violations already logged in this workflow task, so each is logged once. */
  private final Set<String> loggedViolations = new HashSet<>();
  /** Versions of changes, by change id, as first decided in this run. */
  private final Map<String, Integer> versions = new HashMap<>();
  /** Last recorded value of each mutable side effect. */
  private final Map<String, Payload> mutableSideEffects = new HashMap<>();
  /** What the driver of the live batch being run would do after it (see {@link Carrier}); null otherwise. */
  private Carrier carrier;
  /** Set by a workflow thread that did the driver's work to the end of a chain: the driver's task returns null. */
  private boolean carried;
  /** See {@link #setStuckThreadWarning}. */
  private long stuckThreadWarningNanos;
  /** How many frames of a stuck thread's stack the warning shows. */
  private static final int STUCK_FRAMES = 6;

  /**
   * The driver's work after a live workflow task, done by the run's workflow thread itself once the
   * task's code blocked or ended, instead of handing control back to the driver and being handed
   * it again for the next task: two thread switches per task. The driver waits meanwhile.
   */
  public interface Carrier {
    /**
     * Completes the current task with {@code commands} and runs what the completion handed over
     * (an activity, whose result may hand over the run's next task). Returns that next task if the
     * run can go on with it without the driver ({@link #continuesLive}), or null when the chain
     * ends here; the driver then learns the rest from the carrier. Called on the workflow thread
     * with the sandbox lifted; must not throw.
     */
    NextTask next(WorkflowRun run, List<Command> commands);
  }

  /** A workflow task's new events and workflow time, for {@link Carrier#next}. */
  public record NextTask(List<HistoryEvent> events, Instant workflowTime) {}

  public WorkflowRun(WorkflowInterfaceInfo info, Class<?> implClass, String workflowId, String runId, String taskQueue,
      ViolationListener violationListener) {
    this.violationListener = violationListener;
    this.info = info;
    this.implClass = implClass;
    this.workflowId = workflowId;
    this.runId = runId;
    this.taskQueue = taskQueue;
  }

  /** Returns the run of the calling workflow thread, or null outside workflow code. */
  public static WorkflowRun current() {
    return CURRENT.get();
  }

  /** Returns the run of the calling workflow code; elsewhere fails with DURABLE-210 naming {@code api}. */
  public static WorkflowRun currentOrFail(String api) {
    WorkflowRun run = CURRENT.get();
    if (run == null) {
      throw new IllegalStateException("DURABLE-210 " + api + " can only be called from workflow code (a workflow"
          + " method, signal handler or query), not on thread '" + Thread.currentThread().getName() + "'");
    }
    return run;
  }

  /** Returns whether this run can take {@code events} without replaying from the start. */
  public boolean canContinueWith(List<HistoryEvent> events) {
    if (destroyed || closed) {
      return false;
    }
    return !events.isEmpty() && events.get(0).eventId() <= lastEventId + 1;
  }

  /**
   * Feeds events (replaying what history already decided) and runs the code over the last batch.
   * Returns the new commands.
   *
   * @param events events from at most {@code lastEventId + 1} on, in order
   * @param taskTime the workflow time of the new batch
   */
  public List<Command> processTask(List<HistoryEvent> events, Instant taskTime) {
    return drive(events, taskTime, false, null);
  }

  /**
   * As {@link #processTask(List, Instant)}, and when the run's only thread blocks or ends in the
   * task's live batch, that thread may complete the task itself through {@code carrier}, and
   * further tasks of the run that it hands over: then this returns null once the chain ended (what
   * happened is the carrier's to tell).
   */
  public List<Command> processTask(List<HistoryEvent> events, Instant taskTime, Carrier carrier) {
    return drive(events, taskTime, false, carrier);
  }

  /** Replays every batch that history completed, without running the code past it. */
  public void replayCompleted(List<HistoryEvent> events) {
    drive(events, null, true, null);
  }

  private List<Command> drive(List<HistoryEvent> events, Instant taskTime, boolean completedOnly, Carrier carrier) {
    WorkflowRun outer = CURRENT.get();
    CURRENT.set(this);
    // The driver evaluates Workflow.await conditions, which are workflow code too.
    WorkflowHooks outerHooks = SandboxState.enter(this);
    loggedViolations.clear();
    try {
      int n = events.size();
      int i = firstUnseen(events);
      if (ranAhead && i < n) {
        int past = pastRanAheadTask(events, i);
        if (past < 0) {
          throw new IllegalStateException("cached run of " + workflowId + " is out of step with its history at event "
              + events.get(i).eventId());
        }
        i = past;
        lastEventId = events.get(i - 1).eventId();
        ranAhead = false;
      }
      feed = events;
      feedNext = i;
      while (feedNext < n) {
        i = feedNext;
        int j = nextCompletion(i);
        if (j < n) {
          startReplay(i, j);
          replayBatch(events.subList(i, j));
          lastEventId = events.get(feedNext - 1).eventId();
        } else {
          if (completedOnly) {
            break;
          }
          advanceTime(taskTime);
          historyLength = events.get(n - 1).eventId();
          applyInputs(events.subList(i, n));
          this.carrier = carrier;
          try {
            runThreads();
          } finally {
            this.carrier = null;
          }
          if (carried) {
            carried = false;
            return null;
          }
          // The feed is a later task's when the thread carried the chain there and then handed control back.
          lastEventId = feed.get(feed.size() - 1).eventId();
          feedNext = n;
        }
      }
      if (completedOnly) {
        return List.of();
      }
      ranAhead = true;
      List<Command> out = List.copyOf(commands);
      commands.clear();
      return out;
    } finally {
      feed = null;
      SandboxState.restore(outerHooks);
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** Returns the index of the first event of {@code events} past the ones this run fed. */
  private int firstUnseen(List<HistoryEvent> events) {
    int n = events.size();
    int i = 0;
    while (i < n && events.get(i).eventId() <= lastEventId) {
      i++;
    }
    return i;
  }

  /**
   * This run already executed the code of the task whose completion is {@code events[i]}: returns
   * the index past that completion and its commands, or -1 when the event there is not that completion.
   */
  private int pastRanAheadTask(List<HistoryEvent> events, int i) {
    HistoryEvent first = events.get(i);
    if (!(first.attributes() instanceof EventAttributes.WorkflowTaskCompleted wtc)
        || wtc.lastSeenEventId() != lastEventId) {
      return -1;
    }
    int n = events.size();
    i++;
    while (i < n && events.get(i).attributes() instanceof EventAttributes.CommandEvent) {
      i++;
    }
    return i;
  }

  /**
   * Whether this run's workflow thread, carrying the driver's work, can go on with a task of
   * {@code events} itself: they continue what the run saw, replay nothing, and bring only
   * activity and timer outcomes (so they start no thread and need no other one to run).
   */
  public boolean continuesLive(List<HistoryEvent> events) {
    if (!canContinueWith(events) || threads.size() != 1 || !ranAhead) {
      return false;
    }
    int i = firstUnseen(events);
    if (i >= events.size()) {
      return false;
    }
    i = pastRanAheadTask(events, i);
    if (i < 0 || i >= events.size()) {
      return false;
    }
    for (int k = i; k < events.size(); k++) {
      if (!isOutcome(events.get(k).attributes())) {
        return false;
      }
    }
    return true;
  }

  /** Returns the index of the first WorkflowTaskCompleted in {@link #feed} at or after {@code from}, or its size. */
  private int nextCompletion(int from) {
    List<HistoryEvent> events = feed;
    int n = events.size();
    int j = from;
    while (j < n && !(events.get(j).attributes() instanceof EventAttributes.WorkflowTaskCompleted)) {
      j++;
    }
    return j;
  }

  /**
   * Starts replaying the batch of {@link #feed} whose inputs are {@code [from, completion)}: the
   * code will see the time and history length of that workflow task, and its commands are checked
   * against the command events that follow the completion. Moves {@link #feedNext} past them.
   */
  private void startReplay(int from, int completion) {
    List<HistoryEvent> events = feed;
    int n = events.size();
    HistoryEvent completed = events.get(completion);
    var wtc = (EventAttributes.WorkflowTaskCompleted) completed.attributes();
    int k = completion + 1;
    while (k < n && events.get(k).attributes() instanceof EventAttributes.CommandEvent) {
      k++;
    }
    historyLength = wtc.lastSeenEventId();
    advanceTime(wtc.workflowTime());
    // Expected commands are set before the inputs are applied: delivering one can produce a command
    // (a dropped signal's marker).
    expected = events.subList(completion + 1, k);
    expectedIndex = 0;
    expectedTaskEventId = completed.eventId();
    feedNext = k;
  }

  /** Workflow time never moves backwards, even if the server's clock does. */
  private void advanceTime(Instant taskTime) {
    if (time == null || taskTime.isAfter(time)) {
      time = taskTime;
    }
  }

  /**
   * Applies the inputs of the batch {@link #startReplay} started and runs the code until every
   * thread waits; the code must have produced exactly the recorded commands. The workflow thread
   * may replay later batches itself meanwhile (see {@link #replayAhead}): the batch checked at the
   * end is the one the fields describe then.
   */
  private void replayBatch(List<HistoryEvent> inputs) {
    try {
      applyInputs(inputs);
      runThreads();
      skipUnmatchedVersionMarkers(null);
      if (expectedIndex < expected.size()) {
        HistoryEvent missing = expected.get(expectedIndex);
        throw nondeterminism(missing.eventId(), describe(missing),
            "nothing: the code now waits without producing this command (after workflow task " + expectedTaskEventId + ")",
            waitingAt());
      }
    } finally {
      expected = null;
      commands.clear();
    }
  }

  private void applyInputs(List<HistoryEvent> inputs) {
    for (HistoryEvent e : inputs) {
      EventAttributes a = e.attributes();
      if (a instanceof EventAttributes.WorkflowExecutionStarted started) {
        startTime = e.timestamp();
        links = started.linksOrNone();
        lastCompletionResult = started.lastCompletionResult();
        if (started.searchAttributes() != null) {
          searchAttributes = started.searchAttributes();
        }
        replaySemantics = started.replaySemantics();
        if (started.replaySemantics() > ReplaySemantics.CURRENT) {
          throw new IllegalStateException("DURABLE-113 workflow '" + workflowId + "' was started by a newer engine"
              + " (replay semantics " + started.replaySemantics() + ", this engine knows up to " + ReplaySemantics.CURRENT
              + "). Run it on workers with that engine version or newer.");
        }
        // concat, not +: an indy string concatenation runs as a chain of method handles until the JIT compiles it
        threads.add(new WorkflowThread(this, "workflow[".concat(workflowId).concat("]"),
            () -> runWorkflowMethod(started.input())));
      } else if (a instanceof EventAttributes.ActivityTaskCompleted done) {
        ResultSlot<Object> slot = activities.remove(done.seq());
        if (slot != null) {
          slot.deliver(done.result());
        }
      } else if (a instanceof EventAttributes.ActivityTaskFailed failed) {
        ResultSlot<Object> slot = activities.remove(failed.seq());
        if (slot != null) {
          slot.fail(Failures.toException(failed.failure()));
        }
      } else if (a instanceof EventAttributes.ActivityTaskCanceled canceled) {
        ResultSlot<Object> slot = activities.remove(canceled.seq());
        if (slot != null) {
          slot.fail(Failures.toException(canceled.failure()));
        }
      } else if (a instanceof EventAttributes.TimerFired fired) {
        forgetTimerCancel(fired.seq());
        ResultSlot<Void> slot = timers.remove(fired.seq());
        if (slot != null) {
          slot.deliver(null);
        }
      } else if (a instanceof EventAttributes.WorkflowExecutionSignaled signal) {
        deliverSignal(e, signal);
      } else if (a instanceof EventAttributes.WorkflowExecutionCancelRequested cancel) {
        cancelDelivery = cancel;
      } else if (a instanceof EventAttributes.WorkflowUpdateAccepted update) {
        startUpdateHandler(update);
      } else if (a instanceof EventAttributes.ChildWorkflowExecutionStarted started) {
        ChildCall call = children.get(started.seq());
        if (call != null) {
          call.started.complete(new dev.durable.client.WorkflowExecution(started.workflowId(), started.runId()));
        }
      } else if (a instanceof EventAttributes.StartChildWorkflowExecutionFailed failed) {
        ChildCall call = children.remove(failed.seq());
        if (call != null) {
          var failure = new dev.durable.failure.ChildWorkflowFailure(failed.workflowId(), null, call.workflowType,
              Failures.toException(failed.failure()));
          call.started.completeExceptionally(failure);
          call.result.fail(failure);
        }
      } else if (a instanceof EventAttributes.ChildOutcome outcome) {
        ChildCall call = children.remove(outcome.seq());
        if (call == null) {
          continue;
        }
        if (outcome instanceof EventAttributes.ChildWorkflowExecutionCompleted done) {
          call.result.deliver(done.result());
        } else {
          call.result.fail(new dev.durable.failure.ChildWorkflowFailure(outcome.workflowId(), outcome.runId(),
              call.workflowType, Failures.toException(childFailure(outcome))));
        }
      } else if (a instanceof EventAttributes.ExternalOutcome outcome) {
        ResultSlot<Void> slot = externalRequests.remove(outcome.seq());
        if (slot != null) {
          if (outcome instanceof EventAttributes.SignalExternalWorkflowExecutionFailed f) {
            slot.fail(Failures.toException(f.failure()));
          } else if (outcome instanceof EventAttributes.RequestCancelExternalWorkflowExecutionFailed f) {
            slot.fail(Failures.toException(f.failure()));
          } else {
            slot.deliver(null);
          }
        }
      }
    }
    if (cancelDelivery != null) {
      // After the batch's other inputs: a timer that fired or an activity that completed in the same
      // batch has its outcome, and is not canceled any more.
      String reason = cancelDelivery.reason();
      cancelDelivery = null;
      rootScope.cancel(reason);
    }
  }

  private static dev.durable.internal.model.FailureInfo childFailure(EventAttributes.ChildOutcome o) {
    if (o instanceof EventAttributes.ChildWorkflowExecutionFailed f) {
      return f.failure();
    }
    if (o instanceof EventAttributes.ChildWorkflowExecutionCanceled f) {
      return f.failure();
    }
    if (o instanceof EventAttributes.ChildWorkflowExecutionTimedOut f) {
      return f.failure();
    }
    return ((EventAttributes.ChildWorkflowExecutionTerminated) o).failure();
  }

  private void deliverSignal(HistoryEvent event, EventAttributes.WorkflowExecutionSignaled signal) {
    Method handler = info.signals().get(signal.signalName());
    if (handler == null) {
      if (expected == null) {
        LOG.log(System.Logger.Level.WARNING, "workflow ''{0}'' ({1}) received signal ''{2}'' but {3} has no @SignalMethod"
            + " with that name; it is dropped. Known signals: {4}", workflowId, info.workflowType(), signal.signalName(),
            info.iface().getName(), info.signals().keySet());
      }
      // Recorded, so that replay can tell code that dropped the signal from code that handled it.
      Command dropped = new Command.RecordMarker(SIGNAL_DROPPED, signal.signalName(), null);
      if (expected != null) {
        skipUnmatchedVersionMarkers(dropped);
        if (expectedIndex >= expected.size() || !CommandMatcher.matches(dropped, expected.get(expectedIndex).attributes())) {
          throw nondeterminism(event.eventId(), "WorkflowExecutionSignaled  signal=" + signal.signalName()
              + "  (the code that ran on " + event.timestamp().toString().substring(0, 10) + " handled it)",
              "no @SignalMethod named '" + signal.signalName() + "' in " + info.iface().getName()
                  + " (known signals: " + info.signals().keySet() + ")", null);
        }
      }
      emit(dropped);
      return;
    }
    threads.add(new WorkflowThread(this, "workflow[" + workflowId + "]-signal-" + signal.signalName(), () -> {
      Object[] args = converter.fromPayloads(signal.input(), handler.getGenericParameterTypes(),
          () -> "signal '" + signal.signalName() + "' of workflow '" + workflowId + "'");
      invoke(handler, args);
    }));
  }

  /** Runs an accepted update's handler on its own thread; it records the outcome with a CompleteUpdate command. */
  private void startUpdateHandler(EventAttributes.WorkflowUpdateAccepted update) {
    Method handler = UpdateMethods.of(info.iface()).handlers().get(update.updateName());
    String where = "update '" + update.updateName() + "' (id " + update.updateId() + ") of workflow '" + workflowId + "'";
    threads.add(new WorkflowThread(this, "workflow[" + workflowId + "]-update-" + update.updateName(), () -> {
      if (handler == null) {
        // Accepted by code that had the handler, replayed by code that has not: the code changed incompatibly.
        throw new NondeterminismError("DURABLE-117 " + where + " was accepted, but " + info.iface().getName()
            + " has no @UpdateMethod with that name any more; known updates: "
            + UpdateMethods.of(info.iface()).handlers().keySet() + ". Keep the handler until no run that accepted"
            + " such an update is open.");
      }
      Object[] args = converter.fromPayloads(update.input(), handler.getGenericParameterTypes(), () -> where);
      Payload result = null;
      dev.durable.internal.model.FailureInfo failure = null;
      try {
        result = converter.toPayload(invoke(handler, args), () -> "result of " + where);
      } catch (DurableFailure e) {
        failure = Failures.toInfo(e);
      }
      emit(new Command.CompleteUpdate(update.updateId(), result, failure));
    }));
  }

  /**
   * Runs the validator of an update against the current state, read-only like a query; throws
   * what the validator throws to reject it. The caller holds {@link #lock}.
   */
  public void validateUpdate(String updateName, List<Payload> input) {
    UpdateMethods updates = UpdateMethods.of(info.iface());
    if (!updates.handlers().containsKey(updateName)) {
      throw new IllegalArgumentException("DURABLE-240 workflow type " + info.workflowType() + " has no update named '"
          + updateName + "'; known updates: " + updates.handlers().keySet());
    }
    Method validator = updates.validators().get(updateName);
    if (validator == null) {
      return;
    }
    runReadOnly(() -> invoke(validator, converter.fromPayloads(input, validator.getGenericParameterTypes(),
        () -> "validator of update '" + updateName + "' of workflow '" + workflowId + "'")));
  }

  private void runWorkflowMethod(List<Payload> input) {
    instance = newInstance();
    Method m = info.workflowMethod();
    Object[] args = converter.fromPayloads(input, m.getGenericParameterTypes(),
        () -> "workflow '" + workflowId + "' (" + info.workflowType() + ")");
    Object result;
    try {
      result = invoke(m, args);
    } catch (CanceledFailure e) {
      awaitExternalRequests();
      emit(new Command.CancelWorkflow(Failures.toInfo(e)));
      return;
    } catch (DurableFailure e) {
      CanceledFailure canceled = rootScope.isCancelRequested() ? canceledCause(e) : null;
      awaitExternalRequests();
      // After a cancel request, a failure caused by the cancellation (an activity's) ends the run as canceled.
      emit(canceled != null ? new Command.CancelWorkflow(Failures.toInfo(canceled))
          : new Command.FailWorkflow(Failures.toInfo(e)));
      return;
    }
    Payload payload = converter.toPayload(result, () -> "result of workflow '" + workflowId + "' (" + info.workflowType() + ")");
    awaitExternalRequests();
    emit(new Command.CompleteWorkflow(payload));
  }

  /**
   * Before the run closes: waits until every signal and cancel request it sent to other workflows
   * has its outcome, so that each was delivered while the run was open. The server re-drives the
   * delivery of an open run's requests after a crash, not of a closed run's.
   */
  private void awaitExternalRequests() {
    WorkflowThread thread = workflowThread();
    if (thread != null && !externalRequests.isEmpty()) {
      thread.block(externalRequests::isEmpty);
    }
  }

  private static CanceledFailure canceledCause(Throwable t) {
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t instanceof CanceledFailure c) {
        return c;
      }
    }
    return null;
  }

  /**
   * Each workflow class's no-argument constructor (or why there is none), looked up and made
   * accessible once per class rather than once per run: while the JIT is cold that lookup was a
   * visible part of a short workflow's cost.
   */
  private static final ClassValue<Object> CONSTRUCTORS = new ClassValue<>() {
    @Override
    protected Object computeValue(Class<?> type) {
      try {
        Constructor<?> ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
        return ctor;
      } catch (NoSuchMethodException e) {
        return e;
      }
    }
  };

  private Object newInstance() {
    try {
      Object ctor = CONSTRUCTORS.get(implClass);
      if (ctor instanceof NoSuchMethodException e) {
        throw e;
      }
      return ((Constructor<?>) ctor).newInstance();
    } catch (InvocationTargetException e) {
      throw asUnchecked(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("DURABLE-202 cannot create " + implClass.getName() + ": " + e, e);
    }
  }

  private Object invoke(Method m, Object[] args) {
    try {
      return m.invoke(instance, args);
    } catch (InvocationTargetException e) {
      throw asUnchecked(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("DURABLE-202 cannot call " + m + ": " + e, e);
    }
  }

  private static RuntimeException asUnchecked(Throwable t) {
    if (t instanceof RuntimeException re) {
      return re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    return new RuntimeException(t);
  }

  /** Runs every thread until all are blocked or done, in creation order. */
  private void runThreads() {
    boolean progress = true;
    while (progress && !closed) {
      progress = false;
      boolean ended = false;
      for (int i = 0; i < threads.size() && !closed; i++) {
        WorkflowThread t = threads.get(i);
        if (t.runUntilBlocked()) {
          progress = true;
          ended |= t.isDone();
        }
        if (carried) {
          // The thread did the driver's work up to the end of a chain: nothing of this task is left to drive.
          threads.removeIf(WorkflowThread::isDone);
          return;
        }
        if (aheadFailure != null) {
          Throwable f = aheadFailure;
          aheadFailure = null;
          if (f instanceof Error err) {
            throw err;
          }
          throw f instanceof RuntimeException re ? re : new IllegalStateException(f);
        }
        if (nondeterminism != null) {
          throw nondeterminism;
        }
        if (violationError != null) {
          DeterminismViolation v = violationError;
          violationError = null;
          throw v;
        }
        Throwable failure = t.failure();
        if (failure instanceof Error err) {
          throw err;
        }
        if (failure != null) {
          throw new WorkflowTaskFailure(workflowId, info.workflowType(), failure);
        }
      }
      if (ended) { // only a thread that ran can have ended
        threads.removeIf(WorkflowThread::isDone);
      }
    }
  }

  // ------------------------------------------------------------ called by workflow code

  /** The workflow thread running the caller; null on the driver, and while a workflow thread does the driver's work. */
  private WorkflowThread workflowThread() {
    return drivingAhead ? null : WorkflowThread.current();
  }

  /**
   * Blocks the calling workflow thread until {@code until} holds, replaying ahead first (see
   * {@link #replayAhead}). {@code until} must be the engine's own test, free of side effects: it may
   * be evaluated more often than the driver would.
   */
  private void block(WorkflowThread thread, BooleanSupplier until) {
    replayAhead(thread, until);
    if (carryOn(thread, until)) {
      return;
    }
    // After a failure of the driver's work the thread waits for the driver, which rethrows it, as
    // it would have been waiting had the driver done that work.
    thread.block(aheadFailure == null ? until : () -> false);
  }

  /**
   * Workflow thread side, before it blocks until {@code until}. During replay, the driver would
   * only finish the batch (every recorded command was produced), start the next one, apply its
   * inputs and hand control back to this thread once {@code until} holds: two thread switches per
   * workflow task of the history. When this thread is the run's only one and the next batch holds
   * nothing but activity and timer outcomes, this thread does that work itself, in the driver's
   * order and with the driver's checks, and goes on without switching. Everything else (other
   * threads, a missing command, another kind of input, the batch that is not replayed) is left to
   * the driver: this returns and the thread blocks as before, with the fields describing the batch
   * it reached. What the driver's work throws here is handed to the driver, which rethrows it.
   */
  private void replayAhead(WorkflowThread thread, BooleanSupplier until) {
    while (expected != null && feed != null && !closed && nondeterminism == null && violationError == null
        && aheadFailure == null && threads.size() == 1 && threads.get(0) == thread && !until.getAsBoolean()) {
      skipUnmatchedVersionMarkers(null);
      if (expectedIndex < expected.size()) {
        return; // the driver reports the missing command
      }
      int from = feedNext;
      int completion = nextCompletion(from);
      if (completion >= feed.size() || !onlyOutcomes(from, completion)) {
        return;
      }
      // What the driver does between two batches, then the next batch's start.
      expected = null;
      commands.clear();
      lastEventId = feed.get(from - 1).eventId();
      startReplay(from, completion);
      drivingAhead = true;
      try {
        applyInputs(feed.subList(from, completion));
      } catch (Throwable t) {
        aheadFailure = t;
        return;
      } finally {
        drivingAhead = false;
      }
    }
  }

  /** Whether the events {@code [from, to)} of the feed are all activity or timer outcomes. */
  private boolean onlyOutcomes(int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isOutcome(feed.get(i).attributes())) {
        return false;
      }
    }
    return true;
  }

  private static boolean isOutcome(EventAttributes a) {
    return a instanceof EventAttributes.ActivityTaskCompleted || a instanceof EventAttributes.ActivityTaskFailed
        || a instanceof EventAttributes.ActivityTaskCanceled || a instanceof EventAttributes.TimerFired;
  }

  /**
   * Workflow thread side, before it blocks until {@code until} in a live task (see
   * {@link Carrier}): when it is the run's only thread and nothing is to be reported, it completes
   * the task itself, runs what the completion handed over, and goes on with the next task the
   * chain brings, as the driver would, until {@code until} holds (true: the code goes on) or the
   * chain ends (false: the thread blocks, handing control back to the driver, which returns).
   */
  private boolean carryOn(WorkflowThread thread, BooleanSupplier until) {
    if (closed || !canCarry(thread) || until.getAsBoolean()) {
      return false;
    }
    while (true) {
      NextTask next = carryTask();
      if (next == null) {
        return false;
      }
      if (!startCarried(next)) {
        return false; // the driver rethrows what applying the inputs threw
      }
      if (until.getAsBoolean()) {
        return true;
      }
      if (!canCarry(thread)) {
        return false;
      }
    }
  }

  /**
   * Workflow thread side, when the run's only thread's code returned in a live task and closed the
   * run: completes the task through the carrier, so the driver need not be switched to for it (a
   * closed run's completion hands nothing over). Does nothing otherwise.
   */
  void carryAtEnd(WorkflowThread thread) {
    if (closed && canCarry(thread)) {
      carryTask();
    }
  }

  private boolean canCarry(WorkflowThread thread) {
    return carrier != null && !carried && feed != null && expected == null && !drivingAhead && !queryMode
        && !destroyed && nondeterminism == null && violationError == null && aheadFailure == null
        && threads.size() == 1 && threads.get(0) == thread;
  }

  /**
   * Ends the live task as the driver would and hands its commands to the carrier, outside the
   * sandbox and with the thread not marked as workflow code (the carrier runs engine code and
   * activities). Returns the next task to go on with, or null, the chain over ({@link #carried}).
   */
  private NextTask carryTask() {
    lastEventId = feed.get(feed.size() - 1).eventId();
    feedNext = feed.size();
    ranAhead = true;
    List<Command> out = List.copyOf(commands);
    commands.clear();
    WorkflowHooks hooks = SandboxState.hooks();
    WorkflowThread thread = WorkflowThread.detach();
    SandboxState.restore(null);
    CURRENT.remove();
    NextTask next;
    try {
      next = carrier.next(this, out);
    } finally {
      CURRENT.set(this);
      SandboxState.restore(hooks);
      WorkflowThread.attach(thread);
    }
    if (next == null) {
      carried = true;
    }
    return next;
  }

  /** Starts the next task of a carried chain as the driver would: its time, and its inputs applied. */
  private boolean startCarried(NextTask next) {
    List<HistoryEvent> events = next.events();
    int n = events.size();
    drivingAhead = true;
    try {
      loggedViolations.clear();
      int i = pastRanAheadTask(events, firstUnseen(events)); // continuesLive checked it
      lastEventId = events.get(i - 1).eventId();
      ranAhead = false;
      feed = events;
      feedNext = n;
      advanceTime(next.workflowTime());
      historyLength = events.get(n - 1).eventId();
      applyInputs(events.subList(i, n));
      return true;
    } catch (Throwable t) {
      aheadFailure = t;
      return false;
    } finally {
      drivingAhead = false;
    }
  }

  /**
   * Runs {@code activity} (an activity of a carried chain) with this run left (see
   * {@link RunLock}): queries may read the run meanwhile. Returns what it returns, the run held again.
   */
  public <T> T away(java.util.function.Supplier<T> activity) {
    lock.leave();
    try {
      return activity.get();
    } finally {
      lock.comeBack();
    }
  }

  WorkflowThread currentThreadOrFail(String api) {
    return currentThreadOrFail(api, null);
  }

  /**
   * As {@link #currentThreadOrFail(String)} for the API {@code api + " " + name}, a text built
   * only for the error: these calls are on the path of every activity and child.
   */
  private WorkflowThread currentThreadOrFail(String api, String name) {
    if (name != null && (queryMode || workflowThread() == null)) {
      api = api + " " + name;
    }
    if (queryMode) {
      throw new IllegalStateException("DURABLE-215 " + api + " was called from a query method or update validator of workflow '"
          + workflowId + "'; queries are read-only: they may not call activities, sleep or wait");
    }
    WorkflowThread t = workflowThread();
    if (t != null) {
      return t;
    }
    throw new IllegalStateException("DURABLE-210 " + api + " must be called from workflow code, not from a "
        + "condition passed to Workflow.await or a callback passed to Promise.thenApply or Promise.handle");
  }

  /** Schedules an activity and blocks until its outcome; called by activity stubs. */
  public Object executeActivity(String activityType, ActivityOptions options, Method method, Object[] args) {
    WorkflowThread thread = currentThreadOrFail("calling activity", activityType);
    throwIfCanceled(thread);
    ResultSlot<Object> slot = scheduleActivity(activityType, options, method, args, thread.scope());
    // A cancel of the scope completes the slot (or, with WAIT_CANCELLATION_COMPLETED, the canceled event does).
    block(thread, slot::isCompleted);
    return slot.result();
  }

  /** Schedules an activity without waiting; the promise completes with its outcome. Called by stubs in async mode. */
  ResultSlot<Object> startActivity(String activityType, ActivityOptions options, Method method, Object[] args) {
    WorkflowThread thread = currentThreadOrFail("calling activity", activityType);
    throwIfCanceled(thread);
    return scheduleActivity(activityType, options, method, args, thread.scope());
  }

  private ResultSlot<Object> scheduleActivity(String activityType, ActivityOptions options, Method method,
      Object[] args, CancellationScopeImpl scope) {
    int seq = nextSeq++;
    List<Payload> input = converter.toPayloads(args, () -> "activity " + activityType + " in workflow '" + workflowId + "'");
    ActivitySpec spec = new ActivitySpec(options.getScheduleToCloseTimeout(), options.getStartToCloseTimeout(),
        options.getScheduleToStartTimeout(), options.getHeartbeatTimeout(), RetryPolicy.of(options.getRetryOptions()));
    ResultSlot<Object> slot = new ResultSlot<>(this, p -> converter.fromPayload(p, method.getGenericReturnType(),
        () -> "result of activity " + activityType + " in workflow '" + workflowId + "'"));
    slot.settledByCancellation = true;
    activities.put(seq, slot);
    emit(new Command.ScheduleActivity(seq, activityType, options.getTaskQueue(), input, spec));
    ActivityCancellationType cancellation = options.getCancellationType();
    CancellationScopeImpl.Registration registration =
        scope.onCancel(() -> cancelActivity(seq, activityType, cancellation, scope));
    slot.whenDone(registration::remove);
    return slot;
  }

  /** The activity's scope was canceled: request its cancellation and, unless told to wait, fail the wait now. */
  private void cancelActivity(int seq, String activityType, ActivityCancellationType cancellation,
      CancellationScopeImpl scope) {
    ResultSlot<Object> slot = activities.get(seq);
    if (slot == null || slot.isCompleted()) {
      return;
    }
    if (replaySemantics < ReplaySemantics.V2_ACTIVITY_CANCELLATION) {
      // Recorded before activity cancellation existed: the cancel only ended the wait, with no command.
      activities.remove(seq);
      slot.fail(new CanceledFailure(scope.describe(workflowId) + " while waiting for activity " + activityType));
      return;
    }
    if (cancellation != ActivityCancellationType.ABANDON) {
      emit(new Command.RequestCancelActivity(seq));
    }
    if (cancellation == ActivityCancellationType.WAIT_CANCELLATION_COMPLETED) {
      return; // the ActivityTaskCanceled (or Completed) event settles it
    }
    activities.remove(seq);
    slot.fail(new ActivityFailure(activityType, Integer.toString(seq), 1,
        new CanceledFailure(scope.describe(workflowId) + " while waiting for activity " + activityType)));
  }

  /** The workflow method's cancellation scope, which a workflow cancel request cancels. */
  CancellationScopeImpl rootScope() {
    return rootScope;
  }

  /** Sets what starts this run's workflow threads (a worker's pool). */
  public void setThreadMaker(ThreadMaker maker) {
    this.threadMaker = maker;
  }

  ThreadMaker threadMaker() {
    return threadMaker;
  }

  /**
   * Sets after how long a workflow thread that runs without giving control back is reported in
   * the log (DURABLE-122); zero or null: never.
   */
  public void setStuckThreadWarning(Duration after) {
    this.stuckThreadWarningNanos = after == null ? 0 : after.toNanos();
  }

  long stuckThreadWarningNanos() {
    return stuckThreadWarningNanos;
  }

  /** Logs DURABLE-122 for a workflow thread that has run workflow code for {@code ranNanos} without giving control back. */
  void warnStuck(String threadName, Thread thread, long ranNanos) {
    StackTraceElement[] stack = thread.getStackTrace();
    StringBuilder top = new StringBuilder();
    for (int i = 0; i < stack.length && i < STUCK_FRAMES; i++) {
      top.append(i == 0 ? "" : " <- ").append(stack[i].getClassName()).append('.').append(stack[i].getMethodName());
    }
    LOG.log(System.Logger.Level.WARNING, "DURABLE-122 workflow '" + workflowId + "' (" + info.workflowType()
        + "): its thread '" + threadName + "' has run workflow code for " + Duration.ofNanos(ranNanos).toMillis()
        + " ms without giving control back to the engine, at " + SourceLine.of(stack) + " (" + top + "). If it waits"
        + " on something the engine does not see (a monitor, a lock, LockSupport.park, a queue), the run is stuck:"
        + " wait with Workflow.await, a Promise or Workflow.sleep instead. A long computation belongs in an activity."
        + " The workflow task goes on waiting for the thread.");
  }

  /** Sets what runs the local activities this run's code calls. */
  public void setLocalActivities(LocalActivityExecutor executor) {
    this.localActivities = executor;
  }

  /**
   * Runs a local activity in this workflow task (or, replaying, returns what its marker recorded)
   * and returns its result; throws an {@code ActivityFailure} when it failed for good. Called by
   * local activity stubs.
   */
  public Object executeLocalActivity(String activityType, LocalActivityOptions options, Method method, Object[] args) {
    WorkflowThread thread = currentThreadOrFail("calling local activity", activityType);
    throwIfCanceled(thread);
    java.util.function.Supplier<String> where = () -> "local activity " + activityType + " in workflow '" + workflowId + "'";
    List<Payload> input = converter.toPayloads(args, where);
    Instant deadline = options.getScheduleToCloseTimeout() == null ? null
        : Deadlines.after(time, options.getScheduleToCloseTimeout());
    int attempt = 1;
    while (true) {
      String id = Integer.toString(nextSeq++);
      LocalActivityMarker marker;
      Payload recorded = recordedMarker(LOCAL_ACTIVITY, id);
      if (recorded != null) {
        marker = (LocalActivityMarker) converter.fromPayload(recorded, LocalActivityMarker.class, where);
        if (!activityType.equals(marker.activityType())) {
          throw nondeterminismAt(expected.get(expectedIndex).eventId(), "DURABLE-118", "MarkerRecorded LocalActivity '"
              + id + "' of activity " + marker.activityType(), "local activity " + activityType);
        }
        emit(new Command.RecordMarker(LOCAL_ACTIVITY, id, recorded));
      } else if (expected != null) {
        // History has no such marker here: this reports the mismatch without running the activity during replay.
        emit(new Command.RecordMarker(LOCAL_ACTIVITY, id, null));
        throw new IllegalStateException("unreachable: the marker mismatch above fails the task");
      } else {
        if (localActivities == null) {
          throw new IllegalStateException("DURABLE-245 local activity " + activityType + " of workflow '" + workflowId
              + "' must run, but this run has no local activity executor (a replayer replays only what history"
              + " recorded). Run the workflow on a Worker.");
        }
        Duration remaining = deadline == null ? null : Duration.between(time, deadline);
        thread.runningWorkflowCode(false); // a long local activity is no stuck thread
        try {
          marker = localActivities.execute(workflowId, activityType, input, options, attempt, remaining);
        } finally {
          thread.runningWorkflowCode(true);
        }
        emit(new Command.RecordMarker(LOCAL_ACTIVITY, id, converter.toPayload(marker, where)));
      }
      if (marker.failure() == null) {
        return converter.fromPayload(marker.result(), method.getGenericReturnType(), () -> "result of " + where.get());
      }
      if (marker.retryAfter() == null
          || (deadline != null && !Deadlines.after(time, marker.retryAfter()).isBefore(deadline))) {
        throw new ActivityFailure(activityType, id, marker.attempt(), Failures.toException(marker.failure()));
      }
      // A long backoff: a durable timer, so the workflow task ends and a crash meanwhile loses nothing.
      sleep(marker.retryAfter());
      attempt = marker.attempt() + 1;
    }
  }

  /** A child workflow started by this run: the promises of its start and of its result. */
  static final class ChildCall {
    final int seq;
    final String workflowId;
    final String workflowType;
    final ResultSlot<dev.durable.client.WorkflowExecution> started;
    final ResultSlot<Object> result;
    boolean cancelRequested;

    ChildCall(int seq, String workflowId, String workflowType, ResultSlot<dev.durable.client.WorkflowExecution> started,
        ResultSlot<Object> result) {
      this.seq = seq;
      this.workflowId = workflowId;
      this.workflowType = workflowType;
      this.started = started;
      this.result = result;
    }
  }

  /**
   * Starts a child workflow without waiting; called by child stubs. The child's workflow id
   * defaults to this run's id, {@code -child-} and the call's sequence number: the same on replay.
   */
  ChildCall startChild(String workflowType, dev.durable.workflow.ChildWorkflowOptions options, Method method,
      Object[] args) {
    WorkflowThread thread = currentThreadOrFail("starting child workflow", workflowType);
    throwIfCanceled(thread);
    int seq = nextSeq++;
    String childId = options.getWorkflowId() != null ? options.getWorkflowId() : runId + "-child-" + seq;
    List<Payload> input = converter.toPayloads(args, () -> "child workflow " + workflowType + " ('" + childId
        + "') of workflow '" + workflowId + "'");
    ChildCall call = new ChildCall(seq, childId, workflowType, new ResultSlot<>(this), new ResultSlot<>(this,
        p -> converter.fromPayload(p, method.getGenericReturnType(), () -> "result of child workflow " + workflowType
            + " ('" + childId + "') in workflow '" + workflowId + "'")));
    children.put(seq, call);
    emit(new Command.StartChildWorkflow(seq, childId, workflowType,
        options.getTaskQueue() != null ? options.getTaskQueue() : taskQueue, input, options.getWorkflowTaskTimeout(),
        options.getWorkflowExecutionTimeout(), options.getWorkflowRunTimeout(),
        options.getRetryOptions() == null ? null : RetryPolicy.of(options.getRetryOptions()),
        options.getParentClosePolicy().name(), options.getWorkflowIdReusePolicy().name()));
    // Canceling the scope the child was started in asks the child to cancel and ends the wait for it.
    call.result.settledByCancellation = true;
    CancellationScopeImpl scope = thread.scope();
    CancellationScopeImpl.Registration registration = scope.onCancel(() -> cancelChild(call, scope));
    call.result.whenDone(registration::remove);
    return call;
  }

  /**
   * The child's scope was canceled: request the child's cancellation and fail the wait for it at
   * once with a {@code ChildWorkflowFailure} caused by {@code CanceledFailure}; the child's own
   * outcome is not waited for.
   */
  private void cancelChild(ChildCall call, CancellationScopeImpl scope) {
    if (children.get(call.seq) != call || call.result.isCompleted()) {
      return;
    }
    emitChildCancel(call);
    children.remove(call.seq);
    String childRunId = null;
    if (call.started.isCompleted()) {
      try {
        childRunId = call.started.result().runId();
      } catch (RuntimeException notStarted) {
        // its start failed; the failure has no run to name
      }
    }
    var failure = new dev.durable.failure.ChildWorkflowFailure(call.workflowId, childRunId, call.workflowType,
        new CanceledFailure(scope.describe(workflowId) + " while waiting for child workflow " + call.workflowType));
    call.started.completeExceptionally(failure);
    call.result.fail(failure);
  }

  private void emitChildCancel(ChildCall call) {
    if (!call.cancelRequested) {
      call.cancelRequested = true;
      emit(new Command.RequestCancelChild(call.seq));
    }
  }

  /**
   * Asks a child this run started to cancel, without ending the wait for it (scopes use
   * {@link #cancelChild}, which does).
   * The child's next blocking call throws {@code CanceledFailure}; its outcome reaches this run as
   * usual (a {@code ChildWorkflowFailure} caused by {@code CanceledFailure} if it lets the
   * cancellation end it). Does nothing once the child's outcome is known.
   */
  void requestCancelChild(ChildCall call) {
    currentThreadOrFail("canceling child workflow", call.workflowType);
    if (children.get(call.seq) == call) {
      emitChildCancel(call);
    }
  }

  /**
   * Sends a signal to a child this run started, without waiting; called by child stubs. The server
   * delivers it exactly once to the child's current run (after its start, if it is not started
   * yet); a child that has closed does not get it.
   */
  void signalChild(ChildCall call, String signalName, Object[] args) {
    currentThreadOrFail("signalling child workflow", call.workflowType);
    List<Payload> input = converter.toPayloads(args, () -> "signal '" + signalName + "' to child workflow "
        + call.workflowType + " of workflow '" + workflowId + "'");
    emit(new Command.SignalChild(call.seq, signalName, input));
  }

  /**
   * Sends a signal to the current run of workflow {@code targetId}, without waiting; called by
   * external workflow stubs. The promise completes once the server recorded the signal there, or
   * fails with an {@code ApplicationFailure} of type {@code dev.durable.client.WorkflowNotFoundException}
   * when no open run has the id.
   */
  public dev.durable.workflow.Promise<Void> signalExternal(String targetId, String targetRunId, String signalName,
      Object[] args) {
    WorkflowThread thread = currentThreadOrFail("signalling workflow", targetId);
    throwIfCanceled(thread);
    List<Payload> input = converter.toPayloads(args, () -> "signal '" + signalName + "' to workflow '" + targetId
        + "' from workflow '" + workflowId + "'");
    int seq = nextSeq++;
    emit(new Command.SignalExternal(seq, targetId, targetRunId, signalName, input));
    return externalRequest(seq);
  }

  /**
   * Asks the current run of workflow {@code targetId} to cancel, without waiting; called by external
   * workflow stubs. The promise completes as {@link #signalExternal}'s does.
   */
  public dev.durable.workflow.Promise<Void> cancelExternal(String targetId, String targetRunId) {
    WorkflowThread thread = currentThreadOrFail("canceling workflow", targetId);
    throwIfCanceled(thread);
    int seq = nextSeq++;
    emit(new Command.RequestCancelExternal(seq, targetId, targetRunId));
    return externalRequest(seq);
  }

  private ResultSlot<Void> externalRequest(int seq) {
    ResultSlot<Void> slot = new ResultSlot<>(this);
    externalRequests.put(seq, slot);
    return slot;
  }

  /** Starts a child workflow and blocks until its result; called by child stubs. */
  Object executeChild(ChildCall call) {
    WorkflowThread thread = currentThreadOrFail("calling child workflow", call.workflowType);
    // A cancel of the child's scope settles the result (see cancelChild).
    thread.block(call.result::isCompleted);
    return call.result.result();
  }

  /**
   * Ends this run and has the server start a new one with the same workflow id and {@code args},
   * in one write. The calling thread never returns: the run is over.
   */
  public void continueAsNew(dev.durable.workflow.ContinueAsNewOptions options, Object[] args) {
    WorkflowThread thread = currentThreadOrFail("Workflow.continueAsNew");
    String type = options == null || options.getWorkflowType() == null ? info.workflowType() : options.getWorkflowType();
    List<Payload> input = converter.toPayloads(args, () -> "continue-as-new input of workflow '" + workflowId + "' ("
        + type + ")");
    awaitExternalRequests();
    emit(new Command.ContinueAsNew(options == null ? null : options.getWorkflowType(),
        options == null ? null : options.getTaskQueue(), input,
        options == null ? null : options.getWorkflowTaskTimeout(),
        options == null ? null : options.getWorkflowRunTimeout()));
    thread.block(() -> false);
    throw new IllegalStateException("unreachable: the run continued as new");
  }

  /** Starts a workflow thread for {@code body}; it takes its turn after the threads created before it. */
  void startThread(String purpose, Runnable body) {
    // Async work belongs to the scope it was started in: canceling that scope cancels it too.
    WorkflowThread parent = workflowThread();
    CancellationScopeImpl scope = parent != null ? parent.scope() : rootScope;
    threads.add(new WorkflowThread(this, "workflow[" + workflowId + "]-" + purpose + "-" + (++asyncThreads), scope,
        body));
  }

  /**
   * Blocks the calling workflow thread until {@code promise} completes (true) or {@code timeout},
   * if not null, passes on a durable timer (false). A completed promise returns at once, from any
   * thread, without a timer: whether it completed is itself deterministic.
   */
  boolean awaitPromise(ResultSlot<?> promise, Duration timeout) {
    if (promise.isCompleted()) {
      return true;
    }
    WorkflowThread thread = currentThreadOrFail("Promise.get");
    CancellationScopeImpl scope = thread.scope();
    if (timeout == null && promise.settledByCancellation) {
      block(thread, promise::isCompleted);
      return true;
    }
    if (timeout == null) {
      block(thread, () -> promise.isCompleted() || scope.isCancelRequested());
      if (!promise.isCompleted()) {
        throw new CanceledFailure(scope.describe(workflowId) + " while waiting in Promise.get");
      }
      return true;
    }
    if (timeout.isNegative() || timeout.isZero()) {
      return false;
    }
    throwIfCanceled(thread);
    int seq = startTimer(timeout, scope);
    ResultSlot<Void> timer = timers.get(seq);
    block(thread, () -> promise.isCompleted() || timer.isCompleted() || scope.isCancelRequested());
    if (!timer.isCompleted()) {
      cancelTimer(seq);
    }
    if (promise.isCompleted()) {
      return true;
    }
    if (timer.isCompleted()) {
      return false;
    }
    throw new CanceledFailure(scope.describe(workflowId) + " while waiting in Promise.get(" + timeout + ")");
  }

  /** A durable timer; returns when it fires. */
  @Override
  public void sleep(Duration duration) {
    WorkflowThread thread = currentThreadOrFail("Workflow.sleep");
    throwIfCanceled(thread);
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    CancellationScopeImpl scope = thread.scope();
    int seq = startTimer(duration, scope);
    ResultSlot<Void> slot = timers.get(seq);
    block(thread, () -> slot.isCompleted() || scope.isCancelRequested());
    if (!slot.isCompleted()) {
      cancelTimer(seq);
      throw new CanceledFailure(scope.describe(workflowId) + " during Workflow.sleep(" + duration + ")");
    }
  }

  /**
   * Starts a durable timer without waiting: the promise completes when it fires, or fails with a
   * {@code CanceledFailure} when the scope it was started in is canceled (the timer is canceled too).
   */
  public dev.durable.workflow.Promise<Void> newTimer(Duration duration) {
    WorkflowThread thread = currentThreadOrFail("Workflow.newTimer");
    throwIfCanceled(thread);
    ResultSlot<Void> promise;
    if (duration.isNegative() || duration.isZero()) {
      promise = new ResultSlot<>(this);
      promise.complete(null);
      return promise;
    }
    CancellationScopeImpl scope = thread.scope();
    int seq = startTimer(duration, scope);
    promise = timers.get(seq);
    CancellationScopeImpl.Registration registration = scope.onCancel(() -> {
      cancelTimer(seq); // already done by startTimer's own registration, but not under replay semantics 1
      promise.fail(new CanceledFailure(scope.describe(workflowId) + " before Workflow.newTimer(" + duration
          + ") fired"));
    });
    promise.whenDone(registration::remove);
    return promise;
  }

  /** Blocks until {@code condition} holds, or until {@code timeout} (if not null) passes. */
  @Override
  public boolean await(Duration timeout, BooleanSupplier condition) {
    WorkflowThread thread = currentThreadOrFail("Workflow.await");
    throwIfCanceled(thread);
    CancellationScopeImpl scope = thread.scope();
    if (timeout == null) {
      thread.block(() -> condition.getAsBoolean() || scope.isCancelRequested());
      if (!condition.getAsBoolean()) {
        throw new CanceledFailure(scope.describe(workflowId) + " during Workflow.await");
      }
      return true;
    }
    if (condition.getAsBoolean()) {
      return true;
    }
    if (timeout.isNegative() || timeout.isZero()) {
      return false;
    }
    int seq = startTimer(timeout, scope);
    ResultSlot<Void> slot = timers.get(seq);
    thread.block(() -> condition.getAsBoolean() || slot.isCompleted() || scope.isCancelRequested());
    boolean met = condition.getAsBoolean();
    if (!slot.isCompleted()) {
      cancelTimer(seq);
    }
    if (!met && !slot.isCompleted()) {
      throw new CanceledFailure(scope.describe(workflowId) + " during Workflow.await");
    }
    return met;
  }

  static final String VERSION = "Version";
  static final String SIDE_EFFECT = "SideEffect";
  static final String MUTABLE_SIDE_EFFECT = "MutableSideEffect";
  static final String SIGNAL_DROPPED = "SignalDropped";
  static final String LOCAL_ACTIVITY = "LocalActivity";

  /** See {@code Workflow.getVersion}. */
  public int getVersion(String changeId, int minSupported, int maxSupported) {
    currentThreadOrFail("Workflow.getVersion");
    Integer version = versions.get(changeId);
    if (version == null) {
      if (expected == null) {
        version = maxSupported;
        emit(new Command.RecordMarker(VERSION, changeId, converter.toPayload(version, () -> "version of " + changeId)));
      } else {
        // Markers of getVersion calls removed since are passed over; the one for this change may follow them.
        for (int j = expectedIndex; j < expected.size()
            && expected.get(j).attributes() instanceof EventAttributes.MarkerRecorded m && VERSION.equals(m.markerName()); j++) {
          if (changeId.equals(m.markerId())) {
            expectedIndex = j;
            version = (Integer) converter.fromPayload(m.data(), Integer.class, () -> "version of change " + changeId);
            emit(new Command.RecordMarker(VERSION, changeId, m.data()));
            break;
          }
        }
        if (version == null) {
          // History from before the change: the code that ran then had no getVersion call here.
          version = dev.durable.workflow.Workflow.DEFAULT_VERSION;
        }
      }
      versions.put(changeId, version);
    }
    if (version < minSupported || version > maxSupported) {
      throw new NondeterminismError("DURABLE-111 workflow '" + workflowId + "' (run " + runId + ", "
          + info.workflowType() + ") took version " + version + " of change '" + changeId + "', but this code supports "
          + "versions " + minSupported + " to " + maxSupported + " (at " + SourceLine.ofCurrentThread() + "). Keep the"
          + " branch for version " + version + " until no run that took it is open, or reset those runs.");
    }
    return version;
  }

  /** See {@code Workflow.sideEffect}: computed once, recorded, and read back on replay. */
  public Object sideEffect(java.lang.reflect.Type type, java.util.function.Supplier<?> fn) {
    currentThreadOrFail("Workflow.sideEffect");
    String id = Integer.toString(nextSeq++);
    Payload recorded = recordedMarker(SIDE_EFFECT, id);
    if (recorded == null && expected != null) {
      // History has no such marker here: this reports the mismatch, without running fn during replay.
      emit(new Command.RecordMarker(SIDE_EFFECT, id, null));
    }
    Payload data = recorded != null ? recorded
        : converter.toPayload(fn.get(), () -> "side effect " + id + " of workflow '" + workflowId + "'");
    emit(new Command.RecordMarker(SIDE_EFFECT, id, data));
    return converter.fromPayload(data, type, () -> "side effect " + id + " of workflow '" + workflowId + "'");
  }

  /** See {@code Workflow.mutableSideEffect}: recorded only when the value changes. */
  @SuppressWarnings("unchecked")
  public <R> R mutableSideEffect(String id, Class<R> type, java.util.function.BiPredicate<R, R> updated,
      java.util.function.Supplier<R> fn) {
    currentThreadOrFail("Workflow.mutableSideEffect");
    java.util.function.Supplier<String> where = () -> "mutable side effect '" + id + "' of workflow '" + workflowId + "'";
    Payload last = mutableSideEffects.get(id);
    if (expected != null) {
      Payload recorded = recordedMarker(MUTABLE_SIDE_EFFECT, id);
      if (recorded != null) {
        emit(new Command.RecordMarker(MUTABLE_SIDE_EFFECT, id, recorded));
        mutableSideEffects.put(id, recorded);
        return (R) converter.fromPayload(recorded, type, where);
      }
      if (last != null) {
        return (R) converter.fromPayload(last, type, where); // unchanged at this point of the history
      }
      // History has no value for it yet: this reports the mismatch, without running fn during replay.
      emit(new Command.RecordMarker(MUTABLE_SIDE_EFFECT, id, null));
    }
    R value = fn.get();
    if (last != null && !updated.test((R) converter.fromPayload(last, type, where), value)) {
      return (R) converter.fromPayload(last, type, where);
    }
    Payload data = converter.toPayload(value, where);
    emit(new Command.RecordMarker(MUTABLE_SIDE_EFFECT, id, data));
    mutableSideEffects.put(id, data);
    return (R) converter.fromPayload(data, type, where);
  }

  /**
   * On replay, the data of the next command event if it is the marker named; else null. Version
   * markers of removed getVersion calls are looked past, as {@link #emit} passes over them.
   */
  private Payload recordedMarker(String name, String id) {
    if (expected == null) {
      return null;
    }
    for (int j = expectedIndex; j < expected.size(); j++) {
      if (!(expected.get(j).attributes() instanceof EventAttributes.MarkerRecorded m)) {
        return null;
      }
      if (name.equals(m.markerName()) && id.equals(m.markerId())) {
        return m.data();
      }
      if (!VERSION.equals(m.markerName())) {
        return null;
      }
    }
    return null;
  }

  private int startTimer(Duration d, CancellationScopeImpl scope) {
    int seq = nextSeq++;
    timers.put(seq, new ResultSlot<>(this));
    emit(new Command.StartTimer(seq, d));
    if (replaySemantics >= ReplaySemantics.V2_ACTIVITY_CANCELLATION) {
      timerCancels.put(seq, scope.onCancel(() -> cancelTimer(seq)));
    }
    // Under semantics 1 (only the root scope existed) the thread waiting for the timer cancels it when it wakes.
    return seq;
  }

  /** Cancels a timer that has neither fired nor been canceled; else does nothing. */
  private void cancelTimer(int seq) {
    if (timers.remove(seq) == null) {
      return;
    }
    forgetTimerCancel(seq);
    emit(new Command.CancelTimer(seq));
  }

  private void forgetTimerCancel(int seq) {
    CancellationScopeImpl.Registration r = timerCancels.remove(seq);
    if (r != null) {
      r.remove();
    }
  }

  private void throwIfCanceled(WorkflowThread thread) {
    CancellationScopeImpl scope = thread.scope();
    if (scope.isCancelRequested()) {
      throw new CanceledFailure(scope.describe(workflowId));
    }
  }

  /** Returns the deterministic workflow time. */
  @Override
  public Instant now() {
    return time;
  }

  /** Returns the run's deterministic random source. */
  @Override
  public Random random() {
    if (random == null) {
      // Made on first use (most workflows never ask): seeded by the run id, so replays see the same numbers.
      UUID id = UUID.fromString(runId);
      random = new Random(id.getMostSignificantBits() ^ id.getLeastSignificantBits());
    }
    return random;
  }

  /** Returns a deterministic version-4 UUID. */
  @Override
  public UUID randomUUID() {
    byte[] b = new byte[16];
    random().nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xff);
      lsb = (lsb << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  /** Returns whether the code is replaying history (not running for the first time). */
  public boolean isReplaying() {
    return expected != null;
  }

  /** See {@code Workflow.getLastCompletionResult}: decoded as {@code type}, or null when there is none. */
  public <R> R lastCompletionResult(Class<R> type) {
    return lastCompletionResult == null ? null : type.cast(converter.fromPayload(lastCompletionResult, type,
        () -> "the last completion result of workflow '" + workflowId + "'"));
  }

  /** Returns facts about the run. */
  public WorkflowInfo info() {
    return new WorkflowInfo(workflowId, runId, info.workflowType(), taskQueue, links.attempt(), startTime,
        SearchAttributes.toJava(searchAttributes), links.continuedFromRunId(), links.parentWorkflowId(),
        links.parentRunId(), historyLength, links.cronSchedule());
  }

  /** See {@code Workflow.upsertSearchAttributes}: checked, recorded as a command, and visible at once. */
  public void upsertSearchAttributes(Map<String, ?> attributes) {
    currentThreadOrFail("Workflow.upsertSearchAttributes");
    Map<String, SearchAttributeValue> values = SearchAttributes.toValues(attributes);
    if (values.isEmpty()) {
      return;
    }
    Map<String, SearchAttributeValue> merged = SearchAttributes.merge(searchAttributes, values, workflowId);
    emit(new Command.UpsertSearchAttributes(values));
    searchAttributes = merged;
  }

  private void emit(Command c) {
    if (queryMode) {
      throw new IllegalStateException("DURABLE-215 a query method or update validator of workflow '" + workflowId + "' tried to "
          + c.describe() + "; queries are read-only");
    }
    if (closes(c)) {
      closed = true;
    }
    if (expected == null) {
      commands.add(c);
      return;
    }
    skipUnmatchedVersionMarkers(c);
    if (expectedIndex >= expected.size()) {
      // Where the command would have been recorded: after the task's last command, or after the task itself.
      long at = (expected.isEmpty() ? expectedTaskEventId : expected.get(expected.size() - 1).eventId()) + 1;
      throw nondeterminism(at, "no further command in workflow task " + expectedTaskEventId, codeSide(c),
          sourceOf(c));
    }
    HistoryEvent recorded = expected.get(expectedIndex++);
    if (!CommandMatcher.matches(c, recorded.attributes())) {
      throw nondeterminism(recorded.eventId(), describe(recorded), codeSide(c), sourceOf(c));
    }
  }

  private static boolean closes(Command c) {
    return c instanceof Command.CompleteWorkflow || c instanceof Command.FailWorkflow || c instanceof Command.CancelWorkflow
        || c instanceof Command.ContinueAsNew;
  }

  /** A command for messages; a closing command has no source line of its own, so it names the workflow method. */
  private String codeSide(Command c) {
    if (!closes(c) || c instanceof Command.ContinueAsNew) {
      return c.describe();
    }
    return c.describe() + "  when " + implClass.getName() + "." + info.workflowMethod().getName()
        + (c instanceof Command.CompleteWorkflow ? " returned" : " threw");
  }

  private static String sourceOf(Command c) {
    return closes(c) && !(c instanceof Command.ContinueAsNew) ? null : SourceLine.ofCurrentThread();
  }

  /** Where the first blocked workflow thread waits, for messages; null if none waits. */
  private String waitingAt() {
    for (WorkflowThread t : threads) {
      String at = t.waitingAt();
      if (at != null) {
        return at;
      }
    }
    return null;
  }

  /**
   * A version marker the code does not produce any more belongs to a getVersion call that was
   * removed once no run needed the old branch; replay passes over it.
   */
  private void skipUnmatchedVersionMarkers(Command c) {
    while (expectedIndex < expected.size()
        && expected.get(expectedIndex).attributes() instanceof EventAttributes.MarkerRecorded m
        && VERSION.equals(m.markerName())
        && !CommandMatcher.matches(c, m)) {
      expectedIndex++;
    }
  }

  private static String describe(HistoryEvent e) {
    return e.eventType() + " " + CommandMatcher.summary(e.attributes()) + recordedOn(e);
  }

  private static String recordedOn(HistoryEvent e) {
    return "  (recorded by the code that ran on " + e.timestamp().toString().substring(0, 10) + ")";
  }

  /** A non-determinism error with its own code, for mismatches that matching a command cannot see. */
  private Error nondeterminismAt(long eventId, String code, String history, String codeSide) {
    NondeterminismError err = new NondeterminismError(code + " non-determinism in workflow '" + workflowId
        + "' (run " + runId + ", " + info.workflowType() + ") at history event " + eventId + ":\n"
        + "  history: " + history + "\n"
        + "  code:    " + codeSide + "  at " + SourceLine.ofCurrentThread() + "\n"
        + "The workflow code changed in a way that is not compatible with runs already in progress.\n"
        + "Guard the change with Workflow.getVersion(\"<change-id>\", Workflow.DEFAULT_VERSION, 1), or reset the run"
        + " (terminate it and start it again).");
    nondeterminism = err;
    return err;
  }

  private Error nondeterminism(long eventId, String history, String code, String source) {
    NondeterminismError err = new NondeterminismError("DURABLE-110 non-determinism in workflow '" + workflowId
        + "' (run " + runId + ", " + info.workflowType() + ") at history event " + eventId + ":\n"
        + "  history: " + history + "\n"
        + "  code:    " + code + (source == null ? "" : "  at " + source) + "\n"
        + "The workflow code changed in a way that is not compatible with runs already in progress.\n"
        + "Guard the change with Workflow.getVersion(\"<change-id>\", Workflow.DEFAULT_VERSION, 1), or reset the run"
        + " (terminate it and start it again).");
    nondeterminism = err;
    return err;
  }

  // ------------------------------------------------------------ sandbox

  /** The replay semantics the run started with: shims added later act as plain calls for older runs. */
  @Override
  public int replaySemantics() {
    return replaySemantics;
  }

  @Override
  public void violation(Violation v) {
    String code = v.staticWrite() ? "DURABLE-102" : "DURABLE-101";
    String what = v.staticWrite() ? v.message() + " (" + v.api() + ")" : v.message() + " (" + displayApi(v.api()) + ")";
    DeterminismViolation error = new DeterminismViolation(code, v.ruleId(), v.api(), workflowId,
        code + " workflow '" + workflowId + "' (" + info.workflowType() + ") " + what + " at " + v.userFrame()
            + ". Workflow code must be deterministic: " + v.suggestion() + ". [rule " + v.ruleId()
            + (Sandbox.mode() == Sandbox.Mode.WARN ? ", mode warn: the call was let through" : "") + "]");
    error.setStackTrace(v.stack());
    if (violationListener != null) {
      try {
        violationListener.onViolation(error);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "the worker's ViolationListener threw; ignored", e);
      }
    }
    if (Sandbox.mode() == Sandbox.Mode.ENFORCE) {
      // Kept as well as thrown, so that code catching Throwable cannot hide it.
      violationError = error;
      throw error;
    }
    if (loggedViolations.add(v.ruleId() + " " + v.userFrame())) {
      LOG.log(System.Logger.Level.WARNING, error.getMessage());
    }
  }

  private static String displayApi(String api) {
    return api.endsWith(".<init>") ? "new " + api.substring(0, api.length() - ".<init>".length()) : api;
  }

  // ------------------------------------------------------------ queries

  /** Runs a query method against the current state; the caller holds {@link #lock}. */
  public Payload query(String queryName, List<Payload> input) {
    Method m = info.queries().get(queryName);
    if (m == null) {
      throw new IllegalArgumentException("DURABLE-209 workflow type " + info.workflowType() + " has no query named '"
          + queryName + "'; known queries: " + info.queries().keySet());
    }
    return runReadOnly(() -> {
      Object[] args = converter.fromPayloads(input, m.getGenericParameterTypes(), () -> "query '" + queryName + "'");
      Object result = invoke(m, args);
      return converter.toPayload(result, () -> "result of query '" + queryName + "' of workflow '" + workflowId + "'");
    });
  }

  /** Runs a query or an update validator: workflow code that may read the state but not change it. */
  private <T> T runReadOnly(java.util.function.Supplier<T> code) {
    WorkflowRun outer = CURRENT.get();
    CURRENT.set(this);
    WorkflowHooks outerHooks = SandboxState.enter(this);
    queryMode = true;
    try {
      if (instance == null) {
        // No workflow task has run yet: the state is what the constructor leaves.
        instance = newInstance();
      }
      return code.get();
    } finally {
      queryMode = false;
      SandboxState.restore(outerHooks);
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  // ------------------------------------------------------------ lifecycle

  /** Returns whether the code has produced a command that closes the run. */
  public boolean isClosed() {
    return closed;
  }

  boolean isDestroyed() {
    return destroyed;
  }

  /** Unwinds every thread; the run cannot be used afterwards. */
  public void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    for (WorkflowThread t : threads) {
      t.destroy();
    }
    threads.clear();
  }

  public String runId() {
    return runId;
  }
}
