package dev.durable.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void aDeadlinePastTheLastMillisecondIsNeverAndOneBeforeItIsExact() {
    assertEquals(Instant.parse("2030-01-01T01:00:00Z"), Deadlines.after(T, Duration.ofHours(1)));
    Duration toNever = Duration.between(T, Deadlines.NEVER);
    assertEquals(Deadlines.NEVER.minusNanos(1), Deadlines.after(T, toNever.minusNanos(1)));
    assertEquals(Deadlines.NEVER, Deadlines.after(T, toNever));
    assertEquals(Deadlines.NEVER, Deadlines.after(T, Duration.ofMillis(Long.MAX_VALUE)));
    assertEquals(Deadlines.NEVER, Deadlines.after(T, Duration.ofSeconds(Long.MAX_VALUE)));
    assertEquals(Deadlines.NEVER, Deadlines.after(T, ChronoUnit.FOREVER.getDuration()));
    assertEquals(Deadlines.NEVER, Deadlines.after(Instant.MAX, Duration.ofSeconds(1)));
    assertEquals(Instant.parse("+292278994-08-17T07:12:55.807Z"), Deadlines.NEVER);
    Instant far = Instant.ofEpochSecond((1L << 50) - 1); // the last instant of the fast path, and one past it
    assertEquals(far.plusSeconds((1L << 50) - 1), Deadlines.after(far, Duration.ofSeconds((1L << 50) - 1)));
    assertEquals(far.plusSeconds(1L << 51), Deadlines.after(far, Duration.ofSeconds(1L << 51)));
  }

  @Test
  void millisAndNanosSaturateInsteadOfThrowing() {
    assertEquals(1_500, Deadlines.millis(Duration.ofMillis(1_500)));
    assertEquals(Long.MAX_VALUE, Deadlines.millis(Duration.ofMillis(Long.MAX_VALUE)));
    assertEquals(Long.MAX_VALUE, Deadlines.millis(ChronoUnit.FOREVER.getDuration()));
    assertEquals(1_500_000_000, Deadlines.nanos(Duration.ofMillis(1_500)));
    assertEquals(Long.MAX_VALUE - 1, Deadlines.nanos(Duration.ofNanos(Long.MAX_VALUE - 1)));
    assertEquals(Long.MAX_VALUE, Deadlines.nanos(Duration.ofDays(365 * 300)));
  }

  @Test
  void sumsAndMultiplesStopAtTheLongestWaitInsteadOfThrowing() {
    Duration longest = Duration.ofMillis(Long.MAX_VALUE);
    assertEquals(Duration.ofSeconds(40), Deadlines.plus(Duration.ofSeconds(30), Duration.ofSeconds(10)));
    assertEquals(longest, Deadlines.plus(Duration.ofSeconds(30), ChronoUnit.FOREVER.getDuration()));
    assertEquals(longest, Deadlines.plus(ChronoUnit.FOREVER.getDuration(), Duration.ofSeconds(30)));
    assertEquals(Duration.ofSeconds(100), Deadlines.times(Duration.ofSeconds(1), 100));
    assertEquals(longest, Deadlines.times(ChronoUnit.FOREVER.getDuration(), 100));
    assertEquals(longest, Deadlines.times(longest.dividedBy(100).plusMillis(1), 100));
  }
}
