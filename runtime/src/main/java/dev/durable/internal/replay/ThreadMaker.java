package dev.durable.internal.replay;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Creates workflow threads: virtual threads when the JVM has them (21+, found at run time, since
 * the code is built for 17), platform daemon threads otherwise.
 */
final class ThreadMaker {
  private static final MethodHandle OF_VIRTUAL;
  private static final MethodHandle NAME;
  private static final MethodHandle UNSTARTED;

  static {
    MethodHandle ofVirtual = null;
    MethodHandle name = null;
    MethodHandle unstarted = null;
    try {
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      var lookup = MethodHandles.publicLookup();
      ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
      name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class));
      unstarted = lookup.findVirtual(builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      ofVirtual = null;
    }
    OF_VIRTUAL = ofVirtual;
    NAME = name;
    UNSTARTED = unstarted;
  }

  private ThreadMaker() {}

  /** Returns whether workflow threads are virtual. */
  static boolean virtual() {
    return OF_VIRTUAL != null;
  }

  static Thread newThread(String name, Runnable body) {
    if (OF_VIRTUAL != null) {
      try {
        Object builder = OF_VIRTUAL.invoke();
        builder = NAME.invoke(builder, name);
        return (Thread) UNSTARTED.invoke(builder, body);
      } catch (Throwable e) {
        throw new IllegalStateException("cannot create a virtual thread", e);
      }
    }
    Thread t = new Thread(null, body, name, 512 * 1024);
    t.setDaemon(true);
    return t;
  }
}
