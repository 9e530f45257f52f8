package dev.durable.internal.worker;

import dev.durable.internal.LazyLogger;
import dev.durable.internal.failure.Failures;
import dev.durable.internal.model.Command;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.replay.LocalActivityExecutor;
import dev.durable.internal.replay.ThreadMaker;
import dev.durable.internal.replay.WorkflowRun;
import dev.durable.internal.replay.WorkflowTaskFailure;
import dev.durable.internal.reflect.WorkflowInterfaceInfo;
import dev.durable.internal.service.TaskRejectedException;
import dev.durable.internal.service.WorkflowService;
import dev.durable.internal.service.WorkflowService.ActivityTask;
import dev.durable.internal.service.WorkflowService.WorkflowTask;
import dev.durable.worker.ViolationListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/** Runs workflow tasks and queries against cached or replayed runs. */
public final class WorkflowTaskHandler {
  private static final System.Logger LOG = LazyLogger.of(WorkflowTaskHandler.class);

  /** A registered workflow implementation. */
  public record Registration(WorkflowInterfaceInfo info, Class<?> implClass) {}

  private final WorkflowService service;
  private final String taskQueue;
  private final String identity;
  private final Map<String, Registration> types;
  private final RunCache cache;
  private final ViolationListener violationListener;
  private final List<Class<? extends Throwable>> failWorkflowTypes;
  private volatile LocalActivityRunner localActivities;
  private final ThreadMaker threads = ThreadMaker.pooled();
  private volatile Duration stuckThreadWarning;
  /** Runs an activity handed over in a carried chain and returns the workflow task its result hands over. */
  private volatile Function<ActivityTask, Optional<WorkflowTask>> activityRunner;

  public WorkflowTaskHandler(WorkflowService service, String taskQueue, String identity,
      Map<String, Registration> types, int cacheSize, ViolationListener violationListener,
      List<Class<? extends Throwable>> failWorkflowTypes) {
    this.violationListener = violationListener;
    this.failWorkflowTypes = List.copyOf(failWorkflowTypes);
    this.service = service;
    this.taskQueue = taskQueue;
    this.identity = identity;
    this.types = Map.copyOf(types);
    this.cache = new RunCache(cacheSize);
  }

  /** Sets after how long a workflow thread that does not give control back is reported in the log (null: never). */
  public void setStuckThreadWarning(Duration after) {
    this.stuckThreadWarning = after;
  }

  public void handle(WorkflowTask t) {
    handle(t, false);
  }

  /**
   * Runs the task. With {@code takeActivity}, the completion asks the server to hand over one
   * activity the commands scheduled on this worker's task queue, which is returned for the caller
   * (an activity thread with nothing else to do) to run next.
   *
   * <p>With an activity runner set ({@link #setActivityRunner}), the run's workflow thread itself
   * may complete the task, run the activity handed over, and go on with the workflow task its
   * result hands over, and so on, while this thread waits (see {@link Carry}).
   */
  public Optional<ActivityTask> handle(WorkflowTask t, boolean takeActivity) {
    return handle(t, takeActivity, takeActivity);
  }

  /**
   * As {@link #handle(WorkflowTask, boolean)}, where only the run's workflow thread, carrying the
   * chain, may take activities ({@code carrierTakes}), or this thread too ({@code driverTakes}):
   * a thread that must not run activities itself (a client's, for an eager start) passes false.
   */
  public Optional<ActivityTask> handle(WorkflowTask t, boolean carrierTakes, boolean driverTakes) {
    WorkflowTask task = t;
    while (true) {
      // Only platform workflow threads carry: a virtual one would run the user's activities on a virtual thread.
      Carry carry = activityRunner == null || !threads.platformThreads() ? null : new Carry(task, carrierTakes);
      Optional<ActivityTask> next = handleOnce(task, driverTakes, carry);
      if (carry == null || carry.leftover == null) {
        return next;
      }
      task = carry.leftover; // a task of the run that its thread could not go on with by itself
    }
  }

