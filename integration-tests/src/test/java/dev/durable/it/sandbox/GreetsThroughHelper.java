package dev.durable.it.sandbox;

import dev.durable.it.sandbox.util.Greetings;

/** Greets through a helper library ({@link Greetings}), which {@link LibraryGuardTest} guards with a rules file. */
public class GreetsThroughHelper implements StringWorkflow {
  @Override
  public String run(String name) {
    return Greetings.greet(name); // violation: guarded
  }
}
