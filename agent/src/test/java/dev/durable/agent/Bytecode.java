package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Reads class files for the transform tests and renders a method's interesting instructions
 * (calls, NEW, DUP, static writes, string constants, invokedynamic targets) as short strings, so
 * that a test can state the expected code as a list.
 */
final class Bytecode {
  static final CallSiteRewriter DEFAULT_REWRITER = new CallSiteRewriter(new RuleSet(RulesParser.defaults()), false);

  private Bytecode() {}

  /** The class file of a test class, as compiled. */
  static byte[] original(Class<?> c) {
    return original(c.getName());
  }

  static byte[] original(String binaryName) {
    String resource = "/" + binaryName.replace('.', '/') + ".class";
    try (InputStream in = Bytecode.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The class file after the default rules' rewriting; null when nothing changed. */
  static byte[] rewritten(Class<?> c) {
    return DEFAULT_REWRITER.rewrite(original(c));
  }

  static ClassNode tree(byte[] bytes) {
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
    return node;
  }

  /** The only method of that name (or name + descriptor). */
  static MethodNode method(ClassNode c, String nameOrNameAndDesc) {
    List<MethodNode> found = new ArrayList<>();
    for (MethodNode m : c.methods) {
      if (m.name.equals(nameOrNameAndDesc) || (m.name + m.desc).equals(nameOrNameAndDesc)) {
        found.add(m);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError("expected one method " + nameOrNameAndDesc + " in " + c.name + ", found " + found.size());
    }
    return found.get(0);
  }

  static List<String> code(byte[] classBytes, String method) {
    return code(method(tree(classBytes), method));
  }

  static List<String> code(MethodNode m) {
    List<String> out = new ArrayList<>();
    for (AbstractInsnNode i : m.instructions) {
      if (i instanceof MethodInsnNode c) {
        out.add(shortName(c.owner) + "." + c.name + c.desc);
      } else if (i instanceof TypeInsnNode t && t.getOpcode() == Opcodes.NEW) {
        out.add("NEW " + t.desc);
      } else if (i.getOpcode() == Opcodes.DUP) {
        out.add("DUP");
      } else if (i instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTSTATIC) {
        out.add("PUTSTATIC " + f.owner + "." + f.name);
      } else if (i instanceof LdcInsnNode l && l.cst instanceof String s) {
        out.add('"' + s + '"');
      } else if (i instanceof InvokeDynamicInsnNode d && d.bsmArgs.length > 1 && d.bsmArgs[1] instanceof Handle h) {
        out.add("INDY " + d.name + " -> " + handle(h));
      }
    }
    return out;
  }

  static String handle(Handle h) {
    String kind = switch (h.getTag()) {
      case Opcodes.H_INVOKESTATIC -> "static";
      case Opcodes.H_INVOKEVIRTUAL -> "virtual";
      case Opcodes.H_INVOKEINTERFACE -> "interface";
      case Opcodes.H_NEWINVOKESPECIAL -> "new";
      case Opcodes.H_INVOKESPECIAL -> "special";
      default -> "tag" + h.getTag();
    };
    return kind + " " + shortName(h.getOwner()) + "." + h.getName() + h.getDesc();
  }

  private static String shortName(String owner) {
    return owner.startsWith("dev/durable/internal/sandbox/") ? owner.substring("dev/durable/internal/sandbox/".length()) : owner;
  }
}
