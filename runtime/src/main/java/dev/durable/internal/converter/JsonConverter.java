package dev.durable.internal.converter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import dev.durable.common.DataConverterException;
import dev.durable.internal.model.Payload;
import dev.durable.internal.reflect.Proxies;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Converts arguments and results to payloads with Jackson. Errors name the value's type and
 * where it was used (which argument of which activity in which workflow).
 */
public final class JsonConverter {
  /** The shared converter. */
  public static final JsonConverter DEFAULT = new JsonConverter();

  /**
   * The payload mapper, built on first use: building an {@code ObjectMapper} loads some hundreds of
   * Jackson's classes, about 0.3 s of CPU on a cold JVM, and plain values ({@link PlainJson}) never
   * need it.
   */
  private static final class Mapper {
    static final ObjectMapper INSTANCE = newMapper();
  }

  /**
   * Levels of nesting the store's records may add around a payload: an event and its attributes
   * (2), a failure's chain of causes (at most {@code Limits.MAX_FAILURE_DEPTH}, 64) and its details
   * (1), or a run's state around a pending activity's last failure (4), with room to spare.
   */
  static final int NESTING_AROUND_PAYLOADS = 100;

  private JsonConverter() {}

  /**
   * Returns a JSON factory of the configuration used for payloads and records: Jackson keeps its
   * I/O buffers per thread by default, and workflow threads live as long as one run, so each run
   * allocated fresh buffers (some 12 KB) for its first payload. A shared bounded pool lets every
   * thread reuse them.
   *
   * <p>Strings have no length limit when read: the engine bounds payloads itself when they are
   * recorded ({@code DurableServer.Builder.setMaxPayloadSize}), and must read back whatever that
   * allowed. Jackson's default stops at 20 million characters, so a run whose input held a longer
   * string, under a raised payload limit, was recorded and then could not be read back.
   *
   * <p>Nesting may go {@link #NESTING_AROUND_PAYLOADS} levels deeper than a payload may
   * ({@link JsonSyntax#MAX_DEPTH}): a payload stored in an event sits inside the event, its
   * attributes and, for a failure's details, the failure's chain of causes.
   */
  public static JsonFactory newFactory() {
    return JsonFactory.builder().recyclerPool(new BufferPool())
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
            .maxNestingDepth(JsonSyntax.MAX_DEPTH + NESTING_AROUND_PAYLOADS).build())
        .build();
  }

  /** Returns the mapper configuration used for payloads. */
  public static ObjectMapper newMapper() {
    return new ObjectMapper(newFactory())
        .registerModule(new JavaTimeModule())
        .registerModule(new Jdk8Module())
        .registerModule(new ParameterNamesModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Serializes one value; {@code where} describes its use for error messages. */
  public Payload toPayload(Object value, Supplier<String> where) {
    return toPayload(value, where, 0);
  }

  /** As {@link #toPayload(Object, Supplier)}, for argument {@code argument} (from 1; 0 for none) of {@code where}. */
  private Payload toPayload(Object value, Supplier<String> where, int argument) {
    if (value == null) {
      return Payload.NULL_VALUE;
    }
    byte[] plain = PlainJson.write(value);
    if (plain != null) {
      return new Payload(Payload.JSON, plain);
    }
    byte[] json;
    try {
      json = Mapper.INSTANCE.writeValueAsBytes(value);
    } catch (Exception e) {
      throw new DataConverterException("cannot serialize a value of type " + value.getClass().getName()
          + " (" + describe(where, argument) + "): " + firstLine(e)
          + ". Use a record or a class Jackson can serialize (public getters or fields), or convert the value first.", e);
    }
    // A custom serializer or @JsonRawValue writes text unchecked; the server would refuse it (DURABLE-228).
    String problem = JsonSyntax.problem(json);
    if (problem != null) {
      throw new DataConverterException("a value of type " + value.getClass().getName() + " (" + describe(where, argument)
          + ") was serialized to text that is not valid JSON: " + problem + ". Check its custom serializers and"
          + " @JsonRawValue members: they must write one JSON value (numbers of at most 1,000 characters, at most"
          + " 1,000 levels of nesting).", null);
    }
    return new Payload(Payload.JSON, json);
  }

  /** Serializes arguments; {@code where} describes their use for error messages. */
  public List<Payload> toPayloads(Object[] values, Supplier<String> where) {
    if (values == null || values.length == 0) {
      return List.of();
    }
    List<Payload> out = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      out.add(toPayload(values[i], where, i + 1));
    }
    return out;
  }

  /** Deserializes one value to {@code type}; {@code where} describes its use for error messages. */
  public Object fromPayload(Payload payload, Type type, Supplier<String> where) {
    return fromPayload(payload, type, where, 0);
  }

  /** As {@link #fromPayload(Payload, Type, Supplier)}, for argument {@code argument} (from 1; 0 for none) of {@code where}. */
  private Object fromPayload(Payload payload, Type type, Supplier<String> where, int argument) {
    if (payload == null || Payload.NULL.equals(payload.encoding())) {
      return Proxies.zeroOf(type);
    }
    if (type == void.class || type == Void.class) {
      return null;
    }
    if (!Payload.JSON.equals(payload.encoding())) {
      throw new DataConverterException("cannot read a payload with encoding '" + payload.encoding()
          + "' as " + type.getTypeName() + " (" + describe(where, argument) + "): only " + Payload.JSON + " is supported", null);
    }
    Object plain = PlainJson.read(payload.data(), type);
    if (plain != null) {
      return plain;
    }
    try {
      ObjectMapper mapper = Mapper.INSTANCE;
      JavaType javaType = mapper.getTypeFactory().constructType(type);
      return mapper.readValue(payload.data(), javaType);
    } catch (Exception e) {
      throw new DataConverterException("cannot deserialize " + abbreviate(payload.toString()) + " as "
          + type.getTypeName() + " (" + describe(where, argument) + "): " + firstLine(e)
          + ". Check that the type has a constructor or setters Jackson can use, and that it matches what was sent.", e);
    }
  }

  /** Deserializes arguments to the given parameter types. Missing arguments become defaults. */
  public Object[] fromPayloads(List<Payload> payloads, Type[] types, Supplier<String> where) {
    Object[] out = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Payload p = payloads != null && i < payloads.size() ? payloads.get(i) : null;
      out[i] = fromPayload(p, types[i], where, i + 1);
    }
    return out;
  }

  /** Where a value was used, for an error message; built only for one (no lambda per argument). */
  private static String describe(Supplier<String> where, int argument) {
    return argument == 0 ? where.get() : "argument " + argument + " of " + where.get();
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
