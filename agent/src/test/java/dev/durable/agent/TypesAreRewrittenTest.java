package dev.durable.agent;

import static dev.durable.agent.Bytecode.code;
import static dev.durable.agent.Bytecode.method;
import static dev.durable.agent.Bytecode.original;
import static dev.durable.agent.Bytecode.rewritten;
import static dev.durable.agent.Bytecode.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.sample.TypeSamples;
import example.sample.UnchangedSample;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

class TypesAreRewrittenTest {
  private static final List<String> INSTANT_NOW = List.of("Shims.instantNow()Ljava/time/Instant;");

  @Test
  void aDefaultMethodOfAnInterfaceIsRewritten() {
    assertEquals(INSTANT_NOW, code(rewritten(TypeSamples.Stamped.class), "stamp"));
  }

  @Test
  void aMethodReferenceInAnInterfaceGetsAPrivateStaticBridgeInTheInterface() {
    byte[] after = rewritten(TypeSamples.Stamped.class);
    String indy = code(after, "random").get(0);
    assertTrue(indy.contains("-> static example/sample/TypeSamples$Stamped.durable$bridge$0()Ljava/util/Random;"), indy);
    MethodNode bridge = method(tree(after), "durable$bridge$0");
    assertTrue((bridge.access & Opcodes.ACC_PRIVATE) != 0 && (bridge.access & Opcodes.ACC_STATIC) != 0);
    assertEquals(List.of("NEW java/util/Random", "DUP", "java/util/Random.<init>()V",
        "Shims.random(Ljava/util/Random;)Ljava/util/Random;"), code(bridge));
    // A reference to a member redirected in place needs no bridge, in an interface too.
    assertEquals(List.of("INDY get -> static Shims.instantNow()Ljava/time/Instant;"), code(after, "clock"));
  }

  @Test
  void aRecordIsRewrittenAndItsGeneratedMethodsAreUntouched() {
    byte[] after = rewritten(TypeSamples.Event.class);
    assertEquals(List.of("NEW example/sample/TypeSamples$Event", "DUP", INSTANT_NOW.get(0),
        "example/sample/TypeSamples$Event.<init>(Ljava/lang/String;Ljava/time/Instant;)V"), code(after, "now"));
    byte[] before = original(TypeSamples.Event.class);
    for (String m : List.of("toString", "hashCode", "equals", "name", "at")) {
      assertEquals(code(before, m), code(after, m), m);
    }
  }

  @Test
  void anEnumIsRewrittenButItsInitializerIsNotChecked() {
    byte[] after = rewritten(TypeSamples.Phase.class);
    assertEquals(INSTANT_NOW, code(after, "at"));
    assertEquals(code(original(TypeSamples.Phase.class), "<clinit>"), code(after, "<clinit>"));
  }

  @Test
  void classesWithNothingToChangeAreReturnedAsNull() {
    assertNull(rewritten(UnchangedSample.class));
    assertNull(rewritten(TypeSamples.Stamp.class));
    assertNull(rewritten(TypeSamples.class));
  }
}
