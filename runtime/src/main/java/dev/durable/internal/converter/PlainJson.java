package dev.durable.internal.converter;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes and reads the commonest payloads (a {@code String}, {@code int}, {@code long} or
 * {@code boolean}) without Jackson, producing exactly the bytes Jackson would and the value it
 * would read; anything else, or anything unusual when reading (whitespace, escapes, leading
 * zeros, numbers near the limits) is left to Jackson: the methods return null then. Strings are
 * written by {@link JsonOut}, which escapes as Jackson does.
 *
 * <p>Why: a lone workflow's payloads go through ObjectMapper four to six times, and while the JIT
 * has not compiled Jackson's generic paths yet (the first thousands of workflows of a process),
 * each such call costs tens of microseconds. A test compares both paths on tricky values.
 */
final class PlainJson {
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

  private PlainJson() {}

  /** Returns the JSON of {@code value} as Jackson writes it, or null to let Jackson write it. */
  static byte[] write(Object value) {
    Class<?> c = value.getClass();
    if (c == String.class) {
      return writeString((String) value);
    }
    if (c == Integer.class || c == Long.class) {
      return value.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
    if (c == Boolean.class) {
      return ((Boolean) value) ? TRUE.clone() : FALSE.clone();
    }
    return null;
  }

  private static byte[] writeString(String s) {
    JsonOut out = new JsonOut(s.length() + 8);
    out.writeString(s);
    return out.take();
  }

  /** Returns the value Jackson reads from {@code json} as {@code type}, or null to let Jackson read it. */
  static Object read(byte[] json, Type type) {
    if (type == String.class) {
      return readString(json);
    }
    if (type == int.class || type == Integer.class) {
      long v = readLong(json, 10);
      return v == Long.MIN_VALUE || v != (int) v ? null : (Object) (int) v;
    }
    if (type == long.class || type == Long.class) {
      long v = readLong(json, 18);
      return v == Long.MIN_VALUE ? null : (Object) v;
    }
    if (type == boolean.class || type == Boolean.class) {
      return Arrays.equals(json, TRUE) ? Boolean.TRUE : Arrays.equals(json, FALSE) ? Boolean.FALSE : null;
    }
    return null;
  }

  /** A JSON string without escapes, in valid UTF-8; anything else is Jackson's. */
  private static String readString(byte[] json) {
    int last = json.length - 1;
    if (last < 1 || json[0] != '"' || json[last] != '"') {
      return null;
    }
    boolean ascii = true;
    for (int i = 1; i < last; i++) {
      byte b = json[i];
      if (b < 0) {
        ascii = false;
      } else if (b < 0x20 || b == '"' || b == '\\') {
        return null;
      }
    }
    String s = new String(json, 1, last - 1, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    if (!ascii) {
      // Malformed UTF-8 decodes to replacement characters, which do not encode back to the input.
      byte[] back = s.getBytes(StandardCharsets.UTF_8);
      if (!Arrays.equals(back, 0, back.length, json, 1, last)) {
        return null;
      }
    }
    return s;
  }

  /**
   * An integer written as JSON writes it ({@code -?(0|[1-9][0-9]*)}) with at most {@code maxDigits}
   * digits; {@code Long.MIN_VALUE} for anything else.
   */
  private static long readLong(byte[] json, int maxDigits) {
    int i = json.length > 0 && json[0] == '-' ? 1 : 0;
    int digits = json.length - i;
    if (digits < 1 || digits > maxDigits || (json[i] == '0' && digits > 1)) {
      return Long.MIN_VALUE;
    }
    long v = 0;
    for (; i < json.length; i++) {
      int d = json[i] - '0';
      if (d < 0 || d > 9) {
        return Long.MIN_VALUE;
      }
      v = v * 10 + d;
    }
    return json[0] == '-' ? -v : v;
  }
}
