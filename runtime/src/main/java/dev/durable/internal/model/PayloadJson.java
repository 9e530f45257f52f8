package dev.durable.internal.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
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
  private static final JsonFactory COPY = new JsonFactory();

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

  /**
   * Copies the JSON value at the parser's current token to bytes, the way every reader of the
   * store turns a stored payload back into a {@link Payload}: strings and structure as Jackson's
   * generator writes them, numbers as the text they were written with. Copying a number through
   * its value would round a decimal to a double ({@code 0.12345678901234567890} would read back as
   * {@code 0.12345678901234568}, {@code 1e400} as the string {@code "Infinity"}); the text is valid
   * as it is, since the parser checked it.
   */
  public static byte[] copyValue(JsonParser parser) throws IOException {
    JsonToken t = parser.currentToken();
    if (t.isNumeric()) {
      return parser.getText().getBytes(StandardCharsets.US_ASCII);
    }
    ByteArrayBuilder out = new ByteArrayBuilder(64);
    try (JsonGenerator gen = COPY.createGenerator(out)) {
      int depth = 0;
      do {
        if (t.isNumeric()) {
          gen.writeNumber(parser.getText());
        } else {
          gen.copyCurrentEvent(parser);
          depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
        }
      } while (depth > 0 && (t = parser.nextToken()) != null);
    }
    return out.toByteArray();
  }

  static final class Writer extends JsonSerializer<Payload> {
    @Override
    public void serialize(Payload p, JsonGenerator gen, SerializerProvider sp) throws IOException {
      write(p, gen);
    }
  }

  static final class Reader extends JsonDeserializer<Payload> {
    @Override
    public Payload deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
      // One pass, no tree: "json" values are copied token by token into the payload's bytes. A
      // buffering caller may have read the START_OBJECT already.
      byte[] json = null;
      String encoding = null;
      String base64 = null;
      JsonToken t = parser.currentToken() == JsonToken.START_OBJECT ? parser.nextToken() : parser.currentToken();
      for (; t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("json".equals(name)) {
          json = copyValue(parser);
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
  }
}
