package dev.durable.it.sandbox;

import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowStub;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Waits in a child JVM for what a workflow does, by polling the client. Every wait ends on state
 * (a query result, a task failure, a closed run), never on the clock; the deadline is only reached
 * when something is broken, and the child then exits with a message the test quotes.
 */
final class Await {
  private static final Duration DEADLINE = Duration.ofSeconds(45);

  /** How a workflow turned out: its result, or the failure of its last workflow task. */
  record Outcome(String result, String taskFailure) {
    /** Returns a one-line form for stdout: {@code RESULT <result>} or {@code TASK_FAILURE <message>}. */
    String line() {
      return result != null ? "RESULT " + result : "TASK_FAILURE " + oneLine(taskFailure);
    }
  }

  private Await() {}

  /** Runs {@code query} until its result satisfies {@code until}, and returns that result. */
  static String query(WorkflowStub stub, String query, Predicate<String> until) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      String value = stub.query(query, String.class);
      if (until.test(value)) {
        return value;
      }
      pause(deadline, "query '" + query + "' of " + stub.getWorkflowId() + " to be ready; last result: " + value);
    }
  }

  /**
   * Returns the attempt of the workflow's pending task if an earlier task failed, else 0. Read
   * before the worker starts, it tells which failures an earlier JVM already saw.
   */
  static int failedAttempt(WorkflowStub stub) {
    return stub.describe()
        .filter(d -> d.lastWorkflowTaskFailure() != null)
        .map(WorkflowDescription::workflowTaskAttempt)
        .orElse(0);
  }

  /**
   * Waits until the workflow completes or one of its workflow tasks fails, whichever comes first.
   * A failed task is retried with backoff, so a child that only wants to see the failure can stop
   * waiting there. Only the failure of an attempt after {@code failedBefore} (from
   * {@link #failedAttempt}) counts.
   */
  static Outcome outcome(WorkflowStub stub, int failedBefore) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      Optional<WorkflowDescription> d = stub.describe();
      if (d.isPresent() && d.get().isClosed()) {
        return new Outcome(stub.getResult(String.class), null);
      }
      if (d.isPresent() && d.get().lastWorkflowTaskFailure() != null && d.get().workflowTaskAttempt() > failedBefore) {
        return new Outcome(null, d.get().lastWorkflowTaskFailure());
      }
      pause(deadline, stub.getWorkflowId() + " to complete or fail a workflow task; last description: " + d);
    }
  }

  /** Makes a message fit on one stdout line. */
  static String oneLine(String text) {
    return text.replace("\r", "").replace("\n", "\\n");
  }

  private static void pause(long deadline, String what) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("gave up waiting for " + what);
    }
    try {
      Thread.sleep(5); // polls; the wait ends on the state above, not on the clock
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    }
  }
}
