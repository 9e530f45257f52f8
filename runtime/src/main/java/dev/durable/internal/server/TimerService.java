package dev.durable.internal.server;

import dev.durable.internal.Deadlines;
import dev.durable.internal.LazyLogger;
import java.time.Clock;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs actions when the server clock reaches their due time: durable timers, retry backoffs and
 * timeouts. It holds no state of its own that must survive a restart; the server rebuilds the
 * entries from the stored mutable state. Actions run on one thread and must check, when they
 * fire, that what they were armed for still applies.
 */
final class TimerService implements AutoCloseable {
  private static final System.Logger LOG = LazyLogger.of(TimerService.class);

  /** An armed action; {@link #cancel()} drops it when what it was armed for is over. */
  interface Armed {
    /** Makes sure the action does not run (if it has not started yet). */
    void cancel();
  }

  /** A cancelled entry is skipped when it comes due; they are purged in bulk once they are many. */
  private static final int PURGE_AT = 1024;
  /** At most this many actions run between two batch ends (see {@link #onBatchEnd}). */
  static final int BATCH = 256;

  private final class Entry implements Comparable<Entry>, Armed {
    final long dueMillis;
    final long order;
    final Runnable action;
    /** The engine's own upkeep, which changes nothing a workflow sees: not reported by {@link #nextDue}. */
    final boolean housekeeping;
    boolean cancelled; // guarded by lock
    boolean queued = true; // in the queue: not fired, not dropped; guarded by lock

    Entry(long dueMillis, long order, Runnable action, boolean housekeeping) {
      this.dueMillis = dueMillis;
      this.order = order;
      this.action = action;
      this.housekeeping = housekeeping;
    }

    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(dueMillis, o.dueMillis);
      return c != 0 ? c : Long.compare(order, o.order);
    }

