package dev.durable.internal.converter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.durable.internal.store.StoreCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JsonOut} writes what the store mapper's Jackson generator writes, character for character. */
class JsonOutTest {
  @FunctionalInterface
  interface Writes {
    void to(JsonGenerator jackson, JsonOut ours) throws IOException;
  }

  private static void assertSame(String what, Writes writes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonOut ours = new JsonOut();
    try (JsonGenerator jackson = StoreCodec.mapper().createGenerator(bytes)) {
      writes.to(jackson, ours);
    }
    assertArrayEquals(bytes.toByteArray(), ours.take(), () -> what + ": Jackson wrote "
        + bytes.toString(StandardCharsets.UTF_8));
  }

  private static void stringInObject(String s) throws IOException {
    assertSame("string U+" + (s.isEmpty() ? "" : Integer.toHexString(s.charAt(0))), (j, o) -> {
      j.writeStartObject();
      j.writeFieldName(new SerializedString("n\"\u00e9"));
      j.writeNull();
      j.writeFieldName(s);
      j.writeString(s);
      j.writeStringField("k" + s, s + "v");
      j.writeEndObject();
      o.writeStartObject();
      o.writeFieldName(JsonOut.name("n\"\u00e9"));
      o.writeNull();
      o.writeFieldName(s);
      o.writeString(s);
      o.writeStringField("k" + s, s + "v");
      o.writeEndObject();
    });
  }

  @Test
  void everyBmpCharacterIsEscapedOrEncodedAsJacksonDoes() throws IOException {
    for (int c = 0; c <= 0xFFFF; c++) {
      stringInObject(String.valueOf((char) c));
      stringInObject("a" + (char) c + "\u00e9" + (char) c);
    }
  }

  @Test
  void surrogatePairsLoneSurrogatesAndRandomTextAsJacksonWritesThem() throws IOException {
    stringInObject("\ud83d\ude00 emoji, a lone \ud83d and a lone \ude00, \u2028\u2029\u007f");
    Random random = new Random(20261126);
    for (int i = 0; i < 3_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int k = random.nextInt(40); k > 0; k--) {
        b.append(switch (random.nextInt(4)) {
          case 0 -> (char) random.nextInt(0x80);
          case 1 -> (char) random.nextInt(0x10000);
          case 2 -> "\ud83d\ude00";
          default -> "\"\\\n\t";
        });
      }
      stringInObject(b.toString());
    }
  }

  @Test
  void containersNumbersLiteralsAndRawValuesAsJacksonWritesThem() throws IOException {
    byte[] badUtf8 = {'"', (byte) 0xC3, '"'};
    assertSame("a mixed record", (j, o) -> {
      j.writeStartObject();
      j.writeFieldName(new SerializedString("list"));
      j.writeStartArray();
      j.writeNumber(0);
      j.writeNumber(-7L);
      j.writeNumber(Long.MIN_VALUE);
      j.writeNumber("2.0");
      j.writeBoolean(true);
      j.writeNull();
      j.writeStartObject();
      j.writeEndObject();
      j.writeStartArray();
      j.writeEndArray();
      j.writeRawValue("{\"x\":[1,\"\u00e9\"]}");
      j.writeRawValue(new String(badUtf8, StandardCharsets.UTF_8));
      j.writeString((String) null);
      j.writeEndArray();
      j.writeFieldName("after");
      j.writeBoolean(false);
      j.writeFieldName(new SerializedString("nested"));
      j.writeStartObject();
      j.writeFieldName(new SerializedString("raw"));
      j.writeRawValue("[1]");
      j.writeFieldName(new SerializedString("text"));
      j.writeString("t");
      j.writeFieldName("plain");
      j.writeNull();
      j.writeFieldName(new SerializedString("list"));
      j.writeStartArray();
      j.writeEndArray();
      j.writeEndObject();
      j.writeEndObject();

      o.writeStartObject();
      o.writeFieldName(JsonOut.name("list"));
      o.writeStartArray();
      o.writeNumber(0);
      o.writeNumber(-7L);
      o.writeNumber(Long.MIN_VALUE);
      o.writeNumber("2.0");
      o.writeBoolean(true);
      o.writeNull();
      o.writeStartObject();
      o.writeEndObject();
      o.writeStartArray();
      o.writeEndArray();
      o.writeRawValue("{\"x\":[1,\"\u00e9\"]}".getBytes(StandardCharsets.UTF_8));
      o.writeRawValue(badUtf8);
      o.writeString(null);
      o.writeEndArray();
      o.writeFieldName("after");
      o.writeBoolean(false);
      o.writeFieldName(JsonOut.name("nested"));
      o.writeStartObject();
      o.writeFieldName(JsonOut.name("raw"));
      o.writeRawValue("[1]".getBytes(StandardCharsets.UTF_8));
      o.writeFieldName(JsonOut.name("text"));
      o.writeString("t");
      o.writeFieldName("plain");
      o.writeNull();
      o.writeFieldName(JsonOut.name("list"));
      o.writeStartArray();
      o.writeEndArray();
      o.writeEndObject();
      o.writeEndObject();
    });
  }

  @Test
  void recordsFollowOneAnotherAndAnOpenOneCannotBeTaken() {
    JsonOut out = new JsonOut();
    out.writeStartObject();
    out.writeEndObject();
    assertEquals("{}", new String(out.take(), StandardCharsets.UTF_8));
    out.writeNumber(12);
    assertEquals("12", new String(out.take(), StandardCharsets.UTF_8));
    out.writeStartArray();
    assertThrows(IllegalStateException.class, out::take);
    out.clear();
    out.writeStartObject();
    out.writeFieldName(JsonOut.name("name"));
    assertEquals("a record was taken with 1 containers still open and a field name without its value",
        assertThrows(IllegalStateException.class, out::take).getMessage());
    assertEquals("a container was closed after a field name without its value",
        assertThrows(IllegalStateException.class, out::writeEndObject).getMessage());
  }
}
