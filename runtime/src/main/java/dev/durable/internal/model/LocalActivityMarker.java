package dev.durable.internal.model;

import java.time.Duration;

/**
 * The data of a {@code LocalActivity} marker: how one local activity call (or, before a long
 * backoff, its attempts so far) ended. Replay returns it instead of running the activity again.
 *
 * @param activityType the activity type, checked on replay
 * @param attempt the last attempt made
 * @param result the result, or null when it failed
 * @param failure the last attempt's failure, or null when it succeeded
 * @param retryAfter when not null, the next attempt follows after a durable timer of this length
 */
public record LocalActivityMarker(String activityType, int attempt, Payload result, FailureInfo failure,
    Duration retryAfter) {}
