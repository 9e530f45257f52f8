package dev.durable.internal.server;

import dev.durable.internal.Deadlines;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory queue of ready tasks of one task queue and kind. Pollers wait on it (long poll,
 * no sleeping loops); a worker being shut down has its polls released at once.
 */
final class DispatchQueue<T> {
  private static final long RECENT_POLL_NANOS = 10_000_000;
  private static final int SHORT_BACKLOG = 2;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final Set<String> released;
  private boolean closed;
  /** Pollers blocked in {@link #poll} waiting for an item. */
  private int waiting;
  /** When a poller last came for an item ({@link System#nanoTime}). */
  private long lastPoll = System.nanoTime() - RECENT_POLL_NANOS;

  DispatchQueue(Set<String> released) {
    this.released = released;
  }

  void offer(T item) {
    lock.lock();
    try {
      items.add(item);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for an item; returns null on timeout, release of the identity, or close. */
  T poll(String identity, Duration timeout) throws InterruptedException {
    long nanos = Deadlines.nanos(timeout);
    lock.lock();
    try {
      lastPoll = System.nanoTime();
      while (true) {
        if (closed || released.contains(identity)) {
          if (!items.isEmpty()) {
            notEmpty.signal(); // the signal this poller may have taken is another one's now
          }
          return null;
        }
        // Every offer signals one waiting poller, so a poller that takes an item wakes no other:
        // a second signal here would wake one more poller than there are items.
        T item = items.poll();
        if (item != null) {
          return item;
        }
        if (nanos <= 0) {
          return null;
        }
        waiting++;
        try {
          nanos = notEmpty.awaitNanos(nanos);
        } finally {
          waiting--;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether an item offered now is likely taken within a moment: a poller waits with no queued
   * item owed to it, or a poller came within the last {@link #RECENT_POLL_NANOS} and at most
   * {@link #SHORT_BACKLOG} items wait.
   */
  boolean isServed() {
    lock.lock();
    try {
      return !closed && (waiting > items.size()
          || items.size() <= SHORT_BACKLOG && System.nanoTime() - lastPoll < RECENT_POLL_NANOS);
    } finally {
      lock.unlock();
    }
  }

  /** Pollers waiting in {@link #poll} now (for tests). */
  int waitingPollers() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every poller so that it re-checks released identities. */
  void wakeAll() {
    lock.lock();
    try {
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
