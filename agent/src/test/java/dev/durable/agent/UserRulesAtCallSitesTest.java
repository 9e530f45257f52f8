package dev.durable.agent;

import static dev.durable.agent.Bytecode.code;
import static dev.durable.agent.Bytecode.original;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import example.sample.EnvironmentSamples;
import example.sample.TimeSamples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** User rules change what the rewriter does, with the same most-specific-wins logic as everywhere. */
class UserRulesAtCallSitesTest {
  private static CallSiteRewriter rewriterWith(String json) {
    List<Rule> rules = new ArrayList<>(RulesParser.defaults());
    rules.addAll(RulesParser.parse(json, "user.json"));
    return new CallSiteRewriter(new RuleSet(rules), false);
  }

  @Test
  void aForbidRuleAtAnyChecksCallSitesToo() {
    CallSiteRewriter rewriter = rewriterWith("{\"rules\": [{\"id\": \"acme.no-reverse\", \"kind\": \"forbid\", \"at\": \"any\","
        + " \"owner\": \"java.lang.StringBuilder\", \"name\": \"reverse\", \"message\": \"m\", \"suggestion\": \"s\"}]}");
    List<String> code = code(rewriter.rewrite(original(TimeSamples.class)), "nestedNewDate");
    int reverse = code.indexOf("java/lang/StringBuilder.reverse()Ljava/lang/StringBuilder;");
    assertEquals(List.of("\"acme.no-reverse\"", "\"java.lang.StringBuilder.reverse\"",
        "Guards.callSite(Ljava/lang/String;Ljava/lang/String;)V"), code.subList(reverse - 3, reverse));
  }

  @Test
  void aMoreSpecificPassthroughRuleExemptsOneMemberFromADefault() {
    CallSiteRewriter rewriter = rewriterWith("{\"rules\": [{\"id\": \"acme.env-ok\", \"kind\": \"passthrough\", \"at\": \"call\","
        + " \"owner\": \"java.lang.System\", \"name\": \"getenv\", \"descriptor\": \"(Ljava/lang/String;)Ljava/lang/String;\"}]}");
    byte[] after = rewriter.rewrite(original(EnvironmentSamples.class));
    assertEquals(List.of("\"X\"", "java/lang/System.getenv(Ljava/lang/String;)Ljava/lang/String;"), code(after, "getenv"));
    assertEquals(List.of("\"x\"", "\"env.get-property\"", "\"java.lang.System.getProperty\"",
        "Guards.callSite(Ljava/lang/String;Ljava/lang/String;)V",
        "java/lang/System.getProperty(Ljava/lang/String;)Ljava/lang/String;"), code(after, "getProperty"));
  }

  @Test
  void aRedirectCanTargetAnyPublicStaticMethod() {
    CallSiteRewriter rewriter = rewriterWith("{\"rules\": [{\"id\": \"time.current-time-millis\", \"kind\": \"redirect\","
        + " \"owner\": \"java.lang.System\", \"name\": \"currentTimeMillis\", \"descriptor\": \"()J\","
        + " \"target\": \"com.acme.Time#millis()J\", \"message\": \"read the clock\"}]}");
    assertEquals(List.of("com/acme/Time.millis()J"), code(rewriter.rewrite(original(TimeSamples.class)), "currentTimeMillis"));
  }
}
