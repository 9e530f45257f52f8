package dev.durable.internal.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;

/**
 * Writes an event with {@code eventType} before {@code attributes}, as docs/history-format.md
 * shows. Jackson writes an external type id after the value by default, which makes every
 * reader (Jackson's own included) buffer the attributes until it learns their type.
 */
final class HistoryEventJson extends JsonSerializer<HistoryEvent> {
  @Override
  public void serialize(HistoryEvent e, JsonGenerator gen, SerializerProvider provider) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("eventId", e.eventId());
    gen.writeFieldName("timestamp");
    provider.defaultSerializeValue(e.timestamp(), gen);
    gen.writeStringField("eventType", e.eventType());
    gen.writeFieldName("attributes");
    provider.defaultSerializeValue(e.attributes(), gen);
    gen.writeEndObject();
  }
}
