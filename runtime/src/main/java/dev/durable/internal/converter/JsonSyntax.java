package dev.durable.internal.converter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks that a JSON payload is one JSON value the store can read back. The store writes a JSON
 * payload's bytes into its event as they are, so bytes that are not one valid value would make
 * the event, and with it the whole run, unreadable, and bytes such as {@code 1, "result": 2}
 * would add fields to the event. Payloads the engine's converter made are valid; the check is for
 * payloads a remote client or worker sent, and for values a custom serializer wrote raw.
 *
 * <p>The check uses the reader's own parser and limits ({@link JsonConverter#newFactory}): at most
 * 1,000 characters in a number, 50,000 in a field name, and {@link #MAX_DEPTH} levels of nesting.
 * It also requires strictly valid UTF-8 and no raw control characters, which the parser does not
 * check everywhere. An escaped lone surrogate (a Java string may hold one) is valid: it reads back
 * as it was written.
 */
public final class JsonSyntax {
  /** The most levels of arrays and objects a payload may nest: Jackson's default for reading (1,000). */
  public static final int MAX_DEPTH = 1_000;

  private static final JsonFactory FACTORY = JsonConverter.newFactory();
  /** Where Jackson's messages quote a location: "[Source: REDACTED (...); line: 1, column: 22]". */
  private static final Pattern SOURCE = Pattern.compile("\\[Source: .*?; line: \\d+, column: (\\d+)\\]");

  private JsonSyntax() {}

  /** Returns null when {@code json} is one valid JSON value, else what is wrong with it and where. */
  public static String problem(byte[] json) {
    if (isPlainString(json) || isShortInteger(json)) {
      return null;
    }
    if (json.length >= 3 && json[0] == (byte) 0xef && json[1] == (byte) 0xbb && json[2] == (byte) 0xbf) {
      // The parser skips it at the start of a document, but inside an event it would be a stray character.
      return "it starts with a byte order mark (EF BB BF); JSON text in a payload must not have one";
    }
    int bad = invalidByteAt(json);
    if (bad >= 0) {
      int b = json[bad] & 0xff;
      return b < 0x20 ? String.format("it holds a raw control character (0x%02x) at byte %d; JSON allows only tab, line"
          + " feed and carriage return outside strings, and escapes in them", b, bad)
          : "it is not valid UTF-8 at byte " + bad;
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return json.length == 0 ? "it is empty" : "it holds no value, only white space";
      }
      int depth = 0;
      do {
        if (t.isStructStart()) {
          if (++depth > MAX_DEPTH) {
            return "it nests arrays and objects deeper than " + String.format(Locale.ROOT, "%,d", MAX_DEPTH)
                + " levels (at byte " + p.currentTokenLocation().getByteOffset() + ")";
          }
        } else if (t.isStructEnd()) {
          depth--;
        }
      } while (depth > 0 && (t = p.nextToken()) != null);
      if (p.nextToken() != null) {
        return "it holds more than one value: another starts at byte " + p.currentTokenLocation().getByteOffset();
      }
      return null;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      return SOURCE.matcher(e.getOriginalMessage()).replaceAll("column $1")
          + (at == null || at.getByteOffset() < 0 ? "" : " (at byte " + at.getByteOffset() + ")");
    } catch (IOException e) {
      return e.toString(); // not from a byte array
    }
  }

  /** A quoted run of printable ASCII without quotes or backslashes: the common case, valid as it is. */
  private static boolean isPlainString(byte[] json) {
    int n = json.length;
    if (n < 2 || json[0] != '"' || json[n - 1] != '"') {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      byte b = json[i];
      if (b < 0x20 || b > 0x7e || b == '"' || b == '\\') {
        return false;
      }
    }
    return true;
  }

  /** An integer of at most 18 digits without a leading zero: valid as it is. */
  private static boolean isShortInteger(byte[] json) {
    int n = json.length;
    int first = n > 0 && json[0] == '-' ? 1 : 0;
    if (n - first < 1 || n - first > 18 || (json[first] == '0' && n - first > 1)) {
      return false;
    }
    for (int i = first; i < n; i++) {
      if (json[i] < '0' || json[i] > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the offset of the first byte that does not start a well-formed UTF-8 sequence (an
   * overlong form, a surrogate, a code point beyond U+10FFFF, a stray or missing continuation byte)
   * or is a control character JSON does not allow raw (all but tab, line feed and carriage return;
   * the parser would take a final NUL for the end of the input), or -1 if there is none.
   */
  static int invalidByteAt(byte[] b) {
    int n = b.length;
    for (int i = 0; i < n; ) {
      int c = b[i];
      if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
        i++;
        continue;
      }
      c &= 0xff; // a control character gives len 0
      int len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
      if (len == 0 || i + len > n) {
        return i;
      }
      int cp = c & (0x3f >> (len - 1));
      for (int k = 1; k < len; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return i;
        }
        cp = cp << 6 | (cc & 0x3f);
      }
      if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) || len == 4 && (cp < 0x10000 || cp > 0x10ffff)) {
        return i;
      }
      i += len;
    }
    return -1;
  }
}
