package dev.durable.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test clock itself: it moves only when advanced, and tells its listeners. */
class ManualClockTest {
  @Test
  void advanceMovesTheTimeAndNotifiesListeners() {
    ManualClock clock = new ManualClock();
    AtomicInteger calls = new AtomicInteger();
    clock.onChange(calls::incrementAndGet);
    assertEquals(ManualClock.START, clock.instant());

    clock.advance(Duration.ofMinutes(90));
    assertEquals(ManualClock.START.plus(Duration.ofMinutes(90)), clock.instant());
    assertEquals(ManualClock.START.plus(Duration.ofMinutes(90)).toEpochMilli(), clock.millis());
    assertEquals(1, calls.get());
  }

  @Test
  void clockInAnotherZoneSharesTheTime() {
    ManualClock clock = new ManualClock();
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advance(Duration.ofSeconds(5));
    assertEquals(clock.instant(), paris.instant());
    assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
  }

  @Test
  void clockCannotGoBack() {
    assertThrows(IllegalArgumentException.class, () -> new ManualClock().advance(Duration.ofSeconds(-1)));
  }
}
