package dev.durable.agent;

import static dev.durable.agent.Bytecode.code;
import static dev.durable.agent.Bytecode.original;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import example.sample.ControlFlowSamples;
import example.sample.InPlaceSamples;
import example.sample.TimeSamples;
import example.sample.UnchangedSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redirects made in the constant pool only: the code stays byte for byte, and reads as ASM's rewrite. */
class PoolRewriterTest {
  private static final CallSiteRewriter REWRITER = Bytecode.DEFAULT_REWRITER;
  private static final CallSiteScan SCAN =
      new CallSiteScan(new RuleSet(RulesParser.defaults()).callSiteMembers(), false, true);

  /** What the pool rewriter makes of a class (null: nothing to change; NOT_IN_PLACE). */
  private static byte[] inPool(byte[] original) {
    ClassFile cf = new ClassFile(original);
    CallSiteScan.Pool pool = SCAN.pool(cf);
    return pool == null ? null : PoolRewriter.rewrite(REWRITER, cf, pool.marked());
  }

  /** The bytes after the constant pool. */
  private static byte[] afterPool(byte[] classFile) {
    return Arrays.copyOfRange(classFile, new ClassFile(classFile).header, classFile.length);
  }

  private static int poolCount(byte[] classFile) {
    return new ClassFile(classFile).itemCount();
  }

  @Test
  void everythingAfterTheConstantPoolStaysByteForByte() {
    byte[] original = original(InPlaceSamples.class);
    byte[] rewritten = inPool(original);
    assertNotNull(rewritten);
    assertNotSame(PoolRewriter.NOT_IN_PLACE, rewritten);
    assertArrayEquals(afterPool(original), afterPool(rewritten));
  }

  @Test
  void theCallsAndReferencesReachTheShimsAsInAsmsRewrite() {
    byte[] original = original(InPlaceSamples.class);
    byte[] rewritten = REWRITER.rewrite(original);
    assertEquals(DirectRewriterTest.render(REWRITER.rewrite(original, false)), DirectRewriterTest.render(rewritten));
    assertEquals(List.of("Shims.currentTimeMillis()J"), code(rewritten, "millis"));
    assertEquals(List.of("Shims.nanoTime()J"), code(rewritten, "nanos"));
    assertEquals(List.of("Shims.instantNow()Ljava/time/Instant;"), code(rewritten, "now"));
    assertEquals(List.of("Shims.randomUUID()Ljava/util/UUID;"), code(rewritten, "uuid"));
    assertEquals(List.of("Shims.clockUTC()Ljava/time/Clock;"), code(rewritten, "utc"));
    String references = String.join("\n", code(rewritten, "references"));
    for (String shim : List.of("Shims.instantNow()Ljava/time/Instant;", "Shims.currentTimeMillis()J",
        "Shims.mathRandom()D")) {
      assertTrue(references.contains("-> static " + shim), shim + " in\n" + references);
    }
    assertTrue(!references.contains("durable$bridge$"), references);
    List<String> untouched = code(rewritten, "untouched");
    assertTrue(untouched.containsAll(List.of("java/lang/System.identityHashCode(Ljava/lang/Object;)I",
        "java/time/Instant.ofEpochMilli(J)Ljava/time/Instant;", "java/lang/Math.max(II)I")), untouched.toString());
  }

  @Test
  void aShimOfTheMembersOwnNameSharesItsNameAndType() {
    byte[] original = original(InPlaceSamples.Millis.class);
    byte[] rewritten = inPool(original);
    assertEquals(List.of("Shims.currentTimeMillis()J", "Shims.currentTimeMillis()J"), code(rewritten, "twice"));
    assertEquals(poolCount(original) + 2, poolCount(rewritten), "the shim's name and class entries only");
  }

  @Test
  void aUserRuleRedirectingAStaticInterfaceMethodIsAppliedInThePoolAndRuns() throws Exception {
    List<Rule> rules = new ArrayList<>(RulesParser.defaults());
    rules.addAll(RulesParser.parse("{\"rules\": [{\"id\": \"acme.reversed\", \"kind\": \"redirect\","
        + " \"owner\": \"java.util.Comparator\", \"name\": \"naturalOrder\","
        + " \"target\": \"example.sample.InPlaceSamples#reversed()Ljava/util/Comparator;\", \"message\": \"m\"}]}", "user.json"));
    CallSiteRewriter rewriter = new CallSiteRewriter(new RuleSet(rules), false);
    byte[] original = original(InPlaceSamples.Sorting.class);
    byte[] rewritten = rewriter.rewrite(original);
    assertArrayEquals(afterPool(original), afterPool(rewritten));
    // The interface method ref became a class method ref to the target: the JVM verifies and links it.
    assertTrue(code(rewritten, "sorted").contains("example/sample/InPlaceSamples.reversed()Ljava/util/Comparator;"),
        code(rewritten, "sorted").toString());
    Class<?> sorting = Class.forName(InPlaceSamples.Sorting.class.getName(), true, new RewritingClassLoader(rewriter));
    assertEquals(List.of(3, 2, 1), sorting.getMethod("sorted", List.class).invoke(null, List.of(2, 3, 1)));
  }

  @Test
  void aClassWithAnyOtherRewriteIsLeftToTheCodeRewriters() {
    assertSame(PoolRewriter.NOT_IN_PLACE, inPool(original(TimeSamples.class))); // new Date() inserts a call
    assertSame(PoolRewriter.NOT_IN_PLACE, inPool(original(ControlFlowSamples.class))); // System::getenv is forbidden
  }

  @Test
  void aClassWithoutRedirectedMembersIsNotChanged() {
    assertNull(inPool(original(UnchangedSample.class)));
    assertNull(REWRITER.rewrite(original(UnchangedSample.class)));
  }
}
