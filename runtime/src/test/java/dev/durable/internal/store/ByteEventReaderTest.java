package dev.durable.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.HistoryEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The byte reader reads the five most frequent events, in exactly the writer's form, to what the
 * full reader reads them to, and declines (null) everything else, which the other readers then read.
 */
class ByteEventReaderTest {
  private static final String COMPLETED = "{\"eventId\":4,\"timestamp\":\"2026-01-01T00:00:00.5Z\","
      + "\"eventType\":\"ActivityTaskCompleted\",\"attributes\":{\"seq\":1,\"scheduledEventId\":3,\"attempt\":1,"
      + "\"result\":{\"json\":%s}}}";
  private static final String SCHEDULED = "{\"eventId\":3,\"timestamp\":\"2026-01-01T00:00:00Z\","
      + "\"eventType\":\"ActivityTaskScheduled\",\"attributes\":{\"seq\":1,\"activityType\":\"Inc\",\"taskQueue\":null,"
      + "\"input\":[{\"json\":0}],\"spec\":{\"scheduleToCloseTimeout\":null,\"startToCloseTimeout\":\"PT10S\","
      + "\"scheduleToStartTimeout\":null,\"heartbeatTimeout\":null,\"retryPolicy\":{\"initialInterval\":\"PT1S\","
      + "\"backoffCoefficient\":2.0,\"maximumInterval\":\"PT1M40S\",\"maximumAttempts\":0,\"doNotRetry\":[]}}}}";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isOneOfTheFive(HistoryEvent e) {
    return e.attributes() instanceof EventAttributes.WorkflowTaskCompleted
        || e.attributes() instanceof EventAttributes.ActivityTaskScheduled
        || e.attributes() instanceof EventAttributes.ActivityTaskCompleted
        || e.attributes() instanceof EventAttributes.TimerStarted
        || e.attributes() instanceof EventAttributes.TimerFired;
  }

  @Test
  void randomEventsAreEitherReadAsTheFullReaderReadsThemOrLeftToTheOthers() throws Exception {
    RandomRecords records = new RandomRecords(20261128);
    List<Class<?>> types = RandomRecords.leafTypes(EventAttributes.class);
    int read = 0;
    int ofTheFive = 0;
    for (int i = 0; i < 6_000; i++) {
      HistoryEvent e = new HistoryEvent(1 + i, records.instant(),
          (EventAttributes) records.value(types.get(i % types.size()), 0));
      byte[] bytes = StoreCodec.encode(e);
      HistoryEvent fast = ByteEventReader.read(bytes);
      ofTheFive += isOneOfTheFive(e) ? 1 : 0;
      if (fast != null) {
        read++;
        assertTrue(isOneOfTheFive(e), e.toString());
        assertEquals(StoreCodec.decodeEventFully(bytes), fast, new String(bytes, StandardCharsets.UTF_8));
      }
      assertEquals(StoreCodec.decodeEventFully(bytes), StoreCodec.decodeEvent(bytes, "test"));
    }
    // Some random values take forms that copying writes otherwise (a character beyond U+FFFF),
    // that are left to the others (a minus zero, long integers) or that the writer never produces;
    // most are read.
    assertTrue(read > ofTheFive / 2, "read " + read + " of " + ofTheFive);
  }

  @Test
  void theWritersFormOfTheFiveIsRead() throws Exception {
    List<Integer> read = new ArrayList<>();
    List<HistoryEvent> written = CanonicalEventReaderTest.written();
    for (int i = 0; i < written.size(); i++) {
      byte[] bytes = StoreCodec.encode(written.get(i));
      HistoryEvent fast = ByteEventReader.read(bytes);
      if (fast != null) {
        read.add(i);
        assertEquals(StoreCodec.decodeEventFully(bytes), fast);
        assertEquals(StoreCodec.decodeEventFully(bytes).toString(), fast.toString());
      }
    }
    // Left to the others: a 19-digit id (1), payloads with forms left to them (3: "-0", a 30-digit
    // number), a binary payload (8) and the start events (10 to 12).
    assertEquals(List.of(0, 2, 4, 5, 6, 7, 9, 13, 14, 15, 16, 17), read);
    for (String json : List.of(SCHEDULED, String.format(COMPLETED, "1"), String.format(COMPLETED, "null"),
        String.format(COMPLETED, "{\"a\":[1,-2,\"x y\",true,false,null,{},[]],\"b\":{\"c\":\"\"}}"),
        String.format(COMPLETED, "\"Hello, World!\""),
        String.format(COMPLETED, "[19.99,1.0E10,-2.5E-7,0.001,{\"k\":100.0}]"),
        String.format(COMPLETED, "[1.50,1.0e10,2.50,1e3,0.12345678901234567890123]"), // copied as their text
        String.format(COMPLETED, "\"Ünï \\\"q\\\" \\\\ \\n\\t\\b\\f\\r \\u0000\\u001F \u007f\u0080\u2028\uffff €\""),
        SCHEDULED.replace("\"Inc\"", "\"\\u0049n\\/c \\\"é\\\" 😀 \\uD83D\\uDE00\"").replace("\"doNotRetry\":[]",
            "\"doNotRetry\":[\"Ünï\",\"a\\\\b\"]"))) {
      HistoryEvent fast = ByteEventReader.read(utf8(json));
      assertNotNull(fast, json);
      assertEquals(StoreCodec.decodeEventFully(utf8(json)), fast, json);
    }
  }

