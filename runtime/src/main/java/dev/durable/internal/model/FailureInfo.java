package dev.durable.internal.model;

import java.util.Map;

/**
 * A failure as data: it crosses the service boundary and is stored in histories instead of a
 * Java exception (never Java serialization).
 *
 * @param kind what produced it: {@code APPLICATION}, {@code ACTIVITY}, {@code TIMEOUT},
 *     {@code CANCELED}, {@code TERMINATED}, {@code WORKFLOW_TASK} or {@code CHILD_WORKFLOW}
 * @param type the failure type, usually the fully qualified exception class name
 * @param message the message
 * @param stackTrace the stack trace as text, or empty
 * @param details optional payload attached by the thrower, or null
 * @param nonRetryable whether retry policies must not retry it
 * @param attributes kind-specific facts, such as {@code activityType} or {@code timeoutType}
 * @param cause the cause, or null
 */
public record FailureInfo(
    String kind,
    String type,
    String message,
    String stackTrace,
    Payload details,
    boolean nonRetryable,
    Map<String, String> attributes,
    FailureInfo cause) {

  public static final String APPLICATION = "APPLICATION";
  public static final String ACTIVITY = "ACTIVITY";
  public static final String TIMEOUT = "TIMEOUT";
  public static final String CANCELED = "CANCELED";
  public static final String TERMINATED = "TERMINATED";
  public static final String WORKFLOW_TASK = "WORKFLOW_TASK";
  public static final String CHILD_WORKFLOW = "CHILD_WORKFLOW";

  public FailureInfo {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    stackTrace = stackTrace == null ? "" : stackTrace;
  }

  /** A failure with no stack, details or cause. */
  public static FailureInfo simple(String kind, String type, String message, boolean nonRetryable) {
    return new FailureInfo(kind, type, message, "", null, nonRetryable, Map.of(), null);
  }

  /** Returns a copy with another cause. */
  public FailureInfo withCause(FailureInfo newCause) {
    return new FailureInfo(kind, type, message, stackTrace, details, nonRetryable, attributes, newCause);
  }

  /** Returns a one-line summary: type and message. */
  public String summary() {
    return type + ": " + message;
  }
}
