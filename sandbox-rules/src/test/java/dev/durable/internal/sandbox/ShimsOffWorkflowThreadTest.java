package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Without a SandboxState (any thread that is not a workflow thread) every shim does what the original does. */
class ShimsOffWorkflowThreadTest {
  @BeforeEach
  void notAWorkflowThread() {
    SandboxState.restore(null);
    assertNull(SandboxState.hooks());
  }

  @Test
  void timeShimsReadTheSystemClock() {
    long before = System.currentTimeMillis();
    long millis = Shims.currentTimeMillis();
    Instant instant = Shims.clockUTC().instant();
    Instant now = Shims.instantNow();
    long after = System.currentTimeMillis();
    assertTrue(before <= millis && millis <= after);
    assertTrue(before <= instant.toEpochMilli() && instant.toEpochMilli() <= after);
    assertTrue(before <= now.toEpochMilli() && now.toEpochMilli() <= after);

    long nanoBefore = System.nanoTime();
    long nanos = Shims.nanoTime();
    assertTrue(nanoBefore <= nanos && nanos <= System.nanoTime());
  }

  @Test
  void clockShimsReturnTheSystemClocks() {
    assertEquals(Clock.systemUTC(), Shims.clockUTC());
    assertEquals(Clock.systemDefaultZone(), Shims.clockDefaultZone());
    ZoneId paris = ZoneId.of("Europe/Paris");
    assertEquals(Clock.system(paris), Shims.clockOf(paris));
    Clock system = Clock.systemUTC();
    assertSame(system, Shims.clock(system));
  }

  @Test
  void dateAndCalendarAreLeftAsCreated() {
    Date date = new Date(123L);
    assertSame(date, Shims.date(date));
    assertEquals(123L, date.getTime());
    Calendar calendar = Calendar.getInstance();
    calendar.setTimeInMillis(456L);
    assertEquals(456L, Shims.calendar(calendar).getTimeInMillis());
  }

  @Test
  void theJava17ClocksTickingClocksAndNewCalendarsAreTheJdks() {
    assertEquals(InstantSource.system(), Shims.instantSourceSystem());
    ZoneId paris = ZoneId.of("Europe/Paris");
    assertEquals(Clock.tickSeconds(paris), Shims.clockTickSeconds(paris));
    assertEquals(Clock.tickMinutes(paris), Shims.clockTickMinutes(paris));
    assertEquals(Clock.tickMillis(paris), Shims.clockTickMillis(paris));
    GregorianCalendar calendar = new GregorianCalendar();
    calendar.setTimeInMillis(789L);
    assertSame(calendar, Shims.gregorianCalendar(calendar));
    assertEquals(789L, calendar.getTimeInMillis());
  }

  @Test
  void generatorsThatSeedThemselvesAreLeftAsTheJdkMadeThem() {
    SplittableRandom splittable = new SplittableRandom();
    assertSame(splittable, Shims.splittableRandom(splittable));
    assertEquals("L64X128MixRandom", Shims.randomGeneratorOf("L64X128MixRandom").getClass().getSimpleName());
    assertEquals(RandomGenerator.getDefault().getClass(), Shims.randomGeneratorGetDefault().getClass());
    assertEquals("Xoroshiro128PlusPlus",
        Shims.randomGeneratorCreate(RandomGeneratorFactory.of("Xoroshiro128PlusPlus")).getClass().getSimpleName());
    List<Integer> list = new ArrayList<>(List.of(1, 2, 3, 4, 5));
    Shims.shuffle(list);
    assertEquals(List.of(1, 2, 3, 4, 5), list.stream().sorted().toList());
    assertEquals(5, Shims.tlrInts(ThreadLocalRandom.current(), 5, 0, 3).filter(i -> i >= 0 && i < 3).count());
  }

  @Test
  void timeUnitSleepOfZeroOrLessReturnsAtOnceAsTheJdksDoes() throws InterruptedException {
    Shims.timeUnitSleep(TimeUnit.HOURS, 0);
    Shims.timeUnitSleep(TimeUnit.HOURS, -1);
  }

  @Test
  void aSeededRandomKeepsItsSequence() {
    Random shimmed = Shims.random(new Random(42));
    Random plain = new Random(42);
    for (int i = 0; i < 5; i++) {
      assertEquals(plain.nextLong(), shimmed.nextLong());
    }
  }

  @Test
  void randomValuesComeFromTheJdk() {
    double d = Shims.mathRandom();
    assertTrue(d >= 0 && d < 1);
    assertEquals(4, Shims.randomUUID().version());
    assertTrue(Shims.randomUUID() != Shims.randomUUID());
    ThreadLocalRandom tlr = ThreadLocalRandom.current();
    int i = Shims.tlrNextInt(tlr, 5);
    assertTrue(i >= 0 && i < 5);
    long l = Shims.tlrNextLong(tlr, 10, 20);
    assertTrue(l >= 10 && l < 20);
    double g = Shims.tlrNextDouble(tlr, 2.0);
    assertTrue(g >= 0 && g < 2.0);
  }

  @Test
  void sleepSleepsForReal() throws InterruptedException {
    long start = System.nanoTime();
    Shims.sleep(3);
    Shims.sleep(0, 500_000);
    assertTrue(System.nanoTime() - start >= 3_000_000L);
    assertThrows(IllegalArgumentException.class, () -> Shims.sleep(-1));
  }

  @Test
  void sleepingForADurationBehavesLikeThreadSleepOfADuration() throws InterruptedException {
    long start = System.nanoTime();
    Shims.sleep(Duration.ofMillis(-5)); // Thread.sleep(Duration) returns at once for a negative duration
    Shims.sleep(Duration.ofMillis(2));
    assertTrue(System.nanoTime() - start >= 2_000_000L);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> Shims.sleep(Duration.ofSeconds(Long.MAX_VALUE)));
  }
}
