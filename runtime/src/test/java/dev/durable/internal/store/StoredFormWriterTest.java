package dev.durable.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.Payload;
import dev.durable.internal.model.RunSummary;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The store's own writer produces exactly the bytes Jackson's bean serializers produce, for
 * records filled at random through reflection: a field added to a stored class shows up here
 * (and the writer hands that class back to Jackson until it is taught the field).
 */
class StoredFormWriterTest {
  private final Random random = new Random(20261126);

  @Test
  void theWriterKnowsEveryFieldOfTheRecordsItWrites() {
    assertTrue(StoreCodec.writerCoversAll(),
        "a stored class has properties StoredFormWriter does not list; add them there (it writes that class with Jackson meanwhile)");
  }

  @Test
  void theWritersPropertyListsAreTheOnesTheMapperWrites() throws Exception {
    assertEquals(13, StoredFormWriter.PROPERTIES.size());
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
    List<Class<?>> types = leafTypes(EventAttributes.class);
    assertTrue(types.size() > 30, "found " + types);
    for (int i = 0; i < 3_000; i++) {
      Class<?> type = types.get(i % types.size());
      HistoryEvent e = new HistoryEvent(1 + random.nextInt(100_000), instant(),
          (EventAttributes) value(type, 0));
      assertSameBytes(e);
    }
  }

  @Test
  void oneEncoderForManyRecordsWritesEachAsJacksonWritesIt() throws Exception {
    List<Class<?>> types = leafTypes(EventAttributes.class);
    StoreCodec.Encoder encoder = StoreCodec.encoder();
    for (int i = 0; i < 600; i++) {
      Object value = switch (i % 5) {
        case 0 -> RunSummary.of((ExecutionState) value(ExecutionState.class, 0));
        case 1 -> value(ExecutionState.class, 0);
        case 2 -> java.util.Map.of("other", i); // not a stored record: Jackson encodes it
        default -> new HistoryEvent(1 + i, instant(), (EventAttributes) value(types.get(i % types.size()), 0));
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
      ExecutionState s = (ExecutionState) value(ExecutionState.class, 0);
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

  private static List<Class<?>> leafTypes(Class<?> sealed) {
    List<Class<?>> out = new ArrayList<>();
    for (Class<?> c : sealed.getPermittedSubclasses()) {
      if (c.isInterface()) {
        out.addAll(leafTypes(c));
      } else {
        out.add(c);
      }
    }
    return out;
  }

  /** A random value of the type; nested records and beans are filled field by field. */
  private Object value(Type type, int depth) throws Exception {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (random.nextInt(12) == 0 && depth > 0) {
        return null;
      }
      int n = depth > 3 ? 0 : random.nextInt(4);
      if (List.class.isAssignableFrom(raw)) {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          list.add(nonNull(args[0], depth + 1));
        }
        return list;
      }
      if (Map.class.isAssignableFrom(raw)) {
        Map<Object, Object> map = random.nextBoolean() ? new TreeMap<>() : new HashMap<>();
        for (int i = 0; i < n; i++) {
          map.put(nonNull(args[0], depth + 1), nonNull(args[1], depth + 1));
        }
        return map;
      }
      throw new AssertionError("no random values for " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == int.class || c == Integer.class) {
      return random.nextInt(5) == 0 ? random.nextInt() : random.nextInt(10);
    }
    if (c == long.class || c == Long.class) {
      return random.nextInt(5) == 0 ? random.nextLong() : (long) random.nextInt(1000);
    }
    if (c == boolean.class) {
      return random.nextBoolean();
    }
    if (c == double.class) {
      return random.nextInt(3) == 0 ? random.nextDouble() * 10 : 1.0 + random.nextInt(3);
    }
    if (c.isInterface() && c.isSealed()) { // an event's attributes: never null
      List<Class<?>> leaves = leafTypes(c);
      return nonNull(leaves.get(random.nextInt(leaves.size())), Math.min(depth + 1, 4));
    }
    if (depth > 0 && random.nextInt(8) == 0) {
      return null;
    }
    if (c == String.class) {
      return string();
    }
    if (c == Instant.class) {
      return instant();
    }
    if (c == Duration.class) {
      return Duration.ofMillis(random.nextInt(1_000_000)).plusNanos(random.nextInt(3) == 0 ? random.nextInt(1000) : 0);
    }
    if (c == Payload.class) {
      return payload();
    }
    if (c.isEnum()) {
      Object[] values = c.getEnumConstants();
      return values[random.nextInt(values.length)];
    }
    if (depth > 5) {
      return null;
    }
    if (c.isRecord()) {
      RecordComponent[] components = c.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      Object[] args = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        args[i] = value(components[i].getGenericType(), depth + 1);
      }
      Constructor<?> constructor = c.getDeclaredConstructor(types);
      try {
        return constructor.newInstance(args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        return value(type, depth); // a null the record refuses: draw again
      }
    }
    Object bean = c.getDeclaredConstructor().newInstance();
    for (Field f : c.getFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        // Fields Jackson ignores get values too: neither writer may write them.
        f.set(bean, f.isAnnotationPresent(JsonIgnore.class) && f.getType() == List.class ? List.of()
            : value(f.getGenericType(), depth + 1));
      }
    }
    return bean;
  }

  private Object nonNull(Type type, int depth) throws Exception {
    for (;;) {
      Object v = value(type, depth);
      if (v != null) {
        return v;
      }
    }
  }

  private String string() {
    return switch (random.nextInt(6)) {
      case 0 -> "";
      case 1 -> "quote \" backslash \\ tab \t newline \n";
      case 2 -> "ünïcödé €";
      case 3 -> "\uD83D\uDE00 emoji";
      default -> "s" + random.nextInt(1000);
    };
  }

  private Instant instant() {
    long second = 1_700_000_000L + random.nextInt(100_000_000);
    int nanos = switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextInt(1000) * 1_000_000;
      case 2 -> random.nextInt(1_000_000) * 1_000;
      default -> random.nextInt(1_000_000_000);
    };
    return Instant.ofEpochSecond(second, nanos);
  }

  private Payload payload() {
    return switch (random.nextInt(5)) {
      case 0 -> Payload.NULL_VALUE;
      case 1 -> new Payload("binary/plain", new byte[] {1, 2, (byte) 0xff});
      case 2 -> new Payload(Payload.JSON, "{\"a\":[1,2.5,\"é\"],\"b\":null}".getBytes(StandardCharsets.UTF_8));
      default -> new Payload(Payload.JSON, ("\"" + string().replace("\\", "").replace("\"", "").replace("\n", "")
          .replace("\t", "") + "\"").getBytes(StandardCharsets.UTF_8));
    };
  }
}
