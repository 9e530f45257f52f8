package dev.durable.internal.model;

import java.time.Duration;

/** Timeouts and retry policy of one scheduled activity; null durations are not set. */
public record ActivitySpec(
    Duration scheduleToCloseTimeout,
    Duration startToCloseTimeout,
    Duration scheduleToStartTimeout,
    Duration heartbeatTimeout,
    RetryPolicy retryPolicy) {}
