package dev.durable.testing;

import dev.durable.internal.server.ServerCore;
import java.time.Instant;

/**
 * Skips time: whenever the server reports that nothing can happen before its next timer (no task
 * queued or running, no query waiting), the clock jumps to that timer. It wakes on every change
 * the server records and every timer it fires; it never polls.
 */
final class TimeSkipper implements AutoCloseable {
  private final ServerCore server;
  private final VirtualClock clock;
  private final Thread thread;
  private final Object monitor = new Object();
  /** Held while deciding on and making a jump; {@link #setEnabled}(false) waits for it. */
  private final java.util.concurrent.locks.ReentrantLock jumping = new java.util.concurrent.locks.ReentrantLock();
  private boolean dirty = true;
  private volatile boolean enabled;
  private volatile boolean closed;

  TimeSkipper(ServerCore server, VirtualClock clock, boolean enabled) {
    this.server = server;
    this.clock = clock;
    this.enabled = enabled;
    this.thread = new Thread(this::loop, "durable-time-skipper");
    this.thread.setDaemon(true);
    server.setChangeListener(this::nudge);
    thread.start();
  }

  /**
   * Turns skipping on or off. Turning it off waits for a jump already being made, so that the
   * clock no longer moves by itself once this returns.
   */
  void setEnabled(boolean on) {
    enabled = on;
    if (!on) {
      jumping.lock();
      jumping.unlock();
    }
    nudge();
  }

  boolean isEnabled() {
    return enabled;
  }

  void nudge() {
    synchronized (monitor) {
      dirty = true;
      monitor.notifyAll();
    }
  }

  private void loop() {
    while (!closed) {
      synchronized (monitor) {
        while (!dirty && !closed) {
          try {
            monitor.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        dirty = false;
      }
      jumping.lock();
      try {
        if (closed || !enabled) {
          continue;
        }
        // Idle first: checking it waits for any run's change in progress, so the timers that change
        // arms are in the queue before the next due time is read (a jump must not pass one of them).
        // Idle again after: new input in between (a signal, a start) holds the jump back.
        if (!server.isIdle()) {
          continue;
        }
        Instant next = server.nextTimerDue();
        if (next != null && next.isAfter(clock.instant()) && server.isIdle()) {
          clock.advanceTo(next);
        }
      } finally {
        jumping.unlock();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    nudge();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
