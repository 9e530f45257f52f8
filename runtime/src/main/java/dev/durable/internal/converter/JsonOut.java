package dev.durable.internal.converter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes JSON into a byte array: the part of Jackson's {@code JsonGenerator} that the store's
 * record writer ({@code StoredFormWriter}) and the plain payloads ({@link PlainJson}) use, producing the bytes Jackson's UTF-8 generator produces with the
 * store mapper's settings (compact, non-ASCII as UTF-8, control characters, quotes and
 * backslashes escaped, every surrogate char escaped as a backslash, {@code u} and four hex digits).
 * {@code JsonOutTest} compares the bytes with the generator's on every BMP character and more, and
 * {@code StoredFormWriterTest} on random records.
 *
 * <p>Why not the generator: the store encodes several records at every write, and the generator's
 * general paths (write contexts, escape tables, field name encoding) cost tens of microseconds per
 * write while the JIT has not compiled them, which is for the first thousands of workflows of a
 * process.
 *
 * <p>Why one large method ({@link #token}) behind small ones: a record writer calls this class
 * from a hundred places, and C2 compiles a copy of whatever it inlines at each. With the string
 * loop inlined at every call, compiling the run-state writer took a compiler thread 0.4 s, in the
 * middle of the benchmark's measured round. {@code token} is too large for C2 to inline, so it is
 * compiled once and each call site stays a call. A prepared field name is not a call of its own:
 * {@link #writeFieldName(byte[])} only keeps it, and the value's call writes it first. That halves
 * the calls a record writer makes, and C2's work on each writer with them (docs/performance.md,
 * "Thirteenth round").
 *
 * <p>One record after the other: {@link #take()} returns a finished record's bytes and starts the
 * next one. Not thread-safe.
 */
public final class JsonOut {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  /**
   * The deepest structure the store's records have around their payloads (which are written raw
   * and not counted): a run's state around a pending activity's last failure, whose chain of
   * causes may be 64 deep ({@code Limits.MAX_FAILURE_DEPTH}), wrapped once more by the server.
   */
  private static final int MAX_DEPTH = 128;

  private static final int START_OBJECT = 0;
  private static final int END_OBJECT = 1;
  private static final int START_ARRAY = 2;
  private static final int END_ARRAY = 3;
  private static final int NAME = 4;
  private static final int STRING = 6;
  private static final int NUMBER = 7;
  private static final int NUMBER_TEXT = 8;
  private static final int TRUE = 9;
  private static final int FALSE = 10;
  private static final int NULL = 11;
  private static final int RAW = 12;

  private byte[] buf;
  private int size;
  /** Per open container (index 1 up; 0 is the root): whether it is an array, and whether it has an entry yet. */
  private final boolean[] array = new boolean[MAX_DEPTH];
  private final boolean[] started = new boolean[MAX_DEPTH];
  private int depth;
  /** A prepared field name the next value comes after, or null. */
  private byte[] pendingName;

  /** A writer for records of a few kilobytes. */
  public JsonOut() {
    this(2048);
  }

  /** A writer whose buffer starts with {@code capacity} bytes (it grows as needed). */
  public JsonOut(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  /** Returns the bytes written since the last call and starts a new record. */
  public byte[] take() {
    checkClosed();
    byte[] out = Arrays.copyOf(buf, size);
    size = 0;
    return out;
  }

  /**
   * Starts a new record, dropping what was written, without copying it out as {@link #take} does:
   * a caller that reads the record in place ({@link #buffer()}, {@link #size()}) clears before the next.
   */
  public void clear() {
    size = 0;
    depth = 0;
    pendingName = null;
  }

  /** The buffer: its first {@link #size()} bytes are what was written since the last take or clear. */
  public byte[] buffer() {
    return buf;
  }

  private void checkClosed() {
    if (depth != 0 || pendingName != null) {
      throw new IllegalStateException("a record was taken with " + depth + " containers still open"
          + (pendingName != null ? " and a field name without its value" : ""));
    }
  }

  /** How many bytes the record written since the last take or clear has; it must be complete. */
  public int size() {
    checkClosed();
    return size;
  }

  /** Returns a field name as {@link #writeFieldName(byte[])} takes it: quoted, encoded, with its colon. */
  public static byte[] name(String name) {
    JsonOut out = new JsonOut();
    out.depth = 1; // as inside an object, as its first entry: no comma
    out.token(NAME, name, 0, null);
    out.depth = 0;
    return out.take();
  }

  public void writeStartObject() {
    token(START_OBJECT, null, 0, null);
  }

  public void writeEndObject() {
    token(END_OBJECT, null, 0, null);
  }

  public void writeStartArray() {
    token(START_ARRAY, null, 0, null);
  }

  public void writeEndArray() {
    token(END_ARRAY, null, 0, null);
  }

  /** A field name prepared by {@link #name}: written with the value that follows it. */
  public void writeFieldName(byte[] quotedWithColon) {
    pendingName = quotedWithColon;
  }

  public void writeFieldName(String name) {
    token(NAME, name, 0, null);
  }

  public void writeStringField(String name, String value) {
    token(NAME, name, 0, null);
    writeString(value);
  }

  public void writeString(String s) {
    token(s == null ? NULL : STRING, s, 0, null);
  }

  public void writeNumber(long v) {
    token(NUMBER, null, v, null);
  }

  /** A number already in JSON form. */
  public void writeNumber(String encoded) {
    token(NUMBER_TEXT, encoded, 0, null);
  }

  public void writeBoolean(boolean b) {
    token(b ? TRUE : FALSE, null, 0, null);
  }

  public void writeNull() {
    token(NULL, null, 0, null);
  }

  /**
   * A value that is already JSON in UTF-8, written as it is, as Jackson's {@code writeRawValue} of
   * the decoded text writes it (bytes that are not valid UTF-8 come out as replacement characters).
   */
  public void writeRawValue(byte[] json) {
    token(RAW, null, 0, json);
  }

  /** Writes one token of kind {@code kind}, with its text, number or bytes, and the comma before it if one is due. */
  private void token(int kind, String text, long number, byte[] bytes) {
    int d = depth;
    byte[] prepared = pendingName;
    boolean closing = kind == END_OBJECT || kind == END_ARRAY;
    if (prepared != null && closing) {
      throw new IllegalStateException("a container was closed after a field name without its value");
    }
    // A name in an object and a value in an array need a comma after the first; a value in an
    // object follows its name's colon.
    if (prepared != null || (!closing && d > 0 && (kind == NAME || array[d]))) {
      if (started[d]) {
        ensure(1);
        buf[size++] = ',';
      }
      started[d] = true;
    }
    if (prepared != null) {
      pendingName = null;
      ensure(prepared.length);
      System.arraycopy(prepared, 0, buf, size, prepared.length);
      size += prepared.length;
    }
    int n = text == null ? 0 : text.length();
    ensure(bytes != null ? bytes.length : 6 * n + 24);
    byte[] b = buf;
    int p = size;
    switch (kind) {
      case START_OBJECT, START_ARRAY -> {
        b[p++] = (byte) (kind == START_OBJECT ? '{' : '[');
        if (++d >= MAX_DEPTH) {
          throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
        }
        depth = d;
        array[d] = kind == START_ARRAY;
        started[d] = false;
      }
      case END_OBJECT, END_ARRAY -> {
        b[p++] = (byte) (kind == END_OBJECT ? '}' : ']');
        depth = d - 1;
      }
      case RAW -> {
        byte[] out = bytes;
        for (byte x : bytes) {
          if (x < 0) {
            out = new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            ensure(out.length);
            b = buf;
            break;
          }
        }
        System.arraycopy(out, 0, b, p, out.length);
        p += out.length;
      }
      case NAME, STRING -> {
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
          char c = text.charAt(i);
          if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            b[p++] = (byte) c;
          } else if (c < 0x80) {
            b[p++] = '\\';
            char shortForm = switch (c) {
              case '"' -> '"';
              case '\\' -> '\\';
              case '\n' -> 'n';
              case '\r' -> 'r';
              case '\t' -> 't';
              case '\b' -> 'b';
              case '\f' -> 'f';
              default -> 0;
            };
            if (shortForm != 0) {
              b[p++] = (byte) shortForm;
            } else {
              p = hexEscape(b, p, c);
            }
          } else if (c < 0x800) {
            b[p++] = (byte) (0xC0 | (c >> 6));
            b[p++] = (byte) (0x80 | (c & 0x3F));
          } else if (Character.isSurrogate(c)) {
            b[p++] = '\\';
            p = hexEscape(b, p, c);
          } else {
            b[p++] = (byte) (0xE0 | (c >> 12));
            b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            b[p++] = (byte) (0x80 | (c & 0x3F));
          }
        }
        b[p++] = '"';
        if (kind == NAME) {
          b[p++] = ':';
        }
      }
      case NUMBER, NUMBER_TEXT -> {
        String digits = kind == NUMBER ? Long.toString(number) : text;
        for (int i = 0; i < digits.length(); i++) {
          b[p++] = (byte) digits.charAt(i);
        }
      }
      case TRUE -> p = ascii(b, p, "true");
      case FALSE -> p = ascii(b, p, "false");
      case NULL -> p = ascii(b, p, "null");
      default -> throw new IllegalArgumentException("no token kind " + kind);
    }
    size = p;
  }

  /** Writes {@code u} and the four hex digits of {@code c} (the backslash is the caller's). */
  private static int hexEscape(byte[] b, int p, char c) {
    b[p++] = 'u';
    b[p++] = HEX[(c >> 12) & 0xF];
    b[p++] = HEX[(c >> 8) & 0xF];
    b[p++] = HEX[(c >> 4) & 0xF];
    b[p++] = HEX[c & 0xF];
    return p;
  }

  private static int ascii(byte[] b, int p, String s) {
    for (int i = 0; i < s.length(); i++) {
      b[p++] = (byte) s.charAt(i);
    }
    return p;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
