package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The scan decides which classes and methods the rewriters look at; ASM visiting every method of
 * every class, with the rules asked about each call, is the reference. Over every class of the
 * test class path (the libraries, the samples, these tests), the agent's path must rewrite the
 * same classes and give the same code: a member the scan does not mark has no rule.
 *
 * <p>Not the JDK's classes: the agent leaves them alone, and for them the reference also checks
 * writes to JDK statics, which the scan does not look for (docs/sandbox.md).
 */
class ScanAgreesWithAsmTest {
  private static final CallSiteRewriter REWRITER = new CallSiteRewriter(new RuleSet(RulesParser.defaults()), false);

  @Test
  void everyClassOfTheClassPathIsRewrittenAsAsmVisitingEveryMethodRewritesIt() throws IOException {
    int classes = 0;
    int rewritten = 0;
    List<String> differ = new ArrayList<>();
    for (byte[] bytes : classesOfTheClassPath()) {
      if (!ClassFile.asmReads(bytes)) {
        continue;
      }
      classes++;
      byte[] reference = REWRITER.rewriteWithAsm(bytes, null);
      byte[] agent = REWRITER.rewrite(bytes);
      if (reference == null && agent == null) {
        continue;
      }
      rewritten++;
      String name = new ClassFile(bytes).className();
      if (reference == null || agent == null) {
        differ.add(name + (agent == null ? ": not rewritten" : ": rewritten though ASM changes nothing"));
      } else if (!DirectRewriterTest.render(reference).equals(DirectRewriterTest.render(agent))) {
        differ.add(name + ": rewritten otherwise");

      }
    }
    assertEquals(List.of(), differ, "of " + classes + " classes");
    assertTrue(classes > 1_000 && rewritten > 20, classes + " classes, " + rewritten + " rewritten");
  }

  private static List<byte[]> classesOfTheClassPath() throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.walk(path)) {
          for (Path f : (Iterable<Path>) files.filter(ScanAgreesWithAsmTest::isClass)::iterator) {
            out.add(Files.readAllBytes(f));
          }
        }
      } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
        try (JarFile jar = new JarFile(path.toFile())) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry je = e.nextElement();
            if (je.getName().endsWith(".class") && !je.getName().startsWith("META-INF/")
                && !je.getName().endsWith("module-info.class")) {
              try (InputStream in = jar.getInputStream(je)) {
                out.add(in.readAllBytes());
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static boolean isClass(Path f) {
    String name = f.getFileName().toString();
    return name.endsWith(".class") && !name.equals("module-info.class");
  }
}
