package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Calendar;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The rewritten samples load (so the bytecode verifies) and, with no workflow on the thread,
 * behave like the originals.
 */
class RewrittenSamplesRunOffWorkflowThreadsTest {
  private final SampleRunner run = new SampleRunner();

  private static void assertBetween(long low, long value, long high) {
    assertTrue(low <= value && value <= high, value + " not in [" + low + ", " + high + "]");
  }

  @Test
  void redirectsMadeInTheConstantPoolGiveSystemValues() throws Throwable {
    long start = System.currentTimeMillis();
    long millis = (Long) run.call("InPlaceSamples", "millis");
    Instant now = (Instant) run.call("InPlaceSamples", "now");
    List<?> references = (List<?>) run.call("InPlaceSamples", "references");
    long end = System.currentTimeMillis();
    assertBetween(start, millis, end);
    assertBetween(start, now.toEpochMilli(), end);
    assertBetween(start, ((Instant) references.get(0)).toEpochMilli(), end);
    assertBetween(start, (Long) references.get(1), end);
    double random = (Double) references.get(2);
    assertTrue(random >= 0 && random < 1, "Math.random() gave " + random);
    assertNotEquals(run.call("InPlaceSamples", "uuid"), run.call("InPlaceSamples", "uuid"));
    Object o = new Object();
    assertEquals(List.of(System.identityHashCode(o), Instant.ofEpochMilli(123L), 4), run.call("InPlaceSamples", "untouched", o));
  }

  @Test
  void timeIsTheSystemTime() throws Throwable {
    long start = System.currentTimeMillis();
    Instant instant = (Instant) run.call("TimeSamples", "instantNow");
    long millis = (long) run.call("TimeSamples", "currentTimeMillis");
    Date date = (Date) run.call("TimeSamples", "newDate");
    Calendar calendar = (Calendar) run.call("TimeSamples", "calendar");
    long end = System.currentTimeMillis();
    assertBetween(start, instant.toEpochMilli(), end);
    assertBetween(start, millis, end);
    assertBetween(start, date.getTime(), end);
    assertBetween(start, calendar.getTimeInMillis(), end);

    long nanoStart = System.nanoTime();
    assertBetween(nanoStart, (long) run.call("TimeSamples", "nanoTime"), System.nanoTime());
    assertEquals(Clock.systemUTC(), run.call("TimeSamples", "systemUtc"));
    assertTrue(((String) run.call("TimeSamples", "nestedNewDate")).length() > 10);
  }

  @Test
  void nowOfAZoneOrAClockIsUnchanged() throws Throwable {
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    LocalDate today = (LocalDate) run.call("TimeSamples", "localDateNow", tokyo);
    assertTrue(Math.abs(ChronoUnit.DAYS.between(LocalDate.now(tokyo), today)) <= 1);
    Clock fixed = Clock.fixed(Instant.parse("2020-01-01T10:00:00Z"), ZoneOffset.UTC);
    assertEquals(LocalDateTime.of(2020, 1, 1, 10, 0), run.call("TimeSamples", "localDateTimeNow", fixed));
    assertEquals(new Date(123L), run.call("TimeSamples", "dateAt123"));
  }

  @Test
  void randomnessIsTheJdks() throws Throwable {
    assertInstanceOf(Random.class, run.call("RandomSamples", "newRandom"));
    Random seeded = (Random) run.call("RandomSamples", "seededRandom");
    assertEquals(new Random(7L).nextLong(), seeded.nextLong());
    assertEquals("example.sample.SubRandom", run.call("RandomSamples", "subclassOfRandom").getClass().getName());
    double d = (double) run.call("RandomSamples", "mathRandom");
    assertTrue(d >= 0 && d < 1);
    int i = (int) run.call("RandomSamples", "threadLocalRandomNextInt");
    assertTrue(i >= 0 && i < 5);
    float f = (float) run.call("RandomSamples", "threadLocalRandomNextFloat");
    assertTrue(f >= 0 && f < 2);
    UUID a = (UUID) run.call("RandomSamples", "randomUuid");
    assertEquals(4, a.version());
    assertNotEquals(a, run.call("RandomSamples", "randomUuid"));
  }

