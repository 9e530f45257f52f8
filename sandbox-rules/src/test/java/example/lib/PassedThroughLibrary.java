package example.lib;

import dev.durable.internal.sandbox.Guards;

/** Stands for a library such as a logging framework: a guarded JDK call made from inside it. */
public final class PassedThroughLibrary {
  private PassedThroughLibrary() {}

  /** What a guarded JDK method does when this library calls it. */
  public static void openLogFile() {
    Guards.guard("io.file-open", "java.io.FileOutputStream.<init>");
  }
}
