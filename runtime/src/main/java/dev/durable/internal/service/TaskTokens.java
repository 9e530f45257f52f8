package dev.durable.internal.service;

import dev.durable.common.DurableException;
import dev.durable.internal.service.WorkflowService.ActivityToken;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The text form of an {@link ActivityToken} that an activity hands out for asynchronous
 * completion: {@code base64url("1:" + runId + ":" + seq + ":" + attempt)} without padding. It is
 * made only of what the store keeps (the run, the activity's sequence number, the attempt), so it
 * names the same attempt after a restart, and it is printable and safe in URLs and shells. The
 * leading {@code 1} is the format's version. It grants nothing by itself: whoever may call the
 * server may act on any activity.
 */
public final class TaskTokens {
  private static final String VERSION = "1";
  /** Longer text is not a token; quoted cut short in the error. */
  private static final int MAX_LENGTH = 2048;

  private TaskTokens() {}

  /** Returns the token of one attempt. */
  public static String encode(ActivityToken token) {
    String text = VERSION + ":" + token.runId() + ":" + token.seq() + ":" + token.attempt();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a token made by {@link #encode}.
   *
   * @throws DurableException DURABLE-233 when {@code token} is not one
   */
  public static ActivityToken decode(String token) {
    if (token == null || token.isBlank()) {
      throw malformed(token, "it is " + (token == null ? "null" : "empty"));
    }
    if (token.length() > MAX_LENGTH) {
      throw malformed(token, "it is " + token.length() + " characters long");
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed(token, "it is not base64url text (" + e.getMessage() + ")");
    }
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    int middle = last < 0 ? -1 : text.lastIndexOf(':', last - 1);
    if (first < 0 || middle <= first || !VERSION.equals(text.substring(0, first))) {
      throw malformed(token, "its content is not in the format of version " + VERSION);
    }
    String runId = text.substring(first + 1, middle);
    int seq = positive(token, text.substring(middle + 1, last), "activity id");
    int attempt = positive(token, text.substring(last + 1), "attempt");
    if (runId.isBlank()) {
      throw malformed(token, "it names no run");
    }
    return new ActivityToken(runId, seq, attempt);
  }

  /**
   * Reads an activity id ({@link dev.durable.activity.ActivityInfo#activityId()}, a sequence number
   * within its run).
   *
   * @throws DurableException DURABLE-233 when {@code activityId} is not one
   */
  public static int activitySeq(String activityId) {
    int seq;
    try {
      seq = Integer.parseInt(activityId == null ? "" : activityId.strip());
    } catch (NumberFormatException e) {
      seq = 0;
    }
    if (seq <= 0) {
      throw new DurableException("DURABLE-233", "the activity id " + (activityId == null ? "null"
          : "'" + quote(activityId) + "'") + " is not one Durable issued: activity ids are positive numbers, such as"
          + " '1' (ActivityInfo.activityId(), or PendingActivityInfo.activityId() in a workflow's description).");
    }
    return seq;
  }

  private static int positive(String token, String digits, String what) {
    int n;
    try {
      n = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw malformed(token, "its " + what + " '" + quote(digits) + "' is not a number");
    }
    if (n <= 0) {
      throw malformed(token, "its " + what + " " + n + " is not positive");
    }
    return n;
  }

  private static DurableException malformed(String token, String why) {
    return new DurableException("DURABLE-233", "the task token " + (token == null ? "null" : "'" + quote(token) + "'")
        + " is not one Durable issued: " + why + ". Pass the token ActivityExecutionContext.getTaskToken() returned,"
        + " unchanged (it is base64url text, such as 'MTpmMD...')");
  }

  /** The start of {@code s}, with control characters shown as {@code ?}: it goes into one log line. */
  private static String quote(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