  private Optional<ActivityTask> handleOnce(WorkflowTask t, boolean takeActivity, Carry carry) {
    if (t.query() != null) {
      answerQuery(t);
      return Optional.empty();
    }
    if (t.update() != null) {
      validateUpdate(t);
      return Optional.empty();
    }
    Registration reg = types.get(t.workflowType());
    if (reg == null) {
      String message = "DURABLE-204 workflow type '" + t.workflowType() + "' of workflow '" + t.workflowId()
          + "' is not registered on the worker for task queue '" + taskQueue + "'; registered types: "
          + new TreeSet<>(types.keySet()) + ". Register it with registerWorkflowImplementationTypes(...); the workflow"
          + " waits until a worker that knows the type polls this task queue.";
      LOG.log(System.Logger.Level.WARNING, message);
      fail(t, FailureInfo.simple(FailureInfo.WORKFLOW_TASK, "dev.durable.WorkflowTypeNotRegistered", message, false));
      return Optional.empty();
    }
    Optional<ActivityTask> next = Optional.empty();
    WorkflowRun run = lockCached(t.runId());
    boolean locked = run != null;
    try {
      List<HistoryEvent> events = t.events();
      if (run != null && !run.canContinueWith(events)) {
        discard(run);
        run.lock.unlock();
        locked = false;
        run = null;
      }
      if (run == null) {
        if (events.isEmpty() || events.get(0).eventId() != 1) {
          events = fullHistory(t.runId(), t.lastEventId());
        }
        run = newRun(reg, t);
        run.setLocalActivities(localActivitiesOf(t.runId()));
        run.lock.lock();
        locked = true;
      }
      List<Command> commands = run.processTask(events, t.workflowTime(), carry);
      if (commands == null) {
        // The run's thread completed this task, and perhaps later ones of its chain, itself.
        if (carry.error != null) {
          throw carry.error;
        }
        if (run.isClosed() || cache.get(t.runId()) != run) {
          discard(run);
        }
        return Optional.empty();
      }
      cacheBeforeCompleting(run);
      // The task is a later one of the chain when the run's thread carried it there and then handed control back.
      WorkflowTask current = carry != null ? carry.current : t;
      var request = new WorkflowService.CompleteWorkflowTaskRequest(current.runId(), current.token(), commands,
          identity);
      if (takeActivity) {
        next = service.completeWorkflowTaskAndTakeActivity(request, taskQueue);
      } else {
        service.completeWorkflowTask(request);
      }
      if (run.isClosed() || cache.get(t.runId()) != run) {
        discard(run); // closed, or replaced by a run another poller built meanwhile
      }
    } catch (TaskRejectedException e) {
      WorkflowTask current = carry != null ? carry.current : t;
      LOG.log(System.Logger.Level.DEBUG, "workflow task of ''{0}'' rejected: {1}", current.workflowId(),
          e.getMessage());
      discard(run);
    } catch (Throwable e) {
      discard(run);
      if (e instanceof VirtualMachineError vme && !(e instanceof StackOverflowError)) {
        throw vme;
      }
      WorkflowTask current = carry != null ? carry.current : t;
      Throwable cause = e instanceof WorkflowTaskFailure && e.getCause() != null ? e.getCause() : e;
      if (failWorkflowTypes.stream().anyMatch(type -> type.isInstance(cause))) {
        // The user chose to end runs on this kind of error rather than wait for fixed code.
        LOG.log(System.Logger.Level.WARNING, "workflow ''{0}'' ({1}) fails: {2}", current.workflowId(),
            current.workflowType(), e.getMessage());
        completeAsFailed(current, cause);
        return Optional.empty();
      }
      LOG.log(System.Logger.Level.WARNING, "workflow task of ''" + current.workflowId() + "'' ("
          + current.workflowType() + ") failed: " + e.getMessage(), e);
      FailureInfo info = Failures.toInfo(e);
      fail(current, new FailureInfo(FailureInfo.WORKFLOW_TASK, info.type(), info.message(), info.stackTrace(), null,
          false, Map.of(), info.cause()));
    } finally {
      if (locked) {
        run.lock.unlock();
      }
    }
    return next;
  }

  /** Cached before completing: the next task may come at once, and must wait for this run, not build another. */
  private void cacheBeforeCompleting(WorkflowRun run) {
    if (!run.isClosed() && cache.get(run.runId()) != run) {
      cache.put(run);
    }
  }

