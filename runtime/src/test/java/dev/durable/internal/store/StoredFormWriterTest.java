package dev.durable.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.RunSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The store's own writer produces exactly the bytes Jackson's bean serializers produce, for
 * records filled at random through reflection: a field added to a stored class shows up here
 * (and the writer hands that class back to Jackson until it is taught the field).
 */
class StoredFormWriterTest {
  private final RandomRecords records = new RandomRecords(20261126);

  @Test
  void theWriterKnowsEveryFieldOfTheRecordsItWrites() {
    assertTrue(StoreCodec.writerCoversAll(),
        "a stored class has properties StoredFormWriter does not list; add them there (it writes that class with Jackson meanwhile)");
  }

  @Test
  void theWritersPropertyListsAreTheOnesTheMapperWrites() throws Exception {
    assertEquals(15, StoredFormWriter.PROPERTIES.size());
    for (var e : StoredFormWriter.PROPERTIES.entrySet()) {
      JsonSerializer<Object> s = StoreCodec.mapper().getSerializerProviderInstance().findValueSerializer(e.getKey());
      BeanSerializerBase bean = assertInstanceOf(BeanSerializerBase.class, s, e.getKey().getName());
      List<String> written = new ArrayList<>();
      bean.properties().forEachRemaining(p -> written.add(p.getName()));
      assertEquals(e.getValue(), written, "the properties the mapper writes for " + e.getKey().getName()
          + ": StoredFormWriter.PROPERTIES must list the same, in the same order");
    }
  }

  @Test
  void eventsOfEveryTypeAreWrittenAsJacksonWritesThem() throws Exception {
    List<Class<?>> types = RandomRecords.leafTypes(EventAttributes.class);
    assertTrue(types.size() > 30, "found " + types);
    for (int i = 0; i < 3_000; i++) {
      Class<?> type = types.get(i % types.size());
      HistoryEvent e = new HistoryEvent(1 + records.random.nextInt(100_000), records.instant(),
          (EventAttributes) records.value(type, 0));
      assertSameBytes(e);
    }
  }

  @Test
  void oneEncoderForManyRecordsWritesEachAsJacksonWritesIt() throws Exception {
    List<Class<?>> types = RandomRecords.leafTypes(EventAttributes.class);
    StoreCodec.Encoder encoder = StoreCodec.encoder();
    for (int i = 0; i < 600; i++) {
      Object value = switch (i % 5) {
        case 0 -> RunSummary.of((ExecutionState) records.value(ExecutionState.class, 0));
        case 1 -> records.value(ExecutionState.class, 0);
        case 2 -> java.util.Map.of("other", i); // not a stored record: Jackson encodes it
        default -> new HistoryEvent(1 + i, records.instant(), (EventAttributes) records.value(types.get(i % types.size()), 0));
      };
      String actual;
      if (i % 3 == 0) {
        actual = new String(encoder.encode(value), StandardCharsets.UTF_8);
      } else { // in place, as the store's writes take records: the bytes at the start of the encoder's buffer
        int length = encoder.encodeInPlace(value);
        actual = new String(encoder.buffer(), 0, length, StandardCharsets.UTF_8);
      }
      assertEquals(new String(StoreCodec.encodeWithMapper(value), StandardCharsets.UTF_8), actual, "record " + i);
    }
  }

  @Test
  void wholeNumbersTakeAShortcutThatWritesWhatDoubleToStringWrites() {
    for (double d : new double[] {1.0, 2.0, 3.0, 17.0, 9_999_999.0}) {
      assertEquals(Double.toString(d), StoredFormWriter.wholeNumberText(d), "for " + d);
    }
    for (double d : new double[] {1.5, 0.5, 0.0, -0.0, -2.0, 10_000_000.0, 1e300, Double.MIN_VALUE, Double.NaN,
        Double.POSITIVE_INFINITY, 1.0000000000000002}) {
      assertEquals(null, StoredFormWriter.wholeNumberText(d), "for " + d);
    }
  }

  @Test
  void statesAndSummariesAreWrittenAsJacksonWritesThem() throws Exception {
    for (int i = 0; i < 1_500; i++) {
      ExecutionState s = (ExecutionState) records.value(ExecutionState.class, 0);
      assertSameBytes(s);
      assertSameBytes(RunSummary.of(s));
    }
    // The state of a fresh run, as the server makes it.
    ExecutionState fresh = new ExecutionState();
    fresh.workflowId = "w";
    fresh.runId = "r";
    assertSameBytes(fresh);
  }

  @Test
  void otherValuesGoToJackson() throws Exception {
    Object value = Map.of("a", List.of(1, 2));
    assertEquals(new String(StoreCodec.encodeWithMapper(value), StandardCharsets.UTF_8),
        new String(StoreCodec.encode(value), StandardCharsets.UTF_8));
  }

  private static void assertSameBytes(Object value) throws Exception {
    String expected = new String(StoreCodec.encodeWithMapper(value), StandardCharsets.UTF_8);
    String actual = new String(StoreCodec.encode(value), StandardCharsets.UTF_8);
    assertEquals(expected, actual);
  }
}
