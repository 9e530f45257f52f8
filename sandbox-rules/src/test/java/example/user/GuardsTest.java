package example.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.sandbox.FakeHooks;
import dev.durable.internal.sandbox.Guards;
import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import dev.durable.internal.sandbox.Sandbox;
import dev.durable.internal.sandbox.SandboxState;
import dev.durable.internal.sandbox.Violation;
import example.lib.PassedThroughLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Guards as workflow code sees them: this package is user code, {@code example.lib} is passed through. */
class GuardsTest {
  private final FakeHooks hooks = new FakeHooks();
  private String testMethod;

  @BeforeEach
  void enterWorkflowThread(TestInfo info) {
    testMethod = info.getTestMethod().orElseThrow().getName();
    install(Sandbox.Mode.ENFORCE);
    SandboxState.enter(hooks);
  }

  @AfterEach
  void restoreNeutralState() {
    SandboxState.restore(null);
    Sandbox.install(new RuleSet(List.of()), Sandbox.Mode.ENFORCE);
  }

  private static void install(Sandbox.Mode mode) {
    List<Rule> rules = new ArrayList<>(RulesParser.defaults());
    rules.addAll(RulesParser.parse("{\"rules\": [{\"id\": \"lib\", \"kind\": \"passthrough\", \"owner\": \"example.lib.*\"}]}",
        "test.json"));
    Sandbox.install(new RuleSet(rules), mode);
  }

  private void assertBlamesThisTest(Violation v) {
    StackTraceElement top = v.userFrame();
    assertEquals(GuardsTest.class.getName(), top.getClassName());
    assertEquals(testMethod, top.getMethodName());
    assertEquals("GuardsTest.java", top.getFileName());
    assertTrue(top.getLineNumber() > 0);
    for (StackTraceElement e : v.stack()) {
      assertFalse(e.getClassName().startsWith("dev.durable.internal.sandbox."), "sandbox frames are stripped: " + e);
    }
  }

  @Test
  void aGuardReportsTheRuleTheApiAndTheUsersFrame() {
    Guards.guard("net.socket-connect", "java.net.Socket.connect");
    assertEquals(1, hooks.violations.size());
    Violation v = hooks.violations.get(0);
    assertEquals("net.socket-connect", v.ruleId());
    assertEquals("java.net.Socket.connect", v.api());
    assertEquals("opened a network connection", v.message());
    assertEquals("move this call into an activity", v.suggestion());
    assertFalse(v.staticWrite());
    assertBlamesThisTest(v);
  }

  @Test
  void aGuardSkipsJdkFramesToFindTheUser() {
    // Map.forEach is a JDK frame between the guard and this method (the lambda proxy is a hidden frame).
    Map.of("process.start", "java.lang.ProcessBuilder.start").forEach(Guards::guard);
    assertEquals("process.start", hooks.violations.get(0).ruleId());
    assertBlamesThisTest(hooks.violations.get(0));
  }

  @Test
  void aCallSiteCheckBlamesItsCaller() {
    Guards.callSite("env.getenv", "java.lang.System.getenv");
    Violation v = hooks.violations.get(0);
    assertEquals("env.getenv", v.ruleId());
    assertEquals("read an environment variable (it differs between deployments)", v.message());
    assertBlamesThisTest(v);
  }

  @Test
  void aStaticWriteIsReportedAsOne() {
    Guards.staticWrite("global.static-write", "example.user.Counter.count");
    Violation v = hooks.violations.get(0);
    assertTrue(v.staticWrite());
    assertEquals("example.user.Counter.count", v.api());
    assertEquals("wrote to a static field (a mutable global)", v.message());
    assertBlamesThisTest(v);
  }

