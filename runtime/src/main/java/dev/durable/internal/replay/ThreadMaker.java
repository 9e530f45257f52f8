package dev.durable.internal.replay;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts workflow threads: virtual threads when the JVM has them (21+, found at run time, since
 * the code is built for 17); otherwise platform daemon threads, which a worker's instance reuses
 * for later runs instead of creating one per run.
 *
 * <p>A pooled thread carries the name of the workflow thread it runs ({@code workflow[id]...}) only
 * while it runs it, and leaves nothing of the run behind: the body clears its thread locals and the
 * pool clears the interrupt status.
 */
public final class ThreadMaker {
  private static final MethodHandle OF_VIRTUAL;
  private static final MethodHandle NAME;
  private static final MethodHandle UNSTARTED;
  /** The stack of a replayer's workflow thread, which runs workflow code only. */
  private static final long STACK_SIZE = 512 * 1024;
  /**
   * A pooled thread's stack: the JVM's default (0), as for any other thread of the application,
   * since a pooled workflow thread also runs the activities of a chain it carries.
   */
  private static final long POOLED_STACK_SIZE = 0;
  private static final String IDLE = "durable-workflow-idle";
  /** Makes a new thread for every workflow thread: for replayers, which run a few runs and go. */
  static final ThreadMaker UNPOOLED = new ThreadMaker(false);

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

  private final ThreadPoolExecutor pool;

  private ThreadMaker(boolean pooled) {
    AtomicInteger n = new AtomicInteger();
    this.pool = pooled && OF_VIRTUAL == null
        ? new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
          Thread t = new Thread(null, r, IDLE + "-" + n.incrementAndGet(), POOLED_STACK_SIZE);
          t.setDaemon(true);
          return t;
        })
        : null;
  }

  /** Returns a maker that reuses platform threads (on 17-20) until {@link #shutdown()}: one per worker. */
  public static ThreadMaker pooled() {
    return new ThreadMaker(true);
  }

  /** Returns whether this maker's threads are platform threads (JDK 17–20), not virtual ones. */
  public boolean platformThreads() {
    return OF_VIRTUAL == null;
  }

  /** Runs {@code body} on a workflow thread named {@code name}. */
  void start(String name, Runnable body) {
    if (pool != null) {
      try {
        pool.execute(() -> {
          Thread t = Thread.currentThread();
          String idle = t.getName();
          t.setName(name);
          try {
            body.run();
          } finally {
            t.setName(idle);
            Thread.interrupted();
          }
        });
        return;
      } catch (RejectedExecutionException e) {
        // the worker is closing: a thread of its own lets the run unwind as before
      }
    }
    newThread(name, body).start();
  }

  /**
   * Ends the pooled threads once the runs using them were destroyed (which unwinds their threads),
   * waiting a moment for them, so that a closed worker leaves no threads behind.
   */
  public void shutdown() {
    if (pool != null) {
      pool.shutdown();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Thread newThread(String name, Runnable body) {
    if (OF_VIRTUAL != null) {
      try {
        Object builder = OF_VIRTUAL.invoke();
        builder = NAME.invoke(builder, name);
        return (Thread) UNSTARTED.invoke(builder, body);
      } catch (Throwable e) {
        throw new IllegalStateException("cannot create a virtual thread", e);
      }
    }
    Thread t = new Thread(null, body, name, STACK_SIZE);
    t.setDaemon(true);
    return t;
  }
}
