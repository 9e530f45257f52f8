package dev.durable.internal.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** Server-side state of one activity between its scheduling and its final outcome. */
public final class PendingActivity {
  /** Waiting in the task queue. */
  public static final String SCHEDULED = "SCHEDULED";
  /** Taken by a worker. */
  public static final String STARTED = "STARTED";
  /** Failed; waiting for the next attempt. */
  public static final String BACKOFF = "BACKOFF";

  public int seq;
  public long scheduledEventId;
  public String activityType;
  public String taskQueue;
  public ActivitySpec spec;
  public int attempt = 1;
  public String state = SCHEDULED;
  public Instant scheduledTime;
  public Instant attemptScheduledTime;
  public Instant nextAttemptTime;
  public FailureInfo lastFailure;
  public Payload heartbeatDetails;
  public Instant lastHeartbeatTime;
  /** Workflow code asked to cancel it while an attempt ran; the attempt's next heartbeat throws. */
  public boolean cancelRequested;
  /**
   * When the running attempt started, once its method returned asking to be completed by its task
   * token; null otherwise. Stored (only when set), so that a restart keeps the attempt waiting for
   * its token, with its timeouts, instead of running it again.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Instant awaitingCompletionSince;

  /** When the current attempt started; not stored: a restart dispatches the attempt again. */
  @JsonIgnore public Instant startedTime;
  /** The input, cached from the scheduling event; not stored (the event has it). */
  @JsonIgnore public List<Payload> input;
}
