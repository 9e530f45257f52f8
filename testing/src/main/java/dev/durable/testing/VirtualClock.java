package dev.durable.testing;

import dev.durable.internal.server.ObservableClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The test environment's clock: it moves only when the environment skips time or a test advances
 * it, and never backwards. The server listens to it, so due timers fire right after it moves.
 */
final class VirtualClock extends Clock implements ObservableClock {
  private final AtomicReference<Instant> now;
  private final List<Runnable> listeners;
  private final ZoneId zone;

  VirtualClock(Instant start) {
    this(new AtomicReference<>(start), new CopyOnWriteArrayList<>(), ZoneOffset.UTC);
  }

  private VirtualClock(AtomicReference<Instant> now, List<Runnable> listeners, ZoneId zone) {
    this.now = now;
    this.listeners = listeners;
    this.zone = zone;
  }

  /** Moves the time to {@code target} if that is later; returns whether it moved. */
  boolean advanceTo(Instant target) {
    Instant before = now.getAndAccumulate(target, (cur, t) -> t.isAfter(cur) ? t : cur);
    boolean moved = target.isAfter(before);
    if (moved) {
      listeners.forEach(Runnable::run);
    }
    return moved;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
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
  public Clock withZone(ZoneId newZone) {
    return new VirtualClock(now, listeners, newZone);
  }
}
