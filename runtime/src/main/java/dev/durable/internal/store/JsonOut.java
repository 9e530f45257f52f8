package dev.durable.internal.store;

import com.fasterxml.jackson.core.SerializableString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes JSON into a byte array: the part of Jackson's {@code JsonGenerator} that
 * {@link StoredFormWriter} uses, producing the bytes Jackson's UTF-8 generator produces with the
 * store mapper's settings (compact, non-ASCII as UTF-8, control characters, quotes and
 * backslashes escaped, every surrogate char escaped as {@code \}{@code uXXXX}).
 *
 * <p>Why not the generator itself: the store encodes several records at every write, and
 * Jackson's generator checks its write context, encodes field names and looks up escapes on
 * general paths that cost tens of microseconds per write while the JIT has not compiled them (the
 * first thousands of workflows of a process). {@code StoredFormWriterTest} compares the bytes with
 * Jackson's on random records and on every BMP character.
 *
 * <p>One record after the other: {@link #take()} returns a finished record's bytes and starts the
 * next one. Not thread-safe.
 */
final class JsonOut {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final int MAX_DEPTH = 64;

  private byte[] buf = new byte[2048];
  private int size;
  /** Per open container (index 1 up; 0 is the root): whether it is an array, and whether it has an entry yet. */
  private final boolean[] array = new boolean[MAX_DEPTH];
  private final boolean[] started = new boolean[MAX_DEPTH];
  private int depth;

  /** Returns the bytes written since the last call and starts a new record. */
  byte[] take() {
    if (depth != 0) {
      throw new IllegalStateException("a record was taken with " + depth + " containers still open");
    }
    byte[] out = Arrays.copyOf(buf, size);
    size = 0;
    return out;
  }

  void writeStartObject() {
    beforeValue();
    append('{');
    open(false);
  }

  void writeEndObject() {
    append('}');
    depth--;
  }

  void writeStartArray() {
    beforeValue();
    append('[');
    open(true);
  }

  void writeEndArray() {
    append(']');
    depth--;
  }

  /** A field name whose quoted form Jackson prepared once. */
  void writeFieldName(SerializableString name) {
    beforeField();
    append('"');
    append(name.asQuotedUTF8());
    append('"');
    append(':');
  }

  void writeFieldName(String name) {
    beforeField();
    quoted(name);
    append(':');
  }

  void writeStringField(String name, String value) {
    writeFieldName(name);
    writeString(value);
  }

  void writeString(String s) {
    if (s == null) {
      writeNull();
      return;
    }
    beforeValue();
    quoted(s);
  }

  void writeNumber(long v) {
    beforeValue();
    if (v >= 0 && v < 10) {
      append((char) ('0' + v));
    } else {
      ascii(Long.toString(v));
    }
  }

  /** A number already in JSON form. */
  void writeNumber(String encoded) {
    beforeValue();
    ascii(encoded);
  }

  void writeBoolean(boolean b) {
    beforeValue();
    append(b ? TRUE : FALSE);
  }

  void writeNull() {
    beforeValue();
    append(NULL);
  }

  /**
   * A value that is already JSON in UTF-8, written as it is, as Jackson's {@code writeRawValue} of
   * the decoded text writes it (bytes that are not valid UTF-8 come out as replacement characters).
   */
  void writeRawValue(byte[] json) {
    beforeValue();
    for (byte b : json) {
      if (b < 0) {
        append(new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    append(json);
  }

  private void open(boolean isArray) {
    if (++depth >= MAX_DEPTH) {
      throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
    }
    array[depth] = isArray;
    started[depth] = false;
  }

  private void beforeField() {
    if (started[depth]) {
      append(',');
    }
    started[depth] = true;
  }

  /** A value in an array needs a comma after the first; one in an object follows its name's colon. */
  private void beforeValue() {
    if (array[depth] && depth > 0) {
      if (started[depth]) {
        append(',');
      }
      started[depth] = true;
    }
  }

  private void quoted(String s) {
    int n = s.length();
    ensure(n * 6 + 2);
    byte[] b = buf;
    int p = size;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
        } else {
          p = escape(b, p, c);
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        p = unicodeEscape(b, p, c);
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    b[p++] = '"';
    size = p;
  }

  private static int escape(byte[] b, int p, char c) {
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
    if (shortForm == 0) {
      return unicodeEscape(b, p, c);
    }
    b[p++] = '\\';
    b[p++] = (byte) shortForm;
    return p;
  }

  private static int unicodeEscape(byte[] b, int p, char c) {
    b[p++] = '\\';
    b[p++] = 'u';
    b[p++] = HEX[(c >> 12) & 0xF];
    b[p++] = HEX[(c >> 8) & 0xF];
    b[p++] = HEX[(c >> 4) & 0xF];
    b[p++] = HEX[c & 0xF];
    return p;
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[size++] = (byte) s.charAt(i);
    }
  }

  private void append(char c) {
    ensure(1);
    buf[size++] = (byte) c;
  }

  private void append(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