  @Test
  void aRuleAddedInLaterReplaySemanticsLeavesOlderRunsAlone() {
    // A parallel stream (rule thread.fork-join-task, reported since replay semantics 3) in a run
    // started under 2 ran unreported then, and replays as it ran.
    hooks.replaySemantics = 2;
    Guards.guard("thread.fork-join-task", "java.util.concurrent.ForkJoinTask.invoke");
    assertEquals(List.of(), hooks.violations);
    Guards.guard("net.socket-connect", "java.net.Socket.connect");
    assertEquals(List.of("net.socket-connect"), hooks.violations.stream().map(Violation::ruleId).toList(),
        "a rule without sinceReplaySemantics applies to every run");
    hooks.replaySemantics = 3;
    Guards.guard("thread.fork-join-task", "java.util.concurrent.ForkJoinTask.invoke");
    assertEquals("thread.fork-join-task", hooks.violations.get(1).ruleId());
    assertBlamesThisTest(hooks.violations.get(1));
  }

  @Test
  void anUnknownRuleIdStillGivesAMessageAndASuggestion() {
    Guards.guard("custom.rule", "com.acme.Thing.do");
    Violation v = hooks.violations.get(0);
    assertEquals("called a forbidden API", v.message());
    assertEquals("move this call into an activity", v.suggestion());
  }

  @Test
  void aGuardReachedThroughAPassedThroughClassIsAllowed() {
    PassedThroughLibrary.openLogFile();
    assertEquals(List.of(), hooks.violations);
  }

  @Test
  void withoutTheLibraryPassedThroughItsFrameIsBlamed() {
    Sandbox.install(new RuleSet(RulesParser.defaults()), Sandbox.Mode.ENFORCE);
    PassedThroughLibrary.openLogFile();
    assertEquals(PassedThroughLibrary.class.getName(), hooks.violations.get(0).userFrame().getClassName());
  }

  @Test
  void staticInitializersAndWhatTheyCallAreExempt() {
    assertEquals("loaded", GuardedInInitializer.CONFIG);
    assertEquals(List.of(), hooks.violations);
  }

  @Test
  void nothingIsReportedOffWorkflowThreads() {
    SandboxState.restore(null);
    Guards.guard("net.socket-connect", "java.net.Socket.connect");
    Guards.callSite("env.getenv", "java.lang.System.getenv");
    Guards.staticWrite("global.static-write", "example.user.Counter.count");
    assertEquals(List.of(), hooks.violations);
  }

  @Test
  void nothingIsReportedInModeOff() {
    install(Sandbox.Mode.OFF);
    Guards.guard("net.socket-connect", "java.net.Socket.connect");
    Guards.callSite("env.getenv", "java.lang.System.getenv");
    Guards.staticWrite("global.static-write", "example.user.Counter.count");
    assertEquals(List.of(), hooks.violations);
  }

  @Test
  void inModeWarnTheHooksAreStillTold() {
    install(Sandbox.Mode.WARN);
    Guards.guard("net.socket-connect", "java.net.Socket.connect");
    assertEquals(1, hooks.violations.size());
  }

  @Test
  void aGuardTrippedWhileReportingDoesNotRecurse() {
    hooks.onViolation = v -> {
      Guards.guard("io.file-open", "java.io.FileOutputStream.<init>"); // as a logger writing a file would
      Guards.callSite("env.get-property", "java.lang.System.getProperty");
    };
    Guards.guard("net.socket-connect", "java.net.Socket.connect");
    assertEquals(1, hooks.violations.size());
  }

  @Test
  void aViolationThrownByTheHooksPropagatesAndTheNextOneIsReportedAgain() {
    Error thrown = new AssertionError("violation");
    hooks.onViolation = v -> {
      throw thrown;
    };
    assertSame(thrown, assertThrows(AssertionError.class, () -> Guards.guard("thread.start", "java.lang.Thread.start")));
    assertSame(thrown, assertThrows(AssertionError.class, () -> Guards.guard("thread.start", "java.lang.Thread.start")));
    assertEquals(2, hooks.violations.size());
  }
}