  /**
   * The driver's work after each task of a chain, done by the run's workflow thread (see
   * {@link WorkflowRun.Carrier}): completing the task, running the activity the completion hands
   * over, taking the workflow task that activity's result hands over. The driver that started
   * the chain waits, and the run stays locked for it; while the activity runs, the thread has
   * left the run ({@link WorkflowRun#away}): queries read the run meanwhile, and a workflow task
   * of the run that comes meanwhile (a signal) is run on a run replayed from the history, which
   * replaces this one. A lone workflow so needs no thread switch between its tasks.
   *
   * <p>What ends the chain is left for the driver: a failure (rethrown there, against the task
   * that was current), a run to discard (closed or replaced), or a workflow task the thread
   * cannot go on with by itself ({@link WorkflowRun#continuesLive}), which the driver runs next.
   */
  private final class Carry implements WorkflowRun.Carrier {
    private final boolean takeActivity;
    /** The task the run's thread works on: the driver's, then each one taken in the chain. */
    WorkflowTask current;
    Throwable error;
    WorkflowTask leftover;

    Carry(WorkflowTask first, boolean takeActivity) {
      this.current = first;
      this.takeActivity = takeActivity;
    }

    @Override
    public WorkflowRun.NextTask next(WorkflowRun run, List<Command> commands) {
      try {
        cacheBeforeCompleting(run);
        var request = new WorkflowService.CompleteWorkflowTaskRequest(current.runId(), current.token(), commands,
            identity);
        if (!takeActivity) {
          service.completeWorkflowTask(request);
          return null;
        }
        Optional<ActivityTask> activity = service.completeWorkflowTaskAndTakeActivity(request, taskQueue);
        if (activity.isEmpty()) {
          return null;
        }
        // Handed over, so it runs here whatever became of the run meanwhile, as the driver would run it.
        Optional<WorkflowTask> taken = run.away(() -> activityRunner.apply(activity.get()));
        if (taken.isEmpty()) {
          return null;
        }
        WorkflowTask wt = taken.get();
        if (run.isClosed() || cache.get(run.runId()) != run || !wt.runId().equals(run.runId())
            || !run.continuesLive(wt.events())) {
          leftover = wt;
          return null;
        }
        current = wt;
        return new WorkflowRun.NextTask(wt.events(), wt.workflowTime());
      } catch (Throwable e) {
        error = e;
        return null;
      }
    }
  }

  /**
   * Runs the local activities of run {@code runId}: first has the server write what it keeps
   * unwritten for the task (an activity result handed over with it), since a local activity acts
   * outside the engine on what the workflow code saw.
   */
  private LocalActivityExecutor localActivitiesOf(String runId) {
    LocalActivityRunner runner = localActivities;
    if (runner == null) {
      return null;
    }
    return (workflowId, activityType, input, options, firstAttempt, remaining) -> {
      service.writeKeptResults(runId);
      return runner.execute(workflowId, activityType, input, options, firstAttempt, remaining);
    };
  }

  /** A new run of the task's workflow, its threads from this worker's pool. */
  private WorkflowRun newRun(Registration reg, WorkflowTask t) {
    WorkflowRun run = new WorkflowRun(reg.info(), reg.implClass(), t.workflowId(), t.runId(), t.taskQueue(),
        violationListener);
    run.setThreadMaker(threads);
    run.setStuckThreadWarning(stuckThreadWarning);
    return run;
  }

  private void answerQuery(WorkflowTask t) {
    var q = t.query();
    withCurrentState(t, run -> service.respondQuery(new WorkflowService.QueryResult(q.queryId(),
        run.query(q.queryName(), q.input()), null)),
        e -> service.respondQuery(new WorkflowService.QueryResult(q.queryId(), null, Failures.toInfo(e))));
  }

  /** Runs an update's validator; a validator that throws rejects the update, and nothing is recorded. */
  private void validateUpdate(WorkflowTask t) {
    var u = t.update();
    withCurrentState(t, run -> {
      run.validateUpdate(u.updateName(), u.input());
      service.respondUpdateValidation(new WorkflowService.UpdateValidation(u.validationId(), null));
    }, e -> service.respondUpdateValidation(new WorkflowService.UpdateValidation(u.validationId(), Failures.toInfo(e))));
  }

