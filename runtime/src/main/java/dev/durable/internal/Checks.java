package dev.durable.internal;

import java.time.Duration;

/** Validation of option values; every failure names the option, the bad value and what is allowed. */
public final class Checks {
  private Checks() {}

  /** Fails unless {@code value} is null or strictly positive. */
  public static Duration positiveOrNull(String option, Duration value) {
    if (value != null && (value.isNegative() || value.isZero())) {
      throw invalid(option + " must be positive, got " + value);
    }
    return value;
  }

  /** Fails unless {@code value} is non-null and strictly positive. */
  public static Duration positive(String option, Duration value) {
    if (value == null) {
      throw invalid(option + " must be set to a positive duration, got null");
    }
    return positiveOrNull(option, value);
  }

  /** Fails unless {@code value} is a non-blank string. */
  public static String notBlank(String option, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(option + " must be a non-empty string, got " + (value == null ? "null" : "\"" + value + "\""));
    }
    return value;
  }

  /** The longest workflow id accepted, in characters. */
  public static final int MAX_WORKFLOW_ID_LENGTH = 1000;

  /**
   * Fails unless {@code workflowId} is a usable workflow id: not blank, at most
   * {@value #MAX_WORKFLOW_ID_LENGTH} characters, without control characters (which break logs,
   * file names and terminals when the id is shown).
   */
  public static String workflowId(String workflowId) {
    notBlank("workflowId", workflowId);
    if (workflowId.length() > MAX_WORKFLOW_ID_LENGTH) {
      throw invalid("workflowId must be at most " + MAX_WORKFLOW_ID_LENGTH + " characters, got "
          + workflowId.length() + " characters starting with \"" + workflowId.substring(0, 20) + "...\"");
    }
    for (int i = 0; i < workflowId.length(); i++) {
      char c = workflowId.charAt(i);
      if (Character.isISOControl(c)) {
        throw invalid("workflowId must not contain control characters, got " + String.format("U+%04X", (int) c)
            + " at index " + i + " in \"" + workflowId.replaceAll("\\p{Cntrl}", "?") + "\"");
      }
    }
    return workflowId;
  }

  /** Fails unless {@code value} is at least {@code min}. */
  public static int atLeast(String option, int value, int min) {
    if (value < min) {
      throw invalid(option + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /** Builds the exception every invalid option raises (code DURABLE-201). */
  public static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException("DURABLE-201 " + message);
  }
}
