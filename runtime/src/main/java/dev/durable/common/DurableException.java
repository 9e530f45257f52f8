package dev.durable.common;

/**
 * Base of the errors Durable reports to callers. The message starts with a stable code
 * ({@code DURABLE-nnn}) and says what happened and what to do; see {@code docs/errors.md}.
 */
public class DurableException extends RuntimeException {
  private final String code;

  /**
   * Creates an error.
   *
   * @param code the stable code, such as {@code DURABLE-207}
   * @param message what happened and what to do, without the code
   */
  public DurableException(String code, String message) {
    this(code, message, null);
  }

  /**
   * Creates an error with a cause.
   *
   * @param code the stable code, such as {@code DURABLE-302}
   * @param message what happened and what to do, without the code
   * @param cause the underlying cause, or null
   */
  public DurableException(String code, String message, Throwable cause) {
    super(code + " " + message, cause);
    this.code = code;
  }

  /** Returns the stable error code, such as {@code DURABLE-207}. */
  public String getCode() {
    return code;
  }
}
