package dev.durable.internal.replay;

import dev.durable.activity.LocalActivityOptions;
import dev.durable.internal.model.LocalActivityMarker;
import dev.durable.internal.model.Payload;
import java.time.Duration;
import java.util.List;

/** Runs local activities for workflow code, in the worker that runs the workflow task. */
public interface LocalActivityExecutor {
  /**
   * Runs attempts from {@code firstAttempt} on until one succeeds, the retry policy or the
   * remaining time stops them, or the next backoff is too long to wait out in the task; blocks
   * the calling workflow thread meanwhile.
   *
   * @param remaining how long the schedule-to-close timeout still allows, or null for no limit
   */
  LocalActivityMarker execute(String workflowId, String activityType, List<Payload> input,
      LocalActivityOptions options, int firstAttempt, Duration remaining);
}
