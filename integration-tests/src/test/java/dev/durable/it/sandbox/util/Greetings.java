package dev.durable.it.sandbox.util;

/** A helper library that does nothing workflow code must not do: reported only when a rules file guards it. */
public final class Greetings {
  private Greetings() {}

  /** Returns a greeting for {@code name}. */
  public static String greet(String name) {
    return "Hello, " + name;
  }
}