  @Test
  void sleepEnvironmentAndStaticWritesWork() throws Throwable {
    assertTrue((long) run.call("EnvironmentSamples", "sleepFiveMillis") >= 5_000_000L);
    assertEquals(System.getenv("X"), run.call("EnvironmentSamples", "getenv"));
    assertEquals(System.getProperty("x"), run.call("EnvironmentSamples", "getProperty"));
    assertEquals(2, run.call("EnvironmentSamples", "bumpCounter"));
    assertEquals(3, run.call("EnvironmentSamples", "bumpCounter"));
  }

  @Test
  void hostNameLookupsWork() throws Throwable {
    // Literal addresses, and a name given with the address: nothing here asks a name service.
    InetAddress v4 = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    assertEquals(v4, run.call("DnsSamples", "getByName", "127.0.0.1"));
    assertArrayEquals(new InetAddress[] {v4}, (InetAddress[]) run.call("DnsSamples", "getAllByName", "127.0.0.1"));
    assertEquals(v4, run.call("DnsSamples", "getByNameOnInet4Address", "127.0.0.1"));
    assertEquals(v4, run.call("DnsSamples", "getByNameThroughAReference", "127.0.0.1"));
    InetAddress named = InetAddress.getByAddress("durable-test.invalid", new byte[] {127, 0, 0, 1});
    assertEquals("durable-test.invalid", run.call("DnsSamples", "getHostName", named));
    assertEquals("durable-test.invalid", run.call("DnsSamples", "getHostNameOfInet4Address", named));
    assertEquals(new InetSocketAddress(v4, 80), run.call("DnsSamples", "newSocketAddress", "127.0.0.1", 80));
  }

  @Test
  @SuppressWarnings("unchecked")
  void methodReferencesAndLambdasWork() throws Throwable {
    long start = System.currentTimeMillis();
    Instant now = ((Supplier<Instant>) run.call("MethodReferenceSamples", "instantNow")).get();
    assertBetween(start, now.toEpochMilli(), System.currentTimeMillis());
    assertBetween(start, ((LongSupplier) run.call("MethodReferenceSamples", "lambdaMillis")).getAsLong(),
        System.currentTimeMillis());
    assertInstanceOf(Random.class, ((Supplier<Random>) run.call("MethodReferenceSamples", "newRandom")).get());
    assertEquals(4, ((Supplier<UUID>) run.call("MethodReferenceSamples", "randomUuid")).get().version());
    assertEquals(4, ((Supplier<UUID>) run.call("MethodReferenceSamples", "anonymousUuid")).get().version());
    int bound = ((IntUnaryOperator) run.call("MethodReferenceSamples", "boundNextInt")).applyAsInt(3);
    assertTrue(bound >= 0 && bound < 3);
    int unbound = ((BiFunction<ThreadLocalRandom, Integer, Integer>) run.call("MethodReferenceSamples", "unboundNextInt"))
        .apply(ThreadLocalRandom.current(), 3);
    assertTrue(unbound >= 0 && unbound < 3);
    assertEquals(System.getenv("PATH"), ((Function<String, String>) run.call("MethodReferenceSamples", "getenv")).apply("PATH"));
    assertEquals(new Date(5L), ((Function<Long, Date>) run.call("MethodReferenceSamples", "dateOfMillis")).apply(5L));
  }

  @Test
  @SuppressWarnings("unchecked")
  void interfacesRecordsAndEnumsWork() throws Throwable {
    long start = System.currentTimeMillis();
    Object stamp = run.load("TypeSamples$Stamp").getConstructor().newInstance();
    Instant fromDefault = (Instant) run.load("TypeSamples$Stamped").getMethod("stamp").invoke(stamp);
    Instant fromReference = ((Supplier<Instant>) run.call("TypeSamples$Stamped", "clock")).get();
    Object event = run.call("TypeSamples$Event", "now", "shipped");
    Object phase = run.load("TypeSamples$Phase").getEnumConstants()[1];
    Instant fromEnum = (Instant) phase.getClass().getMethod("at").invoke(phase);
    long end = System.currentTimeMillis();
    assertBetween(start, fromDefault.toEpochMilli(), end);
    assertBetween(start, fromReference.toEpochMilli(), end);
    assertBetween(start, fromEnum.toEpochMilli(), end);
    assertTrue(event.toString().startsWith("Event[name=shipped, at="), event.toString());
    assertEquals("END", phase.toString());
  }

  @Test
  void anUnchangedClassRunsAsCompiled() throws Throwable {
    assertEquals("n=3, draw=" + new Random(7L).nextInt(10) + " at 123 123", run.call("UnchangedSample", "describe", 3));
  }
}
