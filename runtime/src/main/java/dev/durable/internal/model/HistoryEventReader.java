package dev.durable.internal.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads an event in one pass. {@link HistoryEventJson} writes {@code eventType} before
 * {@code attributes}, so the attributes can be read straight into their class; Jackson's own
 * handling of an external type id buffers every attribute object first, which made decoding the
 * largest cost of reading a history. Any field order is still accepted (the attributes are
 * buffered when they come first), unknown fields are skipped, and the format is unchanged.
 *
 * <p>Event type names come from the {@link JsonSubTypes} list on {@link HistoryEvent#attributes()},
 * the one place where event types are registered.
 */
final class HistoryEventReader extends JsonDeserializer<HistoryEvent> implements ContextualDeserializer {
  private static final Map<String, Class<?>> TYPES = types();

  /** The mapper's deserializers of the timestamp and of each attributes class, found once per mapper. */
  private final JsonDeserializer<Object> timestamps;
  private final Map<String, JsonDeserializer<Object>> attributeReaders;

  /** Jackson creates it so, then asks {@link #createContextual} for the one that reads. */
  HistoryEventReader() {
    this(null, Map.of());
  }

  private HistoryEventReader(JsonDeserializer<Object> timestamps, Map<String, JsonDeserializer<Object>> attributeReaders) {
    this.timestamps = timestamps;
    this.attributeReaders = attributeReaders;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctx, BeanProperty property) throws JsonMappingException {
    if (timestamps != null) {
      return this;
    }
    Map<String, JsonDeserializer<Object>> readers = new HashMap<>();
    for (Map.Entry<String, Class<?>> e : TYPES.entrySet()) {
      readers.put(e.getKey(), ctx.findRootValueDeserializer(ctx.constructType(e.getValue())));
    }
    return new HistoryEventReader(ctx.findRootValueDeserializer(ctx.constructType(Instant.class)), Map.copyOf(readers));
  }

  private static Map<String, Class<?>> types() {
    JsonSubTypes subTypes;
    try {
      subTypes = HistoryEvent.class.getDeclaredField("attributes").getAnnotation(JsonSubTypes.class);
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Class<?>> types = new HashMap<>();
    for (JsonSubTypes.Type t : subTypes.value()) {
      types.put(t.name().isEmpty() ? t.value().getSimpleName() : t.name(), t.value());
    }
    return Map.copyOf(types);
  }

  @Override
  public HistoryEvent deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
    if (timestamps == null) { // used without contextualization: resolve now
      return ((HistoryEventReader) createContextual(ctx, null)).deserialize(p, ctx);
    }
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      t = p.nextToken();
    }
    if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
      return (HistoryEvent) ctx.handleUnexpectedToken(HistoryEvent.class, p);
    }
    long eventId = 0;
    Instant timestamp = null;
    String eventType = null;
    EventAttributes attributes = null;
    TokenBuffer early = null; // attributes that came before eventType
    for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "eventId" -> eventId = value == JsonToken.VALUE_NULL ? 0 : p.getValueAsLong();
        case "timestamp" -> timestamp = value == JsonToken.VALUE_NULL ? null : (Instant) timestamps.deserialize(p, ctx);
        case "eventType" -> eventType = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
        case "attributes" -> {
          if (value == JsonToken.VALUE_NULL) {
            attributes = null;
          } else if (eventType != null) {
            attributes = (EventAttributes) readerOf(eventType, ctx).deserialize(p, ctx);
          } else {
            early = ctx.bufferAsCopyOfValue(p);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (early != null) {
      if (eventType == null) {
        return (HistoryEvent) ctx.reportInputMismatch(HistoryEvent.class,
            "event %d has attributes but no \"eventType\" saying what they are", eventId);
      }
      try (JsonParser buffered = early.asParserOnFirstToken()) {
        attributes = (EventAttributes) readerOf(eventType, ctx).deserialize(buffered, ctx);
      }
    }
    return new HistoryEvent(eventId, timestamp, attributes);
  }

  private JsonDeserializer<Object> readerOf(String eventType, DeserializationContext ctx) throws IOException {
    JsonDeserializer<Object> reader = attributeReaders.get(eventType);
    if (reader == null) {
      ctx.reportInputMismatch(HistoryEvent.class, "unknown eventType '%s'; known types: %s", eventType,
          new TreeSet<>(TYPES.keySet()));
    }
    return reader;
  }
}
