package dev.durable.internal.model;

import dev.durable.internal.Checks;
import dev.durable.internal.model.SearchAttributeValue.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks and converts search attributes: the names and Java values users pass and the typed
 * {@link SearchAttributeValue}s that are stored and indexed. Worker, client and server all check
 * with these rules, so a remote caller cannot store what a local one could not.
 */
public final class SearchAttributes {
  /** Most attributes one run may have. */
  public static final int MAX_ATTRIBUTES = 64;
  /** Longest name. */
  public static final int MAX_NAME_LENGTH = 64;
  /** Longest keyword, in UTF-8 bytes: keywords are part of index keys. */
  public static final int MAX_KEYWORD_BYTES = 256;
  /** Most keywords in one keyword list. */
  public static final int MAX_LIST_SIZE = 32;

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final String SUPPORTED = "String, long/int/short/byte, double/float, boolean, Instant,"
      + " OffsetDateTime, ZonedDateTime, or a List of Strings";

  private SearchAttributes() {}

  /** Checks a name (DURABLE-250). */
  public static String checkName(String name) {
    if (name == null || name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("DURABLE-250 search attribute name " + (name == null ? "null" : "'" + name + "'")
          + " is not valid: a name starts with a letter, has only letters, digits and '_', and is at most "
          + MAX_NAME_LENGTH + " characters (such as 'CustomerId' or 'order_total')");
    }
    return name;
  }

