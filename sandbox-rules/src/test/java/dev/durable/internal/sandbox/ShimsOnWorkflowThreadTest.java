package dev.durable.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With a SandboxState (a workflow thread) the shims answer from the run's hooks. */
class ShimsOnWorkflowThreadTest {
  private final FakeHooks hooks = new FakeHooks();
  private WorkflowHooks previous;

  @BeforeEach
  void enterWorkflowThread() {
    previous = SandboxState.enter(hooks);
  }

  @AfterEach
  void leaveWorkflowThread() {
    SandboxState.restore(previous);
  }

  @Test
  void timeIsWorkflowTime() {
    assertEquals(FakeHooks.NOW, Shims.instantNow());
    assertEquals(FakeHooks.NOW.toEpochMilli(), Shims.currentTimeMillis());
    assertEquals(FakeHooks.NOW.getEpochSecond() * 1_000_000_000L + FakeHooks.NOW.getNano(), Shims.nanoTime());
    assertEquals(FakeHooks.NOW.toEpochMilli(), Shims.date(new Date()).getTime());
    assertEquals(FakeHooks.NOW.toEpochMilli(), Shims.calendar(Calendar.getInstance()).getTimeInMillis());
  }

  @Test
  void systemClocksBecomeWorkflowClocksInTheirZone() {
    Clock utc = Shims.clockUTC();
    assertInstanceOf(WorkflowClock.class, utc);
    assertEquals(ZoneOffset.UTC, utc.getZone());
    assertEquals(FakeHooks.NOW, utc.instant());
    assertEquals(ZoneId.systemDefault(), Shims.clockDefaultZone().getZone());
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    Clock inTokyo = Shims.clockOf(tokyo);
    assertEquals(LocalDateTime.ofInstant(FakeHooks.NOW, tokyo), LocalDateTime.now(inTokyo));
  }

  @Test
  void aSystemClockPassedToNowBecomesAWorkflowClockButOtherClocksAreKept() {
    Clock utc = Shims.clock(Clock.systemUTC());
    assertInstanceOf(WorkflowClock.class, utc);
    assertEquals(ZoneOffset.UTC, utc.getZone());
    Clock passed = Shims.clock(Clock.system(ZoneId.of("Europe/Paris")));
    assertInstanceOf(WorkflowClock.class, passed);
    assertEquals(ZoneId.of("Europe/Paris"), passed.getZone());
    assertEquals(FakeHooks.NOW, Instant.now(passed));

    Clock fixed = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    assertSame(fixed, Shims.clock(fixed));
    Clock workflow = Shims.clockUTC();
    assertSame(workflow, Shims.clock(workflow));
  }

  @Test
  void aNewRandomIsReseededFromTheRunsStream() {
    Random expected = new Random(new Random(FakeHooks.SEED).nextLong());
    Random shimmed = Shims.random(new Random());
    for (int i = 0; i < 5; i++) {
      assertEquals(expected.nextInt(), shimmed.nextInt());
    }
  }

  @Test
  void randomValuesComeFromTheRunsStream() {
    Random expected = new Random(FakeHooks.SEED);
    ThreadLocalRandom tlr = ThreadLocalRandom.current();
    assertEquals(expected.nextDouble(), Shims.mathRandom());
    assertEquals(expected.nextInt(5), Shims.tlrNextInt(tlr, 5));
    assertEquals(expected.nextInt(3, 9), Shims.tlrNextInt(tlr, 3, 9));
    assertEquals(expected.nextLong(), Shims.tlrNextLong(tlr));
    assertEquals(expected.nextBoolean(), Shims.tlrNextBoolean(tlr));
    assertEquals(expected.nextGaussian(), Shims.tlrNextGaussian(tlr));
    byte[] want = new byte[8];
    byte[] got = new byte[8];
    expected.nextBytes(want);
    Shims.tlrNextBytes(tlr, got);
    assertArrayEquals(want, got);
    assertEquals(FakeHooks.UUID_VALUE, Shims.randomUUID());
  }

