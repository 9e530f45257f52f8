package dev.durable.internal.replay;

/**
 * Workflow code threw something other than a {@link dev.durable.failure.DurableFailure}: a bug
 * rather than a business failure. It fails the workflow task, which is retried with backoff, so a
 * fixed deployment can carry the run on.
 */
public final class WorkflowTaskFailure extends RuntimeException {
  WorkflowTaskFailure(String workflowId, String workflowType, Throwable cause) {
    super("DURABLE-216 workflow '" + workflowId + "' (" + workflowType + ") threw " + cause
        + " at " + SourceLine.of(cause.getStackTrace()) + ". The workflow task is retried until fixed code is"
        + " deployed; throw an ApplicationFailure instead to fail the workflow.", cause);
  }
}
