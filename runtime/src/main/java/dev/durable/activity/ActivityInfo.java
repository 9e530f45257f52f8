package dev.durable.activity;

import java.time.Instant;

/**
 * Facts about the running activity attempt.
 *
 * @param workflowId the workflow that scheduled it
 * @param workflowType that workflow's type
 * @param activityType the activity type
 * @param activityId its id within the workflow run
 * @param attempt the attempt number, from 1
 * @param scheduledTime when the activity was first scheduled
 */
public record ActivityInfo(
    String workflowId, String workflowType, String activityType, String activityId, int attempt, Instant scheduledTime) {}
