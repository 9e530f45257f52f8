package dev.durable.internal.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * JSON form of a {@link Payload}: {@code {"json": <value>}} for JSON payloads and
 * {@code {"encoding": "...", "base64": "..."}} for anything else.
 */
final class PayloadJson {
  private PayloadJson() {}

  static final class Writer extends JsonSerializer<Payload> {
    @Override
    public void serialize(Payload p, JsonGenerator gen, SerializerProvider sp) throws IOException {
      gen.writeStartObject();
      if (Payload.JSON.equals(p.encoding())) {
        gen.writeFieldName("json");
        gen.writeRawValue(new String(p.data(), StandardCharsets.UTF_8));
      } else {
        gen.writeStringField("encoding", p.encoding());
        gen.writeStringField("base64", Base64.getEncoder().encodeToString(p.data()));
      }
      gen.writeEndObject();
    }
  }

  static final class Reader extends JsonDeserializer<Payload> {
    @Override
    public Payload deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
      JsonNode node = parser.readValueAsTree();
      JsonNode json = node.get("json");
      if (json != null) {
        return new Payload(Payload.JSON, json.toString().getBytes(StandardCharsets.UTF_8));
      }
      JsonNode encoding = node.get("encoding");
      JsonNode base64 = node.get("base64");
      if (encoding == null || base64 == null) {
        throw ctx.weirdStringException(node.toString(), Payload.class,
            "a payload needs either \"json\" or both \"encoding\" and \"base64\"");
      }
      return new Payload(encoding.asText(), Base64.getDecoder().decode(base64.asText()));
    }
  }
}
