package dev.durable.internal.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.durable.client.WorkflowStatus;
import dev.durable.internal.Deadlines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mutable state of one workflow run: everything the server needs besides the history to
 * carry on after a restart. It is rewritten in the same atomic write as the events it goes
 * with, so the two never disagree. Its maps are {@link TreeMap}s, also when read back from the
 * store, so that a recovered run orders its activities, timers and children as a live one does.
 */
public final class ExecutionState {
  public String workflowId;
  public String runId;
  public String workflowType;
  public String taskQueue;
  public WorkflowStatus status = WorkflowStatus.RUNNING;
  /** When the run started: the time of its start event, or of the reset that made it (which copied that event). */
  public Instant startTime;
  public Instant closeTime;
  public Duration workflowTaskTimeout;
  /** How long the workflow may run, or null for no limit; counted from {@link #startTime}. */
  public Duration workflowExecutionTimeout;
  /** How long this run may run, or null for no limit; counted from {@link #startTime}. */
  public Duration workflowRunTimeout;
  /** The id the next appended event gets. */
  public long nextEventId = 1;

  /** Whether a workflow task is due (scheduled, started, or waiting for its retry). */
  public boolean workflowTaskPending;
  /** Attempt of the pending workflow task; above 1 after failures. */
  public int workflowTaskAttempt = 1;
  /** When a failed workflow task may be retried, or null when it may run now. */
  public Instant workflowTaskRetryAt;
  public FailureInfo lastWorkflowTaskFailure;
  /** Id of the last WorkflowTaskCompleted event, 0 before the first. */
  public long lastCompletedTaskEventId;
  /** Input events that arrived while a workflow task ran; appended after its completion. */
  public List<HistoryEvent> bufferedEvents = new ArrayList<>();

  @JsonDeserialize(as = TreeMap.class)
  public Map<Integer, PendingActivity> activities = new TreeMap<>();
  @JsonDeserialize(as = TreeMap.class)
  public Map<Integer, Instant> timers = new TreeMap<>();
  public boolean cancelRequested;
  /** The run's search attributes by name; indexed for listing. */
  @JsonDeserialize(as = TreeMap.class)
  public Map<String, SearchAttributeValue> searchAttributes = new TreeMap<>();
  /**
   * Accepted updates by update id: the id of their WorkflowUpdateCompleted event, or 0 while the
   * handler runs. Kept after close so a repeated request gets the outcome.
   */
  @JsonDeserialize(as = TreeMap.class)
  public Map<String, Long> updates = new TreeMap<>();

  public Payload result;
  public FailureInfo failure;

  /** Parent, predecessor, attempt and retry policy, as in the run's start event. */
  public RunLinks links = RunLinks.NONE;
  /** The run that continues this closed one (continue-as-new or a retry), or null. */
  public String nextRunId;
  /** When the first workflow task of a retried run may run (its backoff), or null. */
  public Instant firstTaskAt;
  /** Child workflows initiated and not yet closed, by their id in the run. */
  @JsonDeserialize(as = TreeMap.class)
  public Map<Integer, PendingChild> children = new TreeMap<>();
  /**
   * The parent's event id of the last signal from the parent delivered to this chain of runs: a
   * delivery re-driven after a crash skips what it finds delivered. The parent sends in order.
   */
  public long lastParentSignalEventId;
  /**
   * Whether the chain's cron schedule is paused: a run waiting for its firing does not start, and
   * the runs that follow this one inherit it. Stored only when set.
   */
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public boolean schedulePaused;
  /**
   * Signals and cancel requests this run sent to other workflows whose outcome it has not
   * recorded yet: their seq to the id of their initiated event. Stored only when not empty. Most
   * runs send none and share an immutable empty map; the first request makes a mutable one.
   */
  @JsonDeserialize(as = TreeMap.class)
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public Map<Integer, Long> externalRequests = Map.of();
  /** The children pending when the run closed, for its parent close policy; not stored. */
  @JsonIgnore public List<PendingChild> childrenAtClose = List.of();

  /** Token of the started workflow task, or 0 when none runs; not stored. */
  @JsonIgnore public long startedTaskToken;
  /** Last event id the started workflow task saw; not stored. */
  @JsonIgnore public long startedTaskLastEventId;
  /** Workflow time of the started workflow task; not stored. */
  @JsonIgnore public Instant startedTaskTime;
  /** When the pending workflow task became ready for a worker, for the wait metric; not stored. */
  @JsonIgnore public Instant taskReadyTime;

  /**
   * Returns when the run times out: the earlier of its run deadline (from its own start) and the
   * execution deadline (from the start of the chain's first run), or null when it has neither.
   */
  @JsonIgnore
  public Instant timeoutDeadline() {
    Instant execution = executionDeadline();
    Instant run = workflowRunTimeout == null ? null : Deadlines.after(startTime, workflowRunTimeout);
    if (execution == null || (run != null && run.isBefore(execution))) {
      return run;
    }
    return execution;
  }

  /** Returns when the whole chain of runs times out (counted from its first run's start), or null. */
  @JsonIgnore
  public Instant executionDeadline() {
    if (workflowExecutionTimeout == null) {
      return null;
    }
    Instant from = links.executionStartTime() != null ? links.executionStartTime() : startTime;
    return Deadlines.after(from, workflowExecutionTimeout);
  }

  /** Returns whether a workflow task is running on a worker. */
  @JsonIgnore
  public boolean isTaskStarted() {
    return startedTaskToken != 0;
  }
}
