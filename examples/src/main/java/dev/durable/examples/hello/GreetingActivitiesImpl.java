package dev.durable.examples.hello;

/** Builds the greeting. A real activity would call a service or a database here. */
public class GreetingActivitiesImpl implements GreetingActivities {
  @Override
  public String greet(String name) {
    return "Hello, " + name + "!";
  }
}
