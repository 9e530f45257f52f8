package dev.durable.workflow;

/**
 * Facts about the running workflow, from {@link Workflow#getInfo()}.
 *
 * @param workflowId the workflow id
 * @param runId the id of this run
 * @param workflowType the workflow type name
 * @param taskQueue the task queue of its workflow tasks
 */
public record WorkflowInfo(String workflowId, String runId, String workflowType, String taskQueue) {}
