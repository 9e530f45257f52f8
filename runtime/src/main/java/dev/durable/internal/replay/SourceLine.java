package dev.durable.internal.replay;

/** Finds the user's source line in a stack: the first frame outside Durable, the JDK and proxies. */
final class SourceLine {
  private SourceLine() {}

  static String ofCurrentThread() {
    return of(new Throwable().getStackTrace());
  }

  static String of(StackTraceElement[] frames) {
    for (StackTraceElement f : frames) {
      String c = f.getClassName();
      if (c.startsWith("dev.durable.internal.") || c.startsWith("dev.durable.workflow.") || c.startsWith("java.")
          || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("com.sun.proxy.") || c.contains("$Proxy")) {
        continue;
      }
      return format(f);
    }
    return "unknown location";
  }

  /**
   * {@code Class.method(File.java:line)}, without the class loader and module prefixes
   * {@link StackTraceElement#toString()} adds to frames taken from a thread rather than a throwable.
   */
  private static String format(StackTraceElement f) {
    String file = f.getFileName() == null ? "Unknown Source"
        : f.getLineNumber() >= 0 ? f.getFileName() + ":" + f.getLineNumber() : f.getFileName();
    return f.getClassName() + "." + f.getMethodName() + "(" + file + ")";
  }
}
