package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.RunSummary;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.model.SearchAttributes;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.model.VisibilityQuery.SearchCondition;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.Store.VisibilityPage;
import dev.durable.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** The store's listing indexes: kept in step with each transition, planned by selectivity, migrated into old dirs. */
class VisibilityIndexTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private static ExecutionState run(int i, String type, Map<String, ?> attributes) {
    ExecutionState s = new ExecutionState();
    s.workflowId = "wf-" + i;
    s.runId = new UUID(0, i).toString();
    s.workflowType = type;
    s.taskQueue = "q";
    s.startTime = T0.plusSeconds(i);
    s.searchAttributes = new TreeMap<>(SearchAttributes.toValues(attributes));
    return s;
  }

  private static void create(Store store, ExecutionState s) {
    store.apply(new Store.Transition(s, List.of(), true, false));
  }

  private static void update(Store store, ExecutionState s) {
    store.apply(new Store.Transition(s, List.of(), false, false));
  }

  private static VisibilityQuery query(List<WorkflowStatus> statuses, String type, List<SearchCondition> conditions,
      int pageSize) {
    return new VisibilityQuery(statuses, type, null, null, null, null, null, conditions, pageSize, null);
  }

  private static SearchCondition equal(String name, Object value) {
    return new SearchCondition(name, SearchAttributes.toValue(name, value), null, null);
  }

  private static SearchCondition between(String name, Object from, Object to) {
    return new SearchCondition(name, null, from == null ? null : SearchAttributes.toValue(name, from),
        to == null ? null : SearchAttributes.toValue(name, to));
  }

  @Test
  void aSelectiveConditionIsAnsweredFromItsIndexAmong5000Runs() {
    try (RocksStore store = RocksStore.open(dir, false)) {
      for (int i = 1; i <= 5000; i++) {
        ExecutionState s = run(i, i % 500 == 0 ? "Rare" : "Bulk", Map.of("Shard", (long) (i % 50)));
        create(store, s);
        if (i % 3 == 0) {
          s.status = WorkflowStatus.COMPLETED;
          s.closeTime = s.startTime.plusSeconds(1);
          update(store, s);
        }
      }

      VisibilityPage rare = store.listRuns(query(List.of(), "Rare", List.of(), 100));
      assertEquals(10, rare.runIds().size());
      assertEquals(new UUID(0, 5000).toString(), rare.runIds().get(0), "newest first");
      assertTrue(rare.keysRead() <= 11, "only the type index entries of Rare are read, read " + rare.keysRead());
      assertEquals(0, rare.summariesRead(), "the type index answers the whole filter");

      // Type Bulk has 4990 runs, shard 7 has 100: the planner reads both side by side until the
      // shard's run out (about 2 x 100 keys), then scans the shard's entries (100 more).
      VisibilityPage shard = store.listRuns(query(List.of(), "Bulk", List.of(equal("Shard", 7L)), 1000));
      assertEquals(100, shard.runIds().size());
      assertTrue(shard.keysRead() <= 2 * 101 + 101 + 2, "read " + shard.keysRead() + " keys");
      assertEquals(100, shard.summariesRead(), "the type is checked on the summaries of the shard's runs only");

      VisibilityPage done = store.listRuns(query(List.of(WorkflowStatus.COMPLETED), "Rare", List.of(), 100));
      assertEquals(List.of(5000, 4500, 4000, 3000, 2500, 1500, 1000, 500).stream()
          .filter(i -> i % 3 == 0).map(i -> new UUID(0, i).toString()).toList(), done.runIds());

      assertEquals(4990, store.countRuns(query(List.of(), "Bulk", List.of(), 100)));
      assertEquals(1666, store.countRuns(query(List.of(WorkflowStatus.COMPLETED), null, List.of(), 100)));
      assertEquals(5000 - 1666, store.countRuns(query(List.of(WorkflowStatus.RUNNING), null, List.of(), 100)));
      assertEquals(100, store.countRuns(query(List.of(), null, List.of(equal("Shard", 7L)), 100)));

      // Every run once, newest first, across pages of the largest size.
      List<String> all = new ArrayList<>();
      String token = null;
      do {
        VisibilityPage page = store.listRuns(query(List.of(), null, List.of(), 1000).withPage(1000, token));
        all.addAll(page.runIds());
        token = page.nextPageToken();
      } while (token != null);
      assertEquals(5000, all.size());
      assertEquals(5000, new HashSet<>(all).size());
      assertEquals(new UUID(0, 5000).toString(), all.get(0));
      assertEquals(new UUID(0, 1).toString(), all.get(4999));
    }
  }

  /**
   * The index keys' bytes, spelled out: data dirs written by earlier versions hold these keys, so
   * how they are built may change, but not one byte of what is built.
   */
  @Test
  void indexKeysKeepTheirStoredLayout() {
    // status, type, queue, start, close, then the attributes by name (a keyword list once per
    // distinct keyword), each ending in the start time (newest first) and the run id
    RunSummary s = new RunSummary("wf", "run-1", "Type", "queue", WorkflowStatus.COMPLETED,
        Instant.ofEpochSecond(1_700_000_000L, 123_456_789), Instant.ofEpochSecond(-5, 7),
        Map.of("a", new SearchAttributeValue(SearchAttributeValue.Type.KEYWORD_LIST, List.of("x", "yz", "x")),
            "n", new SearchAttributeValue(SearchAttributeValue.Type.INT, List.of("-3")),
            "d", new SearchAttributeValue(SearchAttributeValue.Type.DOUBLE, List.of("2.5")),
            "t", new SearchAttributeValue(SearchAttributeValue.Type.DATETIME, List.of("2026-11-27T12:00:00Z")),
            "b", new SearchAttributeValue(SearchAttributeValue.Type.BOOL, List.of("true"))));
    List<String> keys = new ArrayList<>();
    for (java.nio.ByteBuffer k : VisibilityIndex.keys(s)) {
      keys.add(HexFormat.of().formatHex(k.array()));
    }
    assertEquals(List.of(
        "0100000009434f4d504c455445447fffffff9aac0efff8a432ea72756e2d31",
        "0200000004547970657fffffff9aac0efff8a432ea72756e2d31",
        "030000000571756575657fffffff9aac0efff8a432ea72756e2d31",
        "047fffffff9aac0efff8a432ea72756e2d31",
        "058000000000000004fffffff87fffffff9aac0efff8a432ea72756e2d31",
        "0600000001614b00000001787fffffff9aac0efff8a432ea72756e2d31",
        "0600000001614b00000002797a7fffffff9aac0efff8a432ea72756e2d31",
        "06000000016242017fffffff9aac0efff8a432ea72756e2d31",
        "06000000016444c0040000000000007fffffff9aac0efff8a432ea72756e2d31",
        "06000000016e497ffffffffffffffd7fffffff9aac0efff8a432ea72756e2d31",
        "06000000017454800000006b0970c0000000007fffffff9aac0efff8a432ea72756e2d31"), keys);
  }

  @Test
  void numbersAndTimesKeepTheirOrderInTheIndex() {
    double[] scores = {-1e300, -2.5, -0.0, 1.5, 1e300};
    long[] counts = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
    Instant[] times = {Instant.parse("1900-01-01T00:00:00Z"), Instant.EPOCH.minusNanos(1), Instant.EPOCH,
        Instant.EPOCH.plusNanos(1), Instant.parse("3000-01-01T00:00:00Z")};
    try (RocksStore store = RocksStore.open(dir, false)) {
      for (int i = 0; i < 5; i++) {
        create(store, run(i + 1, "T", Map.of("Score", scores[i], "Count", counts[i], "At", times[i])));
      }
      assertEquals(2, store.countRuns(query(List.of(), null, List.of(between("Score", -3.0, 1.5)), 10)));
      assertEquals(3, store.countRuns(query(List.of(), null, List.of(between("Score", null, 1.0)), 10)));
      assertEquals(1, store.countRuns(query(List.of(), null, List.of(between("Score", 0.0, 1.0)), 10)), "-0.0 is 0.0");
      assertEquals(2, store.countRuns(query(List.of(), null, List.of(between("Count", Long.MIN_VALUE, 0L)), 10)));
      assertEquals(3, store.countRuns(query(List.of(), null, List.of(between("Count", -1L, 1L + 1)), 10)));
      assertEquals(1, store.countRuns(query(List.of(), null, List.of(between("Count", 2L, null)), 10)));
      assertEquals(2, store.countRuns(query(List.of(), null, List.of(between("At", null, Instant.EPOCH)), 10)));
      assertEquals(2, store.countRuns(query(List.of(), null, List.of(between("At", Instant.EPOCH, Instant.EPOCH.plusSeconds(1))), 10)));
      // Listing checks the same ranges on the summaries, newest first.
      VisibilityPage page = store.listRuns(query(List.of(), null, List.of(between("Count", -1L, 2L)), 10));
      assertEquals(List.of(4, 3, 2).stream().map(i -> new UUID(0, i).toString()).toList(), page.runIds());
    }
  }

  @Test
  void indexesFollowStatusAndSearchAttributeChanges() {
    try (RocksStore store = RocksStore.open(dir, false)) {
      ExecutionState s = run(1, "T", Map.of("Stage", "new", "Tags", List.of("a", "b")));
      create(store, s);
      assertEquals(1, store.countRuns(query(List.of(), null, List.of(equal("Tags", "b")), 10)));
      s.searchAttributes = new TreeMap<>(SearchAttributes.merge(s.searchAttributes,
          SearchAttributes.toValues(Map.of("Stage", "paid", "Tags", List.of("a"))), s.workflowId));
      update(store, s);
      assertEquals(0, store.countRuns(query(List.of(), null, List.of(equal("Stage", "new")), 10)));
      assertEquals(1, store.countRuns(query(List.of(), null, List.of(equal("Stage", "paid")), 10)));
      assertEquals(0, store.countRuns(query(List.of(), null, List.of(equal("Tags", "b")), 10)));
      s.status = WorkflowStatus.FAILED;
      s.closeTime = T0.plusSeconds(60);
      update(store, s);
      assertEquals(0, store.countRuns(query(List.of(WorkflowStatus.RUNNING), null, List.of(), 10)));
      assertEquals(1, store.countRuns(query(List.of(WorkflowStatus.FAILED), null, List.of(), 10)));
      assertEquals(List.of(), store.verifyIndexes(s));

      // A state the indexes were not written for is reported, field by field.
      s.status = WorkflowStatus.COMPLETED;
      List<String> problems = store.verifyIndexes(s);
      assertTrue(problems.stream().anyMatch(p -> p.contains("listing summary")), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.contains("no status entry")), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.contains("as FAILED too")), problems.toString());
    }
  }

  @Test
  void pageTokensAreCheckedAgainstTheirFilter() {
    try (RocksStore store = RocksStore.open(dir, false)) {
      for (int i = 1; i <= 3; i++) {
        create(store, run(i, "T", Map.of()));
      }
      VisibilityPage first = store.listRuns(query(List.of(), "T", List.of(), 2));
      assertNotNull(first.nextPageToken());
      VisibilityPage second = store.listRuns(query(List.of(), "T", List.of(), 2).withPage(5, first.nextPageToken()));
      assertEquals(List.of(new UUID(0, 1).toString()), second.runIds());
      assertNull(second.nextPageToken());

      var garbled = assertThrows(IllegalArgumentException.class,
          () -> store.listRuns(query(List.of(), "T", List.of(), 2).withPage(2, "not-a-token!")));
      assertTrue(garbled.getMessage().startsWith("DURABLE-255 page token 'not-a-token!' is not one"), garbled.getMessage());
      var cut = assertThrows(IllegalArgumentException.class, () -> store.listRuns(
          query(List.of(), "T", List.of(), 2).withPage(2, first.nextPageToken().substring(0, 12))));
      assertTrue(cut.getMessage().startsWith("DURABLE-255"), cut.getMessage());
      var other = assertThrows(IllegalArgumentException.class, () -> store.listRuns(
          query(List.of(), "U", List.of(), 2).withPage(2, first.nextPageToken())));
      assertTrue(other.getMessage().startsWith("DURABLE-256") && other.getMessage().contains("different filter"),
          other.getMessage());
    }
  }

  @Test
  void aDataDirWithoutIndexesGetsThemBuiltOnceAtOpen() throws Exception {
    try (RocksStore store = RocksStore.open(dir, true)) {
      for (int i = 1; i <= 3; i++) {
        create(store, run(i, i == 2 ? "Two" : "T", Map.of("N", (long) i)));
      }
    }
    makeOld(dir.resolve("db"));

    List<String> logged;
    try (LogCapture log = LogCapture.of(RocksStore.class.getName())) {
      try (RocksStore store = RocksStore.open(dir, true)) {
        assertEquals(3, store.countRuns(query(List.of(), null, List.of(), 10)));
        assertEquals(List.of(new UUID(0, 2).toString()), store.listRuns(query(List.of(), "Two", List.of(), 10)).runIds());
        assertEquals(1, store.countRuns(query(List.of(), null, List.of(equal("N", 3L)), 10)));
        ExecutionState s = store.readExecution(new UUID(0, 1).toString()).orElseThrow();
        assertEquals(List.of(), store.verifyIndexes(s));
      }
      try (RocksStore store = RocksStore.open(dir, true)) {
        assertEquals(3, store.countRuns(query(List.of(), null, List.of(), 10)));
      }
      logged = log.messages();
    }
    assertEquals(1, logged.stream().filter(m -> m.contains("built the listing indexes of 3 runs")).count(), logged.toString());
  }

  /** Turns a data dir into one an older version wrote: without the listing column families and marker. */
  private static void makeOld(Path dbDir) throws Exception {
    List<String> names = List.of("default", "executions", "history", "workflow_ids", "open", "visibility", "summaries");
    try (DBOptions options = new DBOptions(); ColumnFamilyOptions cf = new ColumnFamilyOptions()) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (String n : names) {
        descriptors.add(new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8), cf));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB db = RocksDB.open(options, dbDir.toString(), descriptors, handles)) {
        db.delete("visibility-version".getBytes(StandardCharsets.UTF_8));
        db.dropColumnFamily(handles.get(5));
        db.dropColumnFamily(handles.get(6));
        handles.forEach(ColumnFamilyHandle::close);
      }
      try (org.rocksdb.Options o = new org.rocksdb.Options()) {
        List<byte[]> left = RocksDB.listColumnFamilies(o, dbDir.toString());
        assertEquals(5, left.size(), "the old layout has five column families");
      }
    }
  }
}
