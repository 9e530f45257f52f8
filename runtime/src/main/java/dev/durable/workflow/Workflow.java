package dev.durable.workflow;

import dev.durable.activity.ActivityOptions;
import dev.durable.internal.replay.ActivityStub;
import dev.durable.internal.replay.ReplayAwareLogger;
import dev.durable.internal.replay.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What workflow code uses instead of threads, clocks and randomness. Every method here is
 * deterministic: on replay it returns what it returned the first time, so the code reaches the
 * same state. These methods may only be called from workflow code (DURABLE-210 otherwise).
 */
public final class Workflow {
  /** The version {@link #getVersion} returns for runs that started before the change existed. */
  public static final int DEFAULT_VERSION = -1;

  private Workflow() {}

  /**
   * Creates a stub whose method calls run activities: each call is scheduled durably, executed
   * by a worker (retried per {@code options}) and returns the activity's result, or throws an
   * {@link dev.durable.failure.ActivityFailure}.
   *
   * @param activityInterface an interface annotated with {@link dev.durable.activity.ActivityInterface}
   * @param options timeouts and retries for every call through the stub
   * @return the stub
   */
  public static <T> T newActivityStub(Class<T> activityInterface, ActivityOptions options) {
    return ActivityStub.create(activityInterface, options);
  }

  /**
   * Creates a stub that starts a child workflow with default {@link ChildWorkflowOptions}: same
   * task queue as this workflow, an id derived from this run, parent close policy
   * {@link ParentClosePolicy#TERMINATE}. See {@link #newChildWorkflowStub(Class, ChildWorkflowOptions)}.
   *
   * @param workflowInterface the child's interface, annotated with {@link WorkflowInterface}
   * @return the stub; it starts one child
   */
  public static <T> T newChildWorkflowStub(Class<T> workflowInterface) {
    return newChildWorkflowStub(workflowInterface, ChildWorkflowOptions.getDefaultInstance());
  }

  /**
   * Creates a stub that starts a child workflow. Calling its workflow method starts the child and
   * waits for its result; {@code Async.function(child::run, args)} starts it without waiting and
   * returns the promise of its result. A child that fails, is canceled, terminated or times out
   * (or cannot start because its id is taken) throws {@link dev.durable.failure.ChildWorkflowFailure}
   * with the reason as its cause. The child is durable like everything else: its start and its
   * result are recorded in this workflow's history, and a restart in between loses neither.
   *
   * <pre>{@code
   * Payments payments = Workflow.newChildWorkflowStub(Payments.class,
   *     ChildWorkflowOptions.newBuilder().setWorkflowId("payment-" + orderId).build());
   * Receipt receipt = payments.pay(order);                 // waits
   * Promise<Receipt> later = Async.function(other::pay, order); // does not wait
   * }</pre>
   *
   * <p>One stub starts one child. Once its workflow method was called, the stub's signal methods
   * send signals to the child without waiting (delivered exactly once, after its start); its
   * query methods are not supported (DURABLE-232): query the child from an activity.
   *
   * @param workflowInterface the child's interface, annotated with {@link WorkflowInterface}
   * @param options the child's id, task queue, timeouts, retries and parent close policy
   * @return the stub
   */
  public static <T> T newChildWorkflowStub(Class<T> workflowInterface, ChildWorkflowOptions options) {
    return dev.durable.internal.replay.ChildWorkflowStub.create(workflowInterface, options);
  }

