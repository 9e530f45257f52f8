package dev.durable.client;

/**
 * A child workflow a running workflow has started and not yet heard the outcome of, as shown by
 * {@link WorkflowStub#describe()}.
 *
 * @param workflowId the child's workflow id
 * @param workflowType the child's workflow type
 * @param runId the child's first run, or null while it is not started
 * @param state {@code INITIATED} (recorded, about to be started) or {@code STARTED}
 */
public record PendingChildInfo(String workflowId, String workflowType, String runId, String state) {}
