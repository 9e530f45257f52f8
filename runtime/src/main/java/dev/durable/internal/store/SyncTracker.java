package dev.durable.internal.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which writes a store's syncs have carried to disk, so that a write made without a sync can wait
 * for a later synced write to carry it there instead of paying an fsync of its own.
 *
 * <p>Every sync (a synced write, or a sync of the log alone) takes the next number when it begins.
 * When it finishes, every write that had returned before it began is on disk: the log is appended
 * in order, and a sync flushes all of it. A {@link #mark()} is the last number given out, and stands
 * for the writes that returned before it was taken: they are on disk once a sync numbered above it
 * has finished.
 */
public final class SyncTracker {
  private final AtomicLong begun = new AtomicLong();
  /** The highest number of a finished sync. */
  private long finished;
  private int waiters;

  /** A mark for the writes that returned so far. */
  public long mark() {
    return begun.get();
  }

  /** A sync begins: returns its number, for {@link #finished}. */
  public long begin() {
    return begun.incrementAndGet();
  }

  /** The sync numbered {@code n} finished successfully. */
  public synchronized void finished(long n) {
    if (n > finished) {
      finished = n;
    }
    if (waiters > 0) {
      notifyAll();
    }
  }

  /**
   * Waits up to {@code patienceNanos} for a sync that carries the writes {@code mark} stands for to
   * disk. Returns whether one did; false when the patience ran out, or at once when the thread is
   * interrupted (its interrupt status is kept).
   */
  public synchronized boolean await(long mark, long patienceNanos) {
    long deadline = System.nanoTime() + patienceNanos;
    waiters++;
    try {
      for (long left = patienceNanos; finished <= mark && left > 0; left = deadline - System.nanoTime()) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      waiters--;
    }
    return finished > mark;
  }
}
