package dev.durable.agent;

import static dev.durable.agent.Bytecode.code;
import static dev.durable.agent.Bytecode.method;
import static dev.durable.agent.Bytecode.original;
import static dev.durable.agent.Bytecode.rewritten;
import static dev.durable.agent.Bytecode.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.sample.MethodReferenceSamples;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;

class MethodReferencesAreBridgedTest {
  private static final String OWNER = "example/sample/MethodReferenceSamples";
  private final byte[] after = rewritten(MethodReferenceSamples.class);
  private final ClassNode tree = tree(after);

  /** Asserts that the method's only invokedynamic points at a bridge, and returns the bridge's code. */
  private List<String> bridgeCalledBy(String method) {
    List<String> code = code(after, method);
    String indy = code.stream().filter(s -> s.startsWith("INDY ")).findFirst().orElseThrow();
    String prefix = "static " + OWNER + ".durable$bridge$";
    String target = indy.substring(indy.indexOf(" -> ") + 4);
    assertTrue(target.startsWith(prefix), indy);
    MethodNode bridge = method(tree, target.substring(("static " + OWNER + ".").length()));
    assertEquals(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, bridge.access);
    return code(bridge);
  }

  /** The target of the method's only invokedynamic. */
  private String referenceIn(String method) {
    String indy = code(after, method).stream().filter(s -> s.startsWith("INDY ")).findFirst().orElseThrow();
    return indy.substring(indy.indexOf(" -> ") + 4);
  }

  @Test
  void instantNowReferencePointsStraightAtTheShim() {
    // Redirected in place (a static shim of the member's own descriptor): no bridge is needed.
    assertEquals("static Shims.instantNow()Ljava/time/Instant;", referenceIn("instantNow"));
  }

  @Test
  void randomConstructorReferenceGoesThroughABridgeThatShimsTheNewRandom() {
    assertEquals(List.of("NEW java/util/Random", "DUP", "java/util/Random.<init>()V",
        "Shims.random(Ljava/util/Random;)Ljava/util/Random;"), bridgeCalledBy("newRandom"));
  }

  @Test
  void randomUuidReferencePointsStraightAtTheShim() {
    assertEquals("static Shims.randomUUID()Ljava/util/UUID;", referenceIn("randomUuid"));
  }

  @Test
  void boundAndUnboundThreadLocalRandomReferencesGoThroughBridgesTakingTheReceiverFirst() {
    assertEquals(List.of("Shims.tlrNextInt(Ljava/util/concurrent/ThreadLocalRandom;I)I"), bridgeCalledBy("boundNextInt"));
    assertEquals(List.of("Shims.tlrNextInt(Ljava/util/concurrent/ThreadLocalRandom;I)I"), bridgeCalledBy("unboundNextInt"));
  }

  @Test
  void aForbiddenMethodReferenceGoesThroughABridgeThatChecksFirst() {
    assertEquals(List.of("\"env.getenv\"", "\"java.lang.System.getenv\"",
        "Guards.callSite(Ljava/lang/String;Ljava/lang/String;)V",
        "java/lang/System.getenv(Ljava/lang/String;)Ljava/lang/String;"), bridgeCalledBy("getenv"));
  }

  @Test
  void aReferenceToAnUnredirectedConstructorIsUntouched() {
    assertEquals(code(original(MethodReferenceSamples.class), "dateOfMillis"), code(after, "dateOfMillis"));
    assertTrue(code(after, "dateOfMillis").get(0).endsWith("-> new java/util/Date.<init>(J)V"));
  }

  @Test
  void callsInsideALambdaBodyAreRewrittenInPlace() {
    MethodNode lambda = tree.methods.stream().filter(m -> m.name.startsWith("lambda$lambdaMillis")).findFirst().orElseThrow();
    assertEquals(List.of("Shims.currentTimeMillis()J"), code(lambda));
  }

  @Test
  void callsInAnAnonymousClassAreRewritten() {
    byte[] anonymous = Bytecode.DEFAULT_REWRITER.rewrite(original(MethodReferenceSamples.class.getName() + "$1"));
    assertNotNull(anonymous);
    assertEquals(List.of("Shims.randomUUID()Ljava/util/UUID;"), code(anonymous, "get()Ljava/util/UUID;"));
  }

  @Test
  void eachBridgeCarriesTheLineOfItsMethodReference() {
    for (String method : List.of("newRandom", "boundNextInt", "unboundNextInt", "getenv")) {
      MethodNode user = method(tree, method);
      String indy = code(user).stream().filter(s -> s.startsWith("INDY ")).findFirst().orElseThrow();
      String bridgeName = indy.substring(indy.indexOf(".durable$bridge$") + 1, indy.indexOf('(', indy.indexOf(" -> ")));
      assertEquals(lines(user), lines(method(tree, bridgeName)), method);
    }
  }

  @Test
  void oneBridgePerReferenceAndLine() {
    long bridges = tree.methods.stream().filter(m -> m.name.startsWith("durable$bridge$")).count();
    assertEquals(4, bridges, "Random::new, ThreadLocalRandom::nextInt twice, System::getenv");
  }

  private static List<Integer> lines(MethodNode m) {
    List<Integer> out = new java.util.ArrayList<>();
    for (var i : m.instructions) {
      if (i instanceof LineNumberNode n) {
        out.add(n.line);
      }
    }
    return out;
  }
}