  /**
   * Creates a stub that signals another workflow, by its workflow id: calling one of its
   * {@link SignalMethod}s sends that signal to the workflow's current run and waits until the run
   * recorded it ({@code Async.procedure(stub::signal, args)} does not wait). The signal is
   * recorded in this workflow's history and delivered exactly once, even across crashes. When no
   * open run has the id, the call fails with an {@link dev.durable.failure.ApplicationFailure} of
   * type {@code dev.durable.client.WorkflowNotFoundException} ({@code DURABLE-247}).
   *
   * <pre>{@code
   * Inventory inventory = Workflow.newExternalWorkflowStub(Inventory.class, "inventory-" + sku);
   * inventory.reserve(orderId, quantity);               // waits until recorded there
   * ExternalWorkflowStub.fromTyped(inventory).cancel(); // asks it to cancel
   * }</pre>
   *
   * <p>Its other methods are refused (DURABLE-232): a workflow can signal and cancel another
   * workflow, and start children, but not query or update another workflow.
   *
   * @param workflowInterface the other workflow's interface, annotated with {@link WorkflowInterface}
   * @param workflowId the other workflow's id
   * @return the stub
   */
  public static <T> T newExternalWorkflowStub(Class<T> workflowInterface, String workflowId) {
    return dev.durable.internal.replay.ExternalWorkflows.typed(workflowInterface, workflowId, null);
  }

  /**
   * Like {@link #newExternalWorkflowStub(Class, String)}, for one run of the other workflow: its
   * signals and cancel requests go to that run only, and fail ({@code DURABLE-247}) once it is
   * closed, even when a later run of the same id is open. For an execution saved earlier, such as
   * a child's ({@link #getWorkflowExecution}); a null run id means the current run.
   *
   * @param workflowInterface the other workflow's interface, annotated with {@link WorkflowInterface}
   * @param execution the other workflow's id and run id
   * @return the stub
   */
  public static <T> T newExternalWorkflowStub(Class<T> workflowInterface,
      dev.durable.client.WorkflowExecution execution) {
    return dev.durable.internal.replay.ExternalWorkflows.typed(workflowInterface, execution);
  }

  /**
   * Creates a stub that signals and cancels another workflow, by its workflow id and signal names;
   * see {@link ExternalWorkflowStub}.
   *
   * @param workflowId the other workflow's id
   * @return the stub
   */
  public static ExternalWorkflowStub newUntypedExternalWorkflowStub(String workflowId) {
    return dev.durable.internal.replay.ExternalWorkflows.untyped(workflowId, null);
  }

  /**
   * Creates a stub that signals and cancels one run of another workflow (the current run when its
   * run id is null); see {@link #newExternalWorkflowStub(Class, dev.durable.client.WorkflowExecution)}.
   *
   * @param execution the other workflow's id and run id
   * @return the stub
   */
  public static ExternalWorkflowStub newUntypedExternalWorkflowStub(
      dev.durable.client.WorkflowExecution execution) {
    return dev.durable.internal.replay.ExternalWorkflows.untyped(execution);
  }

  /**
   * Returns the promise of the execution (workflow id and run id) of the child that
   * {@code childStub} started; it completes once the server started the child, or fails with
   * {@link dev.durable.failure.ChildWorkflowFailure} if it could not.
   *
   * @param childStub a stub from {@link #newChildWorkflowStub} whose workflow method was called
   * @return the promise of the child's execution
   */
  public static Promise<dev.durable.client.WorkflowExecution> getWorkflowExecution(Object childStub) {
    run("Workflow.getWorkflowExecution");
    return dev.durable.internal.replay.ChildWorkflowStub.execution(childStub);
  }

  /**
   * Ends this run and starts a fresh one of the same workflow id with {@code args} as the input
   * of the workflow method: a new run id and an empty history, in one atomic write. This is how a
   * workflow that runs for ever (a loop over events, a periodic job) keeps its history short:
   * every replay reads the whole history, which is bounded (see docs/workflows.md). Clients
   * waiting with {@code getResult} follow the chain to the last run. This method does not return.
   *
   * <pre>{@code
   * if (Workflow.getInfo().historyLength() > 5_000) {
   *   Workflow.continueAsNew(state);   // carry the state over; nothing after this runs
   * }
   * }</pre>
   *
   * @param args the input of the new run
   */
  public static void continueAsNew(Object... args) {
    run("Workflow.continueAsNew").continueAsNew(null, args == null ? new Object[0] : args);
  }

