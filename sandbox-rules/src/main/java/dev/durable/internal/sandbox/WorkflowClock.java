package dev.durable.internal.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** A clock that reads workflow time: what {@code Clock.systemUTC()} returns inside workflow code. */
public final class WorkflowClock extends Clock {
  private final WorkflowHooks hooks;
  private final ZoneId zone;

  public WorkflowClock(WorkflowHooks hooks, ZoneId zone) {
    this.hooks = hooks;
    this.zone = zone;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return newZone.equals(zone) ? this : new WorkflowClock(hooks, newZone);
  }

  @Override
  public Instant instant() {
    return hooks.now();
  }

  @Override
  public long millis() {
    return hooks.now().toEpochMilli();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkflowClock w && w.hooks == hooks && w.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(hooks), zone);
  }

  @Override
  public String toString() {
    return "WorkflowClock[" + zone + "]";
  }
}
