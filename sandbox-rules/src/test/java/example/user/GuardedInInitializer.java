package example.user;

import dev.durable.internal.sandbox.Guards;

/** A class whose static initializer (and a method it calls) does guarded things: it runs once per JVM, so it is exempt. */
final class GuardedInInitializer {
  static final String CONFIG;

  static {
    Guards.guard("io.file-open", "java.io.FileInputStream.<init>");
    Guards.callSite("env.getenv", "java.lang.System.getenv");
    Guards.staticWrite("global.static-write", "example.user.GuardedInInitializer.CONFIG");
    CONFIG = load();
  }

  private GuardedInInitializer() {}

  /** Called by the initializer: still part of initialising the class, so exempt too. */
  private static String load() {
    Guards.guard("io.file-open", "java.io.FileInputStream.<init>");
    Guards.callSite("env.get-property", "java.lang.System.getProperty");
    Guards.staticWrite("global.static-write", "example.user.GuardedInInitializer.CACHE");
    return "loaded";
  }
}