  /**
   * Like {@link #continueAsNew(Object...)}, with another workflow type, task queue or timeouts
   * for the new run.
   *
   * @param options what changes for the new run; unset options keep this run's values
   * @param args the input of the new run
   */
  public static void continueAsNew(ContinueAsNewOptions options, Object... args) {
    run("Workflow.continueAsNew").continueAsNew(options, args == null ? new Object[0] : args);
  }

  /**
   * Sleeps on a durable timer. The timer survives restarts: a workflow sleeping for a month
   * wakes up after a month even if the process was restarted in between.
   *
   * @param duration how long; zero or negative returns at once
   */
  public static void sleep(Duration duration) {
    run("Workflow.sleep").sleep(duration);
  }

  /**
   * Starts a durable timer and returns at once: the promise completes when the timer fires, which
   * survives restarts like {@link #sleep}. For racing a deadline against other work:
   *
   * <pre>{@code
   * Promise<Void> deadline = Workflow.newTimer(Duration.ofHours(1));
   * Promise<Receipt> paid = Async.function(payments::charge, order);
   * Promise.anyOf(deadline, paid).get();
   * if (!paid.isCompleted()) { ... }     // an hour passed first
   * }</pre>
   *
   * <p>Canceling the {@link CancellationScope} it was started in cancels the timer (a
   * {@code TimerCanceled} event) and fails the promise with a
   * {@link dev.durable.failure.CanceledFailure}. A timer nobody waits for does not hold the run
   * open: one still pending when the run closes is dropped with it.
   *
   * @param duration how long; zero or negative returns a completed promise, without a timer
   * @return the promise of the timer's firing
   */
  public static Promise<Void> newTimer(Duration duration) {
    if (duration == null) {
      throw new IllegalArgumentException("DURABLE-201 Workflow.newTimer needs a duration, got null");
    }
    return run("Workflow.newTimer").newTimer(duration);
  }

  /**
   * Blocks until {@code condition} is true. The condition is re-evaluated whenever something
   * happened (a signal, an activity result), so it must only read workflow state.
   *
   * @param condition what to wait for
   */
  public static void await(Supplier<Boolean> condition) {
    run("Workflow.await").await(null, () -> Boolean.TRUE.equals(condition.get()));
  }

  /**
   * Blocks until {@code condition} is true or {@code timeout} has passed (on a durable timer).
   *
   * @param timeout the longest wait
   * @param condition what to wait for
   * @return true if the condition became true, false on timeout
   */
  public static boolean await(Duration timeout, Supplier<Boolean> condition) {
    return run("Workflow.await").await(timeout, () -> Boolean.TRUE.equals(condition.get()));
  }

  /** Returns the workflow time: the time of the current workflow task, the same on replay. */
  public static Instant now() {
    return run("Workflow.now").now();
  }

  /** Returns {@link #now()} in milliseconds since the epoch. */
  public static long currentTimeMillis() {
    return now().toEpochMilli();
  }

  /** Returns a new random generator whose sequence is the same on every replay of this run. */
  public static Random newRandom() {
    return new Random(run("Workflow.newRandom").random().nextLong());
  }

  /** Returns a random UUID that is the same on every replay of this run. */
  public static UUID randomUUID() {
    return run("Workflow.randomUUID").randomUUID();
  }

  /**
   * Makes a change to workflow code safe for runs already in progress. The first time a run
   * reaches this call it records {@code maxSupported}; on replay it returns what it recorded, and
   * for runs that reached this point before the call existed it returns {@link #DEFAULT_VERSION}.
   *
   * <pre>{@code
   * int v = Workflow.getVersion("reserve-first", Workflow.DEFAULT_VERSION, 1);
   * if (v == Workflow.DEFAULT_VERSION) { charge(); reserve(); } else { reserve(); charge(); }
   * }</pre>
   *
   * <p>Once no open run took the old version, raise {@code minSupported} and delete the old
   * branch; later the call itself can go (see docs/versioning.md).
   *
   * @param changeId names the change; unique within the workflow type
   * @param minSupported the oldest version this code still handles
   * @param maxSupported the version new runs take
   * @return the version of this run
   * @throws dev.durable.failure.NondeterminismError (DURABLE-111) when the run took a version
   *     outside {@code minSupported..maxSupported}
   */
  public static int getVersion(String changeId, int minSupported, int maxSupported) {
    return run("Workflow.getVersion").getVersion(changeId, minSupported, maxSupported);
  }

