package dev.durable.workflow;

/**
 * Workflow code did something that is not deterministic (I/O, starting threads, writing a mutable
 * global, ...), as detected by the agent ({@code -javaagent:durable.jar}). The message names the
 * workflow, the API called, the user's source line and what to do instead; the stack trace starts
 * at that line.
 *
 * <p>It is an {@code Error}, so {@code catch (Exception e)} in workflow code cannot swallow it. In
 * the default {@code enforce} mode it fails the workflow task, which is retried with backoff until
 * fixed code is deployed; the workflow keeps running.
 */
public final class DeterminismViolation extends Error {
  private final String code;
  private final String ruleId;
  private final String api;
  private final String workflowId;

  /**
   * Creates a violation.
   *
   * @param code {@code DURABLE-101} for calls, {@code DURABLE-102} for writes to static fields
   * @param ruleId the sandbox rule that matched
   * @param api the API called or the field written
   * @param workflowId the workflow whose code did it
   * @param message the full message
   */
  public DeterminismViolation(String code, String ruleId, String api, String workflowId, String message) {
    super(message);
    this.code = code;
    this.ruleId = ruleId;
    this.api = api;
    this.workflowId = workflowId;
  }

  /** Returns the stable code. */
  public String getCode() {
    return code;
  }

  /** Returns the id of the sandbox rule that matched (see docs/sandbox.md). */
  public String getRuleId() {
    return ruleId;
  }

  /** Returns the API called, such as {@code java.net.Socket.connect}, or the static field written. */
  public String getApi() {
    return api;
  }

  /** Returns the id of the workflow whose code did it. */
  public String getWorkflowId() {
    return workflowId;
  }
}
