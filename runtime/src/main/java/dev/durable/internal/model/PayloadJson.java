package dev.durable.internal.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
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
public final class PayloadJson {
  private PayloadJson() {}

  /** Writes a payload in its JSON form: what {@code @JsonSerialize} uses, and the store's own writer. */
  public static void write(Payload p, JsonGenerator gen) throws IOException {
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

  static final class Writer extends JsonSerializer<Payload> {
    @Override
    public void serialize(Payload p, JsonGenerator gen, SerializerProvider sp) throws IOException {
      write(p, gen);
    }
  }

  static final class Reader extends JsonDeserializer<Payload> {
    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    @Override
    public Payload deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
      if (parser.currentToken() == JsonToken.START_OBJECT) {
        // One pass, no tree: "json" values are copied token by token into the payload's bytes.
        byte[] json = null;
        String encoding = null;
        String base64 = null;
        for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if ("json".equals(name)) {
            ByteArrayBuilder out = new ByteArrayBuilder(64);
            try (JsonGenerator gen = JSON.createGenerator(out)) {
              gen.copyCurrentStructure(parser);
            }
            json = out.toByteArray();
          } else if ("encoding".equals(name) && value.isScalarValue()) {
            encoding = parser.getText();
          } else if ("base64".equals(name) && value.isScalarValue()) {
            base64 = parser.getText();
          } else {
            parser.skipChildren();
          }
        }
        if (json != null) {
          return new Payload(Payload.JSON, json);
        }
        if (encoding == null || base64 == null) {
          throw ctx.weirdStringException(String.valueOf(encoding), Payload.class,
              "a payload needs either \"json\" or both \"encoding\" and \"base64\"");
        }
        return new Payload(encoding, Base64.getDecoder().decode(base64));
      }
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
