package dev.durable.internal.store.rocks;

import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.RunSummary;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.model.VisibilityQuery.SearchCondition;
import dev.durable.internal.store.PageTokens;
import dev.durable.internal.store.Store.ClosedRun;
import dev.durable.internal.store.Store.VisibilityPage;
import dev.durable.internal.store.StoreCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The listing indexes of {@link RocksStore}: one column family of keys with empty values, and one
 * of run summaries. Every index key ends with the run's start time (big-endian, inverted, so
 * newer sorts first) and run id, so each equality index (status, type, task queue, search
 * attribute value) and the start-time index list runs newest first, and a start-time range or a
 * page token is a seek inside each. Close times and search attribute numbers and times are
 * encoded order-preserving (big-endian, sign bit flipped; doubles also with their other bits
 * flipped when negative), so their ranges are scans too.
 *
 * <p>The planner reads the indexes a query could use side by side until the smallest runs out
 * (or each gave {@value #PROBE} keys), scans that one, and checks the remaining conditions on the
 * run summaries.
 */
final class VisibilityIndex {
  static final byte STATUS = 1;
  static final byte TYPE = 2;
  static final byte QUEUE = 3;
  static final byte START = 4;
  static final byte CLOSE = 5;
  static final byte ATTRIBUTE = 6;
  /** Bytes of an encoded instant: seconds and nanoseconds. */
  private static final int TIME = 12;
  /** Keys read from each candidate index to compare their sizes. */
  static final int PROBE = 1024;
  private static final byte[] EMPTY = new byte[0];
  /** The fields of a run whose values make index keys, in the order of {@link #fieldKeys}. */
  private static final int FIELDS = 6;

  private final RocksDB db;
  private final ColumnFamilyHandle index;
  private final ColumnFamilyHandle summaries;
  private long keysRead;
  private long summariesRead;

  // No RocksDB snapshot per query: releasing a snapshot lets RocksDB schedule compactions of the
  // files it kept old versions in (seen in tests as table files rewritten after every listing).
  // Each iterator reads a consistent state of its own, and list() drops the second sighting of a
  // run that changed status between the creation of two of them.
  VisibilityIndex(RocksDB db, ColumnFamilyHandle index, ColumnFamilyHandle summaries) {
    this.db = db;
    this.index = index;
    this.summaries = summaries;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Adds to {@code batch} what makes the indexes agree with {@code s}: compares its summary with
   * the stored one and replaces only the entries that changed (none for most transitions).
   */
  static void update(RocksDB db, ColumnFamilyHandle summaries, int indexId, int summariesId, BatchBuilder batch,
      ExecutionState s, boolean newRun) throws RocksDBException {
    RunSummary now = RunSummary.of(s);
    update(indexId, summariesId, batch, StoreCodec.encoder(), now, newRun ? null : stored(db, summaries, s.runId));
  }

  /** Returns the summary the indexes hold for a run, or null when they hold none. */
  static RunSummary stored(RocksDB db, ColumnFamilyHandle summaries, String runId) throws RocksDBException {
    byte[] before = db.get(summaries, utf8(runId));
    return before == null ? null : StoreCodec.decodeSummary(before, "summary of run " + runId);
  }

  /**
   * Adds to {@code batch} what turns the indexes of a run from {@code before} (what they hold now,
   * null for nothing) into {@code now}: nothing when the two are equal, else the index entries
   * that changed and the new summary. Entries of a field that did not change are not even built:
   * a transition usually changes the status and the close time only.
   */
  static void update(int index, int summaries, BatchBuilder batch, StoreCodec.Encoder encoder, RunSummary now,
      RunSummary before) {
    if (now.equals(before)) {
      return;
    }
    byte[] suffix = suffix(now);
    if (before == null || !before.startTime().equals(now.startTime()) || !before.runId().equals(now.runId())) {
      // A new run (or, never in practice, one whose start time or id changed): every entry.
      if (before != null) {
        for (ByteBuffer k : keys(before)) {
          batch.delete(index, k.array());
        }
      }
      for (int field = 0; field < FIELDS; field++) {
        for (byte[] k : fieldKeys(field, now, suffix)) {
          batch.put(index, k, EMPTY); // the fields' keys differ in their first byte: no duplicates
        }
      }
    } else {
      for (int field = 0; field < FIELDS; field++) {
        if (!sameField(field, before, now)) {
          List<byte[]> oldKeys = fieldKeys(field, before, suffix);
          List<byte[]> newKeys = fieldKeys(field, now, suffix);
          for (byte[] k : oldKeys) {
            if (!containsKey(newKeys, k)) {
              batch.delete(index, k);
            }
          }
          for (byte[] k : newKeys) {
            if (!containsKey(oldKeys, k)) {
              batch.put(index, k, EMPTY);
            }
          }
        }
      }
    }
    int length = encoder.encodeInPlace(now);
    batch.put(summaries, utf8(now.runId()), encoder.buffer(), length);
  }

  private static boolean sameField(int field, RunSummary a, RunSummary b) {
    return switch (field) {
      case 0 -> a.status() == b.status();
      case 1 -> java.util.Objects.equals(a.workflowType(), b.workflowType());
      case 2 -> java.util.Objects.equals(a.taskQueue(), b.taskQueue());
      case 3 -> true; // the start time is in the suffix, which is the same
      case 4 -> java.util.Objects.equals(a.closeTime(), b.closeTime());
      default -> a.searchAttributes().isEmpty() ? b.searchAttributes().isEmpty()
          : a.searchAttributes().equals(b.searchAttributes());
    };
  }

  /**
   * The index keys one field of a run makes: status, type, task queue, start, close, search
   * attributes. Each key is built in one array (no buffers, no intermediate prefixes): this runs
   * for every field of every new run, and C2 compiled the buffer-built version into one of the
   * largest units of a hello run (docs/performance.md, "Thirteenth round").
   */
  private static List<byte[]> fieldKeys(int field, RunSummary s, byte[] suffix) {
    List<byte[]> out = new ArrayList<>(2);
    switch (field) {
      case 0 -> out.add(key(STATUS, string(s.status().name()), EMPTY, suffix));
      case 1 -> out.add(key(TYPE, string(s.workflowType()), EMPTY, suffix));
      case 2 -> out.add(key(QUEUE, string(s.taskQueue()), EMPTY, suffix));
      case 3 -> out.add(key(START, EMPTY, EMPTY, suffix));
      case 4 -> {
        if (s.closeTime() != null) {
          out.add(key(CLOSE, timeDesc(s.closeTime()), EMPTY, suffix));
        }
      }
      default -> attributeKeys(s, suffix, out);
    }
    return out;
  }

  private static void attributeKeys(RunSummary s, byte[] suffix, List<byte[]> out) {
    for (Map.Entry<String, SearchAttributeValue> a : s.searchAttributes().entrySet()) {
      byte[] name = string(a.getKey());
      for (byte[] value : valueKeys(a.getValue())) {
        out.add(key(ATTRIBUTE, name, value, suffix));
      }
    }
  }

  /** One key: {@code kind}, then {@code a}, {@code b} and {@code c} as they are. */
  private static byte[] key(byte kind, byte[] a, byte[] b, byte[] c) {
    byte[] k = new byte[1 + a.length + b.length + c.length];
    k[0] = kind;
    System.arraycopy(a, 0, k, 1, a.length);
    System.arraycopy(b, 0, k, 1 + a.length, b.length);
    System.arraycopy(c, 0, k, 1 + a.length + b.length, c.length);
    return k;
  }

  private static boolean containsKey(List<byte[]> keys, byte[] key) {
    for (byte[] k : keys) {
      if (Arrays.equals(k, key)) {
        return true;
      }
    }
    return false;
  }

  /** What ends every index key of a run: its start time (newest first) and its id. */
  private static byte[] suffix(RunSummary s) {
    return concat(timeDesc(s.startTime()), utf8(s.runId()));
  }

  /** Returns every index key of a run. */
  static Set<ByteBuffer> keys(RunSummary s) {
    byte[] suffix = suffix(s);
    Set<ByteBuffer> out = new LinkedHashSet<>();
    for (int field = 0; field < FIELDS; field++) {
      for (byte[] k : fieldKeys(field, s, suffix)) {
        out.add(ByteBuffer.wrap(k));
      }
    }
    return out;
  }

  private static byte[] statusPrefix(WorkflowStatus status) {
    // By name, not ordinal: a status added later must not shift the stored keys.
    return stringPrefix(STATUS, status.name());
  }

  private static byte[] stringPrefix(byte kind, String s) {
    return key(kind, string(s), EMPTY, EMPTY);
  }

  private static byte[] attributePrefix(String name) {
    return stringPrefix(ATTRIBUTE, name);
  }

  /** A length-prefixed string: a prefix scan on it matches that string only, not longer ones. */
  private static byte[] string(String s) {
    byte[] b = utf8(s == null ? "" : s);
    byte[] out = new byte[4 + b.length];
    putInt(out, 0, b.length);
    System.arraycopy(b, 0, out, 4, b.length);
    return out;
  }

  /** The encoded values of an attribute: a keyword list has one per distinct keyword. */
  private static List<byte[]> valueKeys(SearchAttributeValue v) {
    List<byte[]> out = new ArrayList<>();
    if (v.type() == SearchAttributeValue.Type.KEYWORD_LIST) {
      for (String k : new LinkedHashSet<>(v.values())) {
        out.add(key((byte) 'K', string(k), EMPTY, EMPTY));
      }
    } else {
      out.add(valueKey(v));
    }
    return out;
  }

  /** One value with its kind byte; keywords and keyword lists share the kind, so one filter finds both. */
  private static byte[] valueKey(SearchAttributeValue v) {
    String text = v.values().get(0);
    return switch (v.type()) {
      case KEYWORD, KEYWORD_LIST -> key((byte) 'K', string(text), EMPTY, EMPTY);
      case INT -> ByteBuffer.allocate(9).put((byte) 'I').putLong(Long.parseLong(text) ^ Long.MIN_VALUE).array();
      case DOUBLE -> {
        long bits = Double.doubleToLongBits(Double.parseDouble(text));
        yield ByteBuffer.allocate(9).put((byte) 'D').putLong(bits < 0 ? ~bits : bits ^ Long.MIN_VALUE).array();
      }
      case BOOL -> new byte[] {'B', (byte) (Boolean.parseBoolean(text) ? 1 : 0)};
      case DATETIME -> concat(new byte[] {'T'}, timeAsc(Instant.parse(text)));
    };
  }

  static byte[] timeAsc(Instant t) {
    byte[] b = new byte[TIME];
    long seconds = t.getEpochSecond() ^ Long.MIN_VALUE;
    putInt(b, 0, (int) (seconds >>> 32));
    putInt(b, 4, (int) seconds);
    putInt(b, 8, t.getNano());
    return b;
  }

  /** Writes {@code v} big-endian at {@code at}, as {@code ByteBuffer.putInt} does. */
  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  static byte[] timeDesc(Instant t) {
    byte[] b = timeAsc(t);
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ~b[i];
    }
    return b;
  }

  private static Instant timeDescAt(byte[] key, int offset) {
    ByteBuffer b = ByteBuffer.wrap(key, offset, TIME);
    return Instant.ofEpochSecond(~b.getLong() ^ Long.MIN_VALUE, ~b.getInt());
  }

  // ---------------------------------------------------------------- reading

  /** One stretch of index keys, all starting with {@code prefix}. */
  private static final class Range {
    final byte[] prefix;
    final byte[] seek;
    /** Bytes between the prefix and the start time: 0 for indexes ordered by start time. */
    final int sortWidth;
    final Predicate<byte[]> skip;
    final Predicate<byte[]> end;

    Range(byte[] prefix, byte[] seek, int sortWidth, Predicate<byte[]> skip, Predicate<byte[]> end) {
      this.prefix = prefix;
      this.seek = seek;
      this.sortWidth = sortWidth;
      this.skip = skip;
      this.end = end;
    }

    int suffixAt() {
      return prefix.length + sortWidth;
    }
  }

  /** An index a query could be answered from, and the conditions it fully checks. */
  private record Candidate(String name, List<Range> ranges, Set<String> covers) {}

  /** Walks the keys of one range, skipping those its bounds leave out. */
  private final class Cursor implements AutoCloseable {
    final Range range;
    final RocksIterator it;
    byte[] key;

    Cursor(Range range) throws RocksDBException {
      this.range = range;
      this.it = db.newIterator(index);
      try {
        it.seek(range.seek);
        settle();
      } catch (RocksDBException | RuntimeException e) {
        it.close();
        throw e;
      }
    }

    void advance() throws RocksDBException {
      it.next();
      settle();
    }

    private void settle() throws RocksDBException {
      key = null;
      for (; it.isValid(); it.next()) {
        byte[] k = it.key();
        keysRead++;
        if (!startsWith(k, range.prefix) || range.end.test(k)) {
          break;
        }
        if (!range.skip.test(k)) {
          key = k;
          return;
        }
      }
      it.status();
    }

    String runId() {
      int at = range.suffixAt() + TIME;
      return new String(key, at, key.length - at, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      it.close();
    }
  }

  /**
   * Returns up to {@code limit} runs that closed at or before {@code closedBy}, the earliest closed
   * first, after {@code after} when it is given. The close-time index sorts the latest first, so
   * this walks it backwards from its end.
   */
  List<ClosedRun> closedRuns(Instant closedBy, ClosedRun after, int limit) throws RocksDBException {
    List<ClosedRun> out = new ArrayList<>();
    byte[] prefix = {CLOSE};
    try (Slice lower = new Slice(prefix);
        ReadOptions options = new ReadOptions().setIterateLowerBound(lower);
        RocksIterator it = db.newIterator(index, options)) {
      byte[] from = after == null ? new byte[] {CLOSE + 1}
          : key(CLOSE, timeDesc(after.closeTime()), timeDesc(after.startTime()), utf8(after.runId()));
      it.seekForPrev(from);
      if (after != null && it.isValid() && Arrays.equals(it.key(), from)) {
        it.prev();
      }
      for (; it.isValid() && out.size() < limit; it.prev()) {
        byte[] k = it.key();
        keysRead++;
        if (k[0] != CLOSE) {
          break;
        }
        Instant closed = timeDescAt(k, 1);
        if (closed.isAfter(closedBy)) {
          break;
        }
        int at = 1 + 2 * TIME;
        out.add(new ClosedRun(new String(k, at, k.length - at, StandardCharsets.UTF_8), closed, timeDescAt(k, 1 + TIME)));
      }
      it.status();
    }
    return out;
  }

  /** Returns one page of the runs that meet {@code q}, newest first by start time. */
  VisibilityPage list(VisibilityQuery q) throws RocksDBException {
    byte[] fingerprint = q.fingerprint();
    byte[] after = q.pageToken() == null ? null : PageTokens.decode(q.pageToken(), fingerprint);
    Candidate plan = choose(startOrdered(q, after));
    boolean residual = !plan.covers().containsAll(conditions(q));
    List<String> ids = new ArrayList<>();
    byte[] last = null;
    boolean more = false;
    List<Cursor> cursors = new ArrayList<>();
    try {
      PriorityQueue<Cursor> merge = new PriorityQueue<>((a, b) -> Arrays.compareUnsigned(
          a.key, a.range.suffixAt(), a.key.length, b.key, b.range.suffixAt(), b.key.length));
      for (Range r : plan.ranges()) {
        Cursor c = new Cursor(r);
        cursors.add(c);
        if (c.key != null) {
          merge.add(c);
        }
      }
      byte[] previous = null;
      while (!merge.isEmpty()) {
        Cursor c = merge.poll();
        String runId = c.runId();
        byte[] suffix = Arrays.copyOfRange(c.key, c.range.suffixAt(), c.key.length);
        boolean seen = Arrays.equals(suffix, previous); // the same run under two statuses: it changed meanwhile
        previous = suffix;
        if (!seen && (!residual || matches(runId, q))) {
          if (ids.size() == q.pageSize()) {
            more = true;
            break;
          }
          ids.add(runId);
          last = suffix;
        }
        c.advance();
        if (c.key != null) {
          merge.add(c);
        }
      }
    } finally {
      cursors.forEach(Cursor::close);
    }
    return new VisibilityPage(ids, more ? PageTokens.encode(fingerprint, last) : null, keysRead, summariesRead);
  }

  /** Returns how many runs meet {@code q}. */
  long count(VisibilityQuery q) throws RocksDBException {
    List<Candidate> candidates = new ArrayList<>(startOrdered(q, null));
    candidates.addAll(rangeCandidates(q));
    Candidate plan = choose(candidates);
    boolean residual = !plan.covers().containsAll(conditions(q));
    long n = 0;
    for (Range r : plan.ranges()) {
      try (Cursor c = new Cursor(r)) {
        for (; c.key != null; c.advance()) {
          if (!residual || matches(c.runId(), q)) {
            n++;
          }
        }
      }
    }
    return n;
  }

  /**
   * Picks the candidate with the fewest keys: reads all of them a key at a time, in turn, until
   * one runs out (no other can be smaller) or each gave {@link #PROBE} keys (then the first, in
   * the order search attributes, type, task queue, status). The cost is the number of candidates
   * times the size of the smallest, at most times {@link #PROBE}.
   */
  private Candidate choose(List<Candidate> candidates) throws RocksDBException {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    List<Probe> probes = new ArrayList<>();
    try {
      for (Candidate c : candidates) {
        probes.add(new Probe(c));
      }
      for (int n = 0; n < PROBE; n++) {
        for (Probe p : probes) {
          if (!p.step()) {
            return p.candidate;
          }
        }
      }
      return candidates.get(0);
    } finally {
      probes.forEach(Probe::close);
    }
  }

  /** Counts the keys of one candidate, one range after the other. */
  private final class Probe implements AutoCloseable {
    final Candidate candidate;
    private int range;
    private Cursor cursor;

    Probe(Candidate candidate) throws RocksDBException {
      this.candidate = candidate;
      this.cursor = new Cursor(candidate.ranges().get(0));
    }

    /** Passes one key; false when the candidate has none left. */
    boolean step() throws RocksDBException {
      while (cursor.key == null) {
        cursor.close();
        if (++range == candidate.ranges().size()) {
          cursor = null;
          return false;
        }
        cursor = new Cursor(candidate.ranges().get(range));
      }
      cursor.advance();
      return true;
    }

    @Override
    public void close() {
      if (cursor != null) {
        cursor.close();
      }
    }
  }

  /** The labels of the conditions a query sets. */
  private static Set<String> conditions(VisibilityQuery q) {
    Set<String> out = new HashSet<>();
    if (!q.statuses().isEmpty()) {
      out.add("status");
    }
    if (q.workflowType() != null) {
      out.add("type");
    }
    if (q.taskQueue() != null) {
      out.add("queue");
    }
    if (q.startedFrom() != null || q.startedTo() != null) {
      out.add("start");
    }
    if (q.closedFrom() != null || q.closedTo() != null) {
      out.add("close");
    }
    for (int i = 0; i < q.searchAttributes().size(); i++) {
      out.add("attribute" + i);
    }
    return out;
  }

  /** The indexes ordered by start time that could answer {@code q}; the start-time index when no other can. */
  private static List<Candidate> startOrdered(VisibilityQuery q, byte[] after) {
    // A run closes after it starts, so an end of the close-time range also bounds start times.
    Instant to = q.startedTo();
    if (q.closedTo() != null && (to == null || q.closedTo().isBefore(to))) {
      to = q.closedTo();
    }
    Instant from = q.startedFrom();
    List<Candidate> out = new ArrayList<>();
    // In the order that breaks ties: search attributes often single runs out, a status least.
    for (int i = 0; i < q.searchAttributes().size(); i++) {
      SearchCondition c = q.searchAttributes().get(i);
      if (c.equalTo() != null) {
        byte[] prefix = concat(attributePrefix(c.name()), valueKey(c.equalTo()));
        out.add(new Candidate("attribute " + c.name(), List.of(startRange(prefix, from, to, after)),
            Set.of("attribute" + i, "start")));
      }
    }
    if (q.workflowType() != null) {
      out.add(new Candidate("type", List.of(startRange(stringPrefix(TYPE, q.workflowType()), from, to, after)),
          Set.of("type", "start")));
    }
    if (q.taskQueue() != null) {
      out.add(new Candidate("queue", List.of(startRange(stringPrefix(QUEUE, q.taskQueue()), from, to, after)),
          Set.of("queue", "start")));
    }
    if (!q.statuses().isEmpty()) {
      List<Range> ranges = new ArrayList<>();
      for (WorkflowStatus s : q.statuses()) {
        ranges.add(startRange(statusPrefix(s), from, to, after));
      }
      out.add(new Candidate("status", ranges, Set.of("status", "start")));
    }
    if (out.isEmpty()) {
      out.add(new Candidate("start", List.of(startRange(new byte[] {START}, from, to, after)), Set.of("start")));
    }
    return out;
  }

  /** Keys under {@code prefix} whose start time is in [from, to), after the page token's key. */
  private static Range startRange(byte[] prefix, Instant from, Instant to, byte[] after) {
    int at = prefix.length;
    byte[] seek = prefix;
    if (to != null) {
      seek = concat(prefix, timeDesc(to));
    }
    if (after != null) {
      byte[] resume = concat(prefix, after);
      if (Arrays.compareUnsigned(resume, seek) > 0) {
        seek = resume;
      }
    }
    Predicate<byte[]> skip = k -> (to != null && !timeDescAt(k, at).isBefore(to))
        || (after != null && Arrays.compareUnsigned(k, at, k.length, after, 0, after.length) <= 0);
    Predicate<byte[]> end = k -> from != null && timeDescAt(k, at).isBefore(from);
    return new Range(prefix, seek, 0, skip, end);
  }

  /** Indexes ordered by something else than start time: usable for counting. */
  private static List<Candidate> rangeCandidates(VisibilityQuery q) {
    List<Candidate> out = new ArrayList<>();
    if (q.closedFrom() != null || q.closedTo() != null) {
      byte[] prefix = {CLOSE};
      Instant from = q.closedFrom();
      Instant to = q.closedTo();
      byte[] seek = to == null ? prefix : concat(prefix, timeDesc(to));
      out.add(new Candidate("close", List.of(new Range(prefix, seek, TIME,
          k -> to != null && !timeDescAt(k, 1).isBefore(to),
          k -> from != null && timeDescAt(k, 1).isBefore(from))), Set.of("close")));
    }
    for (int i = 0; i < q.searchAttributes().size(); i++) {
      SearchCondition c = q.searchAttributes().get(i);
      if (c.equalTo() == null) {
        SearchAttributeValue any = c.from() != null ? c.from() : c.to();
        byte[] kind = Arrays.copyOf(valueKey(any), 1);
        byte[] prefix = concat(attributePrefix(c.name()), kind);
        int width = valueKey(any).length - 1;
        byte[] seek = c.from() == null ? prefix : concat(attributePrefix(c.name()), valueKey(c.from()));
        byte[] toKey = c.to() == null ? null : valueKey(c.to());
        int at = prefix.length;
        out.add(new Candidate("attribute range " + c.name(), List.of(new Range(prefix, seek, width, k -> false,
            k -> toKey != null && Arrays.compareUnsigned(k, at, at + width, toKey, 1, toKey.length) >= 0)),
            Set.of("attribute" + i)));
      }
    }
    return out;
  }

  private boolean matches(String runId, VisibilityQuery q) throws RocksDBException {
    summariesRead++;
    byte[] v = db.get(summaries, utf8(runId));
    return v != null && q.matches(StoreCodec.decodeSummary(v, "summary of run " + runId));
  }

  // ---------------------------------------------------------------- verification

  /** Returns where the indexes disagree with the run's state. */
  List<String> verify(ExecutionState state) throws RocksDBException {
    List<String> problems = new ArrayList<>();
    RunSummary expected = RunSummary.of(state);
    byte[] stored = db.get(summaries, utf8(state.runId));
    if (stored == null) {
      problems.add("the listing indexes have no summary of run " + state.runId);
    } else {
      RunSummary indexed = StoreCodec.decodeSummary(stored, "summary of run " + state.runId);
      if (!indexed.equals(expected)) {
        problems.add("the listing summary of run " + state.runId + " is " + indexed + " but its state says " + expected);
      }
    }
    for (ByteBuffer k : keys(expected)) {
      if (db.get(index, k.array()) == null) {
        problems.add("the listing index has no " + kindName(k.get(0)) + " entry for run " + state.runId);
      }
    }
    byte[] suffix = concat(timeDesc(state.startTime), utf8(state.runId));
    for (WorkflowStatus s : WorkflowStatus.values()) {
      if (s != state.status && db.get(index, concat(statusPrefix(s), suffix)) != null) {
        problems.add("the listing index lists run " + state.runId + " as " + s + " too, but it is " + state.status);
      }
    }
    return problems;
  }

  private static String kindName(byte kind) {
    return switch (kind) {
      case STATUS -> "status";
      case TYPE -> "workflow type";
      case QUEUE -> "task queue";
      case START -> "start time";
      case CLOSE -> "close time";
      default -> "search attribute";
    };
  }

  // ---------------------------------------------------------------- bytes

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
