package dev.durable.internal.store;

import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the events long histories are made of (WorkflowTaskCompleted, ActivityTaskScheduled,
 * ActivityTaskCompleted, TimerStarted, TimerFired) straight from their bytes, when the bytes are
 * exactly what the store's writer produces: its field names in its order, no white space, strings
 * of strictly valid UTF-8, numbers and payload values in the form copying them writes. It matches
 * each field name as a run of bytes and parses the values between them, without a JSON parser.
 *
 * <p>Anything else makes {@link #read} return null, and the caller hands the bytes to
 * {@link CanonicalEventReader}, then to the full reader: this changes how fast an event is read,
 * never what it reads to. It builds the same records from the same values (lists as
 * {@link ArrayList}s; a payload's bytes are the stored value, which is what copying its tokens
 * writes for every value accepted here).
 */
final class ByteEventReader {
  private static final byte[] EVENT_ID = ascii("{\"eventId\":");
  private static final byte[] TIMESTAMP = ascii(",\"timestamp\":\"");
  private static final byte[] EVENT_TYPE = ascii(",\"eventType\":\"");
  private static final byte[] TASK_COMPLETED = ascii("WorkflowTaskCompleted\",\"attributes\":{\"lastSeenEventId\":");
  private static final byte[] WORKFLOW_TIME = ascii(",\"workflowTime\":\"");
  private static final byte[] IDENTITY = ascii(",\"identity\":");
  private static final byte[] SCHEDULED = ascii("ActivityTaskScheduled\",\"attributes\":{\"seq\":");
  private static final byte[] ACTIVITY_TYPE = ascii(",\"activityType\":");
  private static final byte[] TASK_QUEUE = ascii(",\"taskQueue\":");
  private static final byte[] INPUT = ascii(",\"input\":[");
  private static final byte[] SPEC = ascii(",\"spec\":{\"scheduleToCloseTimeout\":");
  private static final byte[] START_TO_CLOSE = ascii(",\"startToCloseTimeout\":");
  private static final byte[] SCHEDULE_TO_START = ascii(",\"scheduleToStartTimeout\":");
  private static final byte[] HEARTBEAT = ascii(",\"heartbeatTimeout\":");
  private static final byte[] RETRY_POLICY = ascii(",\"retryPolicy\":");
  private static final byte[] INITIAL_INTERVAL = ascii("{\"initialInterval\":");
  private static final byte[] BACKOFF = ascii(",\"backoffCoefficient\":");
  private static final byte[] MAXIMUM_INTERVAL = ascii(",\"maximumInterval\":");
  private static final byte[] MAXIMUM_ATTEMPTS = ascii(",\"maximumAttempts\":");
  private static final byte[] DO_NOT_RETRY = ascii(",\"doNotRetry\":[");
  private static final byte[] COMPLETED = ascii("ActivityTaskCompleted\",\"attributes\":{\"seq\":");
  private static final byte[] SCHEDULED_EVENT_ID = ascii(",\"scheduledEventId\":");
  private static final byte[] ATTEMPT = ascii(",\"attempt\":");
  private static final byte[] RESULT = ascii(",\"result\":");
  private static final byte[] TIMER_STARTED = ascii("TimerStarted\",\"attributes\":{\"seq\":");
  private static final byte[] DURATION = ascii(",\"duration\":");
  private static final byte[] FIRE_AT = ascii(",\"fireAt\":\"");
  private static final byte[] TIMER_FIRED = ascii("TimerFired\",\"attributes\":{\"seq\":");
  private static final byte[] PAYLOAD = ascii("{\"json\":");
  private static final byte[] NULL = ascii("null");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  /** Deeper payload values are left to the parsers, which check their own nesting limit. */
  private static final int MAX_DEPTH = 64;
  /** Longer integers are left to the parsers (a long has 19 digits at most). */
  private static final int MAX_DIGITS = 18;

  private final byte[] b;
  private int pos;

  private ByteEventReader(byte[] bytes) {
    this.b = bytes;
  }

  /** Returns the event {@code bytes} hold, or null when they are not exactly in the writer's form of one of the five. */
  static HistoryEvent read(byte[] bytes) {
    try {
      ByteEventReader r = new ByteEventReader(bytes);
      HistoryEvent e = r.event();
      return r.pos == bytes.length ? e : null;
    } catch (NotCanonical | ArrayIndexOutOfBoundsException e) {
      return null; // the other readers decode it, or report what is wrong with it
    }
  }

  private HistoryEvent event() {
    expect(EVENT_ID);
    long eventId = longValue();
    expect(TIMESTAMP);
    Instant timestamp = instantUntilQuote();
    expect(EVENT_TYPE);
    EventAttributes attributes;
    if (at(TASK_COMPLETED)) {
      attributes = workflowTaskCompleted();
    } else if (at(SCHEDULED)) {
      attributes = activityTaskScheduled();
    } else if (at(COMPLETED)) {
      attributes = activityTaskCompleted();
    } else if (at(TIMER_STARTED)) {
      int seq = intValue();
      expect(DURATION);
      Duration duration = durationOrNull();
      expect(FIRE_AT);
      attributes = new EventAttributes.TimerStarted(seq, duration, instantUntilQuote());
    } else if (at(TIMER_FIRED)) {
      attributes = new EventAttributes.TimerFired(intValue());
    } else {
      throw NotCanonical.INSTANCE;
    }
    expect('}');
    expect('}');
    return new HistoryEvent(eventId, timestamp, attributes);
  }

  private EventAttributes workflowTaskCompleted() {
    long lastSeen = longValue();
    expect(WORKFLOW_TIME);
    Instant time = instantUntilQuote();
    expect(IDENTITY);
    return new EventAttributes.WorkflowTaskCompleted(lastSeen, time, stringOrNull());
  }

  private EventAttributes activityTaskScheduled() {
    int seq = intValue();
    expect(ACTIVITY_TYPE);
    String activityType = stringOrNull();
    expect(TASK_QUEUE);
    String taskQueue = stringOrNull();
    expect(INPUT);
    List<Payload> input = elements(this::payload);
    expect(SPEC);
    Duration scheduleToClose = durationOrNull();
    expect(START_TO_CLOSE);
    Duration startToClose = durationOrNull();
    expect(SCHEDULE_TO_START);
    Duration scheduleToStart = durationOrNull();
    expect(HEARTBEAT);
    Duration heartbeat = durationOrNull();
    expect(RETRY_POLICY);
    RetryPolicy retry = at(NULL) ? null : retryPolicy();
    expect('}');
    return new EventAttributes.ActivityTaskScheduled(seq, activityType, taskQueue, input,
        new ActivitySpec(scheduleToClose, startToClose, scheduleToStart, heartbeat, retry));
  }

  private RetryPolicy retryPolicy() {
    expect(INITIAL_INTERVAL);
    Duration initial = durationOrNull();
    expect(BACKOFF);
    double coefficient = doubleValue();
    expect(MAXIMUM_INTERVAL);
    Duration maximum = durationOrNull();
    expect(MAXIMUM_ATTEMPTS);
    int attempts = intValue();
    expect(DO_NOT_RETRY);
    List<String> doNotRetry = elements(this::string);
    expect('}');
    return new RetryPolicy(initial, coefficient, maximum, attempts, doNotRetry);
  }

  private EventAttributes activityTaskCompleted() {
    int seq = intValue();
    expect(SCHEDULED_EVENT_ID);
    long scheduledEventId = longValue();
    expect(ATTEMPT);
    int attempt = intValue();
    expect(RESULT);
    Payload result = at(NULL) ? null : payload();
    return new EventAttributes.ActivityTaskCompleted(seq, scheduledEventId, attempt, result);
  }

  /** The elements of an array whose {@code [} was read, through its {@code ]}, in an {@link ArrayList} as the other readers make. */
  private <T> List<T> elements(Supplier<T> element) {
    List<T> out = new ArrayList<>();
    if (!skip(']')) {
      do {
        out.add(element.get());
      } while (skip(','));
      expect(']');
    }
    return out;
  }

  /** A payload in the form {@code {"json": <value>}}; its bytes are the value's. */
  private Payload payload() {
    expect(PAYLOAD);
    int start = pos;
    value(0);
    byte[] json = Arrays.copyOfRange(b, start, pos);
    expect('}');
    return new Payload(Payload.JSON, json);
  }

  /**
   * Moves past a JSON value that copying its tokens writes back byte for byte: no white space;
   * strings of valid UTF-8 without characters beyond U+FFFF (which the generator writes as escaped
   * surrogates) and with only the escapes it writes (a quote, a backslash, {@code b t n f r}, and
   * the other control characters as {@code u00XX} in upper case); numbers (copying writes their
   * text), here without a minus zero or more than 18 digits before the point; literals; and
   * objects and arrays of those.
   */
  private void value(int depth) {
    byte c = b[pos];
    if (c == '{' || c == '[') {
      if (depth >= MAX_DEPTH) {
        throw NotCanonical.INSTANCE;
      }
      char close = c == '{' ? '}' : ']';
      pos++;
      if (skip(close)) {
        return;
      }
      do {
        if (c == '{') {
          expect('"');
          skipCopiedString();
          expect(':');
        }
        value(depth + 1);
      } while (skip(','));
      expect(close);
    } else if (c == '"') {
      pos++;
      skipCopiedString();
    } else if (!at(NULL) && !at(TRUE) && !at(FALSE)) {
      integerEnd();
      fractionOrExponent(); // copied as its text, whatever its form
    }
  }

  /** Moves past the rest of a string, through its closing quote, when copying writes it back as it is. */
  private void skipCopiedString() {
    for (int c = b[pos] & 0xff; c != '"'; c = b[pos] & 0xff) {
      if (c == '\\') {
        int e = b[pos + 1];
        if (e == '"' || e == '\\' || e == 'b' || e == 't' || e == 'n' || e == 'f' || e == 'r') {
          pos += 2;
          continue;
        }
        int control = e == 'u' && b[pos + 2] == '0' && b[pos + 3] == '0'
            ? upperHex(b[pos + 4]) << 4 | upperHex(b[pos + 5]) : -1;
        if (control < 0 || control >= 0x20 || control == '\b' || control == '\t' || control == '\n' || control == '\f'
            || control == '\r') {
          throw NotCanonical.INSTANCE; // an escape the generator writes otherwise, or not at all
        }
        pos += 6;
      } else if (c < 0x20) {
        throw NotCanonical.INSTANCE; // not JSON
      } else if (c < 0x80) {
        pos++;
      } else if (codePoint() > 0xffff) {
        throw NotCanonical.INSTANCE; // the generator writes it as two escaped surrogates
      }
    }
    pos++;
  }

  /** The value of an upper-case hex digit; -1 for anything else. */
  private static int upperHex(byte d) {
    return d >= '0' && d <= '9' ? d - '0' : d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
  }

  // ------------------------------------------------------------------ tokens

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether the bytes at the position are {@code literal}; moves past them if so. */
  private boolean at(byte[] literal) {
    int n = literal.length;
    if (pos + n > b.length) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[pos + i] != literal[i]) {
        return false;
      }
    }
    pos += n;
    return true;
  }

  private void expect(byte[] literal) {
    if (!at(literal)) {
      throw NotCanonical.INSTANCE;
    }
  }

  private boolean skip(char c) {
    if (pos < b.length && b[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!skip(c)) {
      throw NotCanonical.INSTANCE;
    }
  }

  /** The rest of a string, through its closing quote: printable ASCII at once, anything else by {@link #decodeString}. */
  private String stringUntilQuote() {
    int start = pos;
    for (byte c = b[pos]; c != '"'; c = b[++pos]) {
      if (c < 0x20 || c == '\\') { // a control character, an escape, or (negative) a byte of a multi-byte character
        return decodeString(start);
      }
    }
    pos++;
    return latin1(start, pos - 1);
  }

  /** Decodes a string from {@code start} through its closing quote: its escapes, and UTF-8 (strictly valid only). */
  private String decodeString(int start) {
    pos = start;
    StringBuilder out = new StringBuilder(32);
    for (int c = b[pos] & 0xff; c != '"'; c = b[pos] & 0xff) {
      if (c == '\\') {
        char e = (char) b[pos + 1];
        pos += 2;
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 't' -> out.append('\t');
          case 'n' -> out.append('\n');
          case 'f' -> out.append('\f');
          case 'r' -> out.append('\r');
          case 'u' -> {
            int v = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(b[pos++], 16);
              if (d < 0) {
                throw NotCanonical.INSTANCE;
              }
              v = v << 4 | d;
            }
            out.append((char) v);
          }
          default -> throw NotCanonical.INSTANCE;
        }
      } else if (c < 0x20) {
        throw NotCanonical.INSTANCE; // not JSON
      } else if (c < 0x80) {
        out.append((char) c);
        pos++;
      } else {
        out.appendCodePoint(codePoint());
      }
    }
    pos++;
    return out.toString();
  }

  /**
   * Reads one multi-byte UTF-8 character: only the strictly valid forms (no overlong form, no
   * surrogate, nothing above U+10FFFF), which every decoder reads alike; anything else is left to
   * the parsers.
   */
  private int codePoint() {
    int c = b[pos] & 0xff;
    int more;
    int min;
    int cp;
    if (c >= 0xc2 && c <= 0xdf) {
      more = 1;
      min = 0x80;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      more = 2;
      min = 0x800;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      more = 3;
      min = 0x10000;
      cp = c & 0x07;
    } else {
      throw NotCanonical.INSTANCE;
    }
    for (int i = 1; i <= more; i++) {
      int d = b[pos + i] & 0xff;
      if ((d & 0xc0) != 0x80) {
        throw NotCanonical.INSTANCE;
      }
      cp = cp << 6 | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw NotCanonical.INSTANCE;
    }
    pos += more + 1;
    return cp;
  }

  private String latin1(int start) {
    return latin1(start, pos);
  }

  private String latin1(int start, int end) {
    return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
  }

  private String string() {
    expect('"');
    return stringUntilQuote();
  }

  private String stringOrNull() {
    return at(NULL) ? null : string();
  }

  private Instant instantUntilQuote() {
    Instant t = InstantReader.parse(stringUntilQuote());
    if (t == null) {
      throw NotCanonical.INSTANCE;
    }
    return t;
  }

  private Duration durationOrNull() {
    if (at(NULL)) {
      return null;
    }
    expect('"');
    Duration d = DurationReader.parse(stringUntilQuote());
    if (d == null) {
      throw NotCanonical.INSTANCE;
    }
    return d;
  }

  /** Moves past an integer in canonical form (at most {@link #MAX_DIGITS} digits); returns where it started. */
  private int integerEnd() {
    int start = pos;
    skip('-');
    int digits = pos;
    while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    int n = pos - digits;
    if (n == 0 || n > MAX_DIGITS || (b[digits] == '0' && (n > 1 || digits > start))) {
      throw NotCanonical.INSTANCE; // none, too long, a leading zero or a minus zero
    }
    return start;
  }

  private long longValue() {
    int start = integerEnd();
    boolean negative = b[start] == '-';
    long v = 0;
    for (int i = negative ? start + 1 : start; i < pos; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return negative ? -v : v;
  }

  private int intValue() {
    long v = longValue();
    if (v != (int) v) {
      throw NotCanonical.INSTANCE; // the parsers read it as a long, which an int field does not take
    }
    return (int) v;
  }

  /** A number with a fraction or exponent, as the writer writes a double. */
  private double doubleValue() {
    int start = integerEnd();
    if (!fractionOrExponent()) {
      throw NotCanonical.INSTANCE; // an integer token: the parsers decide what it means here
    }
    return Double.parseDouble(latin1(start));
  }

  /** Moves past the fraction and exponent after an integer part; returns whether there was either. */
  private boolean fractionOrExponent() {
    boolean either = false;
    if (skip('.')) {
      either = true;
      digitsAfter();
    }
    if (skip('E') || skip('e')) {
      either = true;
      if (!skip('-')) {
        skip('+');
      }
      digitsAfter();
    }
    return either;
  }

  private void digitsAfter() {
    int start = pos;
    while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    if (pos == start || pos - start > 30) {
      throw NotCanonical.INSTANCE;
    }
  }

  /** Thrown (without a stack trace) where the bytes are not in the writer's form; {@link #read} returns null. */
  private static final class NotCanonical extends RuntimeException {
    static final NotCanonical INSTANCE = new NotCanonical();

    private NotCanonical() {
      super("not in the writer's exact form", null, false, false);
    }
  }
}
