package dev.durable.internal.service;

import dev.durable.client.HistoryVerification;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowIdReusePolicy;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The boundary between workers and clients on one side and the server on the other. Embedded
 * mode calls it in-process; the standalone server exposes the same calls over the network. Only
 * plain data records cross it.
 */
public interface WorkflowService {

  /**
   * Starts a run; fails with DURABLE-208 when the workflow id has a running run, or DURABLE-226
   * when the request's id reuse policy refuses a closed one.
   */
  StartResponse start(StartRequest request);

  /**
   * Starts a run like {@link #start}, for a caller in this process that waits for the run's result
   * next and does nothing with the answer before: a typed stub's workflow method. The engine may
   * then keep the start unwritten until the run's first workflow task writes both at once (one
   * write instead of two); nothing shows the run until its start is written, and whatever asks for
   * the workflow id by name writes it first. By default, a plain start.
   */
  default StartResponse startForResult(StartRequest request) {
    return start(request);
  }

  /**
   * Delivers a signal to the running run of the request's workflow id, or, when none runs, starts
   * a run (subject to the id reuse policy) whose history begins with the signal: the start and
   * the signal are one write.
   */
  StartResponse signalWithStart(StartRequest request, String signalName, List<Payload> signalInput);

  /** Waits up to {@code request.timeout()} for a workflow task or query; empty on timeout. */
  Optional<WorkflowTask> pollWorkflowTask(PollRequest request);

  /** Records a workflow task's commands. Fails with {@link TaskRejectedException} if stale. */
  void completeWorkflowTask(CompleteWorkflowTaskRequest request);

  /**
   * Completes a workflow task like {@link #completeWorkflowTask}, and may start one activity of task
   * queue {@code taskQueue} that the commands scheduled and return it to the caller instead of
   * queuing it: the caller (an activity thread of a worker polling that queue, with nothing else to
   * run) runs it next. A started activity the caller never completes times out like any other. By
   * default nothing is handed over.
   */
  default Optional<ActivityTask> completeWorkflowTaskAndTakeActivity(CompleteWorkflowTaskRequest request,
      String taskQueue) {
    completeWorkflowTask(request);
    return Optional.empty();
  }

  /** Records that a workflow task failed; it is retried with backoff. */
  void failWorkflowTask(FailWorkflowTaskRequest request);

  /** Answers a query task received through {@link #pollWorkflowTask}. */
  void respondQuery(QueryResult result);

  /** Waits up to {@code request.timeout()} for an activity task; empty on timeout. */
  Optional<ActivityTask> pollActivityTask(PollRequest request);

  /** Records an activity attempt's result. Stale tokens are ignored. */
  void completeActivityTask(ActivityToken token, Payload result);

  /**
   * Records an activity attempt's result like {@link #completeActivityTask}, and may start the
   * workflow task of task queue {@code taskQueue} that the result made ready and return it to the
   * caller instead of queuing it: the caller (an activity thread of a worker polling that queue)
   * runs it next, which saves waking a poller. A started task the caller never completes times out
   * and is dispatched again like any other. By default nothing is handed over.
   *
   * <p>A server may then keep the result unwritten until the handed-over task completes, and write
   * both in one write; until then the caller must not let the result out of the engine other than
   * through that completion (see {@link #writeKeptResults}).
   */
  default Optional<WorkflowTask> completeActivityTaskAndTakeWorkflowTask(ActivityToken token, Payload result,
      String taskQueue) {
    completeActivityTask(token, result);
    return Optional.empty();
  }

  /**
   * Writes what the server keeps unwritten for the handed-over workflow task of run {@code runId}
   * (see {@link #completeActivityTaskAndTakeWorkflowTask}), before the task acts outside the
   * engine: a local activity is about to run with what the workflow code saw. By default every
   * change is written at once and there is nothing to do.
   */
  default void writeKeptResults(String runId) {}

  /** Records an activity attempt's failure; the server decides whether to retry. */
  void failActivityTask(ActivityToken token, FailureInfo failure);

  /** Records progress; returns whether the activity should stop because it was canceled. */
  boolean recordHeartbeat(ActivityToken token, Payload details);

