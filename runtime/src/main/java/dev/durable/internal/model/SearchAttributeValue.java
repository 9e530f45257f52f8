package dev.durable.internal.model;

import java.time.Instant;
import java.util.List;

/**
 * One search attribute value as stored and sent between worker, client and server: its type and
 * its canonical text (one entry, or several for a keyword list). Text keeps the record plain
 * (JSON and protocol buffers carry it as is) and exact (a long does not pass through a double).
 *
 * @param type the value's type, fixed for a name within a run
 * @param values the canonical text: {@code Long.toString}, {@code Double.toString},
 *     {@code true}/{@code false}, {@code Instant.toString}, or the keywords themselves
 */
public record SearchAttributeValue(Type type, List<String> values) {

  /** The types a search attribute can have. */
  public enum Type {
    /** A string, matched exactly. */
    KEYWORD,
    /** A {@code long}. */
    INT,
    /** A finite {@code double}. */
    DOUBLE,
    /** A {@code boolean}. */
    BOOL,
    /** An {@link Instant}. */
    DATETIME,
    /** A list of strings; a filter on one keyword matches runs whose list contains it. */
    KEYWORD_LIST;

    /** Whether filters may ask for a range of this type. */
    public boolean isOrdered() {
      return this == INT || this == DOUBLE || this == DATETIME;
    }
  }

  /** Creates the value; the list is copied. */
  public SearchAttributeValue {
    values = List.copyOf(values);
  }

  /** Returns the value as the Java object workflow code and clients see. */
  public Object toJava() {
    return switch (type) {
      case KEYWORD -> values.get(0);
      case INT -> Long.parseLong(values.get(0));
      case DOUBLE -> Double.parseDouble(values.get(0));
      case BOOL -> Boolean.parseBoolean(values.get(0));
      case DATETIME -> Instant.parse(values.get(0));
      case KEYWORD_LIST -> values;
    };
  }

  /** Returns the single value as a number for range comparisons of ordered types. */
  public int compareTo(SearchAttributeValue other) {
    return switch (type) {
      case INT -> Long.compare(Long.parseLong(values.get(0)), Long.parseLong(other.values.get(0)));
      case DOUBLE -> Double.compare(Double.parseDouble(values.get(0)), Double.parseDouble(other.values.get(0)));
      case DATETIME -> Instant.parse(values.get(0)).compareTo(Instant.parse(other.values.get(0)));
      default -> values.get(0).compareTo(other.values.get(0));
    };
  }
}
