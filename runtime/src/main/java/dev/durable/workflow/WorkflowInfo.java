package dev.durable.workflow;

import java.time.Instant;

/**
 * Facts about the running workflow, from {@link Workflow#getInfo()}. They are the same on every
 * replay, so workflow code may branch on them.
 *
 * @param workflowId the workflow id
 * @param runId the id of this run
 * @param workflowType the workflow type name
 * @param taskQueue the task queue of its workflow tasks
 * @param attempt the attempt of this run, from 1; always 1 while workflows are not retried
 * @param startTime when the server started the run (the time of its {@code WorkflowExecutionStarted} event)
 */
public record WorkflowInfo(
    String workflowId, String runId, String workflowType, String taskQueue, int attempt, Instant startTime) {}
