package dev.durable.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * Entry point of {@code -javaagent:durable.jar[=options]}.
 *
 * <p>The jar's manifest puts the jar itself on the bootstrap class path ({@code Boot-Class-Path}),
 * so that JDK classes with guards inlined and rewritten classes of any class loader call the same
 * shims. If the jar was renamed, that entry does not apply; the jar is then appended at run time,
 * which works too but makes the JVM print a warning about class data sharing.
 */
public final class DurableAgent {
  private DurableAgent() {}

  /** Called before {@code main} when the JVM starts with {@code -javaagent}. */
  public static void premain(String args, Instrumentation inst) {
    start(args, inst);
  }

  /** Called when the agent is attached to a running JVM; classes loaded before are not rewritten. */
  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst);
  }

  private static void start(String args, Instrumentation inst) {
    if (DurableAgent.class.getClassLoader() != null) {
      try {
        Path jar = Path.of(DurableAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
      } catch (IOException | URISyntaxException | RuntimeException e) {
        throw fail("DURABLE-221 cannot put durable.jar on the bootstrap class path: " + e
            + ". Keep the jar's file name durable.jar, or add -Xbootclasspath/a:<path to the jar>.", e);
      }
    }
    try {
      Installer.install(AgentConfig.parse(args), inst);
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage(), e);
    }
  }

  private static IllegalStateException fail(String message, Exception cause) {
    // The JVM aborts when premain throws; say why on stderr in plain words first.
    System.err.println("durable agent: " + message);
    return new IllegalStateException(message, cause);
  }
}
