package dev.durable.internal.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for rule files. The agent reads rules in premain, before the application
 * starts, so it uses no library (no class loading cost, nothing to relocate), and it keeps the
 * line of every value so that errors can name it.
 */
final class Json {
  /** A parsed value with the line it started on. */
  record Value(Object value, int line) {}

  private final String text;
  private final String source;
  private int pos;
  private int line = 1;

  private Json(String text, String source) {
    this.text = text;
    this.source = source;
  }

  /** Parses a document; objects become {@code Map<String, Value>}, arrays {@code List<Value>}. */
  static Value parse(String text, String source) {
    Json p = new Json(text, source);
    p.skipSpace();
    Value v = p.value();
    p.skipSpace();
    if (p.pos < text.length()) {
      throw p.error("unexpected text after the end of the document");
    }
    return v;
  }

  private Value value() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("unexpected end of the document");
    }
    int at = line;
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return new Value(object(), at);
      case '[':
        return new Value(array(), at);
      case '"':
        return new Value(string(), at);
      case 't':
        expect("true");
        return new Value(Boolean.TRUE, at);
      case 'f':
        expect("false");
        return new Value(Boolean.FALSE, at);
      case 'n':
        expect("null");
        return new Value(null, at);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return new Value(number(), at);
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Value> object() {
    Map<String, Value> out = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (peek() == '}') {
      pos++;
      return out;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a field name in double quotes");
      }
      String key = string();
      skipSpace();
      if (peek() != ':') {
        throw error("expected ':' after field \"" + key + "\"");
      }
      pos++;
      if (out.put(key, value()) != null) {
        throw error("field \"" + key + "\" appears twice");
      }
      skipSpace();
      char c = peek();
      pos++;
      if (c == '}') {
        return out;
      }
      if (c != ',') {
        throw error("expected ',' or '}' in an object");
      }
    }
  }

  private List<Value> array() {
    List<Value> out = new ArrayList<>();
    pos++;
    skipSpace();
    if (peek() == ']') {
      pos++;
      return out;
    }
    while (true) {
      out.add(value());
      skipSpace();
      char c = peek();
      pos++;
      if (c == ']') {
        return out;
      }
      if (c != ',') {
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  private String string() {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\n') {
        throw error("line break inside a string");
      }
      if (c == '\\') {
        char e = pos < text.length() ? text.charAt(pos++) : '?';
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            String hex = pos + 4 > text.length() ? "" : text.substring(pos, pos + 4);
            if (!hex.matches("[0-9a-fA-F]{4}")) {
              throw error("bad \\u escape; expected four hex digits");
            }
            sb.append((char) Integer.parseInt(hex, 16));
            pos += 4;
          }
          default -> throw error("bad escape '\\" + e + "'");
        }
      } else {
        sb.append(c);
      }
    }
  }

  private Number number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    String s = text.substring(start, pos);
    try {
      // Not a ?: expression: that would promote the long to a double.
      if (s.contains(".") || s.contains("e") || s.contains("E")) {
        return Double.parseDouble(s);
      }
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw error("bad number '" + s + "'");
    }
  }

  private void expect(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected text; expected " + word);
    }
    pos += word.length();
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end of the document");
    }
    return text.charAt(pos);
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        line++;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException("DURABLE-220 sandbox rules file " + source + ", line " + line + ": "
        + message + ". The file must be JSON: {\"rules\": [ {\"id\": ..., \"kind\": ...}, ... ]}");
  }
}
