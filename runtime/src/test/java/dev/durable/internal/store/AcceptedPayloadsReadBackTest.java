package dev.durable.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.converter.JsonSyntax;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.PendingActivity;
import dev.durable.internal.server.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What {@link JsonSyntax} accepts, the store reads back: every accepted payload, written into
 * events the way the engine writes them (a start's input, an activity's result, the details of a
 * failure 32 causes deep), decodes to the same value through every reader. Random valid JSON and
 * random damage to it are checked, and the limits at their edges.
 */
class AcceptedPayloadsReadBackTest {
  private static final Random RANDOM = new Random(20261127);

  private static final JsonFactory JSON = new JsonFactory();

  /** The value's tokens, numbers as their text: equal lists are the same value, exactly. */
  private static List<String> tokens(byte[] json) throws IOException {
    List<String> out = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        out.add(t + " " + (t.isScalarValue() || t == JsonToken.FIELD_NAME ? p.getText() : ""));
      }
    }
    return out;
  }

  /**
   * Encodes {@code json} in three events and reads each back through every reader: they must agree,
   * each payload read back must be the same JSON value, numbers exactly, and reading is stable (what
   * was read, written again, reads to the same).
   */
  private static void assertReadsBack(byte[] json) throws Exception {
    Payload p = new Payload(Payload.JSON, json);
    FailureInfo failure = new FailureInfo(FailureInfo.APPLICATION, "T", "m", "", p, false, Map.of(), null);
    for (int i = 0; i < 32; i++) {
      failure = new FailureInfo(FailureInfo.APPLICATION, "Wrap" + i, "m", "", null, false, Map.of(), failure);
    }
    List<HistoryEvent> events = List.of(
        new HistoryEvent(1, Instant.EPOCH, new EventAttributes.WorkflowExecutionStarted("w", "T", "q", List.of(p, p),
            Duration.ofSeconds(10), 2, null, null)),
        new HistoryEvent(2, Instant.EPOCH, new EventAttributes.ActivityTaskCompleted(1, 5, 1, p)),
        new HistoryEvent(3, Instant.EPOCH, new EventAttributes.ActivityTaskFailed(1, 5, 1, failure)));
    List<String> original = tokens(json);
    List<byte[]> stored = new ArrayList<>();
    List<HistoryEvent> read = new ArrayList<>();
    for (HistoryEvent e : events) {
      byte[] bytes = StoreCodec.encode(e);
      stored.add(bytes);
      HistoryEvent back = StoreCodec.decodeEventFully(bytes);
      read.add(back);
      assertEquals(back, StoreCodec.decodeEvent(bytes, "test"));
      assertEquals(back, StoreCodec.decodeEventFully(StoreCodec.encode(back)));
    }
    assertEquals(read, StoreCodec.decodeEvents(stored, i -> "test"));
    var started = (EventAttributes.WorkflowExecutionStarted) read.get(0).attributes();
    FailureInfo details = ((EventAttributes.ActivityTaskFailed) read.get(2).attributes()).failure();
    while (details.cause() != null) {
      details = details.cause();
    }
    for (Payload back : List.of(started.input().get(0), ((EventAttributes.ActivityTaskCompleted) read.get(1).attributes())
        .result(), details.details())) {
      assertEquals(original, tokens(back.data()));
      assertNull(JsonSyntax.problem(back.data()));
    }
    assertEquals(String.valueOf(JsonConverter.DEFAULT.fromPayload(p, Object.class, () -> "test")),
        String.valueOf(JsonConverter.DEFAULT.fromPayload(started.input().get(0), Object.class, () -> "test")));
  }

  private static void check(byte[] json) {
    String problem = JsonSyntax.problem(json);
    if (problem == null) {
      try {
        assertReadsBack(json);
      } catch (Throwable e) {
        fail("accepted but does not read back: " + show(json) + ": " + e, e);
      }
    }
  }

  private static String show(byte[] json) {
    String s = new String(json, StandardCharsets.UTF_8);
    return s.length() > 200 ? s.substring(0, 200) + "... (" + json.length + " bytes)" : s;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void randomValuesAreAcceptedAndReadBack() {
    for (int i = 0; i < 2_000; i++) {
      byte[] json = utf8(RandomJson.value(RANDOM, 4));
      assertNull(JsonSyntax.problem(json), () -> show(json));
      check(json);
    }
  }

  @Test
  void whateverIsAcceptedOfDamagedValuesReadsBack() {
    int accepted = 0;
    for (int i = 0; i < 5_000; i++) {
      byte[] json = RandomJson.damage(RANDOM, utf8(RandomJson.value(RANDOM, 3)));
      if (JsonSyntax.problem(json) == null) {
        accepted++;
      }
      check(json);
    }
    assertTrue(accepted > 100, "damaged values still valid: " + accepted);
  }

  @Test
  void theDeepestPayloadInTheDeepestFailureReadsBackFromAnEventAndARunsState() throws Exception {
    // A failure chain at the server's limit, wrapped once more by the server (ActivityFailure),
    // with details nested as deep as a payload may: the most nesting the store ever writes.
    Payload deepest = new Payload(Payload.JSON, utf8("[".repeat(JsonSyntax.MAX_DEPTH) + "]".repeat(JsonSyntax.MAX_DEPTH)));
    FailureInfo chain = new FailureInfo(FailureInfo.APPLICATION, "Innermost", "m", "", deepest, false, Map.of(), null);
    for (int i = 1; i < Limits.MAX_FAILURE_DEPTH; i++) {
      chain = new FailureInfo(FailureInfo.APPLICATION, "Wrap" + i, "m", "", deepest, false, Map.of(), chain);
    }
    FailureInfo wrapped = new FailureInfo(FailureInfo.ACTIVITY, "dev.durable.failure.ActivityFailure", "failed", "",
        null, false, Map.of("activityType", "A"), chain);
    HistoryEvent failed = new HistoryEvent(9, Instant.EPOCH, new EventAttributes.ActivityTaskFailed(1, 5, 3, wrapped));
    assertEquals(failed, StoreCodec.decodeEvent(StoreCodec.encode(failed), "test"));

    ExecutionState state = new ExecutionState();
    state.workflowId = "w";
    state.runId = "r";
    state.workflowType = "T";
    state.taskQueue = "q";
    state.startTime = Instant.EPOCH;
    PendingActivity pa = new PendingActivity();
    pa.seq = 1;
    pa.activityType = "A";
    pa.lastFailure = wrapped;
    pa.heartbeatDetails = deepest;
    state.activities.put(1, pa);
    ExecutionState back = StoreCodec.decodeState(StoreCodec.encode(state), "test");
    assertEquals(wrapped, back.activities.get(1).lastFailure);
    assertEquals(deepest, back.activities.get(1).heartbeatDetails);
  }

  @Test
  void valuesAtTheLimitsReadBack() throws Exception {
    for (String json : List.of("[".repeat(1_000) + "]".repeat(1_000), "{\"a\":".repeat(1_000) + "1" + "}".repeat(1_000),
        "9".repeat(1_000), "-" + "9".repeat(1_000), "0." + "5".repeat(998), "\"\\uD83D\\uDE00\"", "\"\uD83D\uDE00\"",
        "[\"\\uD800\", \"a\\udc00\"]", // lone surrogates, escaped as a Java string may hold them
        " \t\n\r1\n", "\"" + "x".repeat(100_000) + "\"", "{\"" + "k".repeat(50_000) + "\":1}")) {
      assertNull(JsonSyntax.problem(utf8(json)), json.length() > 100 ? json.substring(0, 100) : json);
      assertReadsBack(utf8(json));
    }
  }
}
