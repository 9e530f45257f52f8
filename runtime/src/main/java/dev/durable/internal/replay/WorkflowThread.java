package dev.durable.internal.replay;

import dev.durable.internal.sandbox.SandboxState;
import dev.durable.internal.sandbox.WorkflowHooks;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One thread of workflow code. Exactly one thread of a run executes at a time: the driver hands
 * control to a thread and waits until it blocks or ends, so the order of execution is decided by
 * the driver alone and is the same on every replay.
 */
final class WorkflowThread {
  private static final ThreadLocal<WorkflowThread> CURRENT = new ThreadLocal<>();
  private final WorkflowRun run;
  private final String name;
  private final Runnable body;
  /** The thread running the code, once it started. */
  private volatile Thread thread;
  private final Semaphore toThread = new Semaphore(0);
  private final Semaphore toDriver = new Semaphore(0);
  /**
   * When the thread last started running workflow code ({@code System.nanoTime()}); 0 while it
   * waits for the driver, does the driver's work or runs a local activity. Read by the driver to
   * warn of a thread that blocks outside the engine ({@link WorkflowRun#warnStuck}).
   */
  private volatile long runningSince;
  private BooleanSupplier waitingFor;
  private boolean started;
  private boolean done;
  private Throwable failure;
  /** The cancellation scope the thread's code runs in now. */
  private CancellationScopeImpl scope;

  /** A thread in the run's root cancellation scope (the workflow method's, signal and update handlers'). */
  WorkflowThread(WorkflowRun run, String name, Runnable body) {
    this(run, name, run.rootScope(), body);
  }

  WorkflowThread(WorkflowRun run, String name, CancellationScopeImpl scope, Runnable body) {
    this.run = run;
    this.scope = scope;
    this.name = name;
    this.body = () -> {
      thread = Thread.currentThread();
      WorkflowRun.CURRENT.set(run);
      CURRENT.set(this);
      SandboxState.enter(run);
      try {
        toThread.acquireUninterruptibly();
        if (!run.isDestroyed()) {
          body.run();
          run.carryAtEnd(this);
        }
      } catch (DestroyedError e) {
        // the run was evicted: unwinding is all there is to do
      } catch (Throwable t) {
        failure = t;
      } finally {
        runningSince = 0;
        done = true;
        SandboxState.restore(null);
        WorkflowRun.CURRENT.remove();
        CURRENT.remove();
        toDriver.release();
      }
    };
  }

  /**
   * Driver side: lets the thread run until it blocks or ends. Returns false, without switching
   * threads, when it is done or still blocked.
   */
  boolean runUntilBlocked() {
    if (done || (waitingFor != null && !waitingFor.getAsBoolean())) {
      return false;
    }
    waitingFor = null;
    if (!started) {
      started = true;
      startThread();
    }
    runningSince = System.nanoTime();
    toThread.release();
    awaitControl();
    return true;
  }

  /**
   * Driver side: waits until the thread gives control back. With a warning time set, it wakes up
   * that often, and warns once when the thread has been running workflow code that long: a thread
   * blocked on a monitor, a lock or a queue the engine does not see never gives control back.
   */
  private void awaitControl() {
    long warnAfter = run.stuckThreadWarningNanos();
    if (warnAfter <= 0) {
      toDriver.acquireUninterruptibly();
      return;
    }
    boolean interrupted = false;
    long warnedOf = 0;
    while (true) {
      try {
        if (toDriver.tryAcquire(warnAfter, TimeUnit.NANOSECONDS)) {
          break;
        }
        long since = runningSince;
        long ran = System.nanoTime() - since;
        if (since != 0 && since != warnedOf && ran >= warnAfter && thread != null) {
          warnedOf = since;
          run.warnStuck(name, thread, ran);
        }
      } catch (InterruptedException e) {
        interrupted = true; // as acquireUninterruptibly: kept for later
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Thread side: it stops or starts running workflow code without a hand-off (a carried chain, a local activity). */
  void runningWorkflowCode(boolean running) {
    runningSince = running ? System.nanoTime() : 0;
  }

  /**
   * Starts the thread with the driver's sandbox marking lifted: starting it is the engine's doing,
   * and the guard on {@code Thread.start} would walk the whole stack only to find that out.
   */
  private void startThread() {
    WorkflowHooks driver = SandboxState.hooks();
    SandboxState.restore(null);
    try {
      run.threadMaker().start(name, body);
    } finally {
      SandboxState.restore(driver);
    }
  }

  /** Thread side: gives control back to the driver until {@code until} holds. */
  void block(BooleanSupplier until) {
    if (run.isDestroyed()) {
      throw new DestroyedError();
    }
    if (until.getAsBoolean()) {
      return;
    }
    waitingFor = until;
    runningSince = 0;
    toDriver.release();
    toThread.acquireUninterruptibly();
    if (run.isDestroyed()) {
      throw new DestroyedError();
    }
  }

  /** Driver side: unwinds a blocked thread at the end of the run or on eviction. */
  void destroy() {
    if (started && !done) {
      toThread.release();
      toDriver.acquireUninterruptibly();
    } else if (!started) {
      done = true;
    }
  }

  /** Returns the workflow thread running the caller, or null on any other thread. */
  static WorkflowThread current() {
    return CURRENT.get();
  }

  /** Unmarks the calling thread as a workflow thread while it runs engine code; returns what {@link #attach} takes. */
  static WorkflowThread detach() {
    WorkflowThread t = CURRENT.get();
    CURRENT.remove();
    if (t != null) {
      t.runningWorkflowCode(false);
    }
    return t;
  }

  static void attach(WorkflowThread t) {
    CURRENT.set(t);
    if (t != null) {
      t.runningWorkflowCode(true);
    }
  }

  CancellationScopeImpl scope() {
    return scope;
  }

  void setScope(CancellationScopeImpl scope) {
    this.scope = scope;
  }

  boolean isDone() {
    return done;
  }

  /** Driver side: the user's source line where this thread is blocked, or null when it is not. */
  String waitingAt() {
    Thread t = thread;
    return started && !done && waitingFor != null && t != null ? SourceLine.of(t.getStackTrace()) : null;
  }

  /** Returns what escaped the thread's code, or null. */
  Throwable failure() {
    return failure;
  }
}
