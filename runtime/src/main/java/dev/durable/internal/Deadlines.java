package dev.durable.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Deadline arithmetic that cannot overflow. Users write "forever" as {@code
 * Duration.ofSeconds(Long.MAX_VALUE)}, {@code Duration.ofMillis(Long.MAX_VALUE)} or {@code
 * ChronoUnit.FOREVER.getDuration()}; {@code Instant.plus}, {@code toMillis()} and {@code toNanos()}
 * throw on such values, and a deadline the timer service cannot hold used to stop the server
 * from starting again. A deadline that far away is {@link #NEVER}, and a wait that long waits as
 * long as a {@code long} can say.
 */
public final class Deadlines {
  /** The latest deadline: the last instant a millisecond clock can name, in about 292 million years. */
  public static final Instant NEVER = Instant.ofEpochMilli(Long.MAX_VALUE);
  private static final Duration MAX_MILLIS = Duration.ofMillis(Long.MAX_VALUE);
  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);
  /** 2^50 seconds (35 million years): two such spans from 1970 end well before {@link #NEVER}. */
  private static final long NEAR = 1L << 50;

  private Deadlines() {}

  /** {@code from + duration}, or {@link #NEVER} when that is later (or out of {@code Instant}'s range). */
  public static Instant after(Instant from, Duration duration) {
    if (from.getEpochSecond() < NEAR && duration.getSeconds() < NEAR) {
      return from.plus(duration); // the common case, on the path of every activity: no allocation to compare
    }
    if (!from.isBefore(NEVER) || duration.compareTo(Duration.between(from, NEVER)) >= 0) {
      return NEVER;
    }
    return from.plus(duration);
  }

  /**
   * {@code a + b} for non-negative durations, or {@code Duration.ofMillis(Long.MAX_VALUE)} (about
   * 292 million years) when that is longer: a wait made of a user's timeout and a margin.
   */
  public static Duration plus(Duration a, Duration b) {
    return a.compareTo(MAX_MILLIS) >= 0 || b.compareTo(MAX_MILLIS.minus(a)) >= 0 ? MAX_MILLIS : a.plus(b);
  }

  /** {@code duration * factor} for a non-negative duration and factor, at most {@code ofMillis(Long.MAX_VALUE)}. */
  public static Duration times(Duration duration, long factor) {
    return factor > 0 && duration.compareTo(MAX_MILLIS.dividedBy(factor)) > 0 ? MAX_MILLIS
        : duration.multipliedBy(factor);
  }

  /** {@code duration.toMillis()}, or {@code Long.MAX_VALUE} when that would overflow (a non-negative duration). */
  public static long millis(Duration duration) {
    return duration.compareTo(MAX_MILLIS) >= 0 ? Long.MAX_VALUE : duration.toMillis();
  }

  /** {@code duration.toNanos()}, or {@code Long.MAX_VALUE} when that would overflow (a non-negative duration). */
  public static long nanos(Duration duration) {
    return duration.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : duration.toNanos();
  }
}