  /**
   * Converts one Java value: checks its type (DURABLE-251) and size (DURABLE-253).
   *
   * @param name the attribute's name, for messages
   */
  public static SearchAttributeValue toValue(String name, Object value) {
    if (value instanceof String s) {
      return new SearchAttributeValue(Type.KEYWORD, List.of(keyword(name, s)));
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return new SearchAttributeValue(Type.INT, List.of(Long.toString(((Number) value).longValue())));
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("DURABLE-251 search attribute '" + name + "' cannot be " + d
            + ": a double search attribute must be finite");
      }
      return new SearchAttributeValue(Type.DOUBLE, List.of(Double.toString(d == 0.0 ? 0.0 : d)));
    }
    if (value instanceof Boolean b) {
      return new SearchAttributeValue(Type.BOOL, List.of(b.toString()));
    }
    if (value instanceof Instant i) {
      return new SearchAttributeValue(Type.DATETIME, List.of(i.toString()));
    }
    if (value instanceof OffsetDateTime o) {
      return new SearchAttributeValue(Type.DATETIME, List.of(o.toInstant().toString()));
    }
    if (value instanceof ZonedDateTime z) {
      return new SearchAttributeValue(Type.DATETIME, List.of(z.toInstant().toString()));
    }
    if (value instanceof Collection<?> c) {
      if (c.size() > MAX_LIST_SIZE) {
        throw new IllegalArgumentException("DURABLE-253 search attribute '" + name + "' has " + c.size()
            + " keywords; a keyword list holds at most " + MAX_LIST_SIZE);
      }
      List<String> out = new ArrayList<>();
      for (Object o : c) {
        if (!(o instanceof String s)) {
          throw unsupported(name, o, "a list element");
        }
        out.add(keyword(name, s));
      }
      return new SearchAttributeValue(Type.KEYWORD_LIST, out);
    }
    throw unsupported(name, value, "the value");
  }

  private static IllegalArgumentException unsupported(String name, Object value, String what) {
    return new IllegalArgumentException("DURABLE-251 search attribute '" + name + "': " + what + " is "
        + (value == null ? "null" : "a " + value.getClass().getName()) + ", which is not supported. Use " + SUPPORTED
        + " (convert other types, such as an enum to its name, yourself)");
  }

  private static String keyword(String name, String s) {
    int surrogate = Checks.unpairedSurrogate(s);
    if (surrogate >= 0) {
      throw new IllegalArgumentException("DURABLE-251 search attribute '" + name + "' has a keyword that is not"
          + " valid Unicode (an unpaired surrogate at index " + surrogate + "): indexed, it would match other"
          + " keywords. Cut strings at code points (String.offsetByCodePoints)");
    }
    int bytes = s.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEYWORD_BYTES) {
      throw new IllegalArgumentException("DURABLE-253 search attribute '" + name + "' has a keyword of " + bytes
          + " bytes; keywords are indexed and may have at most " + MAX_KEYWORD_BYTES + " bytes (UTF-8). Store a"
          + " shorter key, such as an id, instead of the text");
    }
    return s;
  }

  /** Converts a map of Java values, checking names, types and sizes; the result is sorted by name. */
  public static Map<String, SearchAttributeValue> toValues(Map<String, ?> attributes) {
    if (attributes == null) {
      throw new IllegalArgumentException("DURABLE-251 search attributes must not be null; pass a map such as"
          + " Map.of(\"CustomerId\", \"c-42\")");
    }
    Map<String, SearchAttributeValue> out = new TreeMap<>();
    for (Map.Entry<String, ?> e : attributes.entrySet()) {
      out.put(checkName(e.getKey()), toValue(e.getKey(), e.getValue()));
    }
    return out;
  }

  /**
   * Checks stored-form values (a remote caller sends these): names, canonical text and sizes.
   * Returns them sorted by name.
   */
  public static Map<String, SearchAttributeValue> check(Map<String, SearchAttributeValue> attributes) {
    Map<String, SearchAttributeValue> out = new TreeMap<>();
    if (attributes == null) {
      return out;
    }
    for (Map.Entry<String, SearchAttributeValue> e : attributes.entrySet()) {
      SearchAttributeValue v = e.getValue();
      if (v == null || v.type() == null) {
        throw unsupported(checkName(e.getKey()), null, "the value");
      }
      Object java;
      try {
        java = v.type() == Type.KEYWORD_LIST ? v.values() : v.toJava();
      } catch (RuntimeException bad) {
        throw new IllegalArgumentException("DURABLE-251 search attribute '" + e.getKey() + "' of type " + v.type()
            + " has the value " + v.values() + ", which is not one", bad);
      }
      SearchAttributeValue canonical = toValue(checkName(e.getKey()), java);
      if (!canonical.equals(v)) {
        throw new IllegalArgumentException("DURABLE-251 search attribute '" + e.getKey() + "' of type " + v.type()
            + " has the value " + v.values() + ", which is not in canonical form " + canonical.values());
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  /**
   * Returns {@code current} with {@code upserts} applied: a name keeps the type it was first given
   * in the run (DURABLE-252), and a run has at most {@link #MAX_ATTRIBUTES} names (DURABLE-253).
   *
   * @param workflowId the run's workflow id, for messages
   */
  public static Map<String, SearchAttributeValue> merge(Map<String, SearchAttributeValue> current,
      Map<String, SearchAttributeValue> upserts, String workflowId) {
    Map<String, SearchAttributeValue> out = new TreeMap<>(current);
    for (Map.Entry<String, SearchAttributeValue> e : upserts.entrySet()) {
      SearchAttributeValue old = out.get(e.getKey());
      if (old != null && old.type() != e.getValue().type()) {
        throw new IllegalArgumentException("DURABLE-252 search attribute '" + e.getKey() + "' of workflow '"
            + workflowId + "' has type " + old.type() + " and cannot become " + e.getValue().type() + " (new value "
            + e.getValue().toJava() + "); a name keeps its type for the whole run. Use another name for the new type");
      }
      out.put(e.getKey(), e.getValue());
    }
    if (out.size() > MAX_ATTRIBUTES) {
      throw new IllegalArgumentException("DURABLE-253 workflow '" + workflowId + "' would have " + out.size()
          + " search attributes; a run may have at most " + MAX_ATTRIBUTES + ". Index fewer fields");
    }
    return out;
  }

  /** Returns the Java view of stored values, sorted by name and unmodifiable. */
  public static Map<String, Object> toJava(Map<String, SearchAttributeValue> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (values != null) {
      new TreeMap<>(values).forEach((k, v) -> out.put(k, v.toJava()));
    }
    return Collections.unmodifiableMap(out);
  }
}
