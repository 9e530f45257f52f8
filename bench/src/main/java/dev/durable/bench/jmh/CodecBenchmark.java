package dev.durable.bench.jmh;

import dev.durable.common.RetryOptions;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.converter.JsonSyntax;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.EventAttributes.ActivityTaskCompleted;
import dev.durable.internal.model.EventAttributes.ActivityTaskScheduled;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.store.StoreCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding the two events every activity adds to a history, and encoding the run's
 * state that every transition rewrites (and a restart decodes), as the store does; the
 * {@code WithJackson} variants encode or decode with the mapper's bean serializers and
 * deserializers, as the store did before {@code StoredFormWriter} and {@code CanonicalStateReader}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CodecBenchmark {
  HistoryEvent scheduled;
  HistoryEvent completed;
  byte[] scheduledBytes;
  byte[] completedBytes;
  ExecutionState state;
  byte[] stateBytes;

  @Setup
  public void events() {
    Instant now = Instant.parse("2026-01-01T00:00:00.123456Z");
    var spec = new ActivitySpec(null, Duration.ofSeconds(10), null, null, RetryPolicy.of(RetryOptions.getDefaultInstance()));
    scheduled = new HistoryEvent(5, now, new ActivityTaskScheduled(1, "Greet", null,
        List.of(JsonConverter.DEFAULT.toPayload("World", () -> "input")), spec));
    completed = new HistoryEvent(6, now, new ActivityTaskCompleted(1, 5, 1,
        JsonConverter.DEFAULT.toPayload("Hello, World!", () -> "result")));
    // A hello run's state while its activity runs.
    state = new ExecutionState();
    state.workflowId = "hello-1";
    state.runId = "7f3c2a8e-0d6e-4b5a-9a0b-2f1c3d4e5f60";
    state.workflowType = "Hello";
    state.taskQueue = "bench";
    state.startTime = now;
    state.workflowTaskTimeout = Duration.ofSeconds(10);
    state.nextEventId = 4;
    state.lastCompletedTaskEventId = 2;
    PendingActivity a = new PendingActivity();
    a.seq = 1;
    a.scheduledEventId = 3;
    a.activityType = "Greet";
    a.spec = spec;
    a.scheduledTime = now;
    a.attemptScheduledTime = now;
    state.activities.put(1, a);
    scheduledBytes = StoreCodec.encode(scheduled);
    stateBytes = StoreCodec.encode(state);
    completedBytes = StoreCodec.encode(completed);
    if (!StoreCodec.decodeEvent(scheduledBytes, "bench").equals(scheduled)
        || !StoreCodec.decodeEvent(completedBytes, "bench").equals(completed)
        || !java.util.Arrays.equals(stateBytes, encodeStateWithJacksonUnchecked())
        || !java.util.Arrays.equals(stateBytes, StoreCodec.encode(decodeState()))) {
      throw new IllegalStateException("the events do not survive encoding: " + new String(scheduledBytes) + " "
          + new String(completedBytes));
    }
  }

  /**
   * A record's JSON, as the converter writes an order: what the server checks (DURABLE-228) with a
   * parser, unlike plain strings and integers.
   */
  static final byte[] ORDER = ("{\"id\":\"order-4711\",\"customer\":{\"name\":\"Zoë Müller\",\"email\":\"zoe@example.com\"},"
      + "\"lines\":[{\"sku\":\"A-1\",\"quantity\":2,\"price\":19.99},{\"sku\":\"B-22\",\"quantity\":1,\"price\":5.5}],"
      + "\"express\":true,\"note\":null}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

  @Benchmark
  public String checkRecordPayload() {
    return JsonSyntax.problem(ORDER);
  }

  @Benchmark
  public String checkStringPayload() {
    return JsonSyntax.problem(completed.attributes() instanceof ActivityTaskCompleted c ? c.result().data() : null);
  }

  @Benchmark
  public byte[] encodeState() {
    return StoreCodec.encode(state);
  }

  @Benchmark
  public byte[] encodeStateWithJackson() throws Exception {
    return StoreCodec.mapper().writeValueAsBytes(state);
  }

  @Benchmark
  public byte[] encodeScheduledWithJackson() throws Exception {
    return StoreCodec.mapper().writeValueAsBytes(scheduled);
  }

  @Benchmark
  public byte[] encodeScheduled() {
    return StoreCodec.encode(scheduled);
  }

  private byte[] encodeStateWithJacksonUnchecked() {
    try {
      return encodeStateWithJackson();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public HistoryEvent decodeScheduled() {
    return StoreCodec.decodeEvent(scheduledBytes, "bench");
  }

  @Benchmark
  public byte[] encodeCompleted() {
    return StoreCodec.encode(completed);
  }

  @Benchmark
  public HistoryEvent decodeCompleted() {
    return StoreCodec.decodeEvent(completedBytes, "bench");
  }

  @Benchmark
  public ExecutionState decodeState() {
    return StoreCodec.decodeState(stateBytes, "bench");
  }

  @Benchmark
  public ExecutionState decodeStateWithJackson() throws Exception {
    return StoreCodec.mapper().readValue(stateBytes, ExecutionState.class);
  }
}
