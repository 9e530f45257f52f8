package dev.durable.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How values look in tables. */
final class Text {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Text() {}

  /** An instant as ISO-8601 in UTC with milliseconds, so that a column of times lines up. */
  static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** A table cell: {@code -} for null, times as {@link #time}, others as {@code toString()} on one line. */
  static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof Instant t) {
      return time(t);
    }
    return oneLine(value.toString());
  }

  /** The text with line breaks and tabs as spaces. */
  static String oneLine(String s) {
    return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
  }

  /** The text cut to {@code max} characters, ending in {@code ...} when cut. */
  static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