  /**
   * Runs read-only {@code action} on the run's current state: the cached run, or one replayed from
   * the completed part of its history for the purpose. What it throws goes to {@code onFailure}.
   */
  private void withCurrentState(WorkflowTask t, java.util.function.Consumer<WorkflowRun> action,
      java.util.function.Consumer<Throwable> onFailure) {
    WorkflowRun run = cache.get(t.runId());
    boolean asReader = false;
    if (run != null) {
      asReader = run.lock.lockToRead();
      if (run.isClosed() || cache.get(t.runId()) != run) {
        run.lock.unlockRead(asReader);
        run = null;
      }
    }
    boolean temporary = false;
    try {
      if (run == null) {
        Registration reg = types.get(t.workflowType());
        if (reg == null) {
          throw new IllegalStateException("DURABLE-204 workflow type '" + t.workflowType()
              + "' is not registered on the worker for task queue '" + taskQueue + "'");
        }
        run = newRun(reg, t);
        run.lock.lock();
        temporary = true;
        run.replayCompleted(service.readHistory(t.runId(), 1));
      }
      action.accept(run);
    } catch (Throwable e) {
      onFailure.accept(e);
    } finally {
      if (run != null) {
        if (temporary) {
          run.destroy();
        }
        run.lock.unlockRead(asReader);
      }
    }
  }

  /**
   * Returns the cached run locked by the caller, or null if there is none usable: also while its
   * thread is away running an activity of a carried chain (the caller then builds its own).
   */
  private WorkflowRun lockCached(String runId) {
    WorkflowRun run = cache.get(runId);
    if (run == null || !run.lock.lockUnlessAway()) {
      return null;
    }
    if (run.isClosed() || cache.get(runId) != run) {
      run.lock.unlock();
      return null;
    }
    return run;
  }

  private List<HistoryEvent> fullHistory(String runId, long lastEventId) {
    List<HistoryEvent> all = service.readHistory(runId, 1);
    int end = all.size();
    while (end > 0 && all.get(end - 1).eventId() > lastEventId) {
      end--;
    }
    return all.subList(0, end);
  }

  private void discard(WorkflowRun run) {
    if (run != null) {
      cache.remove(run);
      run.destroy();
    }
  }

  private void completeAsFailed(WorkflowTask t, Throwable cause) {
    try {
      service.completeWorkflowTask(new WorkflowService.CompleteWorkflowTaskRequest(t.runId(), t.token(),
          List.of(new Command.FailWorkflow(Failures.toInfo(cause))), identity));
    } catch (TaskRejectedException e) {
      LOG.log(System.Logger.Level.DEBUG, "workflow task of ''{0}'' rejected: {1}", t.workflowId(), e.getMessage());
    }
  }

  private void fail(WorkflowTask t, FailureInfo failure) {
    try {
      service.failWorkflowTask(new WorkflowService.FailWorkflowTaskRequest(t.runId(), t.token(), failure, identity));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not report the failed workflow task of ''{0}'': {1}", t.workflowId(), e.toString());
    }
  }

  /**
   * Lets the runs' workflow threads carry their chains (see {@link Carry}): {@code runner} runs an
   * activity handed over and returns the workflow task its result hands over.
   */
  public void setActivityRunner(Function<ActivityTask, Optional<WorkflowTask>> runner) {
    this.activityRunner = runner;
  }

  /** Sets what runs local activities: the worker's registered activity implementations. */
  public void setLocalActivities(LocalActivityRunner runner) {
    this.localActivities = runner;
  }

  /** Unwinds every cached run. */
  public void shutdown() {
    if (localActivities != null) {
      localActivities.shutdown();
    }
    for (WorkflowRun run : cache.clear()) {
      run.lock.lock();
      try {
        run.destroy();
      } finally {
        run.lock.unlock();
      }
    }
    threads.shutdown();
  }

  /** Whether this handler runs workflows of {@code workflowType}. */
  public boolean knows(String workflowType) {
    return types.containsKey(workflowType);
  }

  /** Returns the number of cached runs. */
  public int cachedRuns() {
    return cache.size();
  }
}
