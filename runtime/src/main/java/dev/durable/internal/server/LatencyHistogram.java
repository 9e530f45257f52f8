package dev.durable.internal.server;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted by bucket, for a Prometheus histogram: how many were at most each bound, and
 * their sum. Like {@link Counters}, on {@link LongAdder}s: recording one takes no lock and
 * allocates nothing.
 */
public final class LatencyHistogram {
  /** The buckets' upper bounds in seconds: the Prometheus clients' defaults, then longer waits. */
  static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
      300};
  private static final long[] BOUND_NANOS = new long[BOUNDS.length];

  static {
    for (int i = 0; i < BOUNDS.length; i++) {
      BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
    }
  }

  /** Per bucket, not cumulative; the last one is above every bound. */
  private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
  private final LongAdder sumNanos = new LongAdder();

  LatencyHistogram() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Records the time from {@code from} to {@code to}; a negative one (the clock moved back) as 0. */
  void record(Instant from, Instant to) {
    if (from == null || to == null) {
      return; // not known: nothing to record
    }
    long nanos = Math.max(0, (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L
        + to.getNano() - from.getNano());
    int i = 0;
    while (i < BOUND_NANOS.length && nanos > BOUND_NANOS[i]) {
      i++;
    }
    counts[i].increment();
    sumNanos.add(nanos);
  }

  /** The buckets' upper bounds in seconds, without the last one (+Inf). */
  public static double[] bounds() {
    return BOUNDS.clone();
  }

  /** How many durations were at most each bound, then how many in all (the +Inf bucket). */
  public long[] cumulativeCounts() {
    long[] out = new long[counts.length];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      total += counts[i].sum();
      out[i] = total;
    }
    return out;
  }

  /** The sum of the durations recorded, in seconds. */
  public double sumSeconds() {
    return sumNanos.sum() / 1e9;
  }
}
