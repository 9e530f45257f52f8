package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which frame a guard blames when guarded JDK methods call each other: the outer guard has
 * already decided on the user's call, so the inner one stays quiet, whatever descriptors their
 * rules give (a stack frame has none). And which it blames when a rules file guards a library's
 * method: the method's caller, as for a JDK method.
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
    assertEquals(-1, Guards.userFrame(inner, "java.lang.VirtualThread.start", false, 4),
        "the outer start() guard decides");
    StackTraceElement[] outer = {
        frame("dev.durable.internal.sandbox.Guards", "guard"),
        frame("java.lang.VirtualThread", "start"),
        frame("com.acme.OrderWorkflowImpl", "run")};
    assertEquals(2, Guards.userFrame(outer, "java.lang.VirtualThread.start", false, 4));
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
    assertEquals(5, Guards.userFrame(stack, "java.lang.Thread.start", false, 4));
  }

  @Test
  void aGuardOfALaterSemanticsDoesNotSilenceTheOneItEncloses() {
    // Files.copy(InputStream, Path) opens its target with newOutputStream (io.files, every run);
    // copy itself is guarded from semantics 4 on (io.files-system). A run of 3 must still hear of it.
    StackTraceElement[] stack = {
        frame("dev.durable.internal.sandbox.Guards", "guard"),
        frame("java.nio.file.Files", "newOutputStream"),
        frame("java.nio.file.Files", "copy"),
        frame("com.acme.OrderWorkflowImpl", "run")};
    String api = "java.nio.file.Files.newOutputStream";
    assertEquals(3, Guards.userFrame(stack, api, false, 3), "under 3 the copy has no guard: newOutputStream's reports");
    assertEquals(-1, Guards.userFrame(stack, api, false, 4), "under 4 the copy's own guard has reported");
  }

  @Test
  void aGuardOnALibrarysMethodBlamesItsCallerUnlessThatIsPassedThrough() {
    List<Rule> rules = new ArrayList<>(RulesParser.defaults());
    rules.addAll(RulesParser.parse("""
        {"rules": [
          {"id": "test.library", "kind": "forbid", "at": "guard", "owner": "com.vendor.Client", "name": "send",
           "message": "sent", "suggestion": "use an activity"},
          {"id": "test.passthrough", "kind": "passthrough", "owner": "com.vendor.retry.*"}
        ]}
        """, "test rules"));
    Sandbox.install(new RuleSet(rules), Sandbox.Mode.ENFORCE);
    StackTraceElement[] fromWorkflow = {
        frame("dev.durable.internal.sandbox.Guards", "guard"),
        frame("com.vendor.Client", "send"),
        frame("com.acme.OrderWorkflowImpl", "run")};
    assertEquals(2, Guards.userFrame(fromWorkflow, "com.vendor.Client.send", false, 4),
        "the workflow's call, not the library's first line");
    StackTraceElement[] fromPassedThrough = {
        frame("dev.durable.internal.sandbox.Guards", "guard"),
        frame("com.vendor.Client", "send"),
        frame("com.vendor.retry.Retrier", "call"),
        frame("com.acme.OrderWorkflowImpl", "run")};
    assertEquals(-1, Guards.userFrame(fromPassedThrough, "com.vendor.Client.send", false, 4), "called by a passed-through library");
  }

  @Test
  void aGuardedMethodIsKnownByNameWhateverTheDescriptorOfItsRule() {
    RuleSet rules = Sandbox.rules();
    assertTrue(rules.hasGuard("java.lang.Thread", "start", 4), "thread.start and thread.start-in-container");
    assertTrue(rules.hasGuard("java.util.concurrent.ForkJoinTask", "fork", 4));
    assertFalse(rules.hasGuard("java.util.concurrent.ForkJoinTask", "fork", 3), "thread.fork-join-fork came with 4");
    assertTrue(rules.hasGuard("java.io.FileInputStream", "<init>", 1));
    assertFalse(rules.hasGuard("java.lang.Thread", "run", 4));
    assertFalse(rules.hasGuard("java.lang.System", "getenv", 4), "a call-site rule is not a guard");
    assertEquals(4, rules.byId("thread.start-in-container").sinceReplaySemantics());
    assertEquals(4, rules.byId("thread.fork-join-fork").sinceReplaySemantics());
  }
}
