package dev.durable.internal;

import java.util.ResourceBundle;

/**
 * A {@link System.Logger} looked up at its first use. The engine's classes keep one each in a
 * static field, and the first lookup in a process loads the JDK's logging back end (a service
 * loader scan of the class path, then {@code java.util.logging}'s set-up): 10 – 20 ms of a
 * start-up that logs nothing.
 */
public final class LazyLogger implements System.Logger {
  private final String name;
  private volatile System.Logger delegate;

  private LazyLogger(String name) {
    this.name = name;
  }

  /** The logger named after {@code type}, as {@code System.getLogger(type.getName())} returns it. */
  public static System.Logger of(Class<?> type) {
    return of(type.getName());
  }

  /** The logger of this name, as {@code System.getLogger(name)} returns it. */
  public static System.Logger of(String name) {
    return new LazyLogger(name);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean isLoggable(Level level) {
    return delegate().isLoggable(level);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    delegate().log(level, bundle, msg, thrown);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    delegate().log(level, bundle, format, params);
  }

  private System.Logger delegate() {
    System.Logger d = delegate;
    if (d == null) {
      d = System.getLogger(name);
      delegate = d;
    }
    return d;
  }
}
