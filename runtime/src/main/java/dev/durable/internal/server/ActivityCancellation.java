package dev.durable.internal.server;

import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.PendingActivity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What the server does when workflow code asks to cancel an activity. */
final class ActivityCancellation {
  private ActivityCancellation() {}

  /**
   * Records the request (event {@code id}, in the task's command events). An activity with no
   * running attempt ends as canceled at once (the event is queued as input, after the task's
   * commands); a running attempt is told at its next heartbeat, and its end (a failure or a
   * timeout) becomes the canceled outcome. An activity that already ended only gets the request
   * recorded, so that replay finds the command where the code made it.
   */
  static void request(ExecutionState s, int seq, long id, Instant now, List<HistoryEvent> events,
      Consumer<EventAttributes> addInput) {
    PendingActivity pa = s.activities.get(seq);
    events.add(new HistoryEvent(id, now, new EventAttributes.ActivityTaskCancelRequested(seq,
        pa == null ? 0 : pa.scheduledEventId)));
    if (pa == null) {
      return;
    }
    if (PendingActivity.STARTED.equals(pa.state)) {
      pa.cancelRequested = true;
      return;
    }
    s.activities.remove(seq);
    addInput.accept(canceled(pa, null));
  }

  /** The canceled outcome of {@code pa}; {@code cause} is how its last attempt ended, or null if none ran. */
  static EventAttributes.ActivityTaskCanceled canceled(PendingActivity pa, FailureInfo cause) {
    FailureInfo canceled = new FailureInfo(FailureInfo.CANCELED, "dev.durable.failure.CanceledFailure",
        "activity " + pa.activityType + " was canceled at the workflow's request", "", null, true, Map.of(), cause);
    FailureInfo failure = new FailureInfo(FailureInfo.ACTIVITY, "dev.durable.failure.ActivityFailure",
        "activity " + pa.activityType + " was canceled", "", null, true,
        Map.of("activityType", pa.activityType, "activityId", Integer.toString(pa.seq),
            "attempt", Integer.toString(pa.attempt)), canceled);
    return new EventAttributes.ActivityTaskCanceled(pa.seq, pa.scheduledEventId, pa.attempt, failure);
  }
}
