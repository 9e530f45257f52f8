package dev.durable.internal.server;

/**
 * A clock that can jump (a test clock). The server registers a listener so that timers are
 * re-examined at once when the time moves, instead of waiting in real time.
 */
public interface ObservableClock {
  /** Registers a callback run after every change of the time. */
  void onChange(Runnable listener);
}
