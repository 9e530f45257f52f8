package dev.durable.testing;

import dev.durable.internal.server.ObservableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when a test says so. The server's timer thread listens to it, so
 * timers, retry backoffs and timeouts that become due fire right after {@link #advance}, without
 * any test waiting for wall-clock time.
 */
public final class ManualClock extends Clock implements ObservableClock {
  /** Where every test clock starts, so that expected instants are easy to read in failures. */
  public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private final AtomicReference<Instant> now;
  private final List<Runnable> listeners;
  private final ZoneId zone;

  public ManualClock() {
    this(new AtomicReference<>(START), new CopyOnWriteArrayList<>(), ZoneOffset.UTC);
  }

  private ManualClock(AtomicReference<Instant> now, List<Runnable> listeners, ZoneId zone) {
    this.now = now;
    this.listeners = listeners;
    this.zone = zone;
  }

  /** Moves the time forward by {@code d} and tells every listener. */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a ManualClock only moves forward, got " + d);
    }
    now.updateAndGet(t -> t.plus(d));
    listeners.forEach(Runnable::run);
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    // Shares the time and the listeners: only the zone differs.
    return new ManualClock(now, listeners, zone);
  }
}
