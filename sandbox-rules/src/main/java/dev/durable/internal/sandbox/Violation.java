package dev.durable.internal.sandbox;

/**
 * A determinism violation as found by a guard: which rule, which API, and the stack from the
 * user's frame up (agent and JDK frames below it removed).
 *
 * @param ruleId the rule that matched
 * @param api the API called, such as {@code java.net.Socket.connect}
 * @param message what the code did, from the rule
 * @param suggestion what to do instead, from the rule
 * @param stack the stack, the user's frame first
 * @param staticWrite whether this is a write to a static field rather than a call
 */
public record Violation(
    String ruleId, String api, String message, String suggestion, StackTraceElement[] stack, boolean staticWrite) {

  /** Returns the user's frame, such as {@code com.acme.OrderWorkflowImpl.run(OrderWorkflowImpl.java:57)}. */
  public StackTraceElement userFrame() {
    return stack[0];
  }
}
