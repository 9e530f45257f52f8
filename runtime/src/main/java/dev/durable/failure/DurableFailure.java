package dev.durable.failure;

/**
 * Base of failures that cross the boundary between workflow code, activities, the server and
 * clients. They travel as data (type, message, stack text, details, cause), never as serialized
 * Java objects, so a failure received from elsewhere is rebuilt as one of these types.
 *
 * <p>Throwing a {@code DurableFailure} from a workflow method fails the workflow. Other
 * exceptions fail the workflow task instead, which is retried until fixed code is deployed.
 */
public abstract class DurableFailure extends RuntimeException {
  private final String originalMessage;
  private String remoteStackTrace = "";

  protected DurableFailure(String message, String originalMessage, Throwable cause) {
    super(message, cause);
    this.originalMessage = originalMessage;
  }

  /** Returns the message as given by whoever raised the failure, without decoration. */
  public String getOriginalMessage() {
    return originalMessage;
  }

  /** Returns the stack trace recorded where the failure happened (possibly another process). */
  public String getRemoteStackTrace() {
    return remoteStackTrace;
  }

  /** Sets the stack trace recorded where the failure happened; used when rebuilding failures. */
  public void setRemoteStackTrace(String remoteStackTrace) {
    this.remoteStackTrace = remoteStackTrace == null ? "" : remoteStackTrace;
  }
}
