package dev.durable.internal.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.common.DurableException;
import dev.durable.internal.converter.JsonConverter;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.RunSummary;
import java.io.IOException;

/** Encodes events and mutable state as JSON, the same form {@code getHistory} exports. */
public final class StoreCodec {
  /** Reads and writes the records in stored form: Jackson's streaming core alone, cheap to build. */
  private static final JsonFactory FACTORY = JsonConverter.newFactory();

  /**
   * The mapper for whatever the store's own readers and writer do not handle (rare records and
   * shapes, summaries, exports), built on first use: it loads some hundreds of Jackson's classes, a
   * few hundred milliseconds of CPU on a cold JVM, and a process that starts, recovers its open
   * runs and runs workflows usually never needs it.
   */
  private static final class Mapper {
    static final ObjectMapper INSTANCE = JsonConverter.newMapper()
        // Registered after the JavaTimeModule, so these take over writing Instants and reading Instants and
        // Durations (InstantWriter, InstantReader, DurationReader): same text, less work.
        .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("durable-store")
            .addSerializer(java.time.Instant.class, new InstantWriter())
            .addDeserializer(java.time.Instant.class, new InstantReader())
            .addDeserializer(java.time.Duration.class, new DurationReader()));
  }

  /**
   * The full event reader, resolved once ({@code readValue(bytes, HistoryEvent.class)} looks its
   * deserializer up on every call) and on first use: building it takes about 0.1 s on a cold JVM
   * (a deserializer for every event type), and the events in stored form never need it
   * ({@link CanonicalEventReader} reads them).
   */
  private static final class FullReader {
    static final com.fasterxml.jackson.databind.ObjectReader EVENTS = mapper().readerFor(HistoryEvent.class);
  }

  /** Writes events, states and summaries without Jackson's bean serializers, in the same bytes. */
  private static final StoredFormWriter WRITER = new StoredFormWriter(StoreCodec::mapper);

  private StoreCodec() {}

  /**
   * Does nothing but make sure the class is initialised, which {@code RocksStore.open} lets another
   * core do while RocksDB opens.
   */
  public static void load() {
    // the static initialisers above are the work
  }

  /** Returns the mapper for stored and exported records. */
  public static ObjectMapper mapper() {
    return Mapper.INSTANCE;
  }

  /** Encodes a stored record (an event, a run's state, a listing summary) or any other value as JSON. */
  public static byte[] encode(Object value) {
    return encoder().encode(value);
  }

  /** Returns an encoder for the records of one write (see {@link Encoder}). */
  public static Encoder encoder() {
    return new Encoder(WRITER.new Session());
  }

  /** Encodes several records in a row, each as {@link #encode} does, sharing one buffer. Not thread-safe. */
  public static final class Encoder {
    private final StoredFormWriter.Session session;

    private Encoder(StoredFormWriter.Session session) {
      this.session = session;
    }

    /** Encodes one record, as {@link StoreCodec#encode} does. */
    public byte[] encode(Object value) {
      try {
        return session.encode(value);
      } catch (IOException e) {
        throw failed(value, e);
      }
    }

    /**
     * Encodes one record as {@link #encode} does, into {@link #buffer()}, and returns its length. The
     * bytes are not copied out of the encoder's buffer; they last until the next call.
     */
    public int encodeInPlace(Object value) {
      try {
        return session.encodeInPlace(value);
      } catch (IOException e) {
        throw failed(value, e);
      }
    }

    /** The buffer holding the record {@link #encodeInPlace} encoded last, from its start. */
    public byte[] buffer() {
      return session.buffer();
    }

    private static DurableException failed(Object value, IOException e) {
      return new DurableException("DURABLE-303", "cannot encode " + value.getClass().getSimpleName() + ": "
          + e.getMessage(), e);
    }
  }

  /** Encodes with the mapper's bean serializers only, without {@link StoredFormWriter}: for tests that compare the two. */
  static byte[] encodeWithMapper(Object value) throws IOException {
    return mapper().writeValueAsBytes(value);
  }

  /** Returns whether {@link StoredFormWriter} writes every kind of record it knows itself (for tests). */
  static boolean writerCoversAll() {
    return WRITER.writesAll();
  }

  public static HistoryEvent decodeEvent(byte[] bytes, String where) {
    HistoryEvent e = ByteEventReader.read(bytes);
    if (e == null) {
      e = CanonicalEventReader.read(FACTORY, bytes);
    }
    if (e != null) {
      return e;
    }
    try {
      return FullReader.EVENTS.readValue(bytes);
    } catch (IOException ex) {
      throw unreadable(HistoryEvent.class, where, ex);
    }
  }

  /** Decodes an event with the full reader only, without {@link CanonicalEventReader}: for tests that compare the two. */
  static HistoryEvent decodeEventFully(byte[] bytes) throws IOException {
    return FullReader.EVENTS.readValue(bytes);
  }

  /**
   * Decodes the events of a history read, in order; {@code where.apply(i)} names the i-th for
   * errors. Long histories (a full replay) are decoded on all cores: decoding is most of a replay.
   */
  public static java.util.List<HistoryEvent> decodeEvents(java.util.List<byte[]> values,
      java.util.function.IntFunction<String> where) {
    int n = values.size();
    HistoryEvent[] out = new HistoryEvent[n];
    int parts = n >= PARALLEL_DECODE_MIN ? Math.min(Runtime.getRuntime().availableProcessors(), n / (PARALLEL_DECODE_MIN / 2)) : 1;
    if (parts > 1) {
      java.util.stream.IntStream.range(0, parts).parallel()
          .forEach(part -> decodeEvents(values, part * n / parts, (part + 1) * n / parts, out, where));
    } else {
      decodeEvents(values, 0, n, out, where);
    }
    return new java.util.ArrayList<>(java.util.Arrays.asList(out));
  }

  /**
   * Decodes {@code values[from, to)}: the most frequent events from their bytes
   * ({@link ByteEventReader}), each run of the others with one parser ({@link CanonicalEventReader}),
   * and what neither reads one by one with the full reader.
   */
  private static void decodeEvents(java.util.List<byte[]> values, int from, int to, HistoryEvent[] out,
      java.util.function.IntFunction<String> where) {
    for (int i = from; i < to; i++) {
      out[i] = ByteEventReader.read(values.get(i));
    }
    int i = from;
    while (i < to) {
      if (out[i] != null) {
        i++;
        continue;
      }
      int end = i + 1;
      while (end < to && out[end] == null) {
        end++;
      }
      CanonicalEventReader.readRun(FACTORY, values, i, end, out);
      for (; i < end; i++) {
        if (out[i] == null) {
          out[i] = decodeEvent(values.get(i), where, i);
        }
      }
    }
  }

  /** Below this many events a history is decoded on the calling thread alone. */
  static final int PARALLEL_DECODE_MIN = 2_000;

  /** Decodes a run's state: common states in stored form without the mapper ({@link CanonicalStateReader}). */
  public static ExecutionState decodeState(byte[] bytes, String where) {
    ExecutionState s = CanonicalStateReader.read(FACTORY, bytes);
    return s != null ? s : decode(bytes, ExecutionState.class, where);
  }

  /**
   * Decodes run states, in order; {@code where.apply(i)} names the i-th for errors. Many states
   * (every open run at start-up) are decoded on all cores.
   */
  public static java.util.List<ExecutionState> decodeStates(java.util.List<byte[]> values,
      java.util.function.IntFunction<String> where) {
    int n = values.size();
    ExecutionState[] out = new ExecutionState[n];
    java.util.function.IntConsumer one = i -> {
      ExecutionState s = CanonicalStateReader.read(FACTORY, values.get(i));
      out[i] = s != null ? s : decode(values.get(i), ExecutionState.class, where.apply(i));
    };
    java.util.stream.IntStream all = java.util.stream.IntStream.range(0, n);
    (n >= PARALLEL_STATES_MIN ? all.parallel() : all).forEach(one);
    return java.util.Arrays.asList(out);
  }

  /** Below this many states they are decoded on the calling thread alone. */
  static final int PARALLEL_STATES_MIN = 256;

  /** Decodes a listing summary: in stored form without the mapper ({@link CanonicalStateReader#readSummary}). */
  public static RunSummary decodeSummary(byte[] bytes, String where) {
    RunSummary s = CanonicalStateReader.readSummary(FACTORY, bytes);
    return s != null ? s : decode(bytes, RunSummary.class, where);
  }

  private static <T> T decode(byte[] bytes, Class<T> type, String where) {
    try {
      return mapper().readValue(bytes, type);
    } catch (IOException e) {
      throw unreadable(type, where, e);
    }
  }

  /** Like {@link #decodeEvent(byte[], String)}, naming the event only if it cannot be read. */
  private static HistoryEvent decodeEvent(byte[] bytes, java.util.function.IntFunction<String> where, int index) {
    HistoryEvent canonical = CanonicalEventReader.read(FACTORY, bytes);
    if (canonical != null) {
      return canonical;
    }
    try {
      return FullReader.EVENTS.readValue(bytes);
    } catch (IOException e) {
      throw unreadable(HistoryEvent.class, where.apply(index), e);
    }
  }

  private static DurableException unreadable(Class<?> type, String where, IOException e) {
    return new DurableException("DURABLE-303", "stored " + type.getSimpleName() + " at " + where
        + " cannot be read: " + e.getMessage() + ". The store (data dir or database) may be damaged or written by an"
        + " incompatible version; restore it from a backup (see docs/operations.md).", e);
  }
}
