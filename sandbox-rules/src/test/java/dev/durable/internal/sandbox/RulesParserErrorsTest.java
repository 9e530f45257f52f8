package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RulesParserErrorsTest {
  private static final String FILE = "my-rules.json";

  /** Parses a file whose rules array starts on line 2 (one rule per line from there) and returns the error. */
  private static String error(String... ruleLines) {
    String text = "{\"rules\": [\n" + String.join("\n", ruleLines) + "\n]}";
    return assertThrows(IllegalArgumentException.class, () -> RulesParser.parse(text, FILE)).getMessage();
  }

  private static void assertNames(String message, int line, String field, String... more) {
    assertTrue(message.startsWith("DURABLE-220 sandbox rules file " + FILE), message);
    assertTrue(message.contains(", line " + line + ", field \"" + field + "\": "), message);
    for (String m : more) {
      assertTrue(message.contains(m), "expected '" + m + "' in: " + message);
    }
  }

  @Test
  void invalidJsonIsReportedWithTheFileAndLine() {
    String message = error("{\"id\": \"a\",", "\"kind\": \"forbid\" \"owner\": \"x\"}");
    assertTrue(message.startsWith("DURABLE-220 sandbox rules file my-rules.json, line 3: expected ',' or '}'"), message);
  }

  @Test
  void anUnknownFieldIsNamedWithTheAllowedOnes() {
    String message = error("{\"id\": \"a\", \"kind\": \"passthrough\",", "\"ownr\": \"com.acme.*\"}");
    assertNames(message, 3, "ownr", "is not a rule field", "[after, at, before, descriptor, id, kind, message, name, owner,"
        + " sinceReplaySemantics, suggestion, target]");
  }

  @Test
  void sinceReplaySemanticsIsAWholeNumberOnAForbidRule() {
    String forbid = "{\"id\": \"a\", \"kind\": \"forbid\", \"owner\": \"x\", \"message\": \"m\","
        + " \"suggestion\": \"s\",";
    assertNames(error(forbid, "\"sinceReplaySemantics\": \"3\"}"), 3, "sinceReplaySemantics", "(rule a)",
        "must be a whole number from 1", "got 3");
    assertNames(error(forbid, "\"sinceReplaySemantics\": 0}"), 3, "sinceReplaySemantics", "got 0");
    assertNames(error(forbid, "\"sinceReplaySemantics\": 2.5}"), 3, "sinceReplaySemantics", "got 2.5");
    assertNames(error("{\"id\": \"a\", \"kind\": \"redirect\", \"owner\": \"x\", \"message\": \"m\","
        + " \"target\": \"a.B#c()V\",", "\"sinceReplaySemantics\": 3}"), 3, "sinceReplaySemantics",
        "is only allowed on forbid rules");
    List<Rule> parsed = RulesParser.parse("{\"rules\": [" + forbid + " \"sinceReplaySemantics\": 3}]}", FILE);
    assertEquals(3, parsed.get(0).sinceReplaySemantics());
  }

  @Test
  void aBadKindIsNamedWithTheAllowedKinds() {
    assertNames(error("{\"id\": \"a\",", "\"kind\": \"block\", \"owner\": \"x\"}"), 3, "kind",
        "(rule a)", "must be redirect, forbid or passthrough, got \"block\"");
  }

  @Test
  void aBadAtIsNamedWithTheAllowedPlaces() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"forbid\", \"owner\": \"x\", \"message\": \"m\", \"suggestion\": \"s\",",
        "\"at\": \"everywhere\"}"), 3, "at", "must be call, guard, static-write or any, got \"everywhere\"");
  }

  @Test
  void aMissingIdIsReportedAtTheRuleItBelongsTo() {
    assertNames(error("{\"kind\": \"passthrough\", \"owner\": \"com.acme.*\"},", "{\"id\": \"b\"}"), 2, "id", "is required");
  }

  @Test
  void anIdMustBeLowerCaseDottedWords() {
    assertNames(error("{\"id\": \"Time Now\", \"kind\": \"passthrough\", \"owner\": \"x\"}"), 2, "id",
        "must be lower case letters, digits, '.' and '-', got \"Time Now\"");
  }

  @Test
  void aBadOwnerPatternIsQuoted() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"passthrough\",", "\"owner\": [\"com.acme.*\", \"com.acme*\"]}"), 3, "owner",
        "got \"com.acme*\"", "a package pattern (com.acme.*)");
    assertNames(error("{\"id\": \"a\", \"kind\": \"passthrough\", \"owner\": \"com..acme\"}"), 2, "owner", "got \"com..acme\"");
  }

  @Test
  void anEmptyOwnerListIsRejected() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"passthrough\", \"owner\": []}"), 2, "owner", "must not be empty");
    assertNames(error("{\"id\": \"a\", \"kind\": \"passthrough\", \"owner\": [\"x\", 3]}"), 2, "owner",
        "must contain non-empty strings");
  }

  @Test
  void aBadDescriptorIsQuoted() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"forbid\", \"owner\": \"x\", \"message\": \"m\", \"suggestion\": \"s\",",
        "\"descriptor\": \"now()\"}"), 3, "descriptor", "must be a JVM method descriptor", "got \"now()\"");
  }

  @Test
  void aGuardRuleWithAPackagePatternIsRejectedBecauseItWouldGuardNothing() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"forbid\", \"message\": \"m\", \"suggestion\": \"s\",",
        "\"owner\": \"com.acme.db.*\"}"), 3, "owner", "a guard rule needs exact class names", "use \"at\": \"call\"");
  }

  @Test
  void aRedirectWithoutBeforeTargetOrAfterIsRejected() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"redirect\", \"owner\": \"x\", \"message\": \"m\"}"), 2, "target",
        "a redirect needs at least one of \"before\", \"target\" or \"after\"");
  }

  @Test
  void aMethodSpecMustNameOwnerNameAndDescriptor() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"redirect\", \"owner\": \"x\", \"message\": \"m\",",
        "\"target\": \"Shims.now\"}"), 3, "target", "must name a method as Owner#name(descriptor)return", "got \"Shims.now\"");
  }

  @Test
  void beforeTargetOrAfterOnARuleThatIsNotARedirectIsRejected() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"forbid\", \"owner\": \"x\", \"message\": \"m\", \"suggestion\": \"s\",",
        "\"after\": \"Shims#date(Ljava/util/Date;)Ljava/util/Date;\"}"), 2, "after", "is only allowed on redirect rules");
    assertNames(error("{\"id\": \"a\", \"kind\": \"passthrough\", \"owner\": \"x\", \"before\": \"A#b()V\"}"), 2, "before",
        "is only allowed on redirect rules");
  }

  @Test
  void aForbidRuleNeedsAMessageAndASuggestion() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"forbid\", \"owner\": \"x\", \"suggestion\": \"s\"}"), 2, "message",
        "is required");
    assertNames(error("{\"id\": \"a\", \"kind\": \"forbid\", \"owner\": \"x\", \"message\": \"m\"}"), 2, "suggestion",
        "is required");
  }

  @Test
  void aRedirectNeedsAMessageButAPassthroughNeedsNeither() {
    assertNames(error("{\"id\": \"a\", \"kind\": \"redirect\", \"owner\": \"x\", \"target\": \"A#b()V\"}"), 2, "message",
        "is required");
    List<Rule> ok = RulesParser.parse("{\"rules\": [{\"id\": \"a\", \"kind\": \"passthrough\", \"owner\": \"x.*\"}]}", FILE);
    assertEquals("", ok.get(0).message());
  }

  @Test
  void aFieldOfTheWrongTypeIsRejected() {
    assertNames(error("{\"id\": \"a\", \"kind\": 3, \"owner\": \"x\"}"), 2, "kind", "must be a non-empty string");
  }

  @Test
  void theDocumentMustBeAnObjectWithARulesArray() {
    String notObject = assertThrows(IllegalArgumentException.class, () -> RulesParser.parse("[]", FILE)).getMessage();
    assertTrue(notObject.startsWith("DURABLE-220 sandbox rules file my-rules.json, line 1: the document must be an object"),
        notObject);
    String noRules = assertThrows(IllegalArgumentException.class,
        () -> RulesParser.parse("\n{\"rule\": []}", FILE)).getMessage();
    assertTrue(noRules.contains("line 2, field \"rules\": must be an array"), noRules);
    String notARule = error("\"time.now\"");
    assertTrue(notARule.contains("my-rules.json, line 2: each entry of \"rules\" must be an object"), notARule);
  }
}
