package dev.durable.agent;

import dev.durable.internal.sandbox.Guards;
import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Installs guards (rules of kind forbid at {@code guard}): a call to {@link Guards#guard} at the
 * start of each matching JDK method. Classes already loaded (Thread, FileInputStream, ...) are
 * retransformed; the others are transformed when they load.
 *
 * <p>Plain ASM rather than Byte Buddy advice: the code inserted is a single static call, and Byte
 * Buddy's agent builder alone added about 0.9 s to JVM start (1,000+ classes loaded) on the
 * 2-core reference machine; see docs/sandbox.md.
 */
final class GuardInstaller implements ClassFileTransformer {
  private static final String GUARD_DESC = "(Ljava/lang/String;Ljava/lang/String;)V";

  private final Map<String, List<Rule>> byOwner;
  /** Per length of an internal name, whether an owner has it: most classes that load are rejected without hashing their name. */
  private final boolean[] ownerLengths;

  /** A transformer for the guard rules (forbid at guard with an exact owner) of {@code rules}. */
  GuardInstaller(RuleSet rules) {
    this.byOwner = new HashMap<>();
    for (Rule r : rules.rules()) {
      if (r.kind() == Rule.Kind.FORBID && r.at() == Rule.At.GUARD && !r.owner().endsWith("*")) {
        RuleSet.addTo(byOwner, r.owner().replace('.', '/'), r);
      }
    }
    int longest = 0;
    for (String owner : byOwner.keySet()) {
      longest = Math.max(longest, owner.length());
    }
    this.ownerLengths = new boolean[longest + 1];
    for (String owner : byOwner.keySet()) {
      ownerLengths[owner.length()] = true;
    }
  }

  static void install(RuleSet rules, Instrumentation inst) {
    GuardInstaller installer = new GuardInstaller(rules);
    Map<String, List<Rule>> byOwner = installer.byOwner;
    if (byOwner.isEmpty()) {
      return;
    }
    allowJdkModulesToReadGuards(byOwner.keySet(), inst);
    inst.addTransformer(installer, true);
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (byOwner.containsKey(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
        loaded.add(c);
      }
    }
    try {
      inst.retransformClasses(loaded.toArray(new Class<?>[0]));
    } catch (UnmodifiableClassException e) {
      throw new IllegalStateException("DURABLE-221 cannot install sandbox guards: " + e, e);
    }
  }

  /** JDK modules read only what they declare; the guards live in the bootstrap loader's unnamed module. */
  private static void allowJdkModulesToReadGuards(Set<String> owners, Instrumentation inst) {
    Module guards = Guards.class.getModule();
    for (Module m : ModuleLayer.boot().modules()) {
      for (String owner : owners) {
        int slash = owner.lastIndexOf('/');
        if (slash > 0 && m.getPackages().contains(owner.substring(0, slash).replace('/', '.')) && !m.canRead(guards)) {
          inst.redefineModule(m, Set.of(guards), Map.of(), Map.of(), Set.of(), Map.of());
        }
      }
    }
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
    if (className == null || className.length() >= ownerLengths.length || !ownerLengths[className.length()]) {
      return null;
    }
    List<Rule> rules = byOwner.get(className);
    if (rules == null) {
      return null;
    }
    try {
      ClassReader reader = new ClassReader(bytes);
      // No maxima computed: methods without a guard are copied as they are (ASM's copy of unchanged
      // methods), and a guarded method's stack needs room for the guard's two arguments at its start.
      ClassWriter writer = new ClassWriter(reader, 0);
      String ownerName = className.replace('/', '.');
      reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
          MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
          if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            return mv;
          }
          Rule rule = match(rules, name, desc);
          if (rule == null) {
            return mv;
          }
          return new MethodVisitor(Opcodes.ASM9, mv) {
            @Override
            public void visitCode() {
              super.visitCode();
              // First thing, before a constructor's super call: it does not touch 'this'.
              super.visitLdcInsn(rule.id());
              super.visitLdcInsn(ownerName + "." + name);
              super.visitMethodInsn(Opcodes.INVOKESTATIC, Redirects.GUARDS, "guard", GUARD_DESC, false);
            }

            @Override
            public void visitMaxs(int maxStack, int maxLocals) {
              super.visitMaxs(Math.max(maxStack, 2), maxLocals);
            }
          };
        }
      }, 0);
      return writer.toByteArray();
    } catch (RuntimeException e) {
      System.err.println("durable agent: could not guard " + className + " (" + e + "); it is left unguarded");
      return null;
    }
  }

  private static Rule match(List<Rule> rules, String name, String desc) {
    Rule best = null;
    for (Rule r : rules) {
      if ((r.names().isEmpty() || r.names().contains(name)) && descriptorMatches(r.descriptor(), desc)) {
        best = r;
      }
    }
    return best;
  }

  private static boolean descriptorMatches(String pattern, String desc) {
    if ("*".equals(pattern)) {
      return true;
    }
    return pattern.endsWith("*") ? desc.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(desc);
  }
}
