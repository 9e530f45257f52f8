package dev.durable.internal.failure;

import dev.durable.common.DataConverterException;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.failure.CanceledFailure;
import dev.durable.failure.ChildWorkflowFailure;
import dev.durable.failure.DurableFailure;
import dev.durable.failure.TerminatedFailure;
import dev.durable.failure.TimeoutFailure;
import dev.durable.failure.TimeoutType;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.Payload;
import java.util.Map;

/** Converts exceptions to {@link FailureInfo} data and back. */
public final class Failures {
  private static final int MAX_DEPTH = 32;
  private static final int MAX_FRAMES = 64;
  /** The longest failure message kept, in characters; the rest is cut (see {@link #info}). */
  static final int MAX_MESSAGE_LENGTH = 32 * 1024;
  /** The longest stack trace text kept, in characters: 64 frames fit; a remote worker's may be anything. */
  static final int MAX_STACK_LENGTH = 32 * 1024;

  private Failures() {}

  /** Converts an exception and its causes to data. */
  public static FailureInfo toInfo(Throwable t) {
    return toInfo(t, 0);
  }

  private static FailureInfo toInfo(Throwable t, int depth) {
    if (t == null || depth >= MAX_DEPTH) {
      return null;
    }
    FailureInfo cause = t.getCause() == t ? null : toInfo(t.getCause(), depth + 1);
    String stack = stackOf(t);
    if (t instanceof ApplicationFailure af) {
      Payload details = null;
      String message = af.getOriginalMessage();
      try {
        details = af.getDetails().isEmpty() ? null
            : JsonConverter.DEFAULT.toPayload(af.getDetails(), () -> "details of failure " + af.getType());
      } catch (DataConverterException e) {
        // The failure itself must still be reported, or the attempt would hang until its timeout.
        message = message + " [its details were not recorded: " + e.getMessage() + "]";
      }
      return info(FailureInfo.APPLICATION, af.getType(), message, stack, details, af.isNonRetryable(),
          Map.of(), cause);
    }
    if (t instanceof ActivityFailure a) {
      return info(FailureInfo.ACTIVITY, ActivityFailure.class.getName(), a.getMessage(), stack, null, false,
          Map.of("activityType", a.getActivityType(), "activityId", a.getActivityId(),
              "attempt", Integer.toString(a.getAttempt())), cause);
    }
    if (t instanceof ChildWorkflowFailure c) {
      var attributes = new java.util.HashMap<String, String>();
      attributes.put("workflowId", c.getWorkflowId());
      attributes.put("workflowType", c.getWorkflowType());
      if (c.getRunId() != null) {
        attributes.put("runId", c.getRunId());
      }
      return info(FailureInfo.CHILD_WORKFLOW, ChildWorkflowFailure.class.getName(), c.getMessage(), stack,
          null, false, attributes, cause);
    }
    if (t instanceof TimeoutFailure tf) {
      return info(FailureInfo.TIMEOUT, TimeoutFailure.class.getName(), tf.getOriginalMessage(), stack, null,
          false, Map.of("timeoutType", tf.getTimeoutType().name()), cause);
    }
    if (t instanceof CanceledFailure c) {
      return info(FailureInfo.CANCELED, CanceledFailure.class.getName(), c.getOriginalMessage(), stack,
          null, true, Map.of(), cause);
    }
    if (t instanceof TerminatedFailure tf) {
      return info(FailureInfo.TERMINATED, TerminatedFailure.class.getName(), tf.getOriginalMessage(), stack,
          null, true, Map.of(), cause);
    }
    return info(FailureInfo.APPLICATION, t.getClass().getName(), String.valueOf(t.getMessage()), stack,
        null, false, Map.of(), cause);
  }

  /**
   * A failure with its message cut to {@link #MAX_MESSAGE_LENGTH} characters: an exception that
   * carries a whole response body would otherwise be stored with every retry of its activity and
   * sent with every task of its run.
   */
  private static FailureInfo info(String kind, String type, String message, String stack, Payload details,
      boolean nonRetryable, Map<String, String> attributes, FailureInfo cause) {
    return new FailureInfo(kind, type, cut(message), stack, details, nonRetryable, attributes, cause);
  }

  /**
   * {@code failure} with every message and stack of its chain cut as {@link #toInfo} cuts them, or
   * {@code failure} itself when nothing is too long: for failures a remote worker reports, which
   * did not go through {@link #toInfo}. Call it on chains of a bounded depth (it recurses).
   */
  public static FailureInfo bounded(FailureInfo failure) {
    if (failure == null) {
      return null;
    }
    FailureInfo cause = bounded(failure.cause());
    String message = cut(failure.message());
    String stack = cut(failure.stackTrace(), MAX_STACK_LENGTH, "stack trace");
    if (cause == failure.cause() && message == failure.message() && stack == failure.stackTrace()) {
      return failure;
    }
    return new FailureInfo(failure.kind(), failure.type(), message, stack, failure.details(), failure.nonRetryable(),
        failure.attributes(), cause);
  }

  /** {@code message} cut to {@link #MAX_MESSAGE_LENGTH} characters, saying how long it was; itself if not longer. */
  public static String cut(String message) {
    return cut(message, MAX_MESSAGE_LENGTH, "message");
  }

  private static String cut(String text, int max, String what) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max; // never half a surrogate pair
    return text.substring(0, end) + "... [cut: the " + what + " had " + text.length() + " characters]";
  }

  /** Rebuilds the exception chain a failure records. */
  public static DurableFailure toException(FailureInfo f) {
    if (f == null) {
      return null;
    }
    DurableFailure cause = toException(f.cause());
    DurableFailure out = switch (f.kind()) {
      case FailureInfo.ACTIVITY -> new ActivityFailure(f.attributes().getOrDefault("activityType", "?"),
          f.attributes().getOrDefault("activityId", "?"),
          Integer.parseInt(f.attributes().getOrDefault("attempt", "1")), cause);
      case FailureInfo.CHILD_WORKFLOW -> new ChildWorkflowFailure(f.attributes().getOrDefault("workflowId", "?"),
          f.attributes().get("runId"), f.attributes().getOrDefault("workflowType", "?"), cause);
      case FailureInfo.TIMEOUT -> new TimeoutFailure(f.message(),
          TimeoutType.valueOf(f.attributes().getOrDefault("timeoutType", TimeoutType.START_TO_CLOSE.name())));
      case FailureInfo.CANCELED -> new CanceledFailure(f.message(), cause);
      case FailureInfo.TERMINATED -> new TerminatedFailure(f.message());
      default -> ApplicationFailure.newFailureWithCause(f.message(), f.type(), f.nonRetryable(), cause);
    };
    if (cause != null && out.getCause() == null) {
      out.initCause(cause);
    }
    out.setRemoteStackTrace(f.stackTrace());
    return out;
  }

  /** The frames of one throwable as text, without its causes. */
  public static String stackOf(Throwable t) {
    if (t instanceof DurableFailure df && !df.getRemoteStackTrace().isEmpty()) {
      return df.getRemoteStackTrace();
    }
    StringBuilder sb = new StringBuilder();
    StackTraceElement[] frames = t.getStackTrace();
    int n = Math.min(frames.length, MAX_FRAMES);
    for (int i = 0; i < n; i++) {
      sb.append("at ").append(frames[i]).append('\n');
    }
    if (frames.length > n) {
      sb.append("... ").append(frames.length - n).append(" more\n");
    }
    return sb.toString();
  }
}
