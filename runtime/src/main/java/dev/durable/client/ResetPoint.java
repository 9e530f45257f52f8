package dev.durable.client;

import dev.durable.internal.Checks;
import java.util.Locale;

/**
 * Where {@link WorkflowStub#reset} takes a workflow back to: one of its completed workflow tasks
 * (a {@code WorkflowTaskCompleted} event of its latest run). The new run keeps the history before
 * that event and runs that task again, with the code the workers have now.
 *
 * <pre>{@code
 * stub.reset(ResetPoint.lastWorkflowTask(), "fixed the discount rounding (#1234)");
 * stub.reset(ResetPoint.event(14), "re-run from the approval step");
 * }</pre>
 *
 * @param kind which task
 * @param eventId the {@code WorkflowTaskCompleted} event's id for {@link Kind#EVENT}, else 0
 */
public record ResetPoint(Kind kind, long eventId) {

  /** How a reset point names its workflow task. */
  public enum Kind {
    /** The run's first completed workflow task: the workflow runs again from its start. */
    FIRST_WORKFLOW_TASK,
    /** The run's last completed workflow task: the latest decision is made again. */
    LAST_WORKFLOW_TASK,
    /** The completed workflow task whose {@code WorkflowTaskCompleted} event has {@link #eventId()}. */
    EVENT
  }

  /** Checks the fields. */
  public ResetPoint {
    if (kind == null) {
      throw Checks.invalid("reset point kind must not be null: use ResetPoint.firstWorkflowTask(), "
          + "lastWorkflowTask() or event(id)");
    }
    if (kind == Kind.EVENT ? eventId < 1 : eventId != 0) {
      throw Checks.invalid(kind == Kind.EVENT
          ? "reset point event id must be at least 1, got " + eventId
              + ": pass the id of a WorkflowTaskCompleted event of the workflow's history"
          : "a reset point of kind " + kind + " takes no event id, got " + eventId);
    }
  }

  /** The run's first completed workflow task: the workflow runs again from its start. */
  public static ResetPoint firstWorkflowTask() {
    return new ResetPoint(Kind.FIRST_WORKFLOW_TASK, 0);
  }

  /** The run's last completed workflow task: its decision is made again. */
  public static ResetPoint lastWorkflowTask() {
    return new ResetPoint(Kind.LAST_WORKFLOW_TASK, 0);
  }

  /**
   * The completed workflow task of the {@code WorkflowTaskCompleted} event {@code eventId} (see
   * {@link WorkflowStub#getHistory()} or {@code durable workflow show ID}).
   */
  public static ResetPoint event(long eventId) {
    return new ResetPoint(Kind.EVENT, eventId);
  }

  @Override
  public String toString() {
    return kind == Kind.EVENT ? "event " + eventId : kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
