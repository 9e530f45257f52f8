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

  /** Fails unless {@code value} is non-null and zero (an option's "off") or positive. */
  public static Duration zeroOrPositive(String option, Duration value) {
    if (value == null || value.isNegative()) {
      throw invalid(option + " must be zero (off) or positive, got " + value);
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

  /** The longest name accepted (see {@link #name}), in characters. */
  public static final int MAX_NAME_LENGTH = 1000;

  /**
   * Fails unless {@code value} is a non-blank string of valid Unicode (see {@link #wholeUnicode})
   * of at most {@value #MAX_NAME_LENGTH} characters: workflow ids, workflow types and task queues
   * (which the store indexes), and signal, query and update names.
   */
  public static String name(String option, String value) {
    notBlank(option, value);
    if (value.length() > MAX_NAME_LENGTH) {
      throw invalid(option + " must be at most " + MAX_NAME_LENGTH + " characters, got " + value.length()
          + " characters starting with \"" + printable(value.substring(0, 20)) + "...\"");
    }
    return wholeUnicode(option, value);
  }

  /**
   * Fails unless {@code value} (null passes) has no unpaired surrogate. UTF-8 cannot encode one,
   * so Java's encoder writes {@code ?} in its place: stored as a key, {@code "order-"} followed by
   * the lone surrogate U+D83D and {@code "order-?"} would be the same workflow id. It happens when a
   * string is cut inside a surrogate pair, such as an emoji's.
   */
  public static String wholeUnicode(String option, String value) {
    int at = unpairedSurrogate(value);
    if (at >= 0) {
      throw invalid(option + " must be valid Unicode, got an unpaired surrogate " + String.format("U+%04X",
          (int) value.charAt(at)) + " at index " + at + " in \"" + printable(value) + "\". A string cut inside a"
          + " surrogate pair (such as an emoji) does this: cut strings at code points (String.offsetByCodePoints)");
    }
    return value;
  }

  /** Returns the index of the first unpaired surrogate of {@code s}, or -1 if there is none (or s is null). */
  public static int unpairedSurrogate(String s) {
    if (s == null) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (pairAt(s, i)) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether a surrogate pair (one character beyond U+FFFF) starts at index {@code i} of {@code s}. */
  private static boolean pairAt(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
  }

  /** {@code s} with control characters and unpaired surrogates shown as {@code ?}, for messages. */
  private static String printable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (pairAt(s, i)) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
      }
    }
    return out.toString();
  }

  /**
   * Fails unless {@code workflowId} is a usable workflow id: not blank, at most
   * {@value #MAX_NAME_LENGTH} characters, without control characters (which break logs,
   * file names and terminals when the id is shown), and valid Unicode (see {@link #wholeUnicode}).
   */
  public static String workflowId(String workflowId) {
    name("workflowId", workflowId);
    for (int i = 0; i < workflowId.length(); i++) {
      char c = workflowId.charAt(i);
      if (Character.isISOControl(c)) {
        throw invalid("workflowId must not contain control characters, got " + String.format("U+%04X", (int) c)
            + " at index " + i + " in \"" + printable(workflowId) + "\"");
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
