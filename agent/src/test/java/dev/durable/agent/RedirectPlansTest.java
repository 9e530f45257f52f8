package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/**
 * Every public JDK member a default redirect matches (on the running JDK) is redirected to methods
 * that exist: a missing shim overload would leave that call silently non-deterministic.
 */
class RedirectPlansTest {
  private final RuleSet rules = new RuleSet(RulesParser.defaults());

  @Test
  void everyMemberMatchedByADefaultRedirectHasAPlanWhoseMethodsExist() throws Exception {
    List<String> checked = new ArrayList<>();
    for (Rule r : rules.rules()) {
      if (r.kind() != Rule.Kind.REDIRECT) {
        continue;
      }
      Class<?> owner = Class.forName(r.owner());
      String internal = Type.getInternalName(owner);
      for (Executable e : Stream.concat(Stream.of(owner.getMethods()), Stream.of(owner.getConstructors())).toList()) {
        String name = e instanceof Constructor ? "<init>" : e.getName();
        String desc = e instanceof Method m ? Type.getMethodDescriptor(m) : Type.getConstructorDescriptor((Constructor<?>) e);
        if (rules.find(Rule.At.CALL, r.owner(), name, desc) != r) {
          continue; // another rule is more specific, or this one does not match
        }
        Redirects.Plan plan = Redirects.plan(r, internal, name, desc);
        assertNotNull(plan, r.id() + ": no shim for " + r.owner() + "." + name + desc);
        for (Redirects.Call c : new Redirects.Call[] {plan.before(), plan.target(), plan.after()}) {
          if (c != null) {
            assertTrue(staticMethodExists(c), r.id() + ": " + r.owner() + "." + name + desc + " is sent to missing " + c);
          }
        }
        checked.add(r.owner() + "." + name + desc);
      }
    }
    assertTrue(checked.size() > 40, "checked " + checked);
    assertTrue(checked.contains("java.util.concurrent.ThreadLocalRandom.nextFloat(FF)F"), "checked " + checked);
  }

  private static boolean staticMethodExists(Redirects.Call c) throws ClassNotFoundException {
    Class<?> owner = Class.forName(c.owner().replace('/', '.'));
    for (Method m : owner.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) && m.getName().equals(c.name()) && Type.getMethodDescriptor(m).equals(c.descriptor())) {
        return true;
      }
    }
    return false;
  }
}
