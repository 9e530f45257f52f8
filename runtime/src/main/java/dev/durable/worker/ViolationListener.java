package dev.durable.worker;

import dev.durable.workflow.DeterminismViolation;

/**
 * Told about every determinism violation the sandbox finds in workflow code run by a worker, in
 * every mode but {@code off}: to count them or send them to your monitoring. It runs on the
 * workflow thread, so it must be quick and must not block.
 */
@FunctionalInterface
public interface ViolationListener {
  /** Called once per violation, before it fails the workflow task (enforce) or is let through (warn). */
  void onViolation(DeterminismViolation violation);
}
