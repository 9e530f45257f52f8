package dev.durable.internal.server;

import dev.durable.internal.Deadlines;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.ReplaySemantics;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.model.RunIds;
import dev.durable.internal.model.RunLinks;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds new runs: a first run, a child, the run that continues one as new, and the run that
 * retries a failed one. A new run is always written as one {@link Store.Transition} with its
 * {@code WorkflowExecutionStarted} event, in the same write as whatever caused it.
 */
final class RunChains {
  private RunChains() {}

  /**
   * What a new run is made of.
   *
   * @param lastCompletionResult for a run of a cron schedule, the last completed run's result, or null
   */
  record Spec(String workflowId, String workflowType, String taskQueue, List<Payload> input,
      Duration workflowTaskTimeout, Duration executionTimeout, Duration runTimeout, RunLinks links,
      Map<String, SearchAttributeValue> searchAttributes, Payload lastCompletionResult) {

    /** A spec without a last completion result. */
    Spec(String workflowId, String workflowType, String taskQueue, List<Payload> input, Duration workflowTaskTimeout,
        Duration executionTimeout, Duration runTimeout, RunLinks links,
        Map<String, SearchAttributeValue> searchAttributes) {
      this(workflowId, workflowType, taskQueue, input, workflowTaskTimeout, executionTimeout, runTimeout, links,
          searchAttributes, null);
    }
  }

  /** Returns the transition that starts a run of {@code spec} at {@code now}, plus any {@code extra} events. */
  static Store.Transition start(Spec spec, Instant now, List<EventAttributes> extra) {
    ExecutionState s = new ExecutionState();
    s.workflowId = spec.workflowId();
    s.runId = RunIds.next(now);
    s.workflowType = spec.workflowType();
    s.taskQueue = spec.taskQueue();
    s.startTime = now;
    s.workflowTaskTimeout = spec.workflowTaskTimeout();
    s.workflowExecutionTimeout = spec.executionTimeout();
    s.workflowRunTimeout = spec.runTimeout();
    s.links = spec.links() == null ? RunLinks.NONE : spec.links();
    s.searchAttributes = spec.searchAttributes() == null ? new TreeMap<>() : new TreeMap<>(spec.searchAttributes());
    s.workflowTaskPending = true;
    Duration backoff = s.links.firstWorkflowTaskBackoff();
    if (backoff != null && !backoff.isNegative() && !backoff.isZero()) {
      // The retry backoff: the first workflow task waits for it like a failed task waits for its retry.
      s.firstTaskAt = Deadlines.after(now, backoff);
      s.workflowTaskRetryAt = s.firstTaskAt;
    }
    var events = new java.util.ArrayList<HistoryEvent>();
    events.add(new HistoryEvent(s.nextEventId++, now, new EventAttributes.WorkflowExecutionStarted(
        spec.workflowId(), spec.workflowType(), spec.taskQueue(), spec.input(), spec.workflowTaskTimeout(),
        ReplaySemantics.CURRENT, spec.executionTimeout(), spec.runTimeout(),
        s.searchAttributes.isEmpty() ? null : s.searchAttributes, s.links.isNone() ? null : s.links,
        spec.lastCompletionResult())));
    for (EventAttributes a : extra) {
      events.add(new HistoryEvent(s.nextEventId++, now, a));
    }
    return new Store.Transition(s, events, true, true);
  }

  /** The links of a run that follows {@code previous} in its chain (same parent, retry policy and cron schedule). */
  static RunLinks following(ExecutionState previous, int attempt, Duration backoff) {
    RunLinks l = previous.links;
    Instant chainStart = l.executionStartTime() != null ? l.executionStartTime() : previous.startTime;
    return new RunLinks(l.parentWorkflowId(), l.parentRunId(), l.parentInitiatedEventId(), l.parentClosePolicy(),
        previous.runId, attempt, l.retryPolicy(), chainStart, backoff, l.cronSchedule());
  }

  /**
   * Returns the backoff before the retry of a run that failed with {@code failure} at {@code now},
   * or null when it is not retried: no retry policy, a non-retryable failure, attempts used up, or
   * the retry would start after the execution deadline.
   */
  static Duration retryBackoff(ExecutionState s, FailureInfo failure, Instant now) {
    RetryPolicy policy = s.links.retryPolicy();
    if (policy == null || failure == null || !policy.allowsRetry(s.links.attempt(), failure)) {
      return null;
    }
    Duration backoff = policy.backoffAfter(s.links.attempt());
    Instant deadline = s.executionDeadline();
    if (deadline != null && !Deadlines.after(now, backoff).isBefore(deadline)) {
      return null;
    }
    return backoff;
  }
}
