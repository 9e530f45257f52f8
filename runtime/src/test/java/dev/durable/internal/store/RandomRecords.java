package dev.durable.internal.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.durable.internal.model.Payload;
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

/** Stored records filled at random through reflection, for the tests that compare the store's own writer and readers with Jackson's. */
final class RandomRecords {
  final Random random;

  RandomRecords(long seed) {
    this.random = new Random(seed);
  }

  static List<Class<?>> leafTypes(Class<?> sealed) {
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
  Object value(Type type, int depth) throws Exception {
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

  Instant instant() {
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