  /**
   * Completes, fails, heartbeats or reports the cancellation of a started activity attempt from
   * outside its worker (asynchronous completion), addressed by task token or by workflow id and
   * activity id. It is recorded as the worker's own report would be, synced before this returns
   * (a heartbeat rides along with the next synced write, as a worker's does). Fails with
   * DURABLE-233 for an address that is not one Durable issued, DURABLE-234 when the attempt is no
   * longer pending, DURABLE-235 for a cancellation report without a cancellation request; nothing
   * is recorded then.
   *
   * @return for a heartbeat, whether the workflow asked to cancel the activity; otherwise false
   */
  boolean respondActivity(ActivityResponse response);

  /** Delivers a signal; it is durable when this returns. */
  void signal(String workflowId, String signalName, List<Payload> input);

  /** Runs a query on the workflow's worker and waits for its answer. */
  Payload query(String workflowId, String queryName, List<Payload> input, Duration timeout);

  /** Asks the workflow to cancel itself. */
  void requestCancel(String workflowId, String reason);

  /** Ends the run at once; no workflow code runs after it. */
  void terminate(String workflowId, String reason);

  /**
   * Deletes the latest run of a workflow id, which must be closed (DURABLE-229 otherwise), with
   * the runs it continued from (continue-as-new, retries); synced when this returns. Returns
   * their ids, the latest first.
   */
  List<String> delete(String workflowId);

  /**
   * Replaces the latest run of a workflow id by a new run whose history is the old one's before
   * the reset point, and terminates the old run if it is open; synced when this returns. Returns
   * the new run's id. With a {@code requestId} (null for none), when the latest run is the one a
   * reset with that request id made, returns it instead. See
   * {@link dev.durable.client.WorkflowStub#reset(dev.durable.client.ResetPoint, String, String)}.
   */
  String reset(String workflowId, dev.durable.client.ResetPoint point, String reason, String requestId);

  /**
   * Pauses or resumes the cron schedule of a workflow id's open latest run (DURABLE-238 for a
   * workflow without one); synced when this returns. See {@link dev.durable.client.WorkflowStub#pauseSchedule}.
   */
  void setSchedulePaused(String workflowId, boolean paused, String note);

  /** Describes the latest run of a workflow id; empty for an unknown id. */
  Optional<WorkflowDescription> describe(String workflowId);

  /** Lists runs, newest first, optionally only the running ones. */
  List<WorkflowDescription> list(boolean runningOnly, int limit);

  /**
   * Returns one page of the runs that meet a query, newest first by start time (DURABLE-254 for
   * a bad query, DURABLE-255 for a page token that is not one of this query's).
   */
  dev.durable.client.WorkflowPage listWorkflows(dev.durable.internal.model.VisibilityQuery query);

  /** Returns how many runs meet a query; its page size and token are ignored. */
  long countWorkflows(dev.durable.internal.model.VisibilityQuery query);

  /** Returns the history of the latest run of a workflow id (DURABLE-207 if unknown). */
  RunHistory getHistory(String workflowId);

  /** Returns events of a run from an event id on. */
  List<HistoryEvent> readHistory(String runId, long fromEventId);

  /**
   * Checks the stored history of the latest run of a workflow id against the rules of histories
   * and against the run's stored mutable state (DURABLE-207 if the id is unknown).
   */
  HistoryVerification verifyHistory(String workflowId);

  /** Waits up to {@code timeout} for the latest run to close; empty while it still runs. */
  Optional<ExecutionState> awaitClose(String workflowId, Duration timeout);

  /**
   * Sends an update: a worker runs its validator (a rejection throws {@code WorkflowUpdateException}
   * and records nothing), then the server records it as accepted and waits up to
   * {@code request.timeout()} for the handler's outcome (empty when it has not finished yet;
   * calling again with the same update id waits again, without a second update).
   */
  Optional<UpdateOutcome> update(UpdateRequest request);

  /** Answers an update validation task received through {@link #pollWorkflowTask}. */
  void respondUpdateValidation(UpdateValidation validation);

  /** Makes pending and future polls of one worker identity return empty at once. */
  void shutdownWorker(String identity);

  /**
   * Tells a server in this process that {@code worker} polls {@code taskQueue} in this process
   * too: a {@link #startForResult} call of that queue may then hand the run's first workflow task
   * to its calling thread, which runs it with the worker (eager start). By default nothing.
   */
  default void addLocalWorker(String taskQueue, LocalWorker worker) {}

  /** Undoes {@link #addLocalWorker}. */
  default void removeLocalWorker(String taskQueue, LocalWorker worker) {}

