package dev.durable.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.model.RunLinks;
import dev.durable.internal.model.SearchAttributeValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The canonical reader reads the common events to exactly what the full reader reads them to,
 * and declines (null) everything that is not in the stored form, which the full reader then reads.
 */
class CanonicalEventReaderTest {
  private static final Instant T = Instant.parse("2026-03-04T05:06:07.123456789Z");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Payload json(String s) {
    return new Payload(Payload.JSON, utf8(s));
  }

  private static HistoryEvent fast(byte[] bytes) {
    return CanonicalEventReader.read(StoreCodec.mapper().getFactory(), bytes);
  }

  static List<HistoryEvent> written() {
    var spec = new ActivitySpec(Duration.ofSeconds(5), Duration.ofMillis(1500), null, Duration.ofHours(2),
        new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(100), 0, List.of("x.Y", "é\"\\n")));
    var bare = new ActivitySpec(null, null, null, null, new RetryPolicy(null, 1.5, null, 7, List.of()));
    List<HistoryEvent> out = new ArrayList<>();
    out.add(new HistoryEvent(2, T, new EventAttributes.WorkflowTaskCompleted(1, T.plusMillis(3), "123@host/q#1")));
    out.add(new HistoryEvent(3, Instant.parse("2026-01-01T00:00:00Z"),
        new EventAttributes.WorkflowTaskCompleted(Long.MAX_VALUE, Instant.EPOCH, null)));
    out.add(new HistoryEvent(4, T, new EventAttributes.ActivityTaskScheduled(1, "Inc", null, List.of(json("0")), spec)));
    out.add(new HistoryEvent(5, T, new EventAttributes.ActivityTaskScheduled(Integer.MAX_VALUE, "Ünï \"q\"", "other-queue",
        List.of(json("\"a\\u0000b\""), json("{\"k\":[1,2.50,true,null,{}]}"), json("-0"), json("12345678901234"),
            json("123456789012345678901234567890"), json("1e3"), json("null")), bare)));
    out.add(new HistoryEvent(6, T, new EventAttributes.ActivityTaskScheduled(-3, "Empty", null, List.of(), spec)));
    out.add(new HistoryEvent(7, T, new EventAttributes.ActivityTaskCompleted(1, 4, 1, json("1"))));
    out.add(new HistoryEvent(8, T, new EventAttributes.ActivityTaskCompleted(2, 5, 3, json("[\"x\",{\"y\":\"z\"}]"))));
    out.add(new HistoryEvent(9, T, new EventAttributes.ActivityTaskCompleted(3, 6, 1, null)));
    out.add(new HistoryEvent(10, T, new EventAttributes.ActivityTaskCompleted(4, 6, 1, Payload.NULL_VALUE)));
    out.add(new HistoryEvent(11, T, new EventAttributes.ActivityTaskCompleted(5, 6, 1, json("-2147483649"))));
    out.add(new HistoryEvent(1, T, new EventAttributes.WorkflowExecutionStarted("w-1", "Hello", "q", List.of(json("\"World\"")),
        Duration.ofSeconds(10), 2, null, Duration.ofDays(1), null, null)));
    out.add(new HistoryEvent(1, T, new EventAttributes.WorkflowExecutionStarted("w-2", "Hello", "q", List.of(),
        null, 0, Duration.ofHours(1), null, new java.util.TreeMap<>(java.util.Map.of(
            "CustomerId", new SearchAttributeValue(SearchAttributeValue.Type.KEYWORD, List.of("c-1")),
            "Tags", new SearchAttributeValue(SearchAttributeValue.Type.KEYWORD_LIST, List.of("a", "b")))),
        RunLinks.NONE)));
    out.add(new HistoryEvent(1, T, new EventAttributes.WorkflowExecutionStarted("w-3", "Child", "q",
        List.of(json("1"), json("{\"a\":[true]}")), Duration.ofSeconds(10), 2, null, null, java.util.Map.of(),
        new RunLinks("parent", "parent-run", 5, "TERMINATE", "previous-run", 3,
            new RetryPolicy(Duration.ofSeconds(1), 2.0, null, 5, List.of("x.Y")), T, Duration.ofMillis(250), null))));
    out.add(new HistoryEvent(12, T, new EventAttributes.TimerStarted(1, Duration.ofHours(1), T.plusSeconds(3600))));
    out.add(new HistoryEvent(13, T, new EventAttributes.TimerStarted(-7, Duration.ofNanos(1), Instant.EPOCH)));
    out.add(new HistoryEvent(14, T, new EventAttributes.TimerStarted(2, null, T)));
    out.add(new HistoryEvent(15, T, new EventAttributes.TimerFired(1)));
    out.add(new HistoryEvent(16, T, new EventAttributes.TimerFired(Integer.MIN_VALUE)));
    out.add(new HistoryEvent(1, T, new EventAttributes.WorkflowExecutionStarted("w-4", "Report", "q", List.of(),
        Duration.ofSeconds(10), 2, null, null, java.util.Map.of(),
        new RunLinks(null, null, 0, null, "previous-run", 1, null, T, Duration.ofMinutes(5),
            "CRON_TZ=Europe/Paris 0 9 * * MON-FRI"))));
    return out;
  }

  @Test
  void randomEventsOfEveryTypeAreEitherReadAsTheFullReaderReadsThemOrLeftToIt() throws Exception {
    RandomRecords records = new RandomRecords(20261127);
    List<Class<?>> types = RandomRecords.leafTypes(EventAttributes.class);
    int read = 0;
    for (int i = 0; i < 3_000; i++) {
      HistoryEvent e = new HistoryEvent(1 + i, records.instant(),
          (EventAttributes) records.value(types.get(i % types.size()), 0));
      byte[] bytes = StoreCodec.encode(e);
      HistoryEvent fast = fast(bytes);
      if (fast != null) {
        read++;
        assertEquals(StoreCodec.decodeEventFully(bytes), fast, new String(bytes, StandardCharsets.UTF_8));
      }
    }
    assertTrue(read > 150, "read " + read + " of 3,000"); // six of the types, in their common shapes
  }

  @Test
  void commonEventsReadAsTheFullReaderReadsThem() throws Exception {
    for (HistoryEvent e : written()) {
      byte[] bytes = StoreCodec.encode(e);
      HistoryEvent full = StoreCodec.decodeEventFully(bytes);
      HistoryEvent fast = fast(bytes);
      if (e.attributes() instanceof EventAttributes.ActivityTaskCompleted c && c.result() == Payload.NULL_VALUE) {
        assertNull(fast, "a non-JSON payload is left to the full reader");
      } else {
        assertNotNull(fast, new String(bytes, StandardCharsets.UTF_8));
        assertEquals(full, fast);
        assertEquals(full.toString(), fast.toString());
      }
      assertEquals(full, StoreCodec.decodeEvent(bytes, "test"));
    }
  }

  @Test
  void listsAreMutableAsTheFullReaderMakesThem() throws Exception {
    byte[] bytes = StoreCodec.encode(written().get(2));
    var fast = (EventAttributes.ActivityTaskScheduled) fast(bytes).attributes();
    var full = (EventAttributes.ActivityTaskScheduled) StoreCodec.decodeEventFully(bytes).attributes();
    assertEquals(full.input().getClass(), fast.input().getClass());
    assertEquals(full.spec().retryPolicy().doNotRetry().getClass(), fast.spec().retryPolicy().doNotRetry().getClass());
  }

  @Test
  void anythingElseIsDeclinedAndStillReadByTheFullReader() throws Exception {
    String wtc = "{\"lastSeenEventId\":1,\"workflowTime\":\"2026-01-01T00:00:00Z\",\"identity\":\"w\"}";
    String completed = "{\"seq\":1,\"scheduledEventId\":3,\"attempt\":1,\"result\":{\"json\":1}}";
    List<String> others = List.of(
        // field order, extra, missing and repeated fields
        "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"eventId\":2,\"eventType\":\"WorkflowTaskCompleted\",\"attributes\":" + wtc + "}",
        "{\"eventId\":2,\"timestamp\":\"2026-01-01T00:00:00Z\",\"eventType\":\"WorkflowTaskCompleted\",\"attributes\":" + wtc
            + ",\"future\":1}",
        event("WorkflowTaskCompleted", "{\"lastSeenEventId\":1,\"workflowTime\":\"2026-01-01T00:00:00Z\"}"),
        event("WorkflowTaskCompleted", "{\"lastSeenEventId\":1,\"lastSeenEventId\":2,\"workflowTime\":\"2026-01-01T00:00:00Z\","
            + "\"identity\":null}"),
        event("ActivityTaskCompleted", "{\"seq\":1,\"scheduledEventId\":3,\"attempt\":1,\"result\":{\"json\":1},\"x\":0}"),
        // other token types and forms
        event("ActivityTaskCompleted", completed.replace("\"seq\":1", "\"seq\":\"1\"")),
        event("ActivityTaskCompleted", completed.replace("\"attempt\":1", "\"attempt\":1.0")),
        event("ActivityTaskCompleted", completed.replace("{\"json\":1}", "{\"json\":1,\"encoding\":\"x\"}")),
        event("WorkflowTaskCompleted", wtc.replace("\"2026-01-01T00:00:00Z\"", "\"2026-01-01T01:00:00+01:00\"")),
        event("WorkflowTaskCompleted", wtc.replace("\"identity\":\"w\"", "\"identity\":7")),
        event("WorkflowTaskCompleted", wtc.replace("\"lastSeenEventId\":1", "\"lastSeenEventId\":null")),
        event("ActivityTaskScheduled", "{\"seq\":1,\"activityType\":\"A\",\"taskQueue\":null,\"input\":null,\"spec\":null}"),
        event("TimerFired", "{\"seq\":1,\"other\":2}"),
        event("TimerFired", "{}"),
        event("TimerStarted", "{\"seq\":1,\"duration\":\"PT1H\"}"),
        event("TimerStarted", "{\"seq\":1,\"duration\":3600,\"fireAt\":\"2026-01-01T00:00:00Z\"}"),
        // other event types
        event("TimerCanceled", "{\"seq\":1}"));
    for (String json : others) {
      byte[] bytes = utf8(json);
      assertNull(fast(bytes), json);
      assertEquals(StoreCodec.decodeEventFully(bytes), StoreCodec.decodeEvent(bytes, "test"), json);
    }
  }

  @Test
  void malformedBytesAreDeclinedAndReportedByTheFullReader() {
    String json = event("ActivityTaskCompleted", "{\"seq\":1,\"scheduledEventId\":3,\"attempt\":1,\"result\":{\"json\":1}");
    assertNull(fast(utf8(json)));
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.durable.common.DurableException.class,
        () -> StoreCodec.decodeEvent(utf8(json), "run r event 9"));
    assertTrue(e.getMessage().startsWith("DURABLE-303 stored HistoryEvent at run r event 9 cannot be read"), e.getMessage());
  }

  @Test
  void aHistoryReadInOnePassEqualsEachEventReadAlone() throws Exception {
    List<byte[]> values = new ArrayList<>();
    for (HistoryEvent e : written()) {
      values.add(StoreCodec.encode(e));
    }
    String wtc = event("WorkflowTaskCompleted", "{\"lastSeenEventId\":1,\"workflowTime\":\"2026-01-01T00:00:00Z\",\"identity\":\"w\"}");
    values.add(3, utf8(event("TimerCanceled", "{\"seq\":1}")));
    values.add(5, utf8(wtc + "  ")); // trailing white space: read alone, as before
    values.add(6, utf8(wtc));
    values.add(7, utf8(" " + wtc)); // leading white space
    values.add(1, utf8(wtc.replace("\"identity\":\"w\"", "\"identity\":\"w\",\"x\":[1,{\"y\":2}]")));
    List<HistoryEvent> expected = new ArrayList<>();
    for (byte[] v : values) {
      expected.add(StoreCodec.decodeEventFully(v));
    }
    for (int repeat : new int[] {1, 700}) { // 700 copies: long enough to be decoded in parts, on all cores
      List<byte[]> many = new ArrayList<>();
      List<HistoryEvent> want = new ArrayList<>();
      for (int r = 0; r < repeat; r++) {
        many.addAll(values);
        want.addAll(expected);
      }
      List<HistoryEvent> got = StoreCodec.decodeEvents(many, i -> "event " + i);
      assertEquals(want, got);
      assertEquals(ArrayList.class, got.getClass());
    }
  }

  @Test
  void aStoredValueHoldingMoreThanOneEventIsNotReadAsTwo() {
    String one = event("WorkflowTaskCompleted", "{\"lastSeenEventId\":1,\"workflowTime\":\"2026-01-01T00:00:00Z\",\"identity\":\"w\"}");
    String two = one.replace("\"eventId\":2", "\"eventId\":3");
    // A damaged value that holds two events, followed by a good one: the reader keeps its place.
    List<byte[]> values = List.of(utf8(one + two), utf8(two));
    HistoryEvent[] out = new HistoryEvent[2];
    CanonicalEventReader.readRun(StoreCodec.mapper().getFactory(), values, 0, 2, out);
    assertNull(out[0], "left to the full reader");
    assertNotNull(out[1]);
    assertEquals(3, out[1].eventId());
  }

  @Test
  void eventsInARowAreAllReadByTheOnePass() {
    List<byte[]> values = new ArrayList<>();
    for (HistoryEvent e : written()) {
      if (!(e.attributes() instanceof EventAttributes.ActivityTaskCompleted c && c.result() == Payload.NULL_VALUE)) {
        values.add(StoreCodec.encode(e));
      }
    }
    HistoryEvent[] out = new HistoryEvent[values.size()];
    CanonicalEventReader.readRun(StoreCodec.mapper().getFactory(), values, 0, values.size(), out);
    for (int i = 0; i < out.length; i++) {
      assertNotNull(out[i], "event " + i + " read by the one pass");
    }
  }

  private static String event(String type, String attributes) {
    return "{\"eventId\":2,\"timestamp\":\"2026-01-01T00:00:00Z\",\"eventType\":\"" + type + "\",\"attributes\":" + attributes + "}";
  }
}
