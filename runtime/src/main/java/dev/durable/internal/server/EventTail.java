package dev.durable.internal.server;

import dev.durable.internal.model.HistoryEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest events of one open run, kept in memory after they were written, so that the next
 * workflow task gets them without reading and decoding them from the store again.
 *
 * <p>It is only a cache: {@link #slice} returns events only when it holds every event of the
 * asked range, and the caller reads the store otherwise. Events are immutable once written and
 * are added only after their write succeeded, so what it returns is always what the store holds.
 * A write path that does not record its events here just makes the next slice miss (a gap in the
 * ids resets the tail). Thread-safe: tasks read it outside the run's lock.
 */
final class EventTail {
  /** A run that piles up more unread events than this (a flood of signals) is read from the store instead. */
  static final int MAX_EVENTS = 1_000;

  private final ArrayList<HistoryEvent> events = new ArrayList<>();

  /**
   * Adds events just written, then drops those before {@code keepFrom} (the next task reads from
   * there on). A gap after the held events (a write not recorded here) starts the tail anew.
   */
  synchronized void record(List<HistoryEvent> written, long keepFrom) {
    if (!written.isEmpty()) {
      if (!events.isEmpty() && written.get(0).eventId() != last() + 1) {
        events.clear();
      }
      events.addAll(written);
    }
    int drop = 0;
    while (drop < events.size() && events.get(drop).eventId() < keepFrom) {
      drop++;
    }
    if (drop > 0) {
      events.subList(0, drop).clear();
    }
    if (events.size() > MAX_EVENTS) {
      events.clear();
      events.trimToSize();
    }
  }

  /** Forgets everything (the store is the reference again). */
  synchronized void clear() {
    events.clear();
  }

  /**
   * Returns events {@code from..to} (inclusive), or null unless every one of them is held.
   * {@code to < from} asks for none and returns an empty list.
   */
  synchronized List<HistoryEvent> slice(long from, long to) {
    if (to < from) {
      return List.of();
    }
    if (events.isEmpty() || from < events.get(0).eventId() || to > last()) {
      return null;
    }
    int start = (int) (from - events.get(0).eventId());
    return new ArrayList<>(events.subList(start, (int) (to - events.get(0).eventId()) + 1));
  }

  /** Returns whether every event {@code from..to} (inclusive) is held. */
  synchronized boolean holds(long from, long to) {
    return to < from || (!events.isEmpty() && from >= events.get(0).eventId() && to <= last());
  }

  private long last() {
    return events.get(events.size() - 1).eventId();
  }
}