  /**
   * A worker in the server's process that may run a new run's first workflow task on the thread
   * that started the run, when that thread waits for the run's result next and the worker has room.
   */
  interface LocalWorker {
    /**
     * Takes room for one such task of a run of {@code workflowType}, if the worker knows the type
     * and has room; then {@link #run} or {@link #release} follows.
     */
    boolean reserve(String workflowType);

    /** Gives the room back unused. */
    void release();

    /** Runs the task (and the chain it hands over) on the calling thread, then gives the room back. Never throws. */
    void run(WorkflowTask task);
  }

  /**
   * A request to start a run.
   *
   * @param reusePolicy what to do when the id was used before; null means ALLOW_DUPLICATE
   * @param executionTimeout how long the workflow may run, or null for no limit
   * @param runTimeout how long the run may run, or null for no limit
   * @param retryPolicy how a failed run is retried (a new run after a backoff), or null for no retry
   * @param searchAttributes the run's initial search attributes; null or empty for none
   * @param cronSchedule the cron schedule that starts a run each time it fires, or null for one run
   * @param startDelay how long the first workflow task waits, or null for no wait
   */
  record StartRequest(
      String workflowId, String workflowType, String taskQueue, List<Payload> input, Duration workflowTaskTimeout,
      WorkflowIdReusePolicy reusePolicy, Duration executionTimeout, Duration runTimeout,
      java.util.Map<String, dev.durable.internal.model.SearchAttributeValue> searchAttributes,
      dev.durable.internal.model.RetryPolicy retryPolicy, String cronSchedule, Duration startDelay) {

    /** A request without a cron schedule or a start delay. */
    public StartRequest(String workflowId, String workflowType, String taskQueue, List<Payload> input,
        Duration workflowTaskTimeout, WorkflowIdReusePolicy reusePolicy, Duration executionTimeout,
        Duration runTimeout, java.util.Map<String, dev.durable.internal.model.SearchAttributeValue> searchAttributes,
        dev.durable.internal.model.RetryPolicy retryPolicy) {
      this(workflowId, workflowType, taskQueue, input, workflowTaskTimeout, reusePolicy, executionTimeout, runTimeout,
          searchAttributes, retryPolicy, null, null);
    }

    /** A request without a workflow retry policy. */
    public StartRequest(String workflowId, String workflowType, String taskQueue, List<Payload> input,
        Duration workflowTaskTimeout, WorkflowIdReusePolicy reusePolicy, Duration executionTimeout,
        Duration runTimeout, java.util.Map<String, dev.durable.internal.model.SearchAttributeValue> searchAttributes) {
      this(workflowId, workflowType, taskQueue, input, workflowTaskTimeout, reusePolicy, executionTimeout, runTimeout,
          searchAttributes, null);
    }

    /** A request without search attributes or a retry policy. */
    public StartRequest(String workflowId, String workflowType, String taskQueue, List<Payload> input,
        Duration workflowTaskTimeout, WorkflowIdReusePolicy reusePolicy, Duration executionTimeout,
        Duration runTimeout) {
      this(workflowId, workflowType, taskQueue, input, workflowTaskTimeout, reusePolicy, executionTimeout, runTimeout,
          null, null);
    }

    /** A request with the default reuse policy and no workflow timeouts. */
    public StartRequest(String workflowId, String workflowType, String taskQueue, List<Payload> input,
        Duration workflowTaskTimeout) {
      this(workflowId, workflowType, taskQueue, input, workflowTaskTimeout, WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          null, null);
    }
  }

  /** The started run. */
  record StartResponse(String workflowId, String runId) {}

  /** A long poll on a task queue. */
  record PollRequest(String taskQueue, String identity, Duration timeout) {}

  /**
   * A workflow task: run the code over the new events and return commands. When {@code query}
   * is set it is a query instead, answered with {@link #respondQuery}.
   *
   * @param token identifies the task for completion; 0 for queries
   * @param events the events since the last completed task (WorkflowTaskCompleted included)
   *     or the whole history when there is none
   * @param lastEventId the last event id the task covers
   * @param workflowTime the time workflow code sees during this task
   */
  record WorkflowTask(
      long token,
      String workflowId,
      String runId,
      String workflowType,
      String taskQueue,
      int attempt,
      List<HistoryEvent> events,
      long lastEventId,
      java.time.Instant workflowTime,
      QueryTask query,
      UpdateTask update) {

    /** A workflow task or query, without an update validation. */
    public WorkflowTask(long token, String workflowId, String runId, String workflowType, String taskQueue, int attempt,
        List<HistoryEvent> events, long lastEventId, java.time.Instant workflowTime, QueryTask query) {
      this(token, workflowId, runId, workflowType, taskQueue, attempt, events, lastEventId, workflowTime, query, null);
    }
  }

