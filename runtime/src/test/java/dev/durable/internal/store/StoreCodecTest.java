package dev.durable.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.common.DurableException;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-pass event reader and the fast timestamp reader read exactly what was written before. */
class StoreCodecTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eventsRoundTripInTheDocumentedFieldOrder() {
    Payload p = new Payload(Payload.JSON, utf8("{\"a\":[1,2.5,\"x\"]}"));
    HistoryEvent e = new HistoryEvent(7, Instant.parse("2026-03-04T05:06:07.123456789Z"),
        new EventAttributes.WorkflowExecutionSignaled("go", List.of(p)));
    byte[] bytes = StoreCodec.encode(e);
    assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith(
        "{\"eventId\":7,\"timestamp\":\"2026-03-04T05:06:07.123456789Z\",\"eventType\":\"WorkflowExecutionSignaled\","),
        new String(bytes, StandardCharsets.UTF_8));
    assertEquals(e, StoreCodec.decodeEvent(bytes, "test"));
  }

  @Test
  void attributesBeforeTheirTypeAndUnknownFieldsAreStillRead() {
    String json = "{\"attributes\":{\"seq\":3,\"extra\":{\"deep\":[1]}},\"future\":[{}],\"eventId\":4,"
        + "\"eventType\":\"TimerFired\",\"timestamp\":\"2026-01-01T00:00:00Z\"}";
    HistoryEvent e = StoreCodec.decodeEvent(utf8(json), "test");
    assertEquals(new HistoryEvent(4, Instant.parse("2026-01-01T00:00:00Z"), new EventAttributes.TimerFired(3)), e);
  }

  @Test
  void anUnknownEventTypeIsAClearError() {
    String json = "{\"eventId\":4,\"timestamp\":\"2026-01-01T00:00:00Z\",\"eventType\":\"Teleported\",\"attributes\":{}}";
    DurableException e = assertThrows(DurableException.class, () -> StoreCodec.decodeEvent(utf8(json), "run r event 4"));
    assertTrue(e.getMessage().startsWith("DURABLE-303 stored HistoryEvent at run r event 4 cannot be read"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown eventType 'Teleported'"), e.getMessage());
    assertTrue(e.getMessage().contains("TimerFired"), "lists the known types: " + e.getMessage());
  }

  @Test
  void attributesWithoutATypeAreAClearError() {
    String json = "{\"eventId\":4,\"attributes\":{\"seq\":1}}";
    DurableException e = assertThrows(DurableException.class, () -> StoreCodec.decodeEvent(utf8(json), "x"));
    assertTrue(e.getMessage().contains("event 4 has attributes but no \"eventType\""), e.getMessage());
  }

  @Test
  void timestampsOfEveryPrecisionParseLikeInstantParse() {
    for (String s : List.of("2026-01-01T00:00:00Z", "1970-01-01T00:00:00.5Z", "2024-02-29T23:59:59.999Z",
        "2026-11-26T11:09:36.123456Z", "1969-12-31T23:59:59.000000001Z", "0001-01-01T00:00:00Z")) {
      assertEquals(Instant.parse(s), InstantReader.parse(s), s);
    }
  }

  @Test
  void otherTimestampFormsAreLeftToJackson() {
    for (String s : List.of("2026-01-01T00:00:00+01:00", "2026-02-30T00:00:00Z", "+10000-01-01T00:00:00Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z")) {
      assertNull(InstantReader.parse(s), s);
    }
    // ...and Jackson still reads the valid ones among them, as before.
    String json = "{\"eventId\":1,\"timestamp\":\"+10000-01-01T00:00:00Z\",\"eventType\":\"TimerFired\",\"attributes\":{\"seq\":1}}";
    assertEquals(Instant.parse("+10000-01-01T00:00:00Z"), StoreCodec.decodeEvent(utf8(json), "x").timestamp());
  }

  @Test
  void durationsParseLikeDurationParse() {
    for (Duration d : List.of(Duration.ZERO, Duration.ofSeconds(10), Duration.ofMillis(250), Duration.ofNanos(1),
        Duration.ofHours(26).plusMinutes(3).plusSeconds(4).plusMillis(5), Duration.ofMinutes(90), Duration.ofDays(400))) {
      assertEquals(d, DurationReader.parse(d.toString()), d.toString());
    }
    for (String s : List.of("PT-1S", "P1D", "PT1S2M", "PT1.S", "PT", "PT1.1234567891S", "PT1H1H", "PT1X", "pt1s")) {
      assertNull(DurationReader.parse(s), s);
    }
    String json = "{\"eventId\":1,\"timestamp\":\"2026-01-01T00:00:00Z\",\"eventType\":\"TimerStarted\","
        + "\"attributes\":{\"seq\":1,\"duration\":\"P2DT-1S\",\"fireAt\":\"2026-01-02T23:59:59Z\"}}";
    assertEquals(new EventAttributes.TimerStarted(1, Duration.parse("P2DT-1S"), Instant.parse("2026-01-02T23:59:59Z")),
        StoreCodec.decodeEvent(utf8(json), "x").attributes(), "other forms are still read by Jackson");
  }

  @Test
  void payloadsReadInOnePassKeepTheirJson() {
    Payload json = new Payload(Payload.JSON, utf8("{\"k\":[1,-2.5e-3,\"\\u00e9\\\"\",null,true,{\"n\":{}}]}"));
    Payload bin = new Payload("binary/plain", new byte[] {0, 1, (byte) 255});
    HistoryEvent e = new HistoryEvent(2, Instant.EPOCH,
        new EventAttributes.WorkflowExecutionSignaled("s", List.of(json, bin, Payload.NULL_VALUE)));
    HistoryEvent back = StoreCodec.decodeEvent(StoreCodec.encode(e), "x");
    var input = ((EventAttributes.WorkflowExecutionSignaled) back.attributes()).input();
    assertEquals("{\"k\":[1,-2.5e-3,\"\u00e9\\\"\",null,true,{\"n\":{}}]}", new String(input.get(0).data(), StandardCharsets.UTF_8));
    assertEquals(bin, input.get(1));
    assertEquals(Payload.NULL_VALUE, input.get(2));
    DurableException bad = assertThrows(DurableException.class, () -> StoreCodec.decodeEvent(utf8("{\"eventId\":1,"
        + "\"eventType\":\"WorkflowExecutionSignaled\",\"attributes\":{\"signalName\":\"s\",\"input\":[{\"x\":1}]}}"), "x"));
    assertTrue(bad.getMessage().contains("a payload needs either"), bad.getMessage());
  }

  @Test
  void timestampsAreWrittenExactlyAsInstantToString() {
    java.util.Random r = new java.util.Random(42);
    List<Instant> samples = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
        Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.100Z"), Instant.parse("-0001-06-01T00:00:00Z"),
        Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX, Instant.parse("2026-11-26T11:09:36.120Z"),
        Instant.parse("2026-11-26T11:09:36.000120Z"), Instant.parse("2026-11-26T11:09:36.000000120Z")));
    for (int i = 0; i < 2_000; i++) {
      samples.add(Instant.ofEpochSecond(r.nextLong() % 400_000_000_000L, r.nextInt(4) == 0 ? 0 : r.nextInt(1_000_000_000)));
    }
    for (Instant t : samples) {
      assertEquals(t.toString(), InstantWriter.format(t));
      HistoryEvent e = new HistoryEvent(1, t, new EventAttributes.TimerFired(1));
      assertTrue(new String(StoreCodec.encode(e), StandardCharsets.UTF_8).contains("\"timestamp\":\"" + t + "\""));
      assertEquals(e, StoreCodec.decodeEvent(StoreCodec.encode(e), "x"));
    }
  }

  /**
   * Under a payload limit raised above 20 MB, a string longer than Jackson's default limit (20
   * million characters) is recorded, so it must read back: in a start event (the token reader and
   * the mapper) and as the value the payload converter makes of it.
   */
  @Test
  void aStringBeyondJacksonsDefaultLimitReadsBack() throws Exception {
    String text = "x".repeat(20_000_001);
    Payload input = dev.durable.internal.converter.JsonConverter.DEFAULT.toPayload(text, () -> "test");
    HistoryEvent started = new HistoryEvent(1, Instant.EPOCH, new EventAttributes.WorkflowExecutionStarted("w", "T",
        "q", List.of(input), Duration.ofSeconds(10), 2, null, null, null, null));
    byte[] bytes = StoreCodec.encode(started);
    assertEquals(started, StoreCodec.decodeEvent(bytes, "test"));
    assertEquals(started, StoreCodec.decodeEventFully(bytes));
    assertEquals(text, dev.durable.internal.converter.JsonConverter.DEFAULT.fromPayload(input, String.class, () -> "test"));
  }
}
