package dev.durable.internal.server;

import dev.durable.common.DurableException;
import dev.durable.internal.Checks;
import dev.durable.internal.converter.JsonSyntax;
import dev.durable.internal.model.Command;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.Payload;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Bounds on what one run may store, so that one oversized argument or one runaway loop cannot
 * fill the disk or make every replay of the run slow.
 *
 * @param maxPayloadSize the most bytes the payloads of one call may have together (all arguments
 *     of a start, a signal or a query; one result; the input of one activity)
 * @param maxHistoryLength the number of events at which a run is terminated (DURABLE-224)
 * @param historyWarningLength the number of events at which a run's history is reported in the
 *     log, once (DURABLE-225); 0 for the default: 10,000, or a fifth of a lower limit
 */
public record Limits(int maxPayloadSize, int maxHistoryLength, int historyWarningLength) {
  /** Where a history is reported by default: the length the issue tracker asked for. */
  public static final int DEFAULT_HISTORY_WARNING_LENGTH = 10_000;

  /** Limits with the default warning length. */
  public Limits(int maxPayloadSize, int maxHistoryLength) {
    this(maxPayloadSize, maxHistoryLength, 0);
  }

  /** 2 MiB: far above what a message needs, far below what would slow every replay down. */
  public static final int DEFAULT_MAX_PAYLOAD_SIZE = 2 * 1024 * 1024;
  /** 50,000 events: a replay of that many still takes well under a second. */
  public static final int DEFAULT_MAX_HISTORY_LENGTH = 50_000;
  /** The defaults. */
  public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_PAYLOAD_SIZE, DEFAULT_MAX_HISTORY_LENGTH);

  /**
   * Returns the length at which a history is reported in the log, once: the configured length,
   * else 10,000 events or a fifth of the limit when that is lower.
   */
  public long warnHistoryLength() {
    if (historyWarningLength > 0) {
      return historyWarningLength;
    }
    return Math.max(1, Math.min(DEFAULT_HISTORY_WARNING_LENGTH, maxHistoryLength / 5));
  }

  /**
   * The most failures a failure's chain of causes may hold, itself included. The engine's own
   * conversion keeps 32 causes ({@code Failures}); the rest is room for the server's wrapping.
   */
  public static final int MAX_FAILURE_DEPTH = 64;

  /**
   * Fails with DURABLE-223 when {@code payloads} together exceed the limit, and with DURABLE-228
   * when one of them is JSON that is not one valid value; {@code what} names them.
   */
  void checkPayloads(List<Payload> payloads, Supplier<String> what, String advice) {
    DurableException e = payloadError(payloads, what, advice);
    if (e != null) {
      throw e;
    }
  }

  /** Returns the error {@link #checkPayloads} would throw, or null. */
  DurableException payloadError(List<Payload> payloads, Supplier<String> what, String advice) {
    long size = size(payloads);
    if (size > maxPayloadSize) {
      return tooLarge(what.get(), size, advice);
    }
    for (Payload p : payloads) {
      String problem = p != null && Payload.JSON.equals(p.encoding()) ? JsonSyntax.problem(p.data()) : null;
      if (problem != null) {
        return new DurableException("DURABLE-228", what.get() + " is not valid JSON: " + problem + "." + advice
            + " A payload of encoding " + Payload.JSON + " must be UTF-8 text holding exactly one JSON value (numbers"
            + " of at most 1,000 characters, at most " + count(JsonSyntax.MAX_DEPTH) + " levels of nesting).");
      }
    }
    return null;
  }

  /**
   * Returns the error for a failure whose chain of causes is deeper than {@link #MAX_FAILURE_DEPTH}
   * or whose details (at any depth) fail {@link #checkPayloads}, or null.
   */
  DurableException failureError(FailureInfo failure, Supplier<String> what, String advice) {
    int depth = 0;
    for (FailureInfo f = failure; f != null; f = f.cause()) {
      if (++depth > MAX_FAILURE_DEPTH) {
        return new DurableException("DURABLE-228", what.get() + " has a chain of more than " + MAX_FAILURE_DEPTH
            + " causes." + advice + " Report the failure with fewer causes.");
      }
      DurableException e = payloadError(nullable(f.details()), () -> "the details of " + what.get(), advice);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  /** Fails with the error of {@link #failureError}, if any. */
  void checkFailure(FailureInfo failure, Supplier<String> what, String advice) {
    DurableException e = failureError(failure, what, advice);
    if (e != null) {
      throw e;
    }
  }

  /**
   * Fails with DURABLE-223 when a command carries payloads over the limit, and with DURABLE-228
   * when a payload is not valid JSON or a failure's causes are too deep, and with DURABLE-201 when a
   * child or continued run would have no usable workflow task timeout (a remote worker may send
   * anything). Checked before anything of the workflow task is recorded, so the task fails as a
   * whole and is retried.
   */
  void checkCommands(List<Command> commands, String workflowId, String workflowType) {
    String advice = " The workflow task fails and is retried; nothing it decided was recorded.";
    for (Command c : commands) {
      Supplier<String> what = () -> "the payload of '" + c.describe() + "' in workflow '" + workflowId + "' ("
          + workflowType + ")";
      if (c instanceof Command.ScheduleActivity a) {
        checkPayloads(a.input(), what, advice);
      } else if (c instanceof Command.CompleteWorkflow done) {
        checkPayloads(nullable(done.result()), what, advice);
      } else if (c instanceof Command.RecordMarker m) {
        checkPayloads(nullable(m.data()), what, advice);
      } else if (c instanceof Command.FailWorkflow f) {
        checkFailure(f.failure(), what, advice);
      } else if (c instanceof Command.CancelWorkflow f) {
        checkFailure(f.failure(), what, advice);
      } else if (c instanceof Command.StartChildWorkflow sc) {
        checkPayloads(sc.input(), what, advice);
        Checks.positive("workflowTaskTimeout of child workflow '" + sc.workflowId() + "'", sc.workflowTaskTimeout());
      } else if (c instanceof Command.SignalChild sc) {
        checkPayloads(sc.input(), what, advice);
      } else if (c instanceof Command.SignalExternal se) {
        Checks.workflowId(se.workflowId());
        Checks.name("signalName", se.signalName());
        checkPayloads(se.input(), what, advice);
      } else if (c instanceof Command.RequestCancelExternal rc) {
        Checks.workflowId(rc.workflowId());
      } else if (c instanceof Command.ContinueAsNew can) {
        checkPayloads(can.input(), what, advice);
        Checks.positiveOrNull("workflowTaskTimeout of the continued run", can.workflowTaskTimeout());
      } else if (c instanceof Command.CompleteUpdate u) {
        checkPayloads(nullable(u.result()), what, advice);
        checkFailure(u.failure(), what, advice);
      }
    }
  }

  /** Returns the DURABLE-223 error for {@code what}, which has {@code size} bytes. */
  DurableException tooLarge(String what, long size, String advice) {
    return new DurableException("DURABLE-223", what + " is " + bytes(size) + ", over the payload limit of "
        + bytes(maxPayloadSize) + "." + advice + " Pass a reference to large data (a file name, a database key)"
        + " instead of the data itself, or raise the limit with DurableServer.Builder.setMaxPayloadSize.");
  }

  static long size(List<Payload> payloads) {
    long size = 0;
    for (Payload p : payloads) {
      size += p == null ? 0 : p.data().length;
    }
    return size;
  }

  static List<Payload> nullable(Payload p) {
    return p == null ? List.of() : List.of(p);
  }

  static String bytes(long n) {
    return count(n) + " bytes";
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
