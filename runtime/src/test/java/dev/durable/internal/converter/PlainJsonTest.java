package dev.durable.internal.converter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.common.DataConverterException;
import dev.durable.internal.model.Payload;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The converter's fast path must write the bytes Jackson writes and read the values Jackson reads. */
class PlainJsonTest {
  private static final ObjectMapper JACKSON = JsonConverter.newMapper();

  @Test
  void writesEveryCharacterAsJacksonDoes() throws Exception {
    for (int c = 0; c <= 0xFFFF; c++) {
      String s = "a" + (char) c + "b";
      assertWrittenAsJacksonDoes(s);
      assertWrittenAsJacksonDoes(String.valueOf((char) c));
    }
  }

  @Test
  void writesTrickyStringsAsJacksonDoes() throws Exception {
    List<String> tricky = new ArrayList<>(List.of("", "Hello, World!", "quote \" and backslash \\ and slash /",
        "\n\r\t\b\f\u0000\u0001\u001f\u007f", "\u2028\u2029", "caf\u00e9 \u4e16\u754c \u20ac",
        "pair \uD83D\uDE00 emoji", "lone high \uD83D", "lone low \uDE00 end", "\uDE00\uD83D reversed",
        "\"\"\"", "\\u0041", "</script>"));
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      char[] cs = new char[random.nextInt(12)];
      for (int j = 0; j < cs.length; j++) {
        cs[j] = (char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80));
      }
      tricky.add(new String(cs));
    }
    for (String s : tricky) {
      assertWrittenAsJacksonDoes(s);
      Payload p = JsonConverter.DEFAULT.toPayload(s, () -> "test");
      assertArrayEquals(JACKSON.writeValueAsBytes(s), p.data(), s);
      assertEquals(s, JsonConverter.DEFAULT.fromPayload(p, String.class, () -> "test"), s);
    }
  }

  @Test
  void writesNumbersAndBooleansAsJacksonDoes() throws Exception {
    for (Object v : List.of(0, 1, -1, 42, Integer.MAX_VALUE, Integer.MIN_VALUE, 0L, -7L, Long.MAX_VALUE,
        Long.MIN_VALUE, true, false)) {
      assertArrayEquals(JACKSON.writeValueAsBytes(v), PlainJson.write(v), v.toString());
    }
    assertNull(PlainJson.write(3.5), "other types are Jackson's");
    assertNull(PlainJson.write(List.of("a")), "other types are Jackson's");
  }

  @Test
  void readsWhatJacksonReadsAndLeavesTheRestToIt() throws Exception {
    List<String> inputs = List.of("\"\"", "\"abc\"", "\"caf\u00e9\"", "\"\\n\"", "\"\\u0041\"", "\"a\"b\"", "\"",
        "\"\"\"", " \"a\"", "\"a\" ", "null", "0", "-0", "7", "-7", "007", "-", "", "+1", "1.0", "1e3", " 1", "1 ",
        "2147483647", "-2147483648", "2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "123456789012345678", "true", "false", "TRUE", "True", "tru", "\"true\"", "\"1\"");
    List<byte[]> raw = new ArrayList<>();
    for (String s : inputs) {
      raw.add(s.getBytes(StandardCharsets.UTF_8));
    }
    HexFormat hex = HexFormat.of();
    for (String h : List.of("22ff22", "22c3a922", "22c322", "22c0af22", "22eda08022", "22f09f988022", "22e282ac22",
        "22f4908080", "220122", "220922", "223f22")) {
      raw.add(hex.parseHex(h));
    }
    Type[] types = {String.class, int.class, Integer.class, long.class, Long.class, boolean.class, Boolean.class};
    int fast = 0;
    for (byte[] json : raw) {
      for (Type type : types) {
        Object expected;
        try {
          expected = JACKSON.readValue(json, JACKSON.constructType(type));
        } catch (Exception e) {
          expected = e;
        }
        Object plain = PlainJson.read(json, type);
        String what = new String(json, StandardCharsets.UTF_8) + " as " + type;
        if (plain != null) {
          fast++;
          assertEquals(expected, plain, what);
        }
        Object viaConverter;
        try {
          viaConverter = JsonConverter.DEFAULT.fromPayload(new Payload(Payload.JSON, json), type, () -> "test");
        } catch (DataConverterException e) {
          viaConverter = e;
        }
        if (expected instanceof Exception) {
          assertEquals(DataConverterException.class, viaConverter.getClass(), what + " must still fail");
        } else {
          assertEquals(expected, viaConverter, what);
        }
      }
    }
    assertEquals(43, fast, "inputs read without Jackson");
  }

  @Test
  void readsBackEveryStringItWrites() {
    for (int c = 0; c <= 0xFFFF; c++) {
      if (Character.isSurrogate((char) c)) {
        continue;
      }
      String s = "x" + (char) c;
      byte[] json = PlainJson.write(s);
      assertNotNull(json, s);
      Object back = PlainJson.read(json, String.class);
      if (back != null) {
        assertEquals(s, back);
      }
    }
  }

  private static void assertWrittenAsJacksonDoes(String s) throws Exception {
    byte[] plain = PlainJson.write(s);
    if (plain != null) {
      assertArrayEquals(JACKSON.writeValueAsBytes(s), plain, () -> "for " + HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_16BE)));
    }
  }
}
