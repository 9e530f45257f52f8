package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static Object parse(String text) {
    return unwrap(Json.parse(text, "t.json"));
  }

  /** Strips line numbers: maps, lists and scalars as plain Java values. */
  private static Object unwrap(Json.Value v) {
    if (v.value() instanceof Map<?, ?> m) {
      var out = new java.util.LinkedHashMap<Object, Object>();
      m.forEach((k, x) -> out.put(k, unwrap((Json.Value) x)));
      return out;
    }
    if (v.value() instanceof List<?> l) {
      return l.stream().map(x -> unwrap((Json.Value) x)).toList();
    }
    return v.value();
  }

  private static String error(String text) {
    return assertThrows(IllegalArgumentException.class, () -> Json.parse(text, "t.json")).getMessage();
  }

  @Test
  void stringEscapesAreDecoded() {
    assertEquals("q\" b\\ s/ n\n t\t r\r b\b f\f e\u00e9 A", parse("\"q\\\" b\\\\ s\\/ n\\n t\\t r\\r b\\b f\\f e\\u00E9 \\u0041\""));
  }

  @Test
  void badEscapesAreReportedWithTheLine() {
    assertTrue(error("\n\"\\x\"").startsWith("DURABLE-220 sandbox rules file t.json, line 2: bad escape '\\x'"));
    assertTrue(error("\n\n\"\\u00Z1\"").startsWith("DURABLE-220 sandbox rules file t.json, line 3: bad \\u escape"),
        error("\n\n\"\\u00Z1\""));
    assertTrue(error("\"\\u12\"").contains("line 1: bad \\u escape"), error("\"\\u12\""));
  }

  @Test
  void arraysNest() {
    assertEquals(List.of(List.of(1L, List.of(2L)), List.of(), List.of(List.of(List.of()))), parse("[[1, [2]], [], [[[]]]]"));
  }

  @Test
  void objectsKeepFieldOrderAndNest() {
    Object v = parse("{\"b\": {\"c\": [true, false, null]}, \"a\": \"x\"}");
    assertEquals(List.of("b", "a"), List.copyOf(((Map<?, ?>) v).keySet()));
    assertEquals(Arrays.asList(true, false, null), ((Map<?, ?>) ((Map<?, ?>) v).get("b")).get("c"));
  }

  @Test
  void integersAreLongsAndOtherNumbersDoubles() {
    assertEquals(List.of(0L, -12L, 9_000_000_000L, 3.5, 1000.0, -0.25), parse("[0, -12, 9000000000, 3.5, 1e3, -2.5E-1]"));
  }

  @Test
  void malformedNumbersAreReported() {
    assertTrue(error("[1.2.3]").contains("line 1: bad number '1.2.3'"), error("[1.2.3]"));
    assertTrue(error("[\n-]").contains("line 2: bad number '-'"), error("[\n-]"));
  }

  @Test
  void aDuplicateKeyIsAnError() {
    String message = error("{\"id\": \"a\",\n \"id\": \"b\"}");
    assertTrue(message.contains("line 2: field \"id\" appears twice"), message);
  }

  @Test
  void everyValueKnowsTheLineItStartsOn() {
    Json.Value root = Json.parse("\n{\"a\": 1,\n\n \"b\": [\n  \"x\"]}", "t.json");
    assertEquals(2, root.line());
    @SuppressWarnings("unchecked")
    Map<String, Json.Value> fields = (Map<String, Json.Value>) root.value();
    assertEquals(2, fields.get("a").line());
    assertEquals(4, fields.get("b").line());
    assertEquals(5, ((Json.Value) ((List<?>) fields.get("b").value()).get(0)).line());
  }

  @Test
  void structuralErrorsNameTheLineAndTheExpectedFormat() {
    assertTrue(error("").contains("line 1: unexpected end of the document"));
    assertTrue(error("{\"a\": 1} x").contains("unexpected text after the end of the document"));
    assertTrue(error("{\"a\" 1}").contains("expected ':' after field \"a\""));
    assertTrue(error("{a: 1}").contains("expected a field name in double quotes"));
    assertTrue(error("[1 2]").contains("expected ',' or ']' in an array"));
    assertTrue(error("\"abc").contains("unterminated string"));
    assertTrue(error("\"a\nb\"").contains("line 1: line break inside a string"));
    assertTrue(error("[tru]").contains("expected true"));
    assertTrue(error("[1,\n").contains("line 2: unexpected end of the document"));
    assertTrue(error("{").endsWith("The file must be JSON: {\"rules\": [ {\"id\": ..., \"kind\": ...}, ... ]}"));
  }

  @Test
  void literalsAndWhitespace() {
    assertEquals(Boolean.TRUE, parse(" \t\r\n true \n"));
    assertNull(parse("null"));
    assertEquals(Map.of(), parse("{ }"));
  }
}
