package dev.durable.agent;

import static dev.durable.agent.Bytecode.original;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import example.sample.ControlFlowSamples;
import example.sample.DnsSamples;
import example.sample.EnvironmentSamples;
import example.sample.MethodReferenceSamples;
import example.sample.RandomSamples;
import example.sample.TimeSamples;
import example.sample.UnchangedSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The byte-level rewriter must produce the same code as the ASM rewriter: same instructions, same
 * frames, same line numbers, exception ranges and local variable ranges, same max stack.
 */
class DirectRewriterTest {
  private static final CallSiteRewriter REWRITER = new CallSiteRewriter(new RuleSet(RulesParser.defaults()), false);

  private static byte[] direct(byte[] original) {
    ClassFile cf = new ClassFile(original);
    CallSiteScan.Result found = new CallSiteScan(new RuleSet(RulesParser.defaults()).callSiteMembers(), false, true)
        .scan(cf);
    return found == null ? null : DirectRewriter.rewrite(REWRITER, cf, found);
  }

  private static void assertSameAsAsm(Class<?> c) {
    byte[] original = original(c);
    byte[] viaAsm = REWRITER.rewrite(original, false);
    byte[] viaBytes = direct(original);
    assertNotNull(viaAsm, c + " has something to rewrite");
    assertNotSame(DirectRewriter.UNSUPPORTED, viaBytes, c + " is rewritten without ASM");
    assertEquals(render(viaAsm), render(viaBytes));
  }

  @Test
  void branchesSwitchesHandlersAndFramesMoveWithTheInsertedCalls() {
    assertSameAsAsm(ControlFlowSamples.class);
  }

  @Test
  void methodReferencesToStaticMembersGetTheSameBridgesOrShims() {
    // ControlFlowSamples.references(): Instant::now twice on two lines, System::currentTimeMillis,
    // UUID::randomUUID (all redirected in place: straight to the shim), System::getenv (forbidden:
    // a bridge that checks first), and a lambda that is not touched.
    String rendered = render(direct(original(ControlFlowSamples.class)));
    assertTrue(rendered.contains("4106 durable$bridge$0(Ljava/lang/String;)Ljava/lang/String;"), rendered);
    assertTrue(!rendered.contains("durable$bridge$1"), rendered);
    for (String shim : List.of("instantNow()Ljava/time/Instant;", "currentTimeMillis()J", "randomUUID()Ljava/util/UUID;")) {
      assertTrue(rendered.contains("dev/durable/internal/sandbox/Shims." + shim + " (6)"), shim + " in\n" + rendered);
    }
  }

  @Test
  void forbiddenCallsAndStaticWritesGetTheSameChecks() {
    assertSameAsAsm(EnvironmentSamples.class);
    assertSameAsAsm(DnsSamples.class); // instance methods, a constructor and a method reference
  }

  @Test
  void methodReferencesAndConstructorsAreLeftToAsm() {
    assertSame(DirectRewriter.UNSUPPORTED, direct(original(MethodReferenceSamples.class)));
    assertSame(DirectRewriter.UNSUPPORTED, direct(original(TimeSamples.class))); // new Date()
    assertSame(DirectRewriter.UNSUPPORTED, direct(original(RandomSamples.class))); // new Random()
    // ...and the rewriter's answer for them is still ASM's.
    for (Class<?> c : List.of(MethodReferenceSamples.class, TimeSamples.class, RandomSamples.class)) {
      assertEquals(render(REWRITER.rewrite(original(c), false)), render(REWRITER.rewrite(original(c))));
    }
  }

