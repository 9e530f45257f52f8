package dev.durable.bench.jmh;

import dev.durable.bench.Workflows;
import dev.durable.client.WorkflowHistory;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.store.StoreCodec;
import dev.durable.worker.WorkflowReplayer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two halves of the {@code replay} workload on the same history (the bench's {@code Steps}
 * workflow after {@code steps} activities, 3 events a step): decoding the stored events, and
 * replaying the decoded events through the workflow code (as {@code WorkflowReplayer} does, the
 * same code a worker runs for a query on an uncached run).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ReplayBenchmark {
  @Param("10000")
  int steps;

  WorkflowHistory history;
  List<byte[]> stored;

  @Setup
  public void history() {
    history = WorkflowHistory.fromJson(historyJson(steps));
    stored = new ArrayList<>();
    for (HistoryEvent e : history.internalEvents()) {
      stored.add(StoreCodec.encode(e));
    }
  }

  /** A history as the bench's Steps workflow records it, in the export format. */
  static String historyJson(int steps) {
    StringBuilder b = new StringBuilder(steps * 600);
    b.append("{\"workflowId\":\"replay\",\"runId\":\"ddeed38f-6817-4e8d-90d4-a6fea8fde8c0\",\"events\":[");
    b.append("{\"eventId\":1,\"timestamp\":\"2026-11-26T14:04:25.641488164Z\",\"eventType\":\"WorkflowExecutionStarted\","
        + "\"attributes\":{\"workflowId\":\"replay\",\"workflowType\":\"Steps\",\"taskQueue\":\"bench\","
        + "\"input\":[{\"json\":").append(steps).append("}],\"workflowTaskTimeout\":\"PT10S\",\"replaySemantics\":2}}");
    long id = 1;
    for (int i = 0; i < steps; i++) {
      completion(b, ++id, id - 1);
      b.append(",{\"eventId\":").append(++id).append(",\"timestamp\":\"2026-11-26T14:04:26.262397592Z\","
          + "\"eventType\":\"ActivityTaskScheduled\",\"attributes\":{\"seq\":").append(i + 1)
          .append(",\"activityType\":\"Inc\",\"taskQueue\":null,\"input\":[{\"json\":").append(i)
          .append("}],\"spec\":{\"scheduleToCloseTimeout\":null,\"startToCloseTimeout\":\"PT10S\","
              + "\"scheduleToStartTimeout\":null,\"heartbeatTimeout\":null,\"retryPolicy\":{\"initialInterval\":\"PT1S\","
              + "\"backoffCoefficient\":2.0,\"maximumInterval\":\"PT1M40S\",\"maximumAttempts\":0,\"doNotRetry\":[]}}}}");
      b.append(",{\"eventId\":").append(++id).append(",\"timestamp\":\"2026-11-26T14:04:26.321960318Z\","
          + "\"eventType\":\"ActivityTaskCompleted\",\"attributes\":{\"seq\":").append(i + 1)
          .append(",\"scheduledEventId\":").append(id - 1).append(",\"attempt\":1,\"result\":{\"json\":").append(i + 1)
          .append("}}}");
    }
    completion(b, ++id, id - 1);
    b.append(",{\"eventId\":").append(++id).append(",\"timestamp\":\"2026-11-26T14:04:27.0Z\","
        + "\"eventType\":\"WorkflowExecutionCompleted\",\"attributes\":{\"result\":{\"json\":").append(steps).append("}}}");
    return b.append("]}").toString();
  }

  private static void completion(StringBuilder b, long id, long lastSeen) {
    b.append(",{\"eventId\":").append(id).append(",\"timestamp\":\"2026-11-26T14:04:26.344757377Z\","
        + "\"eventType\":\"WorkflowTaskCompleted\",\"attributes\":{\"lastSeenEventId\":").append(lastSeen)
        .append(",\"workflowTime\":\"2026-11-26T14:04:26.333832035Z\",\"identity\":\"30758@vm/bench#1\"}}");
  }

  /** Decodes the stored events, as a worker's read of the whole history does. */
  @Benchmark
  public List<HistoryEvent> decode() {
    return StoreCodec.decodeEvents(stored, i -> "event " + (i + 1));
  }

  /** Replays the decoded history through the workflow code. */
  @Benchmark
  public WorkflowHistory replay() {
    WorkflowReplayer.replayWorkflowExecution(history, Workflows.StepsImpl.class);
    return history;
  }
}
