package dev.durable.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition that another thread (server, worker) brings about. It polls with short
 * parks up to a bound and fails with a message naming what was awaited; it never waits for a
 * length of time to pass.
 */
public final class Eventually {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private Eventually() {}

  /** Waits until {@code condition} holds. */
  public static void eventually(String what, BooleanSupplier condition) {
    eventually(what, condition::getAsBoolean, ok -> ok);
  }

  /** Waits until {@code until} accepts a value of {@code supplier}, and returns that value. */
  public static <T> T eventually(String what, Supplier<T> supplier, Predicate<? super T> until) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    T last = null;
    while (true) {
      last = supplier.get();
      if (until.test(last)) {
        return last;
      }
      if (System.nanoTime() - deadline > 0) {
        return fail("gave up after " + LIMIT + " waiting for " + what + "; last value: " + last);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
