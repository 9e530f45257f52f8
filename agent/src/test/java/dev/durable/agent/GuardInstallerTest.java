package dev.durable.agent;

import static dev.durable.agent.Bytecode.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

class GuardInstallerTest {
  private final GuardInstaller installer = new GuardInstaller(new RuleSet(RulesParser.defaults()));

  /** A JDK class file as the running JDK has it (from the jrt: file system). */
  private static byte[] jdkClass(String internalName) throws IOException, ClassNotFoundException {
    Module module = Class.forName(internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader()).getModule();
    return Files.readAllBytes(FileSystems.getFileSystem(URI.create("jrt:/"))
        .getPath("modules", module.getName(), internalName + ".class"));
  }

  private ClassNode guarded(String internalName) throws Exception {
    byte[] out = installer.transform(null, internalName, null, null, jdkClass(internalName));
    assertNotNull(out, internalName);
    return tree(out);
  }

  /** The guard call a method starts with, as "ruleId api", or null when it does not start with one. */
  private static String leadingGuard(MethodNode m) {
    List<AbstractInsnNode> code = new ArrayList<>();
    for (AbstractInsnNode i : m.instructions) {
      if (i.getOpcode() >= 0) {
        code.add(i);
      }
    }
    if (code.size() >= 3 && code.get(0) instanceof LdcInsnNode rule && code.get(1) instanceof LdcInsnNode api
        && code.get(2) instanceof MethodInsnNode call && call.getOpcode() == Opcodes.INVOKESTATIC
        && call.owner.equals("dev/durable/internal/sandbox/Guards") && call.name.equals("guard")
        && call.desc.equals("(Ljava/lang/String;Ljava/lang/String;)V")) {
      return rule.cst + " " + api.cst;
    }
    return null;
  }

  @Test
  void everyFileInputStreamConstructorStartsWithTheFileOpenGuard() throws Exception {
    ClassNode c = guarded("java/io/FileInputStream");
    int constructors = 0;
    for (MethodNode m : c.methods) {
      if (m.name.equals("<init>")) {
        constructors++;
        assertEquals("io.file-open java.io.FileInputStream.<init>", leadingGuard(m), m.name + m.desc);
      } else {
        assertNull(leadingGuard(m), m.name + m.desc + " is not guarded");
      }
    }
    assertTrue(constructors >= 3);
  }

  @Test
  void onlyTheNamedMethodWithItsDescriptorIsGuarded() throws Exception {
    ClassNode c = guarded("java/lang/Thread");
    for (MethodNode m : c.methods) {
      String expected = m.name.equals("join") ? "sync.block java.lang.Thread.join" // every overload
          : !m.name.equals("start") ? null
          : m.desc.equals("()V") ? "thread.start java.lang.Thread.start"
          // Java 19+:
          : m.desc.equals("(Ljdk/internal/vm/ThreadContainer;)V") ? "thread.start-in-container java.lang.Thread.start"
          : null;
      assertEquals(expected, leadingGuard(m), m.name + m.desc);
    }
  }

  @Test
  void nativeAndAbstractMethodsAreLeftAlone() throws Exception {
    ClassNode c = guarded("java/io/FileInputStream");
    for (MethodNode m : c.methods) {
      if ((m.access & (Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT)) != 0) {
        assertEquals(0, m.instructions.size(), m.name);
      }
    }
  }

  @Test
  void classesWithoutGuardRulesAreNotTransformed() throws Exception {
    assertNull(installer.transform(null, "java/lang/String", null, null, jdkClass("java/lang/String")));
    assertNull(installer.transform(null, null, null, null, new byte[0]));
  }

  /** Guard rules for members that came with a later Java (the build's tests also run on 25). */
  private static final Map<String, Integer> SINCE_JAVA = Map.of(
      "thread.start-in-container", 19, // Thread.start(ThreadContainer)
      "thread.fork-join-pool-submit", 19, // lazySubmit; externalSubmit 20, submitWithTimeout 25
      "thread.fork-join-pool-schedule", 25);

  @Test
  void everyDefaultGuardRuleGuardsAtLeastOneMethodOfTheRunningJdk() throws Exception {
    List<String> checked = new ArrayList<>();
    for (Rule r : new RuleSet(RulesParser.defaults()).rules()) {
      if (r.kind() != Rule.Kind.FORBID || r.at() != Rule.At.GUARD || existsNot(r.owner())
          || Runtime.version().feature() < SINCE_JAVA.getOrDefault(r.id(), 17)) {
        continue;
      }
      String expected = r.id() + " " + r.owner() + ".";
      boolean any = guarded(r.owner().replace('.', '/')).methods.stream()
          .map(GuardInstallerTest::leadingGuard).anyMatch(g -> g != null && g.startsWith(expected));
      assertTrue(any, r.id() + " guards nothing in " + r.owner());
      checked.add(r.owner());
    }
    assertTrue(checked.contains("java.sql.DriverManager") && checked.contains("jdk.internal.net.http.HttpClientImpl")
        && checked.size() >= 18, "checked " + checked);
  }

  @Test
  void everyGuardedMethodDeclaresTheStackItNeedsAndTheOthersAreUnchanged() throws Exception {
    // The installer computes no maxima: a guarded method gets room for the guard's two arguments.
    // ASM computing them from the output must find the same, method by method.
    for (Rule r : new RuleSet(RulesParser.defaults()).rules()) {
      if (r.kind() == Rule.Kind.FORBID && r.at() == Rule.At.GUARD && !existsNot(r.owner())) {
        assertMaximaAsComputed(installer, r.owner().replace('.', '/'));
      }
    }
    // A method whose own code needs less stack than the guard: Object's constructor needs none.
    Rule tiny = new Rule("test.object-init", Rule.Kind.FORBID, Rule.At.GUARD, "java.lang.Object", Set.of("<init>"),
        "*", null, null, null, "made an object", "none", "test");
    MethodNode init = assertMaximaAsComputed(new GuardInstaller(new RuleSet(List.of(tiny))), "java/lang/Object").stream()
        .filter(m -> m.name.equals("<init>")).findFirst().orElseThrow();
    assertEquals("test.object-init java.lang.Object.<init>", leadingGuard(init));
    assertEquals(2, init.maxStack);
  }

  /** Checks the guarded class's declared maxima against ASM's computation; returns its methods. */
  private static List<MethodNode> assertMaximaAsComputed(GuardInstaller installer, String owner) throws Exception {
    byte[] out = installer.transform(null, owner, null, null, jdkClass(owner));
    org.objectweb.asm.ClassWriter computed = new org.objectweb.asm.ClassWriter(org.objectweb.asm.ClassWriter.COMPUTE_MAXS);
    new org.objectweb.asm.ClassReader(out).accept(computed, 0);
    List<MethodNode> declared = tree(out).methods;
    List<MethodNode> recomputed = tree(computed.toByteArray()).methods;
    List<MethodNode> original = tree(jdkClass(owner)).methods;
    for (int i = 0; i < declared.size(); i++) {
      MethodNode m = declared.get(i);
      assertEquals(recomputed.get(i).maxStack, m.maxStack, owner + "." + m.name + m.desc);
      if (leadingGuard(m) == null) {
        assertEquals(original.get(i).maxStack, m.maxStack, owner + "." + m.name + m.desc + " is unchanged");
      }
    }
    return declared;
  }

  private static boolean existsNot(String className) {
    try {
      Class.forName(className, false, ClassLoader.getPlatformClassLoader());
      return false;
    } catch (ClassNotFoundException e) {
      return true; // java.lang.VirtualThread before Java 19
    }
  }
}