  /**
   * Runs {@code fn} once and records its result; on replay returns the recorded result without
   * running it. For short, non-deterministic computations that need no retries (generating an
   * id, reading a configuration value); anything that can fail belongs in an activity.
   *
   * @param resultClass the result's type
   * @param fn the computation; must not call other Workflow methods
   * @return the result, as recorded
   */
  @SuppressWarnings("unchecked")
  public static <R> R sideEffect(Class<R> resultClass, Supplier<R> fn) {
    return (R) run("Workflow.sideEffect").sideEffect(resultClass, fn);
  }

  /**
   * Like {@link #sideEffect}, for a value that may change while the run lives (a feature flag,
   * say): {@code fn} runs each time, but a new value is recorded only when {@code updated} says
   * it differs from the last recorded one. On replay it returns the value recorded at that point.
   *
   * @param id names the value within the run
   * @param resultClass the value's type
   * @param updated tells whether the new value (second argument) replaces the last (first)
   * @param fn computes the current value
   * @return the current value, as recorded
   */
  public static <R> R mutableSideEffect(String id, Class<R> resultClass, java.util.function.BiPredicate<R, R> updated,
      Supplier<R> fn) {
    return run("Workflow.mutableSideEffect").mutableSideEffect(id, resultClass, updated, fn);
  }

  /**
   * Returns a new promise that workflow code completes itself, for example a signal handler that
   * the workflow method waits for with {@code promise.get()}.
   *
   * @param <T> the type of the value
   * @return the incomplete promise
   */
  public static <T> CompletablePromise<T> newPromise() {
    return dev.durable.internal.replay.Promises.newPromise();
  }

  /**
   * Returns a stub whose calls run activities locally: in this worker, inside the workflow task,
   * without a round trip through the server's activity task queue. Each call records one
   * {@code LocalActivity} marker with its result (or failure) and attempt count; replay returns
   * the recorded outcome and never runs the activity again. Retries happen in the worker; a
   * backoff longer than the options' local retry threshold becomes a durable workflow timer. Use
   * it for short work (a lookup, a small computation with I/O) that should not pay for a task
   * round trip; the implementation must be registered on the worker that runs the workflow.
   *
   * @param activityInterface an interface annotated with {@code @ActivityInterface}
   * @param options timeouts and retries
   * @return the stub
   */
  public static <T> T newLocalActivityStub(Class<T> activityInterface,
      dev.durable.activity.LocalActivityOptions options) {
    return dev.durable.internal.replay.LocalActivityStub.create(activityInterface, options);
  }

  /**
   * Returns a cancellation scope for {@code body}, a child of the calling code's scope: canceled
   * when that one is, and cancelable on its own with {@link CancellationScope#cancel()}. Call
   * {@link CancellationScope#run()} to run the body in it.
   *
   * <pre>{@code
   * CancellationScope scope = Workflow.newCancellationScope(() -> quote = Async.function(vendors::quote, item));
   * scope.run();
   * if (!Workflow.await(Duration.ofMinutes(5), () -> quote.isCompleted())) {
   *   scope.cancel("too slow"); // requests cancellation of the activity
   * }
   * }</pre>
   *
   * @param body the code to run in the scope
   * @return the scope, not yet run
   */
  public static CancellationScope newCancellationScope(Runnable body) {
    return dev.durable.internal.replay.CancellationScopeImpl.create(body, false);
  }

