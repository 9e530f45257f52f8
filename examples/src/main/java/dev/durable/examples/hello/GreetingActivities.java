package dev.durable.examples.hello;

import dev.durable.activity.ActivityInterface;

/** The activity of the hello example. */
@ActivityInterface
public interface GreetingActivities {
  /**
   * Builds a greeting.
   *
   * @param name who to greet
   * @return {@code "Hello, " + name + "!"}
   */
  String greet(String name);
}
