package dev.durable.internal.model;

import java.time.Duration;
import java.time.Instant;

/**
 * How a run relates to other runs, recorded in its {@code WorkflowExecutionStarted} event: its
 * parent (for a child workflow), the run it continues (continue-as-new or a retry), its attempt
 * its retry policy and its cron schedule. Null fields mean "none".
 *
 * @param parentWorkflowId the parent's workflow id, or null for a top-level workflow
 * @param parentRunId the parent's run that started this child
 * @param parentInitiatedEventId the parent's {@code StartChildWorkflowExecutionInitiated} event
 * @param parentClosePolicy what happens to this child when the parent run closes
 *     ({@code TERMINATE}, {@code REQUEST_CANCEL} or {@code ABANDON})
 * @param continuedFromRunId the run this one continues (after continue-as-new or a retry), or null
 * @param attempt the attempt of this run, from 1; above 1 for a retry after a failure
 * @param retryPolicy how failed runs are retried, or null for no retry
 * @param executionStartTime when the first run of the chain started (the execution timeout counts
 *     from there); null for the first run, which counts from its own start
 * @param firstWorkflowTaskBackoff how long the run waits before its first workflow task (the
 *     retry backoff, or the time until its cron schedule fires), or null for at once
 * @param cronSchedule the cron schedule that starts each run of the chain once the run before it
 *     closed, or null for none; left out of the stored form when null
 */
public record RunLinks(
    String parentWorkflowId,
    String parentRunId,
    long parentInitiatedEventId,
    String parentClosePolicy,
    String continuedFromRunId,
    int attempt,
    RetryPolicy retryPolicy,
    Instant executionStartTime,
    Duration firstWorkflowTaskBackoff,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    String cronSchedule) {

  /** A first run without parent, retry policy or cron schedule. */
  public static final RunLinks NONE = new RunLinks(null, null, 0, null, null, 1, null, null, null, null);

  public RunLinks {
    attempt = Math.max(1, attempt);
  }

  /** Returns whether nothing links this run to another and it has no retry policy. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isNone() {
    return this == NONE || equals(NONE);
  }
}