  /**
   * Returns a detached cancellation scope for {@code body}: it is not canceled when the calling
   * code's scope is, not even by a workflow cancel request. Clean-up that must run after the
   * workflow was canceled (compensations, releasing a reservation) goes in one.
   *
   * @param body the code to run in the scope
   * @return the scope, not yet run
   */
  public static CancellationScope newDetachedCancellationScope(Runnable body) {
    return dev.durable.internal.replay.CancellationScopeImpl.create(body, true);
  }

  /** Returns whether the code is replaying history rather than running for the first time. */
  public static boolean isReplaying() {
    return run("Workflow.isReplaying").isReplaying();
  }

  /**
   * For a run of a cron schedule ({@code WorkflowOptions.Builder.setCronSchedule}), returns the
   * result of the schedule's last run that completed, converted to {@code resultClass}: a run can
   * go on from where the one before left off (a watermark, a cursor). Runs that failed are
   * skipped: their successor gets the result the failed run was given. Null for the schedule's
   * first run, until a run completes, and for a workflow without a schedule. The same on every
   * replay: the result is recorded in the run's {@code WorkflowExecutionStarted} event.
   */
  public static <R> R getLastCompletionResult(Class<R> resultClass) {
    return run("Workflow.getLastCompletionResult").lastCompletionResult(resultClass);
  }

  /**
   * Returns facts about the running workflow: its id, run id, type, task queue, attempt, start
   * time, the run it continues, its parent and its history length. They are the same on every
   * replay.
   */
  public static WorkflowInfo getInfo() {
    return run("Workflow.getInfo").info();
  }

  /**
   * Sets search attributes of this run, so that clients can find it with
   * {@code WorkflowClient.listWorkflows(WorkflowFilter)} and see them in {@code describe()}. Each
   * name given is added or replaced; names not given keep their values. The change is recorded in
   * the history (an {@code UpsertWorkflowSearchAttributes} event) and indexed when the workflow
   * task completes; on replay it is checked against the history like any other command.
   *
   * <pre>{@code
   * Workflow.upsertSearchAttributes(Map.of("CustomerId", order.customerId(), "Total", order.total(),
   *     "Stage", "charged", "ChargedAt", Workflow.now()));
   * }</pre>
   *
   * <p>Values may be a {@code String} (a keyword, matched exactly), {@code long}/{@code int},
   * {@code double}, {@code boolean}, {@code Instant} (or {@code OffsetDateTime}/{@code
   * ZonedDateTime}), or a {@code List<String>}. A name keeps its first type for the whole run.
   *
   * @param attributes the attributes to set, by name
   * @throws IllegalArgumentException with DURABLE-250 for a bad name, DURABLE-251 for an
   *     unsupported type, DURABLE-252 when a name's type changes, DURABLE-253 when a value or the
   *     run's set of attributes is too big
   */
  public static void upsertSearchAttributes(java.util.Map<String, ?> attributes) {
    run("Workflow.upsertSearchAttributes").upsertSearchAttributes(attributes);
  }

  /**
   * Returns a logger for workflow code that prints nothing while the code replays. Replay runs
   * the code again from the start of its history (after a restart, or when the worker's cache
   * dropped the run); a plain logger would print every line again each time, while this one
   * prints each line once, when the code first runs past it. Messages go to
   * {@link System#getLogger(String)} under {@code type}'s name, so they follow the application's
   * logging configuration. It may be kept in a static field and used off workflow threads too,
   * where it logs like any logger.
   *
   * <pre>{@code
   * private static final System.Logger LOG = Workflow.getLogger(OrderWorkflowImpl.class);
   * ...
   * LOG.log(System.Logger.Level.INFO, "charging order {0}", orderId); // once, not on every replay
   * }</pre>
   *
   * @param type the class whose name the logger takes
   * @return the logger
   */
  public static System.Logger getLogger(Class<?> type) {
    if (type == null) {
      throw new IllegalArgumentException("DURABLE-201 Workflow.getLogger needs a class to name the logger, got null");
    }
    return new ReplayAwareLogger(type.getName());
  }

  private static WorkflowRun run(String api) {
    return WorkflowRun.currentOrFail(api);
  }
}
