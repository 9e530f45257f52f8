package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetSpecificityTest {
  private static final Rule.At CALL = Rule.At.CALL;

  /** A forbid-at-call rule; the tests only look at which id wins. */
  private static String rule(String id, String owner, String name, String descriptor) {
    return "{\"id\": \"" + id + "\", \"kind\": \"forbid\", \"at\": \"call\", \"owner\": \"" + owner + "\""
        + (name == null ? "" : ", \"name\": \"" + name + "\"")
        + (descriptor == null ? "" : ", \"descriptor\": \"" + descriptor + "\"")
        + ", \"message\": \"m\", \"suggestion\": \"s\"}";
  }

  private static List<Rule> file(String source, String... rules) {
    return RulesParser.parse("{\"rules\": [" + String.join(",\n", rules) + "]}", source);
  }

  private static String winner(RuleSet set, String owner, String name, String desc) {
    Rule r = set.find(CALL, owner, name, desc);
    return r == null ? null : r.id();
  }

  @Test
  void exactOwnerBeatsPackagePatternBeatsAnyOwner() {
    RuleSet set = new RuleSet(file("a.json",
        rule("exact", "com.acme.Clock", null, null),
        rule("any", "*", null, null),
        rule("package", "com.acme.*", null, null)));
    assertEquals("exact", winner(set, "com.acme.Clock", "tick", "()V"));
    assertEquals("package", winner(set, "com.acme.Other", "tick", "()V"));
    assertEquals("any", winner(set, "org.other.Clock", "tick", "()V"));
  }

  @Test
  void longerPackagePatternBeatsShorterOne() {
    RuleSet set = new RuleSet(file("a.json",
        rule("inner", "com.acme.util.*", null, null),
        rule("outer", "com.acme.*", null, null)));
    assertEquals("inner", winner(set, "com.acme.util.Strings", "x", "()V"));
    assertEquals("outer", winner(set, "com.acme.Main", "x", "()V"));
  }

  @Test
  void namedMemberBeatsAnyMemberOfTheSameOwner() {
    RuleSet set = new RuleSet(file("a.json",
        rule("named", "com.acme.Clock", "now", null),
        rule("all", "com.acme.Clock", null, null)));
    assertEquals("named", winner(set, "com.acme.Clock", "now", "()J"));
    assertEquals("all", winner(set, "com.acme.Clock", "later", "()J"));
  }

  @Test
  void ownerOutranksNameAndDescriptor() {
    RuleSet set = new RuleSet(file("a.json",
        rule("exact-owner", "com.acme.Clock", null, null),
        rule("pattern-owner-exact-member", "com.acme.*", "now", "()J")));
    assertEquals("exact-owner", winner(set, "com.acme.Clock", "now", "()J"));
  }

  @Test
  void exactDescriptorBeatsPrefixBeatsAnyDescriptor() {
    RuleSet set = new RuleSet(file("a.json",
        rule("exact", "com.acme.Clock", "now", "(J)J"),
        rule("any", "com.acme.Clock", "now", "*"),
        rule("prefix", "com.acme.Clock", "now", "(J)*")));
    assertEquals("exact", winner(set, "com.acme.Clock", "now", "(J)J"));
    assertEquals("prefix", winner(set, "com.acme.Clock", "now", "(J)V"));
    assertEquals("any", winner(set, "com.acme.Clock", "now", "()J"));
  }

  @Test
  void onATieTheRuleLoadedLastWinsSoUserRulesOverrideDefaults() {
    List<Rule> all = new ArrayList<>(file("defaults.json", rule("first", "com.acme.Clock", "now", null)));
    all.addAll(file("user.json", rule("second", "com.acme.Clock", "now", null)));
    assertEquals("second", winner(new RuleSet(all), "com.acme.Clock", "now", "()J"));
  }

  @Test
  void aRuleOnlyAppliesWhereItSaysOrEverywhereWhenAtIsAny() {
    RuleSet set = new RuleSet(RulesParser.parse("{\"rules\": ["
        + "{\"id\": \"g\", \"kind\": \"forbid\", \"at\": \"guard\", \"owner\": \"com.acme.Io\", \"message\": \"m\", \"suggestion\": \"s\"},"
        + "{\"id\": \"p\", \"kind\": \"passthrough\", \"owner\": \"com.acme.*\"}]}", "a.json"));
    assertEquals("g", set.find(Rule.At.GUARD, "com.acme.Io", "open", "()V").id());
    assertEquals("p", set.find(Rule.At.CALL, "com.acme.Io", "open", "()V").id());
    assertNull(set.find(Rule.At.STATIC_WRITE, "org.other.Io", "open", "()V"));
  }

  @Test
  void aUserRuleWithTheIdOfADefaultReplacesAllOfItsOwners() {
    RuleSet defaults = new RuleSet(RulesParser.defaults());
    assertEquals("random.math-random", winner(defaults, "java.lang.StrictMath", "random", "()D"));

    List<Rule> all = new ArrayList<>(RulesParser.defaults());
    all.addAll(RulesParser.parse("{\"rules\": [{\"id\": \"random.math-random\", \"kind\": \"redirect\","
        + " \"owner\": \"java.lang.Math\", \"name\": \"random\", \"descriptor\": \"()D\","
        + " \"target\": \"com.acme.Dice#roll()D\", \"message\": \"rolled\"}]}", "user.json"));
    RuleSet set = new RuleSet(all);

    Rule replaced = set.find(CALL, "java.lang.Math", "random", "()D");
    assertEquals("com.acme.Dice#roll()D", replaced.target());
    assertEquals("user.json:1", replaced.source());
    assertEquals(replaced, set.byId("random.math-random"));
    assertNull(set.find(CALL, "java.lang.StrictMath", "random", "()D"), "the default's other owner is gone");
    assertEquals(RulesParser.defaults().size() - 1, set.rules().size());
  }

  @Test
  void ownersListedInOneRuleShareItsId() {
    RuleSet set = new RuleSet(RulesParser.defaults());
    assertEquals("time.instant-now", winner(set, "java.time.Instant", "now", "()Ljava/time/Instant;"));
    assertEquals("time.now", winner(set, "java.time.LocalDate", "now", "()Ljava/time/LocalDate;"));
    assertEquals("time.now", winner(set, "java.time.MonthDay", "now", "()Ljava/time/MonthDay;"));
    assertEquals("time.now-zone", winner(set, "java.time.LocalDate", "now", "(Ljava/time/ZoneId;)Ljava/time/LocalDate;"));
    assertEquals("time.now-clock", winner(set, "java.time.Instant", "now", "(Ljava/time/Clock;)Ljava/time/Instant;"));
    assertNull(winner(set, "java.util.Date", "<init>", "(J)V"), "new Date(millis) is deterministic");
    assertNull(winner(set, "java.util.Random", "<init>", "(J)V"), "new Random(seed) is deterministic");
  }

  @Test
  void classLevelLookupsPerPackageGiveTheSameAnswerAsTheFullSearch() {
    List<Rule> all = new ArrayList<>(RulesParser.defaults());
    all.addAll(RulesParser.parse("{\"rules\": ["
        + "{\"id\": \"p1\", \"kind\": \"passthrough\", \"owner\": \"com.acme.*\"},"
        + "{\"id\": \"p2\", \"kind\": \"passthrough\", \"owner\": \"com.acme.util.Strings$*\"},"
        + "{\"id\": \"p3\", \"kind\": \"passthrough\", \"owner\": \"org.x.Exact\"},"
        + "{\"id\": \"p5\", \"kind\": \"passthrough\", \"owner\": \"net.abc.Util$*\"},"
        + "{\"id\": \"f2\", \"kind\": \"forbid\", \"at\": \"any\", \"owner\": \"net.abc.Bad\","
        + " \"message\": \"m\", \"suggestion\": \"s\"},"
        + "{\"id\": \"f1\", \"kind\": \"forbid\", \"at\": \"any\", \"owner\": \"com.acme.deep.*\","
        + " \"message\": \"m\", \"suggestion\": \"s\"}]}", "user.json"));
    // As the agent's passthrough= argument makes it: a prefix that is not a whole package.
    all.add(new Rule("p4", Rule.Kind.PASSTHROUGH, Rule.At.ANY, "net.ab*", java.util.Set.of(), "*", null, null, null, "",
        "", "agent argument"));
    RuleSet set = new RuleSet(all);
    for (String name : List.of("com.acme.A", "com.acme.deep.B", "com.acme.util.Strings$1", "com.acme.util.Strings",
        "org.x.Exact", "org.x.Exact2", "org.y.Z", "org.yy.Z", "Top", "java.util.ServiceLoader$Provider",
        "dev.durable.workflow.Workflow", "dev.durable.bench.Main", "org.slf4j.Logger", "gen.p01.C0101", "net.a.B",
        "net.ab.C", "net.abc.Bad", "net.abc.Good", "net.abc.Util$1", "net.abc.Util", "netab.C", "com.ac.X")) {
      // Twice: the second answer comes from the per-package cache.
      for (int k = 0; k < 2; k++) {
        Rule full = set.find(Rule.At.ANY, name, "*", "*");
        assertEquals(full, set.findClassLevel(name), name);
        boolean passes = full != null && full.isClassLevel() && full.kind() == Rule.Kind.PASSTHROUGH;
        assertEquals(passes, set.isPassthroughInternalName(name.replace('.', '/')), name);
        assertEquals(passes, set.isPassthrough(name), name);
      }
    }
    assertEquals("p1", set.findClassLevel("com.acme.A").id());
    assertEquals("f1", set.findClassLevel("com.acme.deep.B").id());
    assertEquals("p2", set.findClassLevel("com.acme.util.Strings$1").id());
    assertEquals("p3", set.findClassLevel("org.x.Exact").id());
    assertEquals("p4", set.findClassLevel("net.abc.Good").id(), "a prefix that is not a whole package");
    assertEquals("f2", set.findClassLevel("net.abc.Bad").id());
    assertEquals("p5", set.findClassLevel("net.abc.Util$1").id());
    assertTrue(set.isPassthroughInternalName("net/ab/C"));
    assertFalse(set.isPassthroughInternalName("net/abc/Bad"), "an exact owner beats the package's pattern");
    assertFalse(set.isPassthroughInternalName("net/a/B"));
  }
}