  /**
   * An update to validate against a workflow's current state; answered with
   * {@link #respondUpdateValidation}.
   */
  record UpdateTask(long validationId, String updateId, String updateName, List<Payload> input) {}

  /** The answer to an update validation: null {@code rejection} accepts it. */
  record UpdateValidation(long validationId, FailureInfo rejection) {}

  /**
   * An update request.
   *
   * @param updateId the caller's id for it; a request with the id of an update already accepted
   *     waits for (or returns) that update's outcome instead of making a second one
   * @param timeout how long to wait for the outcome
   */
  record UpdateRequest(String workflowId, String updateId, String updateName, List<Payload> input, Duration timeout) {}

  /** How an update handler ended: a result, or a failure. */
  record UpdateOutcome(Payload result, FailureInfo failure) {}

  /** A query to run against a workflow's state. */
  record QueryTask(long queryId, String queryName, List<Payload> input) {}

  /** The answer to a query task: a result or a failure. */
  record QueryResult(long queryId, Payload result, FailureInfo failure) {}

  /** The commands a workflow task produced. */
  record CompleteWorkflowTaskRequest(String runId, long token, List<dev.durable.internal.model.Command> commands, String identity) {}

  /** A workflow task failure. */
  record FailWorkflowTaskRequest(String runId, long token, FailureInfo failure, String identity) {}

  /** Identifies one attempt of one activity. */
  record ActivityToken(String runId, int seq, int attempt) {}

  /**
   * A started activity as seen from outside its worker: by {@code taskToken} (one attempt, see
   * {@link TaskTokens}), or, when that is null, by {@code workflowId} and {@code activityId} (the
   * current attempt of that activity in the workflow's latest run).
   */
  record ActivityAddress(String taskToken, String workflowId, String activityId) {

    /** The address of the attempt whose token is {@code taskToken}. */
    public static ActivityAddress ofToken(String taskToken) {
      return new ActivityAddress(taskToken, null, null);
    }

    /** The address of the current attempt of activity {@code activityId} of workflow {@code workflowId}. */
    public static ActivityAddress ofActivity(String workflowId, String activityId) {
      return new ActivityAddress(null, workflowId, activityId);
    }

    /** Names the address in messages. */
    public String describe() {
      return taskToken != null ? "task token '" + (taskToken.length() > 80 ? taskToken.substring(0, 80) + "..."
          : taskToken) + "'" : "activity " + activityId + " of workflow '" + workflowId + "'";
    }
  }

  /** What is reported for an activity from outside its worker. */
  enum ActivityOutcome {
    /** The attempt succeeded with {@code payload} as its result. */
    COMPLETED,
    /** The attempt failed with {@code failure}; the retry policy applies. */
    FAILED,
    /** Progress: {@code payload} as heartbeat details. */
    HEARTBEAT,
    /** The attempt stopped after the workflow asked to cancel it; {@code payload} as details. */
    CANCELED,
    /**
     * Sent by the worker: the attempt's method returned asking to be completed by its task token.
     * The server records that the attempt waits (a restart then does not run it again); ignored
     * when the attempt is no longer pending, since its completion may come first.
     */
    COMPLETES_LATER
  }

  /**
   * A report on an activity from outside its worker.
   *
   * @param payload the result, heartbeat details or cancellation details; null for none
   * @param failure the failure, for {@link ActivityOutcome#FAILED} only
   */
  record ActivityResponse(ActivityAddress address, ActivityOutcome outcome, Payload payload, FailureInfo failure) {}

  /** One activity attempt to run. */
  record ActivityTask(
      ActivityToken token,
      String workflowId,
      String workflowType,
      String activityType,
      List<Payload> input,
      Payload heartbeatDetails,
      java.time.Instant scheduledTime,
      Duration startToCloseTimeout,
      Duration heartbeatTimeout) {}

  /** The history of a run. */
  record RunHistory(String workflowId, String runId, List<HistoryEvent> events) {}
}
