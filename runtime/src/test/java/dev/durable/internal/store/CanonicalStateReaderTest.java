package dev.durable.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.internal.model.ActivitySpec;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.model.RetryPolicy;
import dev.durable.internal.model.RunLinks;
import dev.durable.internal.model.RunSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The state reader builds the same run state as the mapper from the same stored bytes, for
 * random states, and leaves whatever is not a common state in canonical form to the mapper.
 */
class CanonicalStateReaderTest {
  private static final JsonFactory FACTORY = new JsonFactory();
  private final RandomRecords records = new RandomRecords(20261127);

  @Test
  void commonStatesAreReadAsTheMapperReadsThem() throws Exception {
    for (int i = 0; i < 1_500; i++) {
      ExecutionState s = common((ExecutionState) records.value(ExecutionState.class, 0), 1);
      byte[] bytes = StoreCodec.encode(s);
      ExecutionState read = CanonicalStateReader.read(FACTORY, bytes);
      assertNotNull(read, () -> "a common state went to the mapper: " + new String(bytes, StandardCharsets.UTF_8));
      assertSameAsTheMapper(bytes, read);
    }
  }

  @Test
  void statesOfEveryShapeAreEitherReadAsTheMapperReadsThemOrLeftToIt() throws Exception {
    int read = 0;
    for (int i = 0; i < 1_500; i++) {
      // Each of the common shapes only most of the time: some states keep a failure, a child, a
      // payload in another encoding or a null map.
      byte[] bytes = StoreCodec.encode(common((ExecutionState) records.value(ExecutionState.class, 0), 0.8));
      ExecutionState s = CanonicalStateReader.read(FACTORY, bytes);
      if (s != null) {
        read++;
        assertSameAsTheMapper(bytes, s);
      } else {
        assertNotNull(StoreCodec.decodeState(bytes, "a test"));
      }
    }
    assertTrue(read > 100 && read < 1_400, "read " + read + " of 1,500");
  }

  @Test
  void summariesAreReadAsTheMapperReadsThem() throws Exception {
    int read = 0;
    for (int i = 0; i < 1_000; i++) {
      ExecutionState s = common((ExecutionState) records.value(ExecutionState.class, 0), 0.9);
      byte[] bytes = StoreCodec.encode(RunSummary.of(s));
      RunSummary summary = CanonicalStateReader.readSummary(FACTORY, bytes);
      RunSummary mapped = StoreCodec.mapper().readValue(bytes, RunSummary.class);
      if (summary != null) {
        read++;
        assertEquals(mapped, summary);
        assertEquals(new String(bytes, StandardCharsets.UTF_8), new String(StoreCodec.encode(summary), StandardCharsets.UTF_8));
      }
      assertEquals(mapped, StoreCodec.decodeSummary(bytes, "a test"));
    }
    assertTrue(read > 800, "read " + read + " of 1,000"); // all but the few with a null type or map
    String json = new String(StoreCodec.encode(RunSummary.of(common((ExecutionState) records.value(ExecutionState.class, 0), 1))),
        StandardCharsets.UTF_8);
    for (String variant : List.of(json.replace(",\"closeTime\":", ",\"closeTime\":1,\"x\":"),
        json.replace("\"runId\":", "\"runId\":1,\"y\":"), json.replaceFirst(",\"status\":[^,]*", ""))) {
      assertNull(CanonicalStateReader.readSummary(FACTORY, variant.getBytes(StandardCharsets.UTF_8)), variant);
    }
  }

  @Test
  void aFreshRunsStateIsReadWithItsDefaults() throws Exception {
    ExecutionState fresh = new ExecutionState();
    fresh.workflowId = "w";
    fresh.runId = "r";
    ExecutionState read = CanonicalStateReader.read(FACTORY, StoreCodec.encode(fresh));
    assertNotNull(read);
    assertEquals("w", read.workflowId);
    assertEquals(WorkflowStatus.RUNNING, read.status);
    assertEquals(1, read.nextEventId);
    assertEquals(1, read.workflowTaskAttempt);
    assertSame(RunLinks.NONE, read.links);
    assertEquals(TreeMap.class, read.timers.getClass());
    assertSameAsTheMapper(StoreCodec.encode(fresh), read);
  }

