package dev.durable.internal.store;

import java.util.Random;

/** Random valid JSON text, and random damage to it, for the payload checks' tests. */
final class RandomJson {
  private static final byte[] INTERESTING = {'{', '}', '[', ']', '"', ',', ':', '\\', ' ', '0', '1', '-', '+', '.',
      'e', 'E', 'u', 'n', 't', 'f', 0, 0x1f, 0x7f, (byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc3, (byte) 0xed,
      (byte) 0xf0, (byte) 0xf4, (byte) 0xf5, (byte) 0xff};

  private static final byte[] BYTE_ORDER_MARK = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

  private RandomJson() {}

  /** A random JSON value nested at most {@code depth} levels, with white space here and there. */
  static String value(Random r, int depth) {
    StringBuilder out = new StringBuilder();
    value(r, depth, out);
    return out.toString();
  }

  private static void value(Random r, int depth, StringBuilder out) {
    space(r, out);
    switch (r.nextInt(depth > 0 ? 8 : 6)) {
      case 0 -> out.append(r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null");
      case 1, 2 -> number(r, out);
      case 3, 4, 5 -> string(r, out);
      case 6 -> {
        out.append('[');
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          out.append(i > 0 ? "," : "");
          value(r, depth - 1, out);
        }
        space(r, out);
        out.append(']');
      }
      default -> {
        out.append('{');
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          out.append(i > 0 ? "," : "");
          space(r, out);
          string(r, out);
          space(r, out);
          out.append(':');
          value(r, depth - 1, out);
        }
        space(r, out);
        out.append('}');
      }
    }
    space(r, out);
  }

  private static void space(Random r, StringBuilder out) {
    if (r.nextInt(6) == 0) {
      out.append(" \t\n\r".charAt(r.nextInt(4)));
    }
  }

  private static void number(Random r, StringBuilder out) {
    if (r.nextBoolean()) {
      out.append('-');
    }
    int digits = r.nextInt(5) == 0 ? 1 + r.nextInt(40) : 1 + r.nextInt(6);
    out.append(digits == 1 ? r.nextInt(10) : 1 + r.nextInt(9));
    for (int i = 1; i < digits; i++) {
      out.append(r.nextInt(10));
    }
    if (r.nextInt(3) == 0) {
      out.append('.').append(r.nextInt(1000));
    }
    if (r.nextInt(4) == 0) {
      out.append(r.nextBoolean() ? 'e' : 'E').append(r.nextBoolean() ? "-" : r.nextBoolean() ? "+" : "").append(r.nextInt(300));
    }
  }

  private static void string(Random r, StringBuilder out) {
    out.append('"');
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(10)) {
        case 0 -> out.append('\\').append("\"\\/bfnrt".charAt(r.nextInt(8)));
        case 1 -> out.append(String.format("\\u%04x", r.nextInt(0xd800)));
        case 2 -> {
          int cp = 0x10000 + r.nextInt(0x100000);
          out.append(String.format("\\u%04X\\u%04X", (int) Character.highSurrogate(cp), (int) Character.lowSurrogate(cp)));
        }
        case 3 -> out.appendCodePoint(0x10000 + r.nextInt(0x100000));
        case 4 -> out.append((char) (0x80 + r.nextInt(0xd800 - 0x80)));
        default -> {
          char c = (char) (0x20 + r.nextInt(0x5f));
          out.append(c == '"' || c == '\\' ? 'x' : c); // a raw quote or backslash would end or escape the string
        }
      }
    }
    out.append('"');
  }

  /**
   * {@code json} with one random change: a byte replaced, removed, inserted or repeated, a byte
   * order mark inserted, or cut short.
   */
  static byte[] damage(Random r, byte[] json) {
    if (json.length == 0) {
      return new byte[] {INTERESTING[r.nextInt(INTERESTING.length)]};
    }
    int at = r.nextInt(json.length);
    byte b = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt(256);
    return switch (r.nextInt(6)) {
      case 0 -> {
        byte[] out = json.clone();
        out[at] = b;
        yield out;
      }
      case 1 -> splice(json, at, 1, new byte[0]);
      case 2 -> splice(json, at, 0, new byte[] {b});
      case 3 -> splice(json, at, 0, java.util.Arrays.copyOfRange(json, at, Math.min(json.length, at + 1 + r.nextInt(8))));
      case 4 -> splice(json, r.nextBoolean() ? 0 : at, 0, BYTE_ORDER_MARK);
      default -> java.util.Arrays.copyOf(json, at);
    };
  }

  private static byte[] splice(byte[] json, int at, int remove, byte[] insert) {
    byte[] out = new byte[json.length - remove + insert.length];
    System.arraycopy(json, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(json, at + remove, out, at + insert.length, json.length - at - remove);
    return out;
  }
}
