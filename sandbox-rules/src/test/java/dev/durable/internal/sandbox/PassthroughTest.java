package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassthroughTest {
  private final RuleSet defaults = new RuleSet(RulesParser.defaults());

  private static RuleSet withUserRules(String json) {
    List<Rule> all = new ArrayList<>(RulesParser.defaults());
    all.addAll(RulesParser.parse(json, "user.json"));
    return new RuleSet(all);
  }

  @Test
  void aPackagePatternCoversSubPackagesAndNestedClasses() {
    RuleSet set = withUserRules("{\"rules\": [{\"id\": \"acme\", \"kind\": \"passthrough\", \"owner\": \"com.acme.*\"}]}");
    assertTrue(set.isPassthrough("com.acme.Util"));
    assertTrue(set.isPassthrough("com.acme.util.deep.Strings"));
    assertTrue(set.isPassthrough("com.acme.Util$Inner"));
    assertFalse(set.isPassthrough("com.acmecorp.Util"), "a pattern ends at a package boundary");
    assertFalse(set.isPassthrough("com.Acme"));
  }

  @Test
  void theDefaultsPassTheRuntimeLoggingAndClassLoadingThroughButNotUserCode() {
    assertTrue(defaults.isPassthrough("dev.durable.internal.replay.WorkflowRun"));
    assertTrue(defaults.isPassthrough("dev.durable.workflow.Workflow"));
    assertTrue(defaults.isPassthrough("org.slf4j.LoggerFactory"));
    assertTrue(defaults.isPassthrough("ch.qos.logback.core.FileAppender"));
    assertTrue(defaults.isPassthrough("java.util.logging.FileHandler"));
    assertTrue(defaults.isPassthrough("com.fasterxml.jackson.databind.ObjectMapper"));
    assertTrue(defaults.isPassthrough("java.lang.invoke.LambdaForm$MH/0x0000000800c01000"), "hidden classes");
    assertFalse(defaults.isPassthrough("dev.durable.examples.hello.HelloWorkflowImpl"));
    assertFalse(defaults.isPassthrough("com.acme.OrderWorkflowImpl"));
    assertFalse(defaults.isPassthrough("java.io.FileInputStream"), "the JDK is skipped by guards, not passed through");
  }

  @Test
  void anOwnerPatternWithADollarCoversNestedClassesOnly() {
    assertTrue(defaults.isPassthrough("java.util.ServiceLoader"));
    assertTrue(defaults.isPassthrough("java.util.ServiceLoader$LazyClassPathLookupIterator"));
    assertFalse(defaults.isPassthrough("java.util.ServiceLoaderHelper"));
  }

  @Test
  void aMoreSpecificClassLevelRuleInsideAPassedThroughPackageWins() {
    RuleSet set = withUserRules("{\"rules\": ["
        + "{\"id\": \"acme\", \"kind\": \"passthrough\", \"owner\": \"com.acme.*\"},"
        + "{\"id\": \"acme.legacy\", \"kind\": \"forbid\", \"at\": \"any\", \"owner\": \"com.acme.legacy.*\","
        + " \"message\": \"called legacy code\", \"suggestion\": \"call it from an activity\"}]}");
    assertTrue(set.isPassthrough("com.acme.util.Strings"));
    assertFalse(set.isPassthrough("com.acme.legacy.Db"));
  }

  @Test
  void memberRulesDoNotMakeAClassPassThrough() {
    RuleSet set = withUserRules("{\"rules\": [{\"id\": \"one\", \"kind\": \"passthrough\", \"owner\": \"com.acme.Util\","
        + " \"name\": \"log\"}]}");
    assertFalse(set.isPassthrough("com.acme.Util"));
  }

  @Test
  void theAnswerIsStableWhenAskedAgain() {
    assertTrue(defaults.isPassthrough("org.slf4j.Logger"));
    assertTrue(defaults.isPassthrough("org.slf4j.Logger"));
    assertFalse(defaults.isPassthrough("com.acme.Main"));
    assertFalse(defaults.isPassthrough("com.acme.Main"));
  }
}
