package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DefaultRulesTest {
  private final List<Rule> defaults = RulesParser.defaults();

  @Test
  void defaultRulesParseAndCoverEveryKind() {
    Set<Rule.Kind> kinds = new HashSet<>();
    defaults.forEach(r -> kinds.add(r.kind()));
    assertEquals(Set.of(Rule.Kind.values()), kinds);
    assertTrue(defaults.stream().allMatch(r -> r.source().startsWith("default-rules.json (built in):")));
  }

  @Test
  void everyDefaultRuleOwnerIsAClassOfTheRunningJdkOrAPattern() {
    for (Rule r : defaults) {
      if (r.owner().endsWith("*") || r.owner().equals("java.lang.VirtualThread")) {
        continue; // VirtualThread exists from Java 19 (21 without preview)
      }
      assertTrue(classExists(r.owner()), r.id() + ": no class " + r.owner());
    }
  }

  @Test
  void everyShimNamedByADefaultRedirectExistsWithItsDeclaredDescriptor() {
    Set<String> shims = new HashSet<>();
    for (Method m : Shims.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
        shims.add(m.getName() + MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString());
      }
    }
    List<String> checked = new ArrayList<>();
    for (Rule r : defaults) {
      for (String spec : Stream.of(r.before(), r.target(), r.after()).filter(s -> s != null).toList()) {
        // Specs with placeholders are resolved per call site; the agent's RedirectPlansTest checks those.
        if (spec.startsWith("Shims#") && !spec.contains("{")) {
          assertTrue(shims.contains(spec.substring("Shims#".length())), r.id() + " names a missing shim " + spec);
          checked.add(spec);
        }
      }
    }
    assertTrue(checked.size() >= 12, "expected the default redirects to name shims, checked " + checked);
  }

  @Test
  void everyRedirectNamesAMethodAndEveryOtherRuleNamesNone() {
    for (Rule r : defaults) {
      boolean names = r.before() != null || r.target() != null || r.after() != null;
      assertEquals(r.kind() == Rule.Kind.REDIRECT, names, r.id());
    }
  }

  @Test
  void everyForbidRuleSaysWhatTheCodeDidAndWhatToDoInstead() {
    for (Rule r : defaults) {
      if (r.kind() == Rule.Kind.FORBID) {
        assertFalse(r.message().isBlank(), r.id());
        assertFalse(r.suggestion().isBlank(), r.id());
      }
    }
  }

  @Test
  void passthroughDefaultsAreClassLevel() {
    defaults.stream().filter(r -> r.kind() == Rule.Kind.PASSTHROUGH)
        .forEach(r -> assertTrue(r.isClassLevel() && r.at() == Rule.At.ANY, r.id()));
  }

  @Test
  void durablesOwnModulesArePassedThroughButUserPackagesOfTheSameRootAreNot() {
    RuleSet set = new RuleSet(defaults);
    for (String runtime : List.of("dev.durable.internal.server.ServerCore", "dev.durable.client.WorkflowClient",
        "dev.durable.remote.internal.RemoteWorkflowService", "dev.durable.remote.DurableGrpcServer")) {
      assertTrue(set.isPassthrough(runtime), runtime);
    }
    // Tests and examples keep their workflows under dev.durable: those are rewritten like users' code.
    assertFalse(set.isPassthrough("dev.durable.testing.Hopper"));
    assertFalse(set.isPassthrough("dev.durable.examples.hello.HelloWorkflow"));
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name, false, ClassLoader.getPlatformClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