  @Test
  void whenTheDirectRewriterThrowsAsmRewritesTheClass() throws Exception {
    // A line number entry in the middle of an instruction: the JVM accepts it, the direct rewriter
    // cannot move it (it throws), ASM drops it. The class must still come out rewritten, as ASM
    // rewrites it, and run.
    byte[] patched = lineNumberInsideAnInstruction(original(ControlFlowSamples.class));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> direct(patched));
    byte[] rewritten = REWRITER.rewrite(patched);
    assertNotNull(rewritten);
    assertTrue(Arrays.equals(REWRITER.rewrite(patched, false), rewritten), "the ASM rewriter's output");
    assertTrue(render(rewritten).contains("dev/durable/internal/sandbox/Shims.nanoTime()J"), render(rewritten));
    Class<?> c = new ClassLoader(DirectRewriterTest.class.getClassLoader()) {
      Class<?> define() {
        return defineClass(ControlFlowSamples.class.getName(), rewritten, 0, rewritten.length);
      }
    }.define();
    assertEquals(ControlFlowSamples.loop(30), (long) c.getMethod("loop", int.class).invoke(null, 30));
  }

  /** Moves the first line number entry of a method with a call to rewrite that starts a multi-byte instruction one byte on. */
  private static byte[] lineNumberInsideAnInstruction(byte[] original) {
    byte[] b = original.clone();
    ClassFile cf = new ClassFile(b);
    CallSiteScan.Result found = new CallSiteScan(new RuleSet(RulesParser.defaults()).callSiteMembers(), false, true)
        .scan(cf);
    for (int code : found.code()) {
      if (code == 0) {
        continue;
      }
      int codeLength = cf.readInt(code + 10);
      int start = code + 14;
      int p = start + codeLength;
      p += 2 + 8 * cf.u2(p);
      int attributes = cf.u2(p);
      p += 2;
      for (int a = 0; a < attributes; a++) {
        if (cf.isUtf8(cf.u2(p), ClassFile.LINE_NUMBER_TABLE)) {
          for (int k = 0; k < cf.u2(p + 6); k++) {
            int entry = p + 8 + 4 * k;
            int pc = cf.u2(entry);
            if (CallSiteScan.LENGTH[b[start + pc] & 0xFF] >= 2) {
              b[entry] = (byte) ((pc + 1) >>> 8);
              b[entry + 1] = (byte) (pc + 1);
              return b;
            }
          }
        }
        p += 6 + cf.readInt(p + 2);
      }
    }
    throw new AssertionError("no line number entry to move");
  }

  @Test
  void aClassWithNothingToRewriteStaysUnchanged() {
    assertEquals(null, REWRITER.rewrite(original(UnchangedSample.class)));
  }

  @Test
  void rewrittenCodeRunsAndIsVerified() throws Exception {
    ClassLoader loader = new RewritingClassLoader(REWRITER);
    Class<?> c = Class.forName(ControlFlowSamples.class.getName(), true, loader);
    assertEquals(ControlFlowSamples.loop(30), (long) c.getMethod("loop", int.class).invoke(null, 30));
    for (int k = 0; k < 5; k++) {
      assertTrue(((String) c.getMethod("tableSwitch", int.class).invoke(null, k)).startsWith(
          ControlFlowSamples.tableSwitch(k).substring(0, 3)));
    }
    assertTrue(((String) c.getMethod("lookupSwitch", int.class).invoke(null, 10)).endsWith("ten"));
    assertEquals("none", c.getMethod("tryCatch", String.class).invoke(null, "durable.no.such.property"));
    assertEquals(7, ((List<?>) c.getMethod("references").invoke(null)).size());
    assertEquals(2, ((List<?>) c.getMethod("underConstruction", boolean.class).invoke(null, true)).size());
    assertEquals(ControlFlowSamples.nested(3, 3) >= 0, (int) c.getMethod("nested", int.class, int.class).invoke(null, 3, 3) >= 0);
  }

  /** Everything about the methods that the two rewriters could get differently, as text. */
  static String render(byte[] bytes) {
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, ClassReader.EXPAND_FRAMES);
    StringBuilder sb = new StringBuilder(node.name).append('\n');
    for (MethodNode m : node.methods) {
      Map<LabelNode, Integer> labels = new IdentityHashMap<>();
      for (AbstractInsnNode insn : m.instructions) {
        if (insn instanceof LabelNode l) {
          labels.put(l, labels.size());
        }
      }
      sb.append(m.access).append(' ').append(m.name).append(m.desc).append(" stack=").append(m.maxStack)
          .append(" locals=").append(m.maxLocals).append('\n');
      for (AbstractInsnNode insn : m.instructions) {
        sb.append("  ").append(insn(insn, labels)).append('\n');
      }
      for (TryCatchBlockNode t : m.tryCatchBlocks) {
        sb.append("  try ").append(labels.get(t.start)).append('-').append(labels.get(t.end)).append(" -> ")
            .append(labels.get(t.handler)).append(' ').append(t.type).append('\n');
      }
      for (LocalVariableNode v : m.localVariables == null ? List.<LocalVariableNode>of() : m.localVariables) {
        sb.append("  local ").append(v.index).append(' ').append(v.name).append(' ').append(v.desc).append(' ')
            .append(v.signature).append(' ').append(labels.get(v.start)).append('-').append(labels.get(v.end)).append('\n');
      }
    }
    return sb.toString();
  }

  private static String insn(AbstractInsnNode insn, Map<LabelNode, Integer> labels) {
    String op = insn.getOpcode() < 0 ? "" : insn.getOpcode() + " ";
    if (insn instanceof LabelNode l) {
      return "L" + labels.get(l);
    } else if (insn instanceof LineNumberNode n) {
      return "line " + n.line + " L" + labels.get(n.start);
    } else if (insn instanceof FrameNode f) {
      return "frame " + f.type + " " + values(f.local, labels) + " " + values(f.stack, labels);
    } else if (insn instanceof MethodInsnNode m) {
      return op + m.owner + "." + m.name + m.desc + " " + m.itf;
    } else if (insn instanceof FieldInsnNode f) {
      return op + f.owner + "." + f.name + " " + f.desc;
    } else if (insn instanceof InvokeDynamicInsnNode d) {
      return op + d.name + d.desc + " " + d.bsm + " " + Arrays.toString(d.bsmArgs);
    } else if (insn instanceof JumpInsnNode j) {
      return op + "L" + labels.get(j.label);
    } else if (insn instanceof TableSwitchInsnNode t) {
      return op + t.min + ".." + t.max + " L" + labels.get(t.dflt) + " " + values(new ArrayList<>(t.labels), labels);
    } else if (insn instanceof LookupSwitchInsnNode s) {
      return op + s.keys + " L" + labels.get(s.dflt) + " " + values(new ArrayList<>(s.labels), labels);
    } else if (insn instanceof LdcInsnNode l) {
      return op + l.cst.getClass().getSimpleName() + " " + l.cst;
    } else if (insn instanceof VarInsnNode v) {
      return op + v.var;
    } else if (insn instanceof IntInsnNode i) {
      return op + i.operand;
    } else if (insn instanceof TypeInsnNode t) {
      return op + t.desc;
    } else if (insn instanceof IincInsnNode i) {
      return op + i.var + " " + i.incr;
    } else if (insn instanceof MultiANewArrayInsnNode a) {
      return op + a.desc + " " + a.dims;
    }
    return op.trim();
  }

  private static String values(List<?> values, Map<LabelNode, Integer> labels) {
    if (values == null) {
      return "-";
    }
    List<String> out = new ArrayList<>();
    for (Object v : values) {
      out.add(v instanceof LabelNode l ? "L" + labels.get(l) : String.valueOf(v));
    }
    return out.toString();
  }

}
