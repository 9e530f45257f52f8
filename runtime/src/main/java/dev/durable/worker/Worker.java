package dev.durable.worker;

import dev.durable.client.WorkflowClient;
import dev.durable.common.DurableException;
import dev.durable.internal.Checks;
import dev.durable.internal.Deadlines;
import dev.durable.internal.LazyLogger;
import dev.durable.internal.reflect.ActivityInterfaceInfo;
import dev.durable.internal.reflect.WorkflowInterfaceInfo;
import dev.durable.internal.service.ServiceProvider;
import dev.durable.internal.service.WorkflowService;
import dev.durable.internal.worker.ActivityTaskHandler;
import dev.durable.internal.worker.LocalActivityRunner;
import dev.durable.internal.worker.SandboxCheck;
import dev.durable.internal.worker.WorkflowTaskHandler;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Polls one task queue and runs the registered workflows and activities. Client and worker must
 * name the same task queue.
 *
 * <pre>{@code
 * Worker worker = Worker.newBuilder(client, "orders")
 *     .registerWorkflowImplementationTypes(OrderWorkflowImpl.class)
 *     .registerActivitiesImplementations(new PaymentsImpl())
 *     .build();
 * worker.start();
 * }</pre>
 *
 * <p>{@link #close()} stops polling, waits a bounded time for running activities and shuts down
 * the activity executor.
 */
public final class Worker implements AutoCloseable {
  private static final System.Logger LOG = LazyLogger.of(Worker.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

  private final WorkflowService service;
  private final String taskQueue;
  private final String identity;
  private final WorkflowTaskHandler workflows;
  private final ActivityTaskHandler activities;
  /** The executor given to the builder, or null: then activities run on the worker's own activity threads. */
  private final ExecutorService activityExecutor;
  private final Semaphore activitySlots;
  private final int maxActivityThreads;
  /** The worker's own activity threads: each polls and runs its activity itself, with no hand-off. */
  private final Set<Thread> activityThreads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger idleActivityThreads = new AtomicInteger();
  /** Workflow pollers waiting for a workflow task now. */
  private final AtomicInteger idleWorkflowPollers = new AtomicInteger();
  /** Workflow pollers running an activity (and its chain) now. */
  private final AtomicInteger activitiesOnPollers = new AtomicInteger();
  private final AtomicInteger activityThreadNames = new AtomicInteger();
  /** First workflow tasks run on the threads that started their runs now (eager start, see {@link #local}). */
  private final AtomicInteger eagerTasks = new AtomicInteger();
  /** Workflow threads running an activity of a chain they carry (see WorkflowTaskHandler.Carry), for close. */
  private final Set<Thread> carriedActivities = ConcurrentHashMap.newKeySet();
  private final int workflowPollers;
  private final Duration shutdownTimeout;
  private final List<Class<?>> workflowImplementationTypes;
  private final List<Thread> pollers = new ArrayList<>();
  private volatile boolean running;
  /** Pollers wait on it after a failed poll; close wakes them. */
  private final Object pauses = new Object();
  private boolean started;

  private Worker(Builder b) {
    this.service = ((ServiceProvider) b.client).workflowService();
    this.taskQueue = b.taskQueue;
    this.identity = ProcessHandle.current().pid() + "@" + hostName() + "/" + taskQueue + "#" + INSTANCES.incrementAndGet();
    this.workflows = new WorkflowTaskHandler(service, taskQueue, identity, b.workflowTypes, b.stickyCacheSize,
        b.violationListener, b.failWorkflowExceptionTypes);
    this.activities = new ActivityTaskHandler(service, taskQueue, b.activities);
    this.workflows.setLocalActivities(new LocalActivityRunner(b.activities, taskQueue));
    this.workflows.setStuckThreadWarning(b.stuckThreadWarning);
    if (!Boolean.getBoolean("durable.worker.noCarry")) {
      this.workflows.setActivityRunner(this::runCarriedActivity);
    }
    this.activityExecutor = b.activityExecutor;
    this.activitySlots = new Semaphore(b.maxConcurrentActivityTasks);
    this.maxActivityThreads = b.maxConcurrentActivityTasks;
    this.workflowPollers = b.maxConcurrentWorkflowTasks;
    this.workflowImplementationTypes = b.workflowTypes.values().stream()
        .<Class<?>>map(WorkflowTaskHandler.Registration::implClass).toList();
    this.shutdownTimeout = b.shutdownTimeout;
  }

  /**
   * Returns a builder for a worker of {@code taskQueue}.
   *
   * @param client the client whose server the worker polls
   * @param taskQueue the task queue; the same string the client starts workflows on
   */
  public static Builder newBuilder(WorkflowClient client, String taskQueue) {
    return new Builder(client, taskQueue);
  }

  /** Starts polling. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("DURABLE-214 worker for task queue '" + taskQueue + "' is already started");
    }
    started = true;
    running = true;
    for (int i = 0; i < workflowPollers; i++) {
      pollers.add(poller("durable-workflow-poller-" + taskQueue + "-" + i, this::pollWorkflowTask));
    }
    if (activityExecutor != null) {
      pollers.add(poller("durable-activity-poller-" + taskQueue, this::pollActivityTask));
    }
    pollers.forEach(Thread::start);
    if (activityExecutor == null) {
      startActivityThread();
    }
    service.addLocalWorker(taskQueue, local);
  }

  /** Returns the task queue this worker polls. */
  public String getTaskQueue() {
    return taskQueue;
  }

  /** Returns the workflow implementation classes registered on this worker. */
  public List<Class<?>> getWorkflowImplementationTypes() {
    return workflowImplementationTypes;
  }

  /** Returns this worker's identity as recorded in histories. */
  public String getIdentity() {
    return identity;
  }

  private Thread poller(String name, BooleanSupplier once) {
    Thread t = new Thread(() -> {
      int failures = 0;
      while (running) {
        try {
          if (!once.getAsBoolean()) {
            return;
          }
          failures = 0;
        } catch (DurableException e) {
          if ("DURABLE-213".equals(e.getCode())) {
            return; // the server closed
          }
          LOG.log(System.Logger.Level.WARNING, "worker for task queue ''" + taskQueue + "'' failed to poll", e);
          pauseAfterFailure(++failures);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "worker for task queue ''" + taskQueue + "'' failed to poll", e);
          pauseAfterFailure(++failures);
        }
      }
    }, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Waits before the next poll after {@code failures} failed ones in a row: 50 ms, doubling up to
   * 5 s, so that a failing server is not hammered (and the log not flooded); close ends the wait.
   */
  private void pauseAfterFailure(int failures) {
    long millis = Math.min(5_000L, 50L << Math.min(failures - 1, 10));
    synchronized (pauses) {
      if (running) {
        try {
          pauses.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
    }
  }

  private Thread poller(String name, Runnable once) {
    return poller(name, () -> {
      once.run();
      return true;
    });
  }

  /**
   * Starts one more of the worker's own activity threads, unless they and the workflow pollers
   * running an activity are as many as activities may run at once. The first starts with the
   * worker; each thread that takes a task while no other one is polling starts the next, so there
   * is always one polling until the limit is reached, and a thread whose poll found nothing for a
   * whole poll timeout ends while another one polls.
   */
  private void startActivityThread() {
    synchronized (activityThreads) {
      if (!running || activityThreads.size() + activitiesOnPollers.get() >= maxActivityThreads) {
        return;
      }
      Thread t = poller("durable-activity-poller-" + taskQueue + "-" + activityThreadNames.incrementAndGet(),
          this::pollAndRunActivity);
      activityThreads.add(t);
      t.start();
    }
  }

  /** One turn of an own activity thread: polls, then runs the activity on this thread. False: the thread ends. */
  private boolean pollAndRunActivity() {
    Optional<WorkflowService.ActivityTask> task;
    idleActivityThreads.incrementAndGet();
    try {
      task = service.pollActivityTask(new WorkflowService.PollRequest(taskQueue, identity, POLL_TIMEOUT));
    } catch (RuntimeException e) {
      idleActivityThreads.decrementAndGet();
      leaveIfDone(e);
      throw e;
    }
    if (task.isEmpty()) {
      synchronized (activityThreads) {
        if (!running || idleActivityThreads.get() > 1) {
          idleActivityThreads.decrementAndGet();
          activityThreads.remove(Thread.currentThread());
          return false;
        }
      }
      idleActivityThreads.decrementAndGet();
      return true;
    }
    if (idleActivityThreads.decrementAndGet() == 0) {
      startActivityThread();
    }
    // Hand-offs run here next, with no thread woken for them: the workflow task an activity's result
    // made ready, then an activity that task scheduled, and so on (a chain of steps stays on this thread).
    runChain(task);
    return true;
  }

  /** Forgets an own activity thread that is about to end because the server closed. */
  private void leaveIfDone(RuntimeException e) {
    if (e instanceof DurableException d && "DURABLE-213".equals(d.getCode())) {
      activityThreads.remove(Thread.currentThread());
    }
  }

  private void pollWorkflowTask() {
    Optional<WorkflowService.WorkflowTask> task;
    idleWorkflowPollers.incrementAndGet();
    try {
      task = service.pollWorkflowTask(new WorkflowService.PollRequest(taskQueue, identity, POLL_TIMEOUT));
    } finally {
      idleWorkflowPollers.decrementAndGet();
    }
    if (task.isEmpty()) {
      return;
    }
    runTaken(task.get(), true);
  }

  /**
   * Runs a workflow task this thread took, and the chain of steps it hands over. Without {@code
   * activitiesHere}, activities of the chain run only on the run's workflow thread, when it
   * carries the chain, never on this thread (a client's).
   */
  private void runTaken(WorkflowService.WorkflowTask task, boolean activitiesHere) {
    if (!reserveActivityHere()) {
      workflows.handle(task);
      return;
    }
    // The activity the task schedules runs here next, with no activity thread woken for it (the
    // wake-up was about 50 µs of a lone workflow's 1 ms here); see reserveActivityHere.
    try {
      runChain(workflows.handle(task, running, running && activitiesHere));
    } finally {
      activitiesOnPollers.decrementAndGet();
      if (idleActivityThreads.get() == 0) {
        startActivityThread(); // the slot this held may be the one a queued activity waits for
      }
    }
  }

  /**
   * Reserves an activity slot for the calling workflow poller, so that it takes the activity its
   * task schedules and runs it itself: only while another poller waits for workflow tasks (they
   * keep being served), for at most half of the pollers at a time (a long activity keeps its
   * poller), within the activity limit (every own activity thread counts, busy or not), and never
   * when activities go to an executor of the user's. Returns false, reserving nothing, otherwise.
   */
  private boolean reserveActivityHere() {
    if (activityExecutor != null || idleWorkflowPollers.get() == 0) {
      return false;
    }
    synchronized (activityThreads) {
      if (!running || activitiesOnPollers.get() >= workflowPollers / 2
          || activityThreads.size() + activitiesOnPollers.get() >= maxActivityThreads) {
        return false;
      }
      activitiesOnPollers.incrementAndGet();
      return true;
    }
  }

  /** Runs an activity, the workflow task its result made ready, the activity that task scheduled, and so on. */
  private void runChain(Optional<WorkflowService.ActivityTask> first) {
    Optional<WorkflowService.ActivityTask> current = first;
    while (current.isPresent()) {
      Optional<WorkflowService.WorkflowTask> next = activities.handle(current.get(), running);
      Thread.interrupted(); // an activity's interrupt status must not end the next poll or task
      current = next.isPresent() ? workflows.handle(next.get(), running) : Optional.empty();
    }
  }

  /**
   * This worker as the server in this process sees it for eager starts: a typed stub's call (start,
   * then wait for the result) on this worker's task queue runs the new run's first workflow task,
   * and the chain of steps it hands over, on the caller's thread, which waits for the result next
   * anyway, instead of waking a poller for it. Only while a poller waits for workflow tasks (the
   * worker has room) and for at most half as many such tasks at once as there are pollers. The
   * caller's interrupt status is kept aside meanwhile. The caller's thread runs no activity: the
   * chain's activities run on the workflow's thread when it carries the chain, else on the
   * worker's activity threads.
   */
  private final WorkflowService.LocalWorker local = new WorkflowService.LocalWorker() {
    @Override
    public boolean reserve(String workflowType) {
      if (!running || idleWorkflowPollers.get() == 0 || !workflows.knows(workflowType)) {
        return false;
      }
      if (eagerTasks.incrementAndGet() > Math.max(1, workflowPollers / 2)) {
        eagerTasks.decrementAndGet();
        return false;
      }
      return true;
    }

    @Override
    public void release() {
      eagerTasks.decrementAndGet();
    }

    @Override
    public void run(WorkflowService.WorkflowTask task) {
      boolean interrupted = Thread.interrupted();
      try {
        runTaken(task, false);
      } catch (RuntimeException e) {
        // Not lost: the task times out and is dispatched again.
        LOG.log(System.Logger.Level.WARNING, "the first workflow task of ''" + task.workflowId()
            + "'' failed on the thread that started it: " + e, e);
      } finally {
        eagerTasks.decrementAndGet();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  };

  /**
   * Runs an activity handed over to a run's workflow thread that carries its chain (under the
   * activity slot of the poller or activity thread that started the chain, which waits), and
   * returns the workflow task its result hands over.
   */
  private Optional<WorkflowService.WorkflowTask> runCarriedActivity(WorkflowService.ActivityTask task) {
    Thread thread = Thread.currentThread();
    carriedActivities.add(thread);
    try {
      return activities.handle(task, running);
    } finally {
      carriedActivities.remove(thread);
      Thread.interrupted(); // an activity's interrupt status must not reach the workflow code
    }
  }

  private void pollActivityTask() {
    try {
      activitySlots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return;
    }
    Optional<WorkflowService.ActivityTask> task;
    try {
      task = service.pollActivityTask(new WorkflowService.PollRequest(taskQueue, identity, POLL_TIMEOUT));
    } catch (RuntimeException e) {
      activitySlots.release();
      throw e;
    }
    if (task.isEmpty()) {
      activitySlots.release();
      return;
    }
    try {
      activityExecutor.execute(() -> {
        try {
          activities.handle(task.get());
        } finally {
          activitySlots.release();
        }
      });
    } catch (RejectedExecutionException e) {
      activitySlots.release();
      LOG.log(System.Logger.Level.WARNING, "activity executor rejected {0}; it is dispatched again after its timeout",
          task.get().activityType());
    }
  }

  /**
   * Stops polling, waits up to the shutdown timeout for running activities, shuts down the
   * activity executor (also one given to the builder) and drops cached runs.
   */
  @Override
  public void close() {
    running = false;
    service.removeLocalWorker(taskQueue, local);
    synchronized (pauses) {
      pauses.notifyAll();
    }
    try {
      service.shutdownWorker(identity);
    } catch (RuntimeException e) {
      // the server is already closed: nothing left to release
    }
    long deadline = System.nanoTime() + Deadlines.nanos(shutdownTimeout);
    for (Thread t : pollers) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (activityExecutor != null) {
      shutDownActivityExecutor(deadline);
    } else {
      stopActivityThreads(deadline);
    }
    workflows.shutdown();
  }

  private void shutDownActivityExecutor(long deadline) {
    activityExecutor.shutdown();
    try {
      if (!activityExecutor.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "activities still running after {0}; interrupting them", shutdownTimeout);
        activityExecutor.shutdownNow();
      }
    } catch (InterruptedException e) {
      activityExecutor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the deadline for the own activity threads, and the workflow pollers still running
   * an activity, to finish their activities, then interrupts them.
   */
  private void stopActivityThreads(long deadline) {
    List<Thread> threads = new ArrayList<>(pollers);
    synchronized (activityThreads) {
      threads.addAll(activityThreads);
    }
    try {
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (threads.stream().anyMatch(Thread::isAlive)) {
      LOG.log(System.Logger.Level.WARNING, "activities still running after {0}; interrupting them", shutdownTimeout);
      threads.forEach(Thread::interrupt);
      carriedActivities.forEach(Thread::interrupt);
    }
  }

  /**
   * This machine's name, for the worker's identity: on Linux the kernel's, read from
   * {@code /proc/sys/kernel/hostname}; elsewhere from the runtime management bean's
   * {@code pid@host}, whose first use loads the management classes (10 – 30 ms of a fresh JVM).
   */
  private static String hostName() {
    try {
      String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
      if (!kernel.isEmpty()) {
        return kernel;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: ask the JVM
    }
    String name = ManagementFactory.getRuntimeMXBean().getName();
    int at = name.indexOf('@');
    return at >= 0 ? name.substring(at + 1) : name;
  }

  /** Builds a {@link Worker}; {@link #build()} validates registrations and options. */
  public static final class Builder {
    private final WorkflowClient client;
    private final String taskQueue;
    private final Map<String, WorkflowTaskHandler.Registration> workflowTypes = new LinkedHashMap<>();
    private final Map<String, ActivityTaskHandler.Registration> activities = new LinkedHashMap<>();
    private ExecutorService activityExecutor;
    private int maxConcurrentActivityTasks = 100;
    private int maxConcurrentWorkflowTasks = 16;
    private int stickyCacheSize = 600;
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private Duration stuckThreadWarning = Duration.ofSeconds(2);
    private boolean requireSandbox;
    private ViolationListener violationListener;
    private List<Class<? extends Throwable>> failWorkflowExceptionTypes = List.of();

    private Builder(WorkflowClient client, String taskQueue) {
      this.client = client;
      this.taskQueue = taskQueue;
    }

    /**
     * Registers workflow implementation classes. Each must implement exactly one
     * {@link dev.durable.workflow.WorkflowInterface} and have a no-argument constructor; a new
     * instance is created for every run.
     *
     * @throws IllegalArgumentException (DURABLE-202) for an invalid class or a type registered twice
     */
    public Builder registerWorkflowImplementationTypes(Class<?>... implementations) {
      for (Class<?> impl : implementations) {
        WorkflowInterfaceInfo info = WorkflowInterfaceInfo.forImplementation(impl);
        var prev = workflowTypes.put(info.workflowType(), new WorkflowTaskHandler.Registration(info, impl));
        if (prev != null && prev.implClass() != impl) {
          throw new IllegalArgumentException("DURABLE-202 workflow type '" + info.workflowType() + "' is registered twice: "
              + prev.implClass().getName() + " and " + impl.getName());
        }
      }
      return this;
    }

    /**
     * Registers activity implementation objects; every method of every
     * {@link dev.durable.activity.ActivityInterface} they implement becomes an activity type.
     * They are called concurrently from the activity executor, so they must be thread-safe.
     *
     * @throws IllegalArgumentException (DURABLE-203) for an invalid object or a type registered twice
     */
    public Builder registerActivitiesImplementations(Object... implementations) {
      for (Object impl : implementations) {
        for (ActivityInterfaceInfo info : ActivityInterfaceInfo.forImplementation(impl)) {
          info.methods().forEach((type, method) -> {
            var prev = activities.put(type, new ActivityTaskHandler.Registration(impl, method));
            if (prev != null && prev.impl() != impl) {
              throw new IllegalArgumentException("DURABLE-203 activity type '" + type + "' is registered twice: by "
                  + prev.impl().getClass().getName() + " and " + impl.getClass().getName());
            }
          });
        }
      }
      return this;
    }

    /**
     * Sets the executor activities run on; the worker shuts it down on close. By default the worker
     * runs them on its own threads, up to {@link #setMaxConcurrentActivityTasks}, started as load
     * requires: each polls the task queue and runs the activity it gets itself, which saves a
     * thread hand-off per activity; and with the server in the same process, it then runs the
     * workflow task the result made ready and an activity that task scheduled, without waking
     * another thread. A workflow poller likewise runs the activity its task scheduled while another
     * poller waits (at most half of the pollers at a time, within {@link
     * #setMaxConcurrentActivityTasks}). With an executor set, a poller hands each activity to it and
     * nothing is handed over.
     */
    public Builder setActivityExecutor(ExecutorService executor) {
      this.activityExecutor = executor;
      return this;
    }

    /**
     * Sets how many activities may run at once (default 100), on the worker's own activity threads
     * and on workflow pollers together (see {@link #setActivityExecutor}).
     */
    public Builder setMaxConcurrentActivityTasks(int max) {
      this.maxConcurrentActivityTasks = max;
      return this;
    }

    /**
     * Sets how many workflow-task pollers the worker runs, so how many polled workflow tasks may
     * run at once (default 16). Each waits for its commands to be synced to disk, so more of them
     * let the server group more syncs together (a run's first task also writes its start, when the
     * caller of a typed stub waits for the result; see docs/performance.md, "Eleventh round").
     * With the server in the same process, an activity thread also runs the workflow task its
     * activity's result made ready (see {@link #setActivityExecutor}), beyond this number.
     */
    public Builder setMaxConcurrentWorkflowTasks(int max) {
      this.maxConcurrentWorkflowTasks = max;
      return this;
    }

    /**
     * Sets how many runs stay cached between tasks (default 600). A cached run continues from
     * memory; an evicted one is replayed from its history when its next task comes.
     */
    public Builder setStickyCacheSize(int size) {
      this.stickyCacheSize = size;
      return this;
    }

    /** Sets how long {@link Worker#close()} waits for running activities (default 10 s). */
    public Builder setShutdownTimeout(Duration timeout) {
      this.shutdownTimeout = timeout;
      return this;
    }

    /**
     * Sets after how long a workflow thread that runs workflow code without giving control back to
     * the engine is reported in the log, once, with where it is (DURABLE-122; default 2 s;
     * {@link Duration#ZERO} turns it off). Workflow code gives control back whenever it waits the
     * engine's way (an activity, {@code Workflow.await}, a promise, a durable sleep). A thread that
     * waits on something the engine does not see (a {@code synchronized} monitor another workflow
     * thread holds, a lock, {@code LockSupport.park}, a queue) never does, and its run is stuck:
     * the warning says where. Waits the agent can report are reported at once instead (see
     * docs/sandbox.md); this catches the rest, and also a computation that long.
     */
    public Builder setStuckThreadWarning(Duration after) {
      this.stuckThreadWarning = after;
      return this;
    }

    /**
     * Makes {@link #build()} fail (DURABLE-121) when the JVM was not started with
     * {@code -javaagent:durable.jar}, instead of only logging a warning. Use it in production,
     * where running workflows without the determinism sandbox should not happen unnoticed.
     */
    public Builder setRequireSandbox(boolean require) {
      this.requireSandbox = require;
      return this;
    }

    /**
     * Lists error types that fail the <b>workflow</b> instead of the workflow task. By default an
     * exception that is not a {@link dev.durable.failure.DurableFailure}, a
     * {@link dev.durable.failure.NondeterminismError} or a
     * {@link dev.durable.workflow.DeterminismViolation} fails only the workflow task, which is
     * retried until fixed code is deployed. Listing, say, {@code NondeterminismError.class} ends
     * such runs at once as FAILED instead. Subclasses match too.
     */
    @SafeVarargs
    public final Builder setFailWorkflowExceptionTypes(Class<? extends Throwable>... types) {
      this.failWorkflowExceptionTypes = List.of(types);
      return this;
    }

    /** Sets a listener told about every determinism violation found in this worker's workflows. */
    public Builder setViolationListener(ViolationListener listener) {
      this.violationListener = listener;
      return this;
    }

    /** Validates and builds the worker; call {@link Worker#start()} next. */
    public Worker build() {
      SandboxCheck.check(requireSandbox);
      if (client == null) {
        throw Checks.invalid("client must not be null");
      }
      Checks.name("taskQueue", taskQueue);
      Checks.atLeast("maxConcurrentActivityTasks", maxConcurrentActivityTasks, 1);
      Checks.atLeast("maxConcurrentWorkflowTasks", maxConcurrentWorkflowTasks, 1);
      Checks.atLeast("stickyCacheSize", stickyCacheSize, 1);
      Checks.positive("shutdownTimeout", shutdownTimeout);
      Checks.zeroOrPositive("stuckThreadWarning", stuckThreadWarning);
      return new Worker(this);
    }
  }
}
