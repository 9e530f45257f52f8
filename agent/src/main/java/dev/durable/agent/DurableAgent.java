package dev.durable.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * Entry point of {@code -javaagent:durable.jar[=options]}.
 *
 * <p>The jar's manifest puts the jar itself on the bootstrap class path ({@code Boot-Class-Path}),
 * so that JDK classes with guards inlined and rewritten classes of any class loader call the same
 * shims. If the jar was renamed, that entry does not apply: the jar is then appended at run time
 * and the agent starts from the bootstrap loader's copy of this class, which works too but makes
 * the JVM print a warning about class data sharing.
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
      startFromBootstrapCopy(args, inst);
      return;
    }
    try {
      Installer.install(AgentConfig.parse(args), inst);
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage(), e);
    }
  }

  /**
   * The jar was not put on the bootstrap class path by its manifest (it was renamed): this class
   * was loaded by the application class loader. The jar is appended to the bootstrap class path,
   * and the agent starts from the bootstrap loader's copy of this class, so that the agent, the
   * shims and the guards are all the bootstrap loader's classes, as with {@code durable.jar}.
   */
  private static void startFromBootstrapCopy(String args, Instrumentation inst) {
    Method premain;
    try {
      Path jar = Path.of(DurableAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
      premain = Class.forName(DurableAgent.class.getName(), true, null)
          .getMethod("premain", String.class, Instrumentation.class);
    } catch (IOException | URISyntaxException | ReflectiveOperationException | RuntimeException e) {
      throw fail("DURABLE-221 cannot put durable.jar on the bootstrap class path: " + e
          + ". Keep the jar's file name durable.jar, or add -Xbootclasspath/a:<path to the jar>.", e);
    }
    try {
      premain.invoke(null, args, inst);
    } catch (InvocationTargetException e) {
      // Already said on stderr by the bootstrap copy; the JVM reports the cause.
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw fail("DURABLE-221 cannot start the agent from the bootstrap class path: " + e, e);
    }
  }

  private static IllegalStateException fail(String message, Exception cause) {
    // The JVM aborts when premain throws; say why on stderr in plain words first.
    System.err.println("durable agent: " + message);
    return new IllegalStateException(message, cause);
  }
}
