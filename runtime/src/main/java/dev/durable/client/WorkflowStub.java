package dev.durable.client;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A handle on a workflow by id, without its interface: start it, wait for its result, signal,
 * query, cancel, terminate, describe it, or read its history. Obtained from
 * {@link WorkflowClient#newUntypedWorkflowStub(String)}.
 */
public interface WorkflowStub {
  /** Returns the workflow id. */
  String getWorkflowId();

  /**
   * Starts the workflow; only for stubs made with a workflow type and options.
   *
   * @param args the workflow method's arguments
   * @return the started run
   * @throws WorkflowAlreadyStartedException if a run with the id is still running
   */
  WorkflowExecution start(Object... args);

  /**
   * Sends a signal to the workflow, starting it first if no run of its id is running; only for
   * stubs made with a workflow type and options. A new run is recorded together with the signal
   * in one write, so no crash can leave a run started without its signal, and the run's first
   * workflow task delivers it (its handler runs once the workflow method first blocks, as for any
   * signal that arrives with a workflow task). A running run just receives the signal, as with {@link #signal}. A closed id is
   * started again only if the options' {@link WorkflowIdReusePolicy} allows it.
   *
   * <pre>{@code
   * WorkflowStub cart = client.newUntypedWorkflowStub("Cart", options); // options with id "cart-42"
   * cart.signalWithStart("addItem", new Object[] {"book"}, new Object[] {"customer-7"});
   * }</pre>
   *
   * @param signalName the signal's name
   * @param signalArgs the signal method's arguments
   * @param startArgs the workflow method's arguments, used only when a run is started
   * @return the run that received the signal, new or running
   * @throws WorkflowAlreadyStartedException if the id's reuse policy refuses a new run (DURABLE-226)
   */
  WorkflowExecution signalWithStart(String signalName, Object[] signalArgs, Object[] startArgs);

  /**
   * Waits for the latest run to close and returns its result. A run that continues as new, or
   * that failed and is retried by the workflow's retry options, is not the end: the wait follows
   * the workflow id to the run that carries on, and returns the outcome of the last one.
   *
   * @throws WorkflowFailedException if it failed, was canceled, terminated or timed out
   * @throws WorkflowNotFoundException if no workflow has this id
   */
  <R> R getResult(Class<R> resultClass);

  /** Like {@link #getResult(Class)}, for generic result types such as {@code List<Order>}. */
  <R> R getResult(Class<R> resultClass, Type resultType);

  /**
   * Waits at most {@code timeout} for the result, following the chain of runs like
   * {@link #getResult(Class)}.
   *
   * @throws TimeoutException if the run is still running after {@code timeout}
   */
  <R> R getResult(Duration timeout, Class<R> resultClass) throws TimeoutException;

  /**
   * Sends a signal. It is recorded durably before this returns and delivered exactly once. A
   * signal to a workflow that has already closed is dropped and logged (DURABLE-219): senders race
   * with completion and cannot avoid it.
   *
   * @throws WorkflowNotFoundException if no workflow has this id
   */
  void signal(String signalName, Object... args);

  /**
   * Runs a query method on the workflow's current state and returns its result.
   *
   * @throws WorkflowQueryException if the query is unknown, fails, or no worker answers in time
   */
  <R> R query(String queryName, Class<R> resultClass, Object... args);

  /**
   * Sends an update and waits until its handler returns. The workflow's
   * {@link dev.durable.workflow.UpdateValidatorMethod validator}, if any, runs first; a rejected
   * update records nothing. An accepted one is recorded before its handler runs, and survives
   * restarts: if this call fails (the server stopped, say), call {@link #update(String, String,
   * Class, Object...)} again with the same update id to get its outcome.
   *
   * @param updateName the {@code @UpdateMethod} name
   * @param resultClass the type of the handler's result
   * @param args the handler's arguments
   * @return the handler's result
   * @throws WorkflowUpdateException if it was rejected, its handler threw (the cause), the workflow
   *     is closed or closed first, or no worker validated it in time
   * @throws WorkflowNotFoundException if no workflow has this id
   */
  <R> R update(String updateName, Class<R> resultClass, Object... args);

  /**
   * Like {@link #update(String, Class, Object...)}, with an id for the update: a second request
   * with the id of an update the workflow already accepted does not run it again, it waits for (or
   * returns) that update's outcome. Use an id derived from the request (an order number, say) to
   * make retries after a crash safe.
   *
   * @param updateId the update's id, unique within the run
   * @param updateName the {@code @UpdateMethod} name
   * @param resultClass the type of the handler's result
   * @param args the handler's arguments
   * @return the handler's result
   */
  <R> R update(String updateId, String updateName, Class<R> resultClass, Object... args);

  /** Asks the workflow to cancel: its next blocking call throws a {@link dev.durable.failure.CanceledFailure}. */
  void cancel();

  /** Ends the run at once, recording {@code reason}; no more workflow code runs. */
  void terminate(String reason);

  /**
   * Deletes the workflow's latest run, which must be closed, with the runs it continued from
   * (continue-as-new and retries): their histories, states and listing entries. The workflow id
   * is free afterwards, whatever the reuse policy of a new start. Runs of earlier starts of the
   * id are left as they are; a server's retention
   * ({@link dev.durable.server.DurableServer.Builder#setRetention}) deletes those. Use it to erase
   * a workflow's data on request, or to clean up when retention is off.
   *
   * @return the ids of the deleted runs, the latest first
   * @throws WorkflowNotFoundException when no workflow has this id
   * @throws dev.durable.common.DurableException DURABLE-229 when the latest run is still running
   *     (terminate it first), or when its open parent has not yet recorded its outcome
   */
  List<String> delete();

  /**
   * Takes the workflow back to a completed workflow task of its latest run and runs on from there
   * with the code the workers have now: the way to repair a workflow after fixing a bug in its
   * code, or to run a step again. The latest run, open or closed, is replaced by a new run whose
   * history is the old one's before {@code point}, followed by a {@code WorkflowTaskFailed} that
   * records the reset; its next workflow task runs the code from there. An open latest run is
   * terminated (its children get their parent close policy), and {@code getResult} follows the
   * new run.
   *
   * <p>What the new run keeps and what it does again:
   * <ul>
   *   <li>activities, timers and signals recorded before {@code point} stay as they were;
   *   <li>activities scheduled before {@code point} whose outcome came after it run again, and
   *       timers started before it keep their firing time;
   *   <li>signals received after {@code point} are delivered to the new run again, in order; other
   *       input after it (activity results, fired timers, cancel requests, updates) is dropped.
   * </ul>
   *
   * <p>The new run starts at the reset: its workflow run timeout counts from there, while the
   * workflow execution timeout keeps counting from the first run's start. Its code sees the start
   * event of the run it replaced (see {@link dev.durable.workflow.WorkflowInfo#continuedFromRunId}).
   *
   * @param point the completed workflow task to go back to
   * @param reason why, recorded in both runs' histories
   * @return the new run
   * @throws WorkflowNotFoundException when no workflow has this id
   * @throws dev.durable.common.DurableException DURABLE-236 when {@code point} is not a completed
   *     workflow task of the latest run (the message lists those there are), DURABLE-237 when a
   *     child workflow started before {@code point} had not closed by then, DURABLE-239 when the
   *     workflow execution timeout has passed (the new run would time out at once)
   */
  default WorkflowExecution reset(ResetPoint point, String reason) {
    return reset(point, reason, null);
  }

  /**
   * Like {@link #reset(ResetPoint, String)}, done at most once for {@code requestId}: when the
   * latest run of the workflow is the run a reset with this request id made, that run is returned
   * and nothing else happens, so a call repeated after its answer was lost (a timeout, a dropped
   * connection) does not reset the workflow a second time. The request id is recorded in the new
   * run's history, so this holds across server restarts; a later run (one that continued the reset
   * run as new, or another reset) ends it. Choose a new request id for each reset you mean to make,
   * such as a UUID, or the ticket of the fix.
   *
   * @param point the completed workflow task to go back to
   * @param reason why, recorded in both runs' histories
   * @param requestId identifies this reset among the resets of the workflow, or null for none (then
   *     each call resets); at most 1000 characters
   * @return the new run, or the run the reset with {@code requestId} made
   * @throws WorkflowNotFoundException when no workflow has this id
   * @throws dev.durable.common.DurableException as {@link #reset(ResetPoint, String)} does, and
   *     DURABLE-201 for a blank request id
   */
  WorkflowExecution reset(ResetPoint point, String reason, String requestId);

  /**
   * Pauses the workflow's cron schedule ({@link WorkflowOptions.Builder#setCronSchedule}): a run
   * waiting for its firing does not start, however many firings pass, until
   * {@link #resumeSchedule()}. A run that is running goes on, and the run that follows it waits.
   * Pausing a paused schedule does nothing. Survives restarts; {@code describe()} shows it.
   *
   * @param note why, for the log; may be null
   * @throws WorkflowNotFoundException when no workflow has this id, or its schedule has ended
   * @throws dev.durable.common.DurableException DURABLE-238 when the workflow has no cron schedule
   */
  void pauseSchedule(String note);

  /**
   * Resumes a paused cron schedule: a waiting run starts at the schedule's next firing from now
   * (firings missed while paused are not made up). Resuming a schedule that is not paused does
   * nothing.
   *
   * @throws WorkflowNotFoundException when no workflow has this id, or its schedule has ended
   * @throws dev.durable.common.DurableException DURABLE-238 when the workflow has no cron schedule
   */
  void resumeSchedule();

  /** Describes the latest run; empty when no workflow has this id. */
  Optional<WorkflowDescription> describe();

  /** Returns the latest run's history. */
  WorkflowHistory getHistory();
}
