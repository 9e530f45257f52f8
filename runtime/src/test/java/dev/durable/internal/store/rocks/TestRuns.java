package dev.durable.internal.store.rocks;

import dev.durable.internal.model.ExecutionState;
import java.time.Instant;

/** Run states for the store's tests. */
final class TestRuns {
  private TestRuns() {}

  /** A new run of type T on queue q, started {@code second} seconds into 2026. */
  static ExecutionState state(String workflowId, String runId, int second) {
    ExecutionState s = new ExecutionState();
    s.workflowId = workflowId;
    s.runId = runId;
    s.workflowType = "T";
    s.taskQueue = "q";
    s.startTime = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second);
    return s;
  }
}
