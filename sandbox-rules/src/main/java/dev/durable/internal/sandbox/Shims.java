package dev.durable.internal.sandbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * Targets of redirected calls. On a workflow thread each returns the deterministic value (workflow
 * time, the run's random stream, a durable timer); on any other thread it does exactly what the
 * original call does. Rewritten code calls these, so every method must stay public and static,
 * and a rule names it as {@code Shims#name(descriptor)return}.
 */
public final class Shims {
  /**
   * The replay semantics (the runtime's {@code ReplaySemantics.V3_JAVA17_SHIMS}) from which the
   * shims of {@code TimeUnit.sleep}, {@code InstantSource}, ticking clocks, {@code
   * GregorianCalendar}, the {@code java.time.chrono} dates, {@code SplittableRandom}, the Java 17
   * random generators, {@code Collections.shuffle}, {@code ThreadLocalRandom}'s streams and {@link
   * #afterSuper} act. A run started before does what the plain calls do, as it did when it ran.
   */
  public static final int JAVA17_SHIMS = 3;
  /**
   * The replay semantics (the runtime's {@code ReplaySemantics.V5_DURABLE_WAITS}) from which a
   * workflow thread's {@code CountDownLatch.await}, {@code Future.get} and {@code
   * CompletableFuture.join} wait durably ({@code Workflow.await}). A run started before does what
   * the plain calls do, as it did when it ran.
   */
  public static final int DURABLE_WAITS = 5;
  private static final Class<?> SYSTEM_CLOCK = Clock.systemUTC().getClass();
  private static final Duration LONGEST_SLEEP = Duration.ofMillis(Long.MAX_VALUE);

  private Shims() {}

  /** The hooks of a workflow thread whose run started with the replay semantics {@code since} or later; else null. */
  private static WorkflowHooks hooksSince(int since) {
    WorkflowHooks h = SandboxState.hooks();
    return h != null && h.replaySemantics() >= since ? h : null;
  }

  // ------------------------------------------------------------ time

  /** {@code Clock.systemUTC()}. */
  public static Clock clockUTC() {
    WorkflowHooks h = SandboxState.hooks();
    return h == null ? Clock.systemUTC() : new WorkflowClock(h, ZoneOffset.UTC);
  }

  /**
   * {@code Instant.now()}. Not {@code Instant.now(clockDefaultZone())} like the other types' {@code now()}: an
   * instant has no zone, and the default zone's first lookup loads the time zone data (11 to 40 ms in a
   * fresh JVM), which {@code Instant.now()} itself never does.
   */
  public static Instant instantNow() {
    WorkflowHooks h = SandboxState.hooks();
    return h == null ? Instant.now() : h.now();
  }

  /** {@code Clock.tickSeconds(zone)}: a clock of workflow time in that zone, ticking in whole seconds. */
  public static Clock clockTickSeconds(ZoneId zone) {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? Clock.tickSeconds(zone) : Clock.tick(new WorkflowClock(h, zone), Duration.ofSeconds(1));
  }

  /** {@code Clock.tickMinutes(zone)}. */
  public static Clock clockTickMinutes(ZoneId zone) {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? Clock.tickMinutes(zone) : Clock.tick(new WorkflowClock(h, zone), Duration.ofMinutes(1));
  }

  /** {@code Clock.tickMillis(zone)}. */
  public static Clock clockTickMillis(ZoneId zone) {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? Clock.tickMillis(zone) : Clock.tick(new WorkflowClock(h, zone), Duration.ofMillis(1));
  }

  /** The clock a {@code java.time.chrono} date's {@code now()} reads: the workflow clock in the default zone. */
  public static Clock chronoClock() {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? Clock.systemDefaultZone() : new WorkflowClock(h, ZoneId.systemDefault());
  }

  /** The clock a {@code java.time.chrono} date's {@code now(zone)} reads. */
  public static Clock chronoClock(ZoneId zone) {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? Clock.system(zone) : new WorkflowClock(h, zone);
  }

  /** The clock a {@code java.time.chrono} date's {@code now(clock)} reads: a system clock becomes the workflow's. */
  public static Clock chronoClock(Clock clock) {
    return hooksSince(JAVA17_SHIMS) == null ? clock : clock(clock);
  }

  /** {@code InstantSource.system()} (Java 17): the clock of workflow time in UTC. */
  public static InstantSource instantSourceSystem() {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? InstantSource.system() : new WorkflowClock(h, ZoneOffset.UTC);
  }

  /** {@code Clock.systemDefaultZone()}; also what a no-argument {@code now()} of the zoned types reads. */
  public static Clock clockDefaultZone() {
    WorkflowHooks h = SandboxState.hooks();
    return h == null ? Clock.systemDefaultZone() : new WorkflowClock(h, ZoneId.systemDefault());
  }

  /** {@code Clock.system(zone)}; also what {@code now(zone)} reads. */
  public static Clock clockOf(ZoneId zone) {
    WorkflowHooks h = SandboxState.hooks();
    return h == null ? Clock.system(zone) : new WorkflowClock(h, zone);
  }

  /** The clock passed to {@code now(clock)}: a system clock becomes the workflow clock, others stay. */
  public static Clock clock(Clock clock) {
    WorkflowHooks h = SandboxState.hooks();
    if (h == null || clock == null || clock.getClass() != SYSTEM_CLOCK) {
      return clock;
    }
    return new WorkflowClock(h, clock.getZone());
  }

  /** {@code System.currentTimeMillis()}. */
  public static long currentTimeMillis() {
    WorkflowHooks h = SandboxState.hooks();
    return h == null ? System.currentTimeMillis() : h.now().toEpochMilli();
  }

  /** {@code System.nanoTime()}: workflow time in nanoseconds, which is monotonic within a run. */
  public static long nanoTime() {
    WorkflowHooks h = SandboxState.hooks();
    if (h == null) {
      return System.nanoTime();
    }
    Instant now = h.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Applied to {@code new Date()}. */
  public static Date date(Date date) {
    WorkflowHooks h = SandboxState.hooks();
    if (h != null) {
      date.setTime(h.now().toEpochMilli());
    }
    return date;
  }

  /** Applied to the result of {@code Calendar.getInstance(...)}. */
  public static Calendar calendar(Calendar calendar) {
    WorkflowHooks h = SandboxState.hooks();
    if (h != null) {
      calendar.setTimeInMillis(h.now().toEpochMilli());
    }
    return calendar;
  }

  /** Applied to {@code new GregorianCalendar()} and its zone and locale variants, which read the clock. */
  public static GregorianCalendar gregorianCalendar(GregorianCalendar calendar) {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    if (h != null) {
      calendar.setTimeInMillis(h.now().toEpochMilli());
    }
    return calendar;
  }

  // ------------------------------------------------------------ sleeping

  /** {@code Thread.sleep(millis)}: a durable timer on a workflow thread. */
  public static void sleep(long millis) throws InterruptedException {
    WorkflowHooks h = SandboxState.hooks();
    if (h == null) {
      Thread.sleep(millis);
    } else {
      if (millis < 0) {
        throw new IllegalArgumentException("timeout value is negative");
      }
      h.sleep(Duration.ofMillis(millis));
    }
  }

  /** {@code Thread.sleep(millis, nanos)}. */
  public static void sleep(long millis, int nanos) throws InterruptedException {
    WorkflowHooks h = SandboxState.hooks();
    if (h == null) {
      Thread.sleep(millis, nanos);
    } else {
      if (millis < 0 || nanos < 0 || nanos > 999_999) {
        throw new IllegalArgumentException("timeout value out of range");
      }
      h.sleep(Duration.ofMillis(millis).plusNanos(nanos));
    }
  }

  /** {@code Thread.sleep(Duration)} (Java 19+). */
  public static void sleep(Duration duration) throws InterruptedException {
    WorkflowHooks h = SandboxState.hooks();
    if (h == null) {
      // As Thread.sleep(Duration): a negative duration does not sleep, a huge one sleeps "forever".
      if (duration.isNegative()) {
        return;
      }
      Duration d = duration.compareTo(LONGEST_SLEEP) > 0 ? LONGEST_SLEEP : duration;
      long millis = d.toMillis();
      Thread.sleep(millis, (int) (d.minusMillis(millis).toNanos()));
    } else {
      h.sleep(duration);
    }
  }

  /**
   * {@code unit.sleep(timeout)}: a durable timer on a workflow thread, as {@code Thread.sleep}; no
   * sleep for a timeout of zero or less, as the original.
   */
  public static void timeUnitSleep(TimeUnit unit, long timeout) throws InterruptedException {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    if (h == null) {
      unit.sleep(timeout);
    } else if (timeout > 0) {
      h.sleep(durationOf(timeout, unit));
    }
  }

  // ------------------------------------------------------------ waiting

  /**
   * {@code latch.await()}: on a workflow thread, a durable wait until the count is zero
   * ({@code Workflow.await}), which a signal or update handler's {@code countDown()} ends.
   */
  public static void latchAwait(CountDownLatch latch) throws InterruptedException {
    WorkflowHooks h = hooksSince(DURABLE_WAITS);
    if (h == null) {
      latch.await();
    } else if (latch.getCount() > 0) {
      h.await(null, () -> latch.getCount() == 0);
    }
  }

  /** {@code latch.await(timeout, unit)}: a durable wait with a durable timer; false when the timer fired first. */
  public static boolean latchAwait(CountDownLatch latch, long timeout, TimeUnit unit) throws InterruptedException {
    WorkflowHooks h = hooksSince(DURABLE_WAITS);
    if (h == null) {
      return latch.await(timeout, unit);
    }
    return latch.getCount() == 0 || h.await(durationOf(timeout, unit), () -> latch.getCount() == 0);
  }

  /**
   * {@code future.get()} (also of a {@code CompletableFuture} or {@code FutureTask}): on a
   * workflow thread, a durable wait until the future is done, which a signal or update handler's
   * {@code complete(..)} makes it; then the plain call, which no longer blocks.
   */
  public static Object futureGet(Future<?> future) throws InterruptedException, ExecutionException {
    awaitDone(future);
    return future.get();
  }

  /** {@code future.get(timeout, unit)}: a durable wait with a durable timer; a {@code TimeoutException} when it fired first. */
  public static Object futureGet(Future<?> future, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    WorkflowHooks h = hooksSince(DURABLE_WAITS);
    if (h == null) {
      return future.get(timeout, unit);
    }
    if (!future.isDone() && !h.await(durationOf(timeout, unit), future::isDone)) {
      throw new TimeoutException("no result within " + timeout + " " + unit.toString().toLowerCase(Locale.ROOT)
          + " of workflow time");
    }
    return future.get();
  }

  /** {@code future.join()} of a {@code CompletableFuture}: as {@link #futureGet(Future)}. */
  public static Object completableFutureJoin(CompletableFuture<?> future) {
    awaitDone(future);
    return future.join();
  }

  /** A timeout as a duration; {@code toNanos} saturates, so a huge one is "forever" (292 years). */
  private static Duration durationOf(long timeout, TimeUnit unit) {
    return Duration.ofNanos(unit.toNanos(timeout));
  }

  private static void awaitDone(Future<?> future) {
    WorkflowHooks h = hooksSince(DURABLE_WAITS);
    if (h != null && !future.isDone()) {
      h.await(null, future::isDone);
    }
  }

  // ------------------------------------------------------------ randomness

  /** Applied to {@code new Random()}: reseeded from the run's random stream. */
  public static Random random(Random random) {
    WorkflowHooks h = SandboxState.hooks();
    if (h != null) {
      random.setSeed(h.random().nextLong());
    }
    return random;
  }

  /**
   * Called by a rewritten subclass's constructor right after its {@code super()} call to a
   * constructor that a default rule adjusts ({@code new Random()}, {@code new Date()}, {@code new
   * GregorianCalendar(...)}): adjusts the object as that rule's shim adjusts a new one.
   */
  public static void afterSuper(Object constructed) {
    if (hooksSince(JAVA17_SHIMS) == null) {
      return;
    }
    if (constructed instanceof Random r) {
      random(r);
    } else if (constructed instanceof GregorianCalendar c) {
      gregorianCalendar(c);
    } else if (constructed instanceof Date d) {
      date(d);
    }
  }

  /** Applied to {@code new SplittableRandom()}: one seeded from the run's random stream instead. */
  public static SplittableRandom splittableRandom(SplittableRandom random) {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? random : new SplittableRandom(h.random().nextLong());
  }

  /** {@code RandomGenerator.getDefault()} (Java 17): the default algorithm, seeded from the run's random stream. */
  public static RandomGenerator randomGeneratorGetDefault() {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? RandomGenerator.getDefault() : RandomGeneratorFactory.getDefault().create(h.random().nextLong());
  }

  /** {@code RandomGenerator.of(name)} (Java 17): that algorithm, seeded from the run's random stream. */
  public static RandomGenerator randomGeneratorOf(String name) {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? RandomGenerator.of(name) : RandomGeneratorFactory.of(name).create(h.random().nextLong());
  }

  /** {@code factory.create()} (Java 17): seeded from the run's random stream. */
  public static RandomGenerator randomGeneratorCreate(RandomGeneratorFactory<?> factory) {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? factory.create() : factory.create(h.random().nextLong());
  }

  /** {@code Collections.shuffle(list)}, which draws from a generator of its own: here from the run's random stream. */
  public static void shuffle(List<?> list) {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    if (h == null) {
      Collections.shuffle(list);
    } else {
      Collections.shuffle(list, h.random());
    }
  }

  /** {@code Math.random()}. */
  public static double mathRandom() {
    WorkflowHooks h = SandboxState.hooks();
    return h == null ? Math.random() : h.random().nextDouble();
  }

  /** {@code UUID.randomUUID()}. */
  public static UUID randomUUID() {
    WorkflowHooks h = SandboxState.hooks();
    return h == null ? UUID.randomUUID() : h.randomUUID();
  }

  private static Random rnd() {
    WorkflowHooks h = SandboxState.hooks();
    return h == null ? null : h.random();
  }

  /** {@link #rnd()} for the shims of {@link #JAVA17_SHIMS}. */
  private static Random rnd17() {
    WorkflowHooks h = hooksSince(JAVA17_SHIMS);
    return h == null ? null : h.random();
  }

  // ThreadLocalRandom cannot be replaced (its constructor is private), so calls on it are
  // redirected one by one: receiver first, then the original arguments.

  public static int tlrNextInt(ThreadLocalRandom r) {
    Random d = rnd();
    return d == null ? r.nextInt() : d.nextInt();
  }

  public static int tlrNextInt(ThreadLocalRandom r, int bound) {
    Random d = rnd();
    return d == null ? r.nextInt(bound) : d.nextInt(bound);
  }

  public static int tlrNextInt(ThreadLocalRandom r, int origin, int bound) {
    Random d = rnd();
    return d == null ? r.nextInt(origin, bound) : d.nextInt(origin, bound);
  }

  public static long tlrNextLong(ThreadLocalRandom r) {
    Random d = rnd();
    return d == null ? r.nextLong() : d.nextLong();
  }

  public static long tlrNextLong(ThreadLocalRandom r, long bound) {
    Random d = rnd();
    return d == null ? r.nextLong(bound) : d.nextLong(bound);
  }

  public static long tlrNextLong(ThreadLocalRandom r, long origin, long bound) {
    Random d = rnd();
    return d == null ? r.nextLong(origin, bound) : d.nextLong(origin, bound);
  }

  public static double tlrNextDouble(ThreadLocalRandom r) {
    Random d = rnd();
    return d == null ? r.nextDouble() : d.nextDouble();
  }

  public static double tlrNextDouble(ThreadLocalRandom r, double bound) {
    Random d = rnd();
    return d == null ? r.nextDouble(bound) : d.nextDouble(bound);
  }

  public static double tlrNextDouble(ThreadLocalRandom r, double origin, double bound) {
    Random d = rnd();
    return d == null ? r.nextDouble(origin, bound) : d.nextDouble(origin, bound);
  }

  public static float tlrNextFloat(ThreadLocalRandom r) {
    Random d = rnd();
    return d == null ? r.nextFloat() : d.nextFloat();
  }

  public static float tlrNextFloat(ThreadLocalRandom r, float bound) {
    Random d = rnd();
    return d == null ? r.nextFloat(bound) : d.nextFloat(bound);
  }

  public static float tlrNextFloat(ThreadLocalRandom r, float origin, float bound) {
    Random d = rnd();
    return d == null ? r.nextFloat(origin, bound) : d.nextFloat(origin, bound);
  }

  public static boolean tlrNextBoolean(ThreadLocalRandom r) {
    Random d = rnd();
    return d == null ? r.nextBoolean() : d.nextBoolean();
  }

  public static double tlrNextGaussian(ThreadLocalRandom r) {
    Random d = rnd();
    return d == null ? r.nextGaussian() : d.nextGaussian();
  }

  public static double tlrNextGaussian(ThreadLocalRandom r, double mean, double stddev) {
    Random d = rnd();
    return d == null ? r.nextGaussian(mean, stddev) : d.nextGaussian(mean, stddev);
  }

  public static void tlrNextBytes(ThreadLocalRandom r, byte[] bytes) {
    Random d = rnd();
    if (d == null) {
      r.nextBytes(bytes);
    } else {
      d.nextBytes(bytes);
    }
  }

  public static double tlrNextExponential(ThreadLocalRandom r) {
    Random d = rnd17();
    return d == null ? r.nextExponential() : d.nextExponential();
  }

  // The streams draw from the run's random stream as they are consumed, on the thread that consumes them.

  public static IntStream tlrInts(ThreadLocalRandom r) {
    Random d = rnd17();
    return d == null ? r.ints() : d.ints();
  }

  public static IntStream tlrInts(ThreadLocalRandom r, long size) {
    Random d = rnd17();
    return d == null ? r.ints(size) : d.ints(size);
  }

  public static IntStream tlrInts(ThreadLocalRandom r, int origin, int bound) {
    Random d = rnd17();
    return d == null ? r.ints(origin, bound) : d.ints(origin, bound);
  }

  public static IntStream tlrInts(ThreadLocalRandom r, long size, int origin, int bound) {
    Random d = rnd17();
    return d == null ? r.ints(size, origin, bound) : d.ints(size, origin, bound);
  }

  public static LongStream tlrLongs(ThreadLocalRandom r) {
    Random d = rnd17();
    return d == null ? r.longs() : d.longs();
  }

  public static LongStream tlrLongs(ThreadLocalRandom r, long size) {
    Random d = rnd17();
    return d == null ? r.longs(size) : d.longs(size);
  }

  public static LongStream tlrLongs(ThreadLocalRandom r, long origin, long bound) {
    Random d = rnd17();
    return d == null ? r.longs(origin, bound) : d.longs(origin, bound);
  }

  public static LongStream tlrLongs(ThreadLocalRandom r, long size, long origin, long bound) {
    Random d = rnd17();
    return d == null ? r.longs(size, origin, bound) : d.longs(size, origin, bound);
  }

  public static DoubleStream tlrDoubles(ThreadLocalRandom r) {
    Random d = rnd17();
    return d == null ? r.doubles() : d.doubles();
  }

  public static DoubleStream tlrDoubles(ThreadLocalRandom r, long size) {
    Random d = rnd17();
    return d == null ? r.doubles(size) : d.doubles(size);
  }

  public static DoubleStream tlrDoubles(ThreadLocalRandom r, double origin, double bound) {
    Random d = rnd17();
    return d == null ? r.doubles(origin, bound) : d.doubles(origin, bound);
  }

  public static DoubleStream tlrDoubles(ThreadLocalRandom r, long size, double origin, double bound) {
    Random d = rnd17();
    return d == null ? r.doubles(size, origin, bound) : d.doubles(size, origin, bound);
  }

  // ------------------------------------------------------------ host names

  /** {@code InetAddress.getByName(host)}: reported as a lookup (net.dns-lookup) unless {@code host} is an address. */
  public static InetAddress inetAddressGetByName(String host) throws UnknownHostException {
    checkLookup(host, "getByName");
    return InetAddress.getByName(host);
  }

  /** {@code InetAddress.getAllByName(host)}: as {@link #inetAddressGetByName}. */
  public static InetAddress[] inetAddressGetAllByName(String host) throws UnknownHostException {
    checkLookup(host, "getAllByName");
    return InetAddress.getAllByName(host);
  }

  private static void checkLookup(String host, String method) {
    if (SandboxState.hooks() != null && !isAddressLiteral(host)) {
      Guards.callSite("net.dns-lookup", "java.net.InetAddress." + method);
    }
  }

  /**
   * Whether the JDK takes {@code host} as an address without asking the network: none (the
   * loopback address), four decimal numbers 0 to 255 without leading zeros, or an IPv6 literal
   * (bracketed or not) without a zone. Anything else may be a name to look up, and so is not.
   */
  static boolean isAddressLiteral(String host) {
    if (host == null || host.isEmpty()) {
      return true;
    }
    String h = host.charAt(0) == '[' && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.indexOf(':') >= 0 ? isIpv6Literal(h) : h == host && isIpv4Literal(h);
  }

  private static boolean isIpv4Literal(String h) {
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
          || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * Hex digits, colons and dots only, starting with a hex digit or a colon: the JDK parses such a
   * host as an IPv6 address, or refuses it, without a lookup either way.
   */
  private static boolean isIpv6Literal(String h) {
    char first = h.charAt(0);
    return (first == ':' || isHexDigit(first)) && h.chars().allMatch(c -> c == ':' || c == '.' || isHexDigit(c));
  }

  private static boolean isHexDigit(int c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
