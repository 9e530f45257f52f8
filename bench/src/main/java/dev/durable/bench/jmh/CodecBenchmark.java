package dev.durable.bench.jmh;

import dev.durable.common.RetryOptions;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.EventAttributes.ActivityTaskCompleted;
import dev.durable.internal.model.EventAttributes.ActivityTaskScheduled;
import dev.durable.internal.model.HistoryEvent;
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

/** Encoding and decoding the two events every activity adds to a history, as the store does. */
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

  @Setup
  public void events() {
    Instant now = Instant.parse("2026-01-01T00:00:00.123456Z");
    var spec = new ActivitySpec(null, Duration.ofSeconds(10), null, null, RetryPolicy.of(RetryOptions.getDefaultInstance()));
    scheduled = new HistoryEvent(5, now, new ActivityTaskScheduled(1, "Greet", null,
        List.of(JsonConverter.DEFAULT.toPayload("World", () -> "input")), spec));
    completed = new HistoryEvent(6, now, new ActivityTaskCompleted(1, 5, 1,
        JsonConverter.DEFAULT.toPayload("Hello, World!", () -> "result")));
    scheduledBytes = StoreCodec.encode(scheduled);
    completedBytes = StoreCodec.encode(completed);
    if (!StoreCodec.decodeEvent(scheduledBytes, "bench").equals(scheduled)
        || !StoreCodec.decodeEvent(completedBytes, "bench").equals(completed)) {
      throw new IllegalStateException("the events do not survive encoding: " + new String(scheduledBytes) + " "
          + new String(completedBytes));
    }
  }

  @Benchmark
  public byte[] encodeScheduled() {
    return StoreCodec.encode(scheduled);
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
}
