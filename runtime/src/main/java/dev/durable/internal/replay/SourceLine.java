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
      return f.toString();
    }
    return "unknown location";
  }
}