  @Test
  void statesNotInCanonicalFormGoToTheMapper() throws Exception {
    ExecutionState s = new ExecutionState();
    s.workflowId = "w";
    s.runId = "r";
    s.timers.put(7, Instant.parse("2026-11-27T10:00:00Z"));
    String json = new String(StoreCodec.encode(s), StandardCharsets.UTF_8);
    List<String> variants = List.of(
        json.replace("\"cancelRequested\":false,", ""), // a field missing
        json.replace("{\"workflowId\":\"w\",", "{\"workflowId\":\"w\",\"workflowId\":\"w\","), // a field twice
        json.replace("{\"workflowId\":\"w\",", "{\"later\":1,\"workflowId\":\"w\","), // a field it does not know
        json.replace("\"nextEventId\":1", "\"nextEventId\":\"1\""), // a number as text
        json.replace("\"timers\":{\"7\"", "\"timers\":{\"07\""), // a key not written as the writer writes it
        json.replace("\"2026-11-27T10:00:00Z\"", "1795773600.000000000"), // a timestamp as a number
        json + " ");
    for (String variant : variants.subList(0, variants.size() - 1)) {
      byte[] bytes = variant.getBytes(StandardCharsets.UTF_8);
      assertNull(CanonicalStateReader.read(FACTORY, bytes), variant);
      ExecutionState decoded = StoreCodec.decodeState(bytes, "a test");
      assertEquals("r", decoded.runId, variant);
      assertEquals(Instant.parse("2026-11-27T10:00:00Z"), decoded.timers.get(7), variant);
    }
    // What neither reads (a text where an object belongs) gets the mapper's error, with its code.
    byte[] damaged = json.replace("\"retryPolicy\":null", "\"retryPolicy\":\"none\"").getBytes(StandardCharsets.UTF_8);
    assertNull(CanonicalStateReader.read(FACTORY, damaged));
    DurableException e = assertThrows(DurableException.class, () -> StoreCodec.decodeState(damaged, "run r"));
    assertTrue(e.getMessage().contains("DURABLE-303") && e.getMessage().contains("run r"), e.getMessage());
    // Trailing white space is still the canonical form.
    assertNotNull(CanonicalStateReader.read(FACTORY, variants.get(variants.size() - 1).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void fieldsInAnotherOrderAreReadAsTheMapperReadsThem() throws Exception {
    ExecutionState s = common((ExecutionState) records.value(ExecutionState.class, 0), 1);
    String json = new String(StoreCodec.encode(s), StandardCharsets.UTF_8);
    int links = json.indexOf(",\"links\":");
    int nextRunId = json.indexOf(",\"nextRunId\":");
    String moved = "{" + json.substring(links + 1, nextRunId) + "," + json.substring(1, links) + json.substring(nextRunId);
    byte[] bytes = moved.getBytes(StandardCharsets.UTF_8);
    ExecutionState read = CanonicalStateReader.read(FACTORY, bytes);
    assertNotNull(read, moved);
    assertSameAsTheMapper(bytes, read);
  }

  /**
   * The state as a common run has it: no failure, no pending child, JSON payloads, buffered events
   * of the common types, no null map. Each of these shapes is given with the probability {@code p}.
   */
  private ExecutionState common(ExecutionState s, double p) {
    if (records.random.nextDouble() < p) {
      s.lastWorkflowTaskFailure = null;
      s.failure = null;
    }
    if (records.random.nextDouble() < p) {
      s.children = new TreeMap<>();
    }
    if (records.random.nextDouble() < p) {
      s.result = s.result == null ? null : json();
    }
    if (records.random.nextDouble() < p) {
      // A server never stores null maps or links.
      s.activities = s.activities == null ? new TreeMap<>() : s.activities;
      s.timers = s.timers == null ? new TreeMap<>() : s.timers;
      s.searchAttributes = s.searchAttributes == null ? new TreeMap<>() : s.searchAttributes;
      s.updates = s.updates == null ? new TreeMap<>() : s.updates;
      s.links = s.links == null ? RunLinks.NONE : new RunLinks(s.links.parentWorkflowId(), s.links.parentRunId(),
          s.links.parentInitiatedEventId(), s.links.parentClosePolicy(), s.links.continuedFromRunId(),
          s.links.attempt(), commonRetry(s.links.retryPolicy()), s.links.executionStartTime(),
          s.links.firstWorkflowTaskBackoff(), s.links.cronSchedule());
    }
    if (s.activities != null && records.random.nextDouble() < p) {
      for (PendingActivity a : s.activities.values()) {
        a.lastFailure = null;
        a.heartbeatDetails = a.heartbeatDetails == null ? null : json();
        a.spec = a.spec == null ? null : commonSpec(a.spec);
      }
    }
    if (records.random.nextDouble() < p) {
      List<HistoryEvent> events = new ArrayList<>();
      for (int i = 0; i < records.random.nextInt(3); i++) {
        events.add(new HistoryEvent(i + 1, records.instant(),
            new EventAttributes.ActivityTaskCompleted(i, i, 1, i % 2 == 0 ? null : json())));
      }
      s.bufferedEvents = events;
    }
    return s;
  }

  private static ActivitySpec commonSpec(ActivitySpec spec) {
    return new ActivitySpec(spec.scheduleToCloseTimeout(), spec.startToCloseTimeout(), spec.scheduleToStartTimeout(),
        spec.heartbeatTimeout(), commonRetry(spec.retryPolicy()));
  }

  /** A retry policy that lists its non-retryable types, as the client always makes it. */
  private static RetryPolicy commonRetry(RetryPolicy retry) {
    if (retry == null || retry.doNotRetry() != null) {
      return retry;
    }
    return new RetryPolicy(retry.initialInterval(), retry.backoffCoefficient(), retry.maximumInterval(),
        retry.maximumAttempts(), List.of());
  }

  private Payload json() {
    return new Payload(Payload.JSON, ("{\"n\":" + records.random.nextInt(100) + ",\"s\":\"é\"}")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** {@code read} holds what the mapper reads from {@code bytes}: the same stored form, the same kinds of maps. */
  private static void assertSameAsTheMapper(byte[] bytes, ExecutionState read) throws Exception {
    ExecutionState mapped = StoreCodec.mapper().readValue(bytes, ExecutionState.class);
    assertEquals(new String(StoreCodec.encode(mapped), StandardCharsets.UTF_8),
        new String(StoreCodec.encode(read), StandardCharsets.UTF_8));
    for (Map<?, ?>[] pair : List.of(new Map<?, ?>[] {mapped.activities, read.activities},
        new Map<?, ?>[] {mapped.timers, read.timers}, new Map<?, ?>[] {mapped.updates, read.updates},
        new Map<?, ?>[] {mapped.searchAttributes, read.searchAttributes},
        new Map<?, ?>[] {mapped.children, read.children})) {
      assertEquals(pair[0] == null ? null : pair[0].getClass(), pair[1] == null ? null : pair[1].getClass());
    }
    assertEquals(mapped.bufferedEvents == null ? null : mapped.bufferedEvents.getClass(),
        read.bufferedEvents == null ? null : read.bufferedEvents.getClass());
    assertEquals(mapped.links, read.links);
  }
}
