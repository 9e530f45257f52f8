package dev.durable.internal.model;

/**
 * Versions of the engine's replay semantics: how shims, markers and command matching behave.
 * Each run records the version it started with in {@code WorkflowExecutionStarted}; a newer
 * engine that changes the semantics keeps replaying old runs the old way.
 */
public final class ReplaySemantics {
  /** The first release. */
  public static final int V1 = 1;
  /**
   * Cancellation scopes: canceling the scope of a pending activity records a request to cancel it
   * ({@code ActivityTaskCancelRequested}), and a scope's timers are canceled when it is (in the
   * order they were started). Under V1 a workflow cancel only ended the wait for an activity, and
   * each thread waiting for a timer canceled it when it woke.
   */
  public static final int V2_ACTIVITY_CANCELLATION = 2;
  /**
   * The sandbox's shims of {@code TimeUnit.sleep} (a durable timer), {@code InstantSource}, the
   * ticking clocks, {@code GregorianCalendar}, the {@code java.time.chrono} dates, {@code
   * SplittableRandom}, the Java 17 random generators, {@code Collections.shuffle}, {@code
   * ThreadLocalRandom}'s streams and a rewritten subclass's {@code super()} to {@code Random},
   * {@code Date} or {@code GregorianCalendar} ({@code Shims.JAVA17_SHIMS}). Under V2 those calls did
   * what the plain JDK calls do, and they still do for runs started under it.
   */
  public static final int V3_JAVA17_SHIMS = 3;
  /**
   * The sandbox reports more: a file's attributes and changes to the file tree ({@code
   * File.exists}, {@code Files.size}, {@code Files.delete}, ...), server sockets, datagrams and
   * asynchronous socket channels, system properties read through {@code Integer.getInteger} and
   * friends, the machine's processors, memory, processes and network interfaces, threads started
   * in a thread container ({@code Thread.start(ThreadContainer)}: Java 21's thread-per-task
   * executors, virtual ones included, and structured task scopes), {@code ForkJoinTask.fork()},
   * and {@code ForkJoinPool}'s newer submissions and schedules (which Java 25's {@code
   * CompletableFuture.orTimeout} goes through). Runs started under V3 ran them unreported, and
   * still do.
   */
  public static final int V4_MORE_REPORTS = 4;
  /**
   * Workflow code that waits with plain Java waits durably: {@code CountDownLatch.await}, {@code
   * Future.get} and {@code CompletableFuture.join} in workflow code become {@code Workflow.await}
   * until the latch is open or the future done (with a durable timer when they have a timeout).
   * What would block the workflow thread for good is reported: {@code Object.wait}, barriers,
   * phasers, exchangers, lock conditions (blocking queues), {@code Thread.join}, and a future's
   * blocking wait inside a library. Runs started under V4 make the plain calls, and still do.
   */
  public static final int V5_DURABLE_WAITS = 5;
  /** The semantics new runs start with. */
  public static final int CURRENT = V5_DURABLE_WAITS;

  private ReplaySemantics() {}
}
