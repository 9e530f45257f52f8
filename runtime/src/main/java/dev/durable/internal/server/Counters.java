package dev.durable.internal.server;

import dev.durable.client.WorkflowStatus;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the server recorded since it started: runs started, closed and deleted, workflow tasks and
 * activity attempts by outcome, timers fired; and how long tasks waited for a worker and runs ran.
 * Each count is taken after the write that records it succeeded, so a failed write counts nothing
 * (a wait is recorded when a worker takes the task, which writes nothing). {@link LongAdder}s: the
 * counting threads (workers' calls, the timer thread) rarely contend, and an increment allocates
 * nothing and takes no lock.
 */
public final class Counters {
  /** How a workflow task or an activity attempt ended. */
  public enum Outcome {
    /** Its completion was recorded. */
    COMPLETED,
    /** It failed (or its result was refused) and that was recorded. */
    FAILED,
    /** It did not end within its timeout, and the server recorded that. */
    TIMED_OUT
  }

  private static final WorkflowStatus[] STATUSES = WorkflowStatus.values();
  private static final Outcome[] OUTCOMES = Outcome.values();

  private final LongAdder runsStarted = new LongAdder();
  private final LongAdder[] runsClosed = adders(STATUSES.length);
  private final LongAdder[] workflowTasks = adders(OUTCOMES.length);
  private final LongAdder[] activityAttempts = adders(OUTCOMES.length);
  private final LongAdder timersFired = new LongAdder();
  private final LongAdder runsDeleted = new LongAdder();
  private final LatencyHistogram workflowTaskWaits = new LatencyHistogram();
  private final LatencyHistogram activityWaits = new LatencyHistogram();
  private final LatencyHistogram runDurations = new LatencyHistogram();

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  void runStarted() {
    runsStarted.increment();
  }

  void runClosed(WorkflowStatus status) {
    runsClosed[status.ordinal()].increment();
  }

  void workflowTask(Outcome outcome) {
    workflowTasks[outcome.ordinal()].increment();
  }

  void activityAttempt(Outcome outcome) {
    activityAttempts[outcome.ordinal()].increment();
  }

  void activityAttempts(Outcome outcome, int n) {
    activityAttempts[outcome.ordinal()].add(n);
  }

  void timerFired() {
    timersFired.increment();
  }

  void runDeleted() {
    runsDeleted.increment();
  }

  void workflowTaskWaited(Instant ready, Instant started) {
    workflowTaskWaits.record(ready, started);
  }

  void activityWaited(Instant scheduled, Instant started) {
    activityWaits.record(scheduled, started);
  }

  void runLasted(Instant from, Instant closed) {
    runDurations.record(from, closed);
  }

  /** How long workflow tasks waited for a worker: from when they could run until a worker took them. */
  public LatencyHistogram workflowTaskScheduleToStart() {
    return workflowTaskWaits;
  }

  /** How long activity attempts waited for a worker: from when they could run until a worker took them. */
  public LatencyHistogram activityScheduleToStart() {
    return activityWaits;
  }

  /** How long closed runs ran: from when their code could first run until their close was written. */
  public LatencyHistogram runDuration() {
    return runDurations;
  }

  /** Runs whose start was written: new runs, children, continuations, retries and cron runs. */
  public long runsStarted() {
    return runsStarted.sum();
  }

  /** Runs whose close with {@code status} was written. */
  public long runsClosed(WorkflowStatus status) {
    return runsClosed[status.ordinal()].sum();
  }

  /** Workflow tasks that ended with {@code outcome}. */
  public long workflowTasks(Outcome outcome) {
    return workflowTasks[outcome.ordinal()].sum();
  }

  /** Activity attempts that ended with {@code outcome}. */
  public long activityAttempts(Outcome outcome) {
    return activityAttempts[outcome.ordinal()].sum();
  }

  /** Timer firings written. */
  public long timersFired() {
    return timersFired.sum();
  }

  /** Closed runs deleted, by retention or by a delete call. */
  public long runsDeleted() {
    return runsDeleted.sum();
  }
}
