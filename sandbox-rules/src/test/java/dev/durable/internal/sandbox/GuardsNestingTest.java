package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which frame a guard blames when guarded JDK methods call each other: the outer guard has
 * already decided on the user's call, so the inner one stays quiet, whatever descriptors their
 * rules give (a stack frame has none).
 */
class GuardsNestingTest {
  @BeforeEach
  void installDefaults() {
    Sandbox.install(new RuleSet(RulesParser.defaults()), Sandbox.Mode.ENFORCE);
  }

  @AfterEach
  void restore() {
    Sandbox.install(new RuleSet(List.of()), Sandbox.Mode.ENFORCE);
  }

  private static StackTraceElement frame(String cls, String method) {
    return new StackTraceElement(cls, method, null, -1);
  }

  @Test
  void aVirtualThreadsStartIsBlamedOnceThoughBothItsStartsAreGuarded() {
    // Java 21+: VirtualThread.start() calls start(ThreadContainer); each has a guard of its own rule.
    StackTraceElement[] inner = {
        frame("dev.durable.internal.sandbox.Guards", "guard"),
        frame("java.lang.VirtualThread", "start"), // start(ThreadContainer)
        frame("java.lang.VirtualThread", "start"), // start()
        frame("com.acme.OrderWorkflowImpl", "run")};
    assertEquals(-1, Guards.userFrame(inner, false), "the outer start() guard decides");
    StackTraceElement[] outer = {
        frame("dev.durable.internal.sandbox.Guards", "guard"),
        frame("java.lang.VirtualThread", "start"),
        frame("com.acme.OrderWorkflowImpl", "run")};
    assertEquals(2, Guards.userFrame(outer, false));
  }

  @Test
  void aThreadPerTaskExecutorsStartIsBlamedOnTheUsersSubmit() {
    StackTraceElement[] stack = {
        frame("dev.durable.internal.sandbox.Guards", "guard"),
        frame("java.lang.Thread", "start"), // start(ThreadContainer)
        frame("java.lang.System$2", "start"),
        frame("java.util.concurrent.ThreadPerTaskExecutor", "start"),
        frame("java.util.concurrent.ThreadPerTaskExecutor", "submit"),
        frame("com.acme.OrderWorkflowImpl", "run")};
    assertEquals(5, Guards.userFrame(stack, false));
  }

  @Test
  void aGuardedMethodIsKnownByNameWhateverTheDescriptorOfItsRule() {
    RuleSet rules = Sandbox.rules();
    assertTrue(rules.hasGuard("java.lang.Thread", "start"), "thread.start and thread.start-in-container");
    assertTrue(rules.hasGuard("java.util.concurrent.ForkJoinTask", "fork"));
    assertTrue(rules.hasGuard("java.io.FileInputStream", "<init>"));
    assertFalse(rules.hasGuard("java.lang.Thread", "run"));
    assertFalse(rules.hasGuard("java.lang.System", "getenv"), "a call-site rule is not a guard");
    assertEquals(4, rules.byId("thread.start-in-container").sinceReplaySemantics());
    assertEquals(4, rules.byId("thread.fork-join-fork").sinceReplaySemantics());
  }
}
