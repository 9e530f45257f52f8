package dev.durable.internal.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.common.DurableException;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import java.io.IOException;

/** Encodes events and mutable state as JSON, the same form {@code getHistory} exports. */
public final class StoreCodec {
  private static final ObjectMapper MAPPER = JsonConverter.newMapper()
      // Registered after the JavaTimeModule, so these take over writing Instants and reading Instants and
      // Durations (InstantWriter, InstantReader, DurationReader): same text, less work.
      .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("durable-store")
          .addSerializer(java.time.Instant.class, new InstantWriter())
          .addDeserializer(java.time.Instant.class, new InstantReader())
          .addDeserializer(java.time.Duration.class, new DurationReader()));

  private StoreCodec() {}

  /** Returns the mapper for stored and exported records. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] encode(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new DurableException("DURABLE-303", "cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  public static HistoryEvent decodeEvent(byte[] bytes, String where) {
    return decode(bytes, HistoryEvent.class, where);
  }

  public static ExecutionState decodeState(byte[] bytes, String where) {
    return decode(bytes, ExecutionState.class, where);
  }

  private static <T> T decode(byte[] bytes, Class<T> type, String where) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new DurableException("DURABLE-303", "stored " + type.getSimpleName() + " at " + where
          + " cannot be read: " + e.getMessage() + ". The data dir may be damaged or written by an incompatible"
          + " version; restore it from a backup (see docs/operations.md).", e);
    }
  }
}
