package dev.durable.bench;

import java.lang.reflect.Method;

/**
 * Optional async-profiler around the measured phase of a workload, for finding where the time
 * goes without the warm-up in the profile: {@code -Dbench.profile=<libasyncProfiler.so>} (from the
 * async-profiler release or its Maven jar {@code tools.profiler:async-profiler}), with
 * {@code -Dbench.profile.args} for the start arguments (default: CPU time sampled every
 * millisecond, per thread, collapsed stacks to {@code /tmp/durable-<workload>.collapsed}).
 * The profiler's Java API is looked up reflectively in that jar, so the bench needs no dependency.
 */
final class Profiler {
  private static Object profiler;
  private static String output;

  private Profiler() {}

  static void start(String workload) {
    String lib = System.getProperty("bench.profile");
    if (lib == null) {
      return;
    }
    String args = System.getProperty("bench.profile.args",
        "start,event=itimer,interval=1ms,threads,collapsed,file=/tmp/durable-" + workload + ".collapsed");
    try {
      Class<?> c = Class.forName("one.profiler.AsyncProfiler");
      profiler = c.getMethod("getInstance", String.class).invoke(null, lib);
      execute(args);
      output = args.replaceFirst("^start", "stop");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("bench.profile: cannot start async-profiler from " + lib
          + " (put its jar on the class path): " + e, e);
    }
  }

  static void stop() {
    if (profiler != null) {
      try {
        execute(output);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("bench.profile: cannot stop async-profiler: " + e, e);
      }
      profiler = null;
    }
  }

  private static void execute(String command) throws ReflectiveOperationException {
    Method m = profiler.getClass().getMethod("execute", String.class);
    System.err.println("async-profiler: " + m.invoke(profiler, command));
  }
}
