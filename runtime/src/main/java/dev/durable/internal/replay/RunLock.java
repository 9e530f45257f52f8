package dev.durable.internal.replay;

/**
 * The lock of a cached run: whoever drives the run's workflow tasks, answers a query or unwinds
 * the run holds it. It belongs to no thread: a driver's workflow thread that carries on with the
 * driver's work (see {@link WorkflowRun.Carrier}) acts under the lock its driver took, and releases
 * it to nobody but itself.
 *
 * <p>While such a thread runs an activity of its chain it has <em>left</em> the run: the run's
 * state is between two workflow tasks and nothing of the run runs, but its thread is not parked
 * where a driver could hand it control. Meanwhile readers (queries, update validators) may enter
 * together; a driver cannot ({@link #lockUnlessAway} says so, and the driver builds a run of its
 * own from the history), and {@link #lock} waits until the thread came back and the holder
 * unlocked.
 */
public final class RunLock {
  private boolean held;
  private boolean away;
  private int readers;

  /** Waits until nobody holds the run, then holds it. */
  public synchronized void lock() {
    if (held || away) { // the usual case is free: no lambda allocated for it
      waitWhile(() -> held || away);
    }
    held = true;
  }

  /** Waits, holding the monitor, while {@code blocked}; an interrupt meanwhile is kept for later, as a lock's is. */
  private void waitWhile(java.util.function.BooleanSupplier blocked) {
    boolean interrupted = false;
    while (blocked.getAsBoolean()) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Holds the run if nobody does; never waits. */
  public synchronized boolean tryLock() {
    if (held || away) {
      return false;
    }
    held = true;
    return true;
  }

  /**
   * For a driver: returns false at once while the run's thread is away running an activity (its
   * state cannot be driven until it is back); otherwise waits until nobody holds the run and holds it.
   */
  public synchronized boolean lockUnlessAway() {
    if (away) {
      return false;
    }
    lock();
    return true;
  }

  /**
   * For a reader: holds the run as {@link #lock} does, or, while its thread is away, enters
   * beside other readers. Returns whether it entered as a reader, for {@link #unlockRead}.
   */
  public synchronized boolean lockToRead() {
    if (held) {
      waitWhile(() -> held);
    }
    if (away) {
      readers++;
      return true;
    }
    held = true;
    return false;
  }

  /** Ends what {@link #lockToRead} began. */
  public synchronized void unlockRead(boolean asReader) {
    if (asReader) {
      readers--;
      notifyAll();
    } else {
      unlock();
    }
  }

  public synchronized void unlock() {
    if (!held) {
      throw new IllegalStateException("the run's lock is not held");
    }
    held = false;
    notifyAll();
  }

  /** The holder's workflow thread leaves the run to run an activity; readers may enter meanwhile. */
  synchronized void leave() {
    if (!held) {
      throw new IllegalStateException("the run's lock is not held");
    }
    held = false;
    away = true;
    notifyAll();
  }

  /** The thread that {@link #leave left} is back: waits for the readers, then holds the run again. */
  synchronized void comeBack() {
    if (readers > 0) {
      waitWhile(() -> readers > 0);
    }
    away = false;
    held = true;
  }
}
