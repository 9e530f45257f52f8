package dev.durable.internal.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads rule files: {@code {"rules": [ {...}, ... ]}}. Every error names the file, the line and
 * the field, and says what is allowed (code DURABLE-220).
 */
public final class RulesParser {
  private static final Set<String> FIELDS = Set.of("id", "kind", "at", "owner", "name", "descriptor", "before",
      "target", "after", "message", "suggestion", "sinceReplaySemantics");

  private RulesParser() {}

  /** Reads the rules shipped in the jar. */
  public static List<Rule> defaults() {
    String name = "default-rules.json";
    try (InputStream in = RulesParser.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("DURABLE-220 the default sandbox rules (" + name + ") are missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default-rules.json (built in)");
    } catch (IOException e) {
      throw new IllegalStateException("DURABLE-220 cannot read the default sandbox rules: " + e, e);
    }
  }

  /** Parses a rule file; {@code source} names it in errors. */
  public static List<Rule> parse(String text, String source) {
    Json.Value root = Json.parse(text, source);
    if (!(root.value() instanceof Map<?, ?> top)) {
      throw error(source, root.line(), null, "the document must be an object with a \"rules\" array");
    }
    Json.Value rulesValue = (Json.Value) top.get("rules");
    if (rulesValue == null || !(rulesValue.value() instanceof List<?> list)) {
      throw error(source, root.line(), "rules", "must be an array of rule objects");
    }
    List<Rule> out = new ArrayList<>();
    for (Object o : list) {
      Json.Value v = (Json.Value) o;
      if (!(v.value() instanceof Map<?, ?> m)) {
        throw error(source, v.line(), null, "each entry of \"rules\" must be an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Json.Value> fields = (Map<String, Json.Value>) m;
      out.addAll(rule(fields, source, v.line()));
    }
    return out;
  }

  private static List<Rule> rule(Map<String, Json.Value> f, String source, int line) {
    for (var e : f.entrySet()) {
      if (!FIELDS.contains(e.getKey())) {
        throw error(source, e.getValue().line(), e.getKey(), "is not a rule field; allowed fields: " + new java.util.TreeSet<>(FIELDS));
      }
    }
    String id = string(f, "id", source, line, true);
    if (!isId(id)) {
      throw error(source, f.get("id").line(), "id", "must be lower case letters, digits, '.' and '-', got \"" + id + "\"");
    }
    String where = source + " (rule " + id + ")";
    String kindText = string(f, "kind", source, line, true);
    Rule.Kind kind = switch (kindText) {
      case "redirect" -> Rule.Kind.REDIRECT;
      case "forbid" -> Rule.Kind.FORBID;
      case "passthrough" -> Rule.Kind.PASSTHROUGH;
      default -> throw error(where, f.get("kind").line(), "kind", "must be redirect, forbid or passthrough, got \"" + kindText + "\"");
    };
    String atText = string(f, "at", source, line, false);
    Rule.At at;
    if (atText == null) {
      at = kind == Rule.Kind.REDIRECT ? Rule.At.CALL : kind == Rule.Kind.FORBID ? Rule.At.GUARD : Rule.At.ANY;
    } else {
      at = switch (atText) {
        case "call" -> Rule.At.CALL;
        case "guard" -> Rule.At.GUARD;
        case "static-write" -> Rule.At.STATIC_WRITE;
        case "any" -> Rule.At.ANY;
        default -> throw error(where, f.get("at").line(), "at", "must be call, guard, static-write or any, got \"" + atText + "\"");
      };
    }
    List<String> owners = strings(f, "owner", where, line, true);
    for (String owner : owners) {
      if (!isOwner(owner)) {
        throw error(where, f.get("owner").line(), "owner", "must be a class name (java.time.Instant), a package pattern"
            + " (com.acme.*) or *, got \"" + owner + "\"");
      }
    }
    boolean anyPattern = false;
    for (String owner : owners) {
      anyPattern |= owner.endsWith("*");
    }
    if (kind == Rule.Kind.FORBID && at == Rule.At.GUARD && anyPattern) {
      // Guards are put into the methods of the classes named; a pattern would silently guard nothing.
      throw error(where, f.get("owner").line(), "owner", "a guard rule needs exact class names, got a pattern;"
          + " to check calls into a package from workflow code use \"at\": \"call\"");
    }
    Set<String> names = new LinkedHashSet<>(f.containsKey("name") ? strings(f, "name", where, line, false) : List.of());
    names.remove("*");
    String descriptor = string(f, "descriptor", where, line, false);
    if (descriptor == null) {
      descriptor = "*";
    } else if (!descriptor.equals("*") && !descriptor.startsWith("(")) {
      throw error(where, f.get("descriptor").line(), "descriptor", "must be a JVM method descriptor such as"
          + " \"(Ljava/time/ZoneId;)Ljava/time/Instant;\", a prefix ending in *, or *, got \"" + descriptor + "\"");
    }
    String before = spec(f, "before", where, line);
    String target = spec(f, "target", where, line);
    String after = spec(f, "after", where, line);
    String message = string(f, "message", where, line, kind != Rule.Kind.PASSTHROUGH);
    String suggestion = string(f, "suggestion", where, line, kind == Rule.Kind.FORBID);
    if (kind == Rule.Kind.REDIRECT && before == null && target == null && after == null) {
      throw error(where, line, "target", "a redirect needs at least one of \"before\", \"target\" or \"after\"");
    }
    if (kind != Rule.Kind.REDIRECT && (before != null || target != null || after != null)) {
      throw error(where, line, before != null ? "before" : target != null ? "target" : "after",
          "is only allowed on redirect rules");
    }
    int since = sinceReplaySemantics(f, where);
    if (since > 0 && kind != Rule.Kind.FORBID) {
      throw error(where, f.get("sinceReplaySemantics").line(), "sinceReplaySemantics", "is only allowed on forbid rules"
          + " (a redirect decides for itself, in its shim, which runs it acts for)");
    }
    List<Rule> out = new ArrayList<>();
    for (String owner : owners) {
      out.add(new Rule(id, kind, at, owner, Set.copyOf(names), descriptor, before, target, after,
          message == null ? "" : message, suggestion == null ? "" : suggestion, source + ":" + line, since));
    }
    return out;
  }

  // The three checks below are plain loops, not regular expressions: the agent parses the rules in
  // premain, and compiling the patterns there (with the lambdas of their character classes) cost
  // several milliseconds of every start with the agent. RulesParserSyntaxTest holds them to the
  // patterns they replace.

  /** Whether {@code s} is an id: {@code [a-z0-9][a-z0-9.\-]*}. */
  static boolean isId(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!letterOrDigit && (i == 0 || (c != '.' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code s} is an owner: {@code *}, or a dotted name of Java identifiers (ASCII letters,
   * digits, '_' and '$', not starting with a digit), optionally ending in {@code .*} or {@code $*}.
   */
  static boolean isOwner(String s) {
    if (s.equals("*")) {
      return true;
    }
    String name = s.endsWith(".*") || s.endsWith("$*") ? s.substring(0, s.length() - 2) : s;
    boolean segmentStart = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (segmentStart) {
          return false; // an empty segment
        }
        segmentStart = true;
      } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$'
          || (!segmentStart && c >= '0' && c <= '9')) {
        segmentStart = false;
      } else {
        return false;
      }
    }
    return !segmentStart;
  }

  /**
   * Whether {@code s} names a method as {@code Owner#name(descriptor)return}: no whitespace, a
   * non-empty owner before the first '#', a non-empty name up to the first '(' after it, then a
   * ')' and at least one character after it.
   */
  static boolean isMethodSpec(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
        return false;
      }
    }
    int hash = s.indexOf('#');
    int open = hash < 1 ? -1 : s.indexOf('(', hash + 1);
    int close = open < hash + 2 ? -1 : s.indexOf(')', open + 1);
    return close > 0 && close < s.length() - 1;
  }

  private static String spec(Map<String, Json.Value> f, String field, String where, int line) {
    String s = string(f, field, where, line, false);
    if (s != null && !isMethodSpec(s)) {
      throw error(where, f.get(field).line(), field, "must name a method as Owner#name(descriptor)return,"
          + " for example \"Shims#currentTimeMillis()J\", got \"" + s + "\"");
    }
    return s;
  }

  /** The optional {@code sinceReplaySemantics}: a whole number from 1; 0 when absent. */
  private static int sinceReplaySemantics(Map<String, Json.Value> f, String where) {
    Json.Value v = f.get("sinceReplaySemantics");
    if (v == null) {
      return 0;
    }
    if (!(v.value() instanceof Long n) || n < 1 || n > 1_000) {
      throw error(where, v.line(), "sinceReplaySemantics", "must be a whole number from 1 (the replay semantics from"
          + " which runs are checked by the rule), got " + v.value());
    }
    return n.intValue();
  }

  private static String string(Map<String, Json.Value> f, String field, String where, int line, boolean required) {
    Json.Value v = f.get(field);
    if (v == null || v.value() == null) {
      if (required) {
        throw error(where, line, field, "is required");
      }
      return null;
    }
    if (!(v.value() instanceof String s) || s.isBlank()) {
      throw error(where, v.line(), field, "must be a non-empty string");
    }
    return s;
  }

  private static List<String> strings(Map<String, Json.Value> f, String field, String where, int line, boolean required) {
    Json.Value v = f.get(field);
    if (v != null && v.value() instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        Json.Value item = (Json.Value) o;
        if (!(item.value() instanceof String s) || s.isBlank()) {
          throw error(where, item.line(), field, "must contain non-empty strings");
        }
        out.add(s);
      }
      if (out.isEmpty()) {
        throw error(where, v.line(), field, "must not be empty");
      }
      return out;
    }
    String s = string(f, field, where, line, required);
    return s == null ? List.of() : List.of(s);
  }

  private static IllegalArgumentException error(String where, int line, String field, String message) {
    return new IllegalArgumentException("DURABLE-220 sandbox rules file " + where + ", line " + line
        + (field == null ? "" : ", field \"" + field + "\"") + ": " + message + ".");
  }
}
