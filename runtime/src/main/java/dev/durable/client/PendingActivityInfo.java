package dev.durable.client;

import java.time.Instant;

/**
 * An activity a running workflow is waiting for, as shown by {@link WorkflowStub#describe()}.
 *
 * @param activityType the activity type name
 * @param activityId the activity's id within the run
 * @param state {@code SCHEDULED} (waiting for a worker), {@code STARTED} (running),
 *     {@code BACKOFF} (waiting to retry), {@code AWAITING_COMPLETION} (its method returned; it
 *     waits to be completed by its task token, see {@link ActivityCompletionClient}) or
 *     {@code CANCEL_REQUESTED} (running, and the workflow asked it to stop: its next heartbeat
 *     throws)
 * @param attempt the current attempt, from 1
 * @param scheduledTime when the activity was first scheduled
 * @param lastHeartbeatTime when the current attempt last heartbeated, or null
 * @param nextAttemptTime when the next attempt is due, while in {@code BACKOFF}, or null
 * @param lastFailure the failure of the previous attempt ({@code type: message}), or null
 */
public record PendingActivityInfo(
    String activityType,
    String activityId,
    String state,
    int attempt,
    Instant scheduledTime,
    Instant lastHeartbeatTime,
    Instant nextAttemptTime,
    String lastFailure) {}
