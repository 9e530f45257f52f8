package dev.durable.failure;

import java.util.List;

/**
 * A failure raised by user code, or any exception rebuilt from its recorded form. Its type is
 * the original exception's fully qualified class name, or the type given here.
 *
 * <p>Throw {@link #newNonRetryableFailure} from an activity to stop its retries.
 */
public final class ApplicationFailure extends DurableFailure {
  private final String type;
  private final boolean nonRetryable;
  private final transient List<Object> details;

  private ApplicationFailure(String message, String type, boolean nonRetryable, List<Object> details, Throwable cause) {
    super(type + ": " + message, message, cause);
    this.type = type;
    this.nonRetryable = nonRetryable;
    this.details = details;
  }

  /** Creates a retryable failure of the given type. */
  public static ApplicationFailure newFailure(String message, String type, Object... details) {
    return new ApplicationFailure(message, type, false, List.of(details), null);
  }

  /** Creates a failure of the given type that retry policies never retry. */
  public static ApplicationFailure newNonRetryableFailure(String message, String type, Object... details) {
    return new ApplicationFailure(message, type, true, List.of(details), null);
  }

  /** Creates a failure with a cause; used when rebuilding recorded failures. */
  public static ApplicationFailure newFailureWithCause(String message, String type, boolean nonRetryable, Throwable cause) {
    return new ApplicationFailure(message, type, nonRetryable, List.of(), cause);
  }

  /** Returns the failure type. */
  public String getType() {
    return type;
  }

  /** Returns whether retry policies must not retry it. */
  public boolean isNonRetryable() {
    return nonRetryable;
  }

  /** Returns the details given by the thrower (empty when rebuilt from a recorded failure). */
  public List<Object> getDetails() {
    return details == null ? List.of() : details;
  }
}