  @Test
  void sleepIsADurableTimer() throws InterruptedException {
    long start = System.nanoTime();
    Shims.sleep(60_000);
    Shims.sleep(1, 5);
    Shims.sleep(Duration.ofHours(2));
    assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMillis(1).plusNanos(5), Duration.ofHours(2)), hooks.sleeps);
    assertFalse(System.nanoTime() - start > 5_000_000_000L, "did not really sleep");
    assertThrows(IllegalArgumentException.class, () -> Shims.sleep(-1));
    assertThrows(IllegalArgumentException.class, () -> Shims.sleep(0, 1_000_000));
  }

  @Test
  void theJava17ClocksAndTickingClocksReadWorkflowTime() {
    assertEquals(FakeHooks.NOW, Shims.instantSourceSystem().instant());
    assertEquals(FakeHooks.NOW.truncatedTo(ChronoUnit.SECONDS), Shims.clockTickSeconds(ZoneOffset.UTC).instant());
    assertEquals(FakeHooks.NOW.truncatedTo(ChronoUnit.MINUTES), Shims.clockTickMinutes(ZoneOffset.UTC).instant());
    assertEquals(FakeHooks.NOW.truncatedTo(ChronoUnit.MILLIS), Shims.clockTickMillis(ZoneOffset.UTC).instant());
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    assertEquals(tokyo, Shims.clockTickSeconds(tokyo).getZone());
    assertEquals(FakeHooks.NOW.toEpochMilli(), Shims.gregorianCalendar(new GregorianCalendar()).getTimeInMillis());
  }

  @Test
  void generatorsThatSeedThemselvesAreSeededFromTheRunsStream() {
    Random seeds = new Random(FakeHooks.SEED);
    assertEquals(new SplittableRandom(seeds.nextLong()).nextLong(),
        Shims.splittableRandom(new SplittableRandom()).nextLong());
    assertEquals(RandomGeneratorFactory.getDefault().create(seeds.nextLong()).nextLong(),
        Shims.randomGeneratorGetDefault().nextLong());
    assertEquals(RandomGeneratorFactory.of("Xoroshiro128PlusPlus").create(seeds.nextLong()).nextLong(),
        Shims.randomGeneratorOf("Xoroshiro128PlusPlus").nextLong());
    RandomGeneratorFactory<RandomGenerator> factory = RandomGeneratorFactory.of("L64X128MixRandom");
    RandomGenerator created = Shims.randomGeneratorCreate(factory);
    assertEquals(factory.create(seeds.nextLong()).nextInt(), created.nextInt());
  }

  @Test
  void shufflingAndTheThreadLocalRandomsStreamsDrawFromTheRunsStream() {
    Random expected = new Random(FakeHooks.SEED);
    List<Integer> want = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7, 8));
    List<Integer> got = new ArrayList<>(want);
    Collections.shuffle(want, expected);
    Shims.shuffle(got);
    assertEquals(want, got);
    ThreadLocalRandom tlr = ThreadLocalRandom.current();
    assertArrayEquals(expected.ints(3, 0, 100).toArray(), Shims.tlrInts(tlr, 3, 0, 100).toArray());
    assertArrayEquals(expected.longs(2).toArray(), Shims.tlrLongs(tlr, 2).toArray());
    assertArrayEquals(expected.doubles(2, 1, 2).toArray(), Shims.tlrDoubles(tlr, 2, 1, 2).toArray());
    assertEquals(expected.nextExponential(), Shims.tlrNextExponential(tlr));
  }

  @Test
  void timeUnitSleepIsADurableTimerAndNothingForZeroOrLess() throws InterruptedException {
    Shims.timeUnitSleep(TimeUnit.SECONDS, 2);
    Shims.timeUnitSleep(TimeUnit.MICROSECONDS, 1500);
    Shims.timeUnitSleep(TimeUnit.MILLISECONDS, 0);
    Shims.timeUnitSleep(TimeUnit.MILLISECONDS, -5);
    Shims.timeUnitSleep(TimeUnit.DAYS, Long.MAX_VALUE); // saturates, as TimeUnit does
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofNanos(1_500_000), Duration.ofNanos(Long.MAX_VALUE)),
        hooks.sleeps);
  }

  @Test
  void aLatchAwaitWaitsDurablyUntilAHandlerCountsItDown() throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    hooks.whileAwaiting = latch::countDown; // what a signal handler does while the workflow waits
    Shims.latchAwait(latch);
    assertEquals(0, latch.getCount());
    Shims.latchAwait(latch); // open: no wait at all
    assertTrue(Shims.latchAwait(latch, 1, TimeUnit.SECONDS));
    assertFalse(Shims.latchAwait(new CountDownLatch(1), 90, TimeUnit.SECONDS), "the durable timer fired first");
    assertEquals(Arrays.asList(null, Duration.ofSeconds(90)), hooks.awaits);
  }

  @Test
  void aFutureGetOrJoinWaitsDurablyUntilAHandlerCompletesIt() throws Exception {
    CompletableFuture<String> approval = new CompletableFuture<>();
    hooks.whileAwaiting = () -> approval.complete("approved by ada");
    assertEquals("approved by ada", Shims.futureGet(approval));
    assertEquals("approved by ada", Shims.futureGet(approval, 5, TimeUnit.MINUTES)); // done: no wait
    assertEquals(Collections.singletonList(null), hooks.awaits);

    CompletableFuture<String> failing = new CompletableFuture<>();
    hooks.whileAwaiting = () -> failing.completeExceptionally(new IllegalStateException("rejected"));
    CompletionException joined = assertThrows(CompletionException.class, () -> Shims.completableFutureJoin(failing));
    assertEquals("rejected", joined.getCause().getMessage());
    ExecutionException got = assertThrows(ExecutionException.class, () -> Shims.futureGet(failing));
    assertEquals("rejected", got.getCause().getMessage());
  }

  @Test
  void aFutureGetWithATimeoutThrowsWhenTheDurableTimerFiresFirst() {
    hooks.whileAwaiting = () -> {};
    TimeoutException e = assertThrows(TimeoutException.class,
        () -> Shims.futureGet(new CompletableFuture<>(), 2, TimeUnit.HOURS));
    assertEquals("no result within 2 hours of workflow time", e.getMessage());
    assertEquals(List.of(Duration.ofHours(2)), hooks.awaits);
  }

  @Test
  void runsStartedBeforeDurableWaitsMakeThePlainCalls() throws Exception {
    hooks.replaySemantics = Shims.DURABLE_WAITS - 1;
    Shims.latchAwait(new CountDownLatch(0));
    assertEquals("done", Shims.futureGet(CompletableFuture.completedFuture("done")));
    assertEquals("done", Shims.completableFutureJoin(CompletableFuture.completedFuture("done")));
    // The plain call's own timeout (a real one, as when the run ran), not a durable timer:
    assertThrows(TimeoutException.class, () -> Shims.futureGet(new CompletableFuture<>(), 1, TimeUnit.MILLISECONDS));
    assertFalse(Shims.latchAwait(new CountDownLatch(1), 1, TimeUnit.MILLISECONDS));
    assertEquals(List.of(), hooks.awaits);
  }

  @Test
  void runsStartedBeforeTheJava17ShimsGetThePlainCallsSoTheyReplayAsTheyRan() throws InterruptedException {
    hooks.replaySemantics = Shims.JAVA17_SHIMS - 1;
    Shims.timeUnitSleep(TimeUnit.MILLISECONDS, 1); // a real sleep, as when the run ran
    assertEquals(List.of(), hooks.sleeps);
    SplittableRandom splittable = new SplittableRandom(5);
    assertSame(splittable, Shims.splittableRandom(splittable));
    Shims.shuffle(new ArrayList<>(List.of(1, 2, 3)));
    Shims.tlrNextExponential(ThreadLocalRandom.current());
    Shims.randomGeneratorGetDefault();
    Random plain = new Random(1);
    long expected = new Random(1).nextLong();
    Shims.afterSuper(plain);
    assertEquals(expected, plain.nextLong(), "not reseeded");
    assertEquals(new Random(FakeHooks.SEED).nextLong(), hooks.random.nextLong(), "the run's stream is untouched");
    assertFalse(Shims.instantSourceSystem() instanceof WorkflowClock);
    assertFalse(Shims.chronoClock() instanceof WorkflowClock);
    // The shims that came before keep acting.
    assertEquals(FakeHooks.NOW, Shims.instantNow());
  }

  @Test
  void aSubclassIsAdjustedAfterItsSuperCallAsANewObjectIs() {
    Random random = new Random(1);
    Shims.afterSuper(random);
    Random expected = new Random(new Random(FakeHooks.SEED).nextLong());
    assertEquals(expected.nextLong(), random.nextLong());
    GregorianCalendar calendar = new GregorianCalendar(2000, 0, 1);
    Shims.afterSuper(calendar);
    assertEquals(FakeHooks.NOW.toEpochMilli(), calendar.getTimeInMillis());
    Date date = new Date(5);
    Shims.afterSuper(date);
    assertEquals(FakeHooks.NOW.toEpochMilli(), date.getTime());
    Shims.afterSuper("anything else"); // left alone
  }

  @Test
  void enterReturnsThePreviousHooksAndRestorePutsThemBack() {
    FakeHooks inner = new FakeHooks();
    WorkflowHooks outer = SandboxState.enter(inner);
    assertSame(hooks, outer);
    assertSame(inner, SandboxState.hooks());
    SandboxState.restore(outer);
    assertSame(hooks, SandboxState.hooks());
  }
}