  @Test
  void anythingElseIsDeclinedAndStillReadAsBefore() throws Exception {
    List<String> others = new ArrayList<>(List.of(
        SCHEDULED.replace("{\"seq\":1,", "{ \"seq\":1,"), // white space
        SCHEDULED.replace("\"activityType\":\"Inc\",\"taskQueue\":null", "\"taskQueue\":null,\"activityType\":\"Inc\""), // order
        SCHEDULED.replace("\"Inc\"", "\"I\\x6ec\""), // not an escape
        SCHEDULED.replace("\"Inc\"", "\"I\\u006\""), // a short one
        String.format(COMPLETED, "\"I\\u006ec\""), // escapes that copying writes otherwise
        String.format(COMPLETED, "\"a\\/b\""),
        String.format(COMPLETED, "\"\\u001f\""),
        String.format(COMPLETED, "\"\\u000A\""),
        String.format(COMPLETED, "\"😀\""), // written as two escaped surrogates
        String.format(COMPLETED, "\"\\uD83D\\uDE00\""),
        SCHEDULED.replace("2.0", "2"), // an integer where the writer writes a double
        SCHEDULED.replace("\"seq\":1", "\"seq\":2147483648"), // a long where an int goes
        SCHEDULED.replace("\"maximumAttempts\":0", "\"maximumAttempts\":00"),
        SCHEDULED.replace("\"doNotRetry\":[]", "\"doNotRetry\":[\"a\",\"b\"],\"x\":1"), // an extra field
        SCHEDULED.replace("\"PT10S\"", "\"PT-10S\""),
        SCHEDULED.replace("00:00:00Z", "00:00:00+00:00"),
        String.format(COMPLETED, "-0"), // read, but not here
        String.format(COMPLETED, "0123"),
        String.format(COMPLETED, "1234567890123456789"), // more digits than read here
        String.format(COMPLETED, "\"tab\there\""), // a control character, not valid JSON
        String.format(COMPLETED, "[1,]"), // malformed
        String.format(COMPLETED, "[1 ,2]"),
        String.format(COMPLETED, "{\"a\"}"),
        String.format(COMPLETED, "[".repeat(65) + "]".repeat(65)), // deeper than read here
        String.format(COMPLETED, "1") + " ", // trailing bytes
        String.format(COMPLETED, "1").replace("\"eventId\":4", "\"eventId\":-0"),
        "{\"eventId\":2,\"timestamp\":\"2026-01-01T00:00:00Z\",\"eventType\":\"TimerFired\",\"attributes\":{\"seq\":1,\"x\":2}}",
        "{\"eventId\":2,\"timestamp\":\"2026-01-01T00:00:00Z\",\"eventType\":\"TimerStarted\",\"attributes\":{\"seq\":1,"
            + "\"duration\":\"PT1H\",\"fireAt\":null}}",
        "{\"eventId\":2,\"timestamp\":\"2026-01-01T00:00:00Z\",\"eventType\":\"TimerCanceled\",\"attributes\":{\"seq\":1}}"));
    others.add(String.format(COMPLETED, "[".repeat(64) + "]".repeat(64))); // the deepest read here, below
    for (String json : others) {
      byte[] bytes = utf8(json);
      boolean deepest = json == others.get(others.size() - 1);
      assertEquals(deepest, ByteEventReader.read(bytes) != null, json);
      HistoryEvent full;
      try {
        full = StoreCodec.decodeEventFully(bytes);
      } catch (java.io.IOException e) {
        var error = org.junit.jupiter.api.Assertions.assertThrows(dev.durable.common.DurableException.class,
            () -> StoreCodec.decodeEvent(bytes, "run r event 4"), json);
        assertTrue(error.getMessage().startsWith("DURABLE-303"), error.getMessage());
        continue;
      }
      assertEquals(full, StoreCodec.decodeEvent(bytes, "test"), json);
      List<HistoryEvent> got = StoreCodec.decodeEvents(List.of(utf8(SCHEDULED), bytes, utf8(SCHEDULED)), i -> "event " + i);
      assertEquals(List.of(StoreCodec.decodeEventFully(utf8(SCHEDULED)), full, StoreCodec.decodeEventFully(utf8(SCHEDULED))),
          got, json);
    }
  }

  @Test
  void utf8ThatIsNotStrictlyValidIsDeclined() throws Exception {
    byte[][] invalid = {
        {(byte) 0xc0, (byte) 0x80}, // an overlong form
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
        {(byte) 0xe2, (byte) 0x82}, // cut short
        {(byte) 0xff},
        {(byte) 0x80}, // a continuation byte alone
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}}; // above U+10FFFF
    for (byte[] bad : invalid) {
      for (String json : List.of(SCHEDULED.replace("\"Inc\"", "\"I#c\""), String.format(COMPLETED, "\"I#c\""))) {
        String[] parts = json.split("#");
        byte[] head = utf8(parts[0]);
        byte[] tail = utf8(parts[1]);
        byte[] bytes = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(bad, 0, bytes, head.length, bad.length);
        System.arraycopy(tail, 0, bytes, head.length + bad.length, tail.length);
        assertNull(ByteEventReader.read(bytes), java.util.Arrays.toString(bad) + " in " + json);
      }
    }
  }

  @Test
  void everyTruncationIsDeclined() {
    byte[] whole = utf8(SCHEDULED);
    for (int n = 0; n < whole.length; n++) {
      assertNull(ByteEventReader.read(java.util.Arrays.copyOf(whole, n)), "first " + n + " bytes");
    }
  }
}