    @Override
    public void cancel() {
      lock.lock();
      try {
        if (!cancelled && queued) {
          cancelled = true;
          // Most timeouts are cancelled long before they are due: keep the queue from filling with them.
          if (++cancelledInQueue >= PURGE_AT && cancelledInQueue * 2 > queue.size()) {
            queue.removeIf(e -> {
              if (e.cancelled) {
                e.queued = false;
              }
              return e.cancelled;
            });
            cancelledInQueue = 0;
          }
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private final Clock clock;
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private final AtomicLong order = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Runnable listener = () -> { };
  private volatile Runnable batchEnd = () -> { };
  private Entry firing; // taken from the queue, its action not finished yet; guarded by lock
  private int cancelledInQueue; // guarded by lock
  /**
   * The due time (epoch millis) the timer thread sleeps until: {@link Long#MAX_VALUE} while it
   * waits for any entry, {@link Long#MIN_VALUE} while it is awake. An entry due no earlier needs
   * no wake-up; most are timeouts armed and cancelled long before an earlier one is due. Guarded by lock.
   */
  private long sleepingUntil = Long.MIN_VALUE;
  /** How often {@link #schedule} woke the timer thread (for tests). Guarded by lock. */
  private long wakeUps;

  TimerService(Clock clock) {
    this.clock = clock;
    if (clock instanceof ObservableClock oc) {
      oc.onChange(this::wakeUp);
    }
    this.thread = new Thread(this::loop, "durable-timers");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Runs {@code action} on the timer thread once the clock reaches {@code due}, unless the
   * returned handle is cancelled first.
   */
  Armed schedule(Instant due, Runnable action) {
    return schedule(due, action, false);
  }

  /**
   * As {@link #schedule(Instant, Runnable)}, for the engine's upkeep (syncing the log): an action
   * that changes nothing a workflow sees, so a time-skipping clock does not jump to it
   * ({@link #nextDue} leaves it out).
   */
  Armed scheduleHousekeeping(Instant due, Runnable action) {
    return schedule(due, action, true);
  }

  private Armed schedule(Instant due, Runnable action, boolean housekeeping) {
    Entry e;
    boolean earliest;
    lock.lock();
    try {
      long dueMillis = dueMillis(due);
      e = new Entry(dueMillis, order.incrementAndGet(), action, housekeeping);
      queue.add(e);
      earliest = head() == e;
      if (earliest && dueMillis < sleepingUntil) {
        wakeUps++;
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
    if (earliest) {
      listener.run(); // the next due time changed
    }
    return e;
  }

  /**
   * {@code due} in epoch milliseconds, rounded up: an action must never run before its due time,
   * also not by a fraction of a millisecond. Beyond {@link Deadlines#NEVER} (stored by versions
   * that did not cap deadlines, whose restart this used to stop with an overflow) it is never due.
   */
  static long dueMillis(Instant due) {
    if (!due.isBefore(Deadlines.NEVER)) {
      return Long.MAX_VALUE;
    }
    if (due.getEpochSecond() < Long.MIN_VALUE / 1000 + 1) {
      return Long.MIN_VALUE; // long past: due now
    }
    return due.toEpochMilli() + (due.getNano() % 1_000_000 == 0 ? 0 : 1);
  }

  /** Drops cancelled entries from the head of the queue and returns the head. Call with the lock held. */
  private Entry head() {
    Entry head = queue.peek();
    while (head != null && head.cancelled) {
      queue.poll().queued = false;
      cancelledInQueue--;
      head = queue.peek();
    }
    return head;
  }

  /**
   * Returns when the earliest armed entry is due (it may turn out stale when it fires), or null.
   * An entry whose action is running counts as armed until the action has finished, so a
   * time-skipping clock never jumps past a timer that has fired but not yet recorded its effect.
   * Upkeep entries ({@link #scheduleHousekeeping}) are left out.
   */
  Instant nextDue() {
    lock.lock();
    try {
      Entry head = firing != null && !firing.housekeeping ? firing : head();
      if (head != null && head.housekeeping) {
        head = null; // rare, and asked by time-skipping test clocks only: a scan is fine
        for (Entry e : queue) {
          if (!e.cancelled && !e.housekeeping && (head == null || e.compareTo(head) < 0)) {
            head = e;
          }
        }
      }
      return head == null ? null : Instant.ofEpochMilli(head.dueMillis);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets a callback run after each entry fired (on the timer thread) and after an entry became the
   * earliest (on the thread that armed it), for time-skipping test clocks: when {@link #nextDue()}
   * may have changed. Cancelled entries just drop out, so a clock must not rely on them firing.
   */
  void onChange(Runnable listener) {
    this.listener = listener;
  }

  /**
   * Sets what runs on the timer thread after a batch of actions: once no entry is due any more, or
   * after {@link #BATCH} actions in a row, and before the thread sleeps. Actions may leave work for
   * it (the server syncs the log once for a batch of fired timers).
   */
  void onBatchEnd(Runnable batchEnd) {
    this.batchEnd = batchEnd;
  }

  /** How often {@link #schedule} woke the timer thread (for tests). */
  long wakeUps() {
    lock.lock();
    try {
      return wakeUps;
    } finally {
      lock.unlock();
    }
  }

  /** The due time the timer thread waits for, or null when it is awake or waits for any entry (for tests). */
  Instant waitsUntil() {
    lock.lock();
    try {
      return sleepingUntil == Long.MIN_VALUE || sleepingUntil == Long.MAX_VALUE ? null : Instant.ofEpochMilli(sleepingUntil);
    } finally {
      lock.unlock();
    }
  }

  void wakeUp() {
    lock.lock();
    try {
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    int batch = 0; // actions run since the last batch end
    while (!closed) {
      Runnable action = null;
      boolean endBatch = false;
      lock.lock();
      try {
        Entry head = head();
        long now = head == null ? 0 : clock.millis();
        long delay = head == null ? Long.MAX_VALUE : head.dueMillis <= now ? 0 : head.dueMillis - now;
        if (delay <= 0 && batch < BATCH) {
          firing = queue.poll();
          firing.queued = false;
          action = firing.action;
        } else if (batch > 0) {
          endBatch = true; // before the thread sleeps, or after BATCH actions in a row; run outside the lock
        } else if (head == null) {
          sleepingUntil = Long.MAX_VALUE;
          changed.await();
        } else {
          sleepingUntil = head.dueMillis;
          changed.await(delay, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        sleepingUntil = Long.MIN_VALUE;
        lock.unlock();
      }
      if (endBatch) {
        batch = 0;
        runLogged(batchEnd);
      }
      if (action != null) {
        batch++;
        try {
          runLogged(action);
        } finally {
          lock.lock();
          try {
            firing = null;
          } finally {
            lock.unlock();
          }
        }
        listener.run();
      }
    }
  }

  private void runLogged(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.log(System.Logger.Level.ERROR, "a server timer action failed; its run re-arms it from the stored"
            + " state (after a failed write, or on restart)", e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
