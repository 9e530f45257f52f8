package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.SearchAttributeValue;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.Store.ClosedRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** The store's part of retention: finding closed runs by close time, and deleting one run whole. */
class DeleteRunTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final VisibilityQuery ALL = new VisibilityQuery(List.of(), null, null, null, null, null, null,
      List.of(), VisibilityQuery.MAX_PAGE_SIZE, null);

  @TempDir Path dir;

  private int runs;

  /** A run started {@code runs} seconds after T0 with {@code events} timer events, closed {@code closedAfter} later (or open). */
  private void write(Store store, String workflowId, int events, Integer closedAfter) {
    ExecutionState s = TestRuns.state(workflowId, new UUID(7, ++runs).toString(), runs);
    s.searchAttributes = Map.of("Customer", new SearchAttributeValue(SearchAttributeValue.Type.KEYWORD, List.of("c-" + runs)));
    List<HistoryEvent> history = LongStream.rangeClosed(1, events)
        .mapToObj(id -> new HistoryEvent(id, s.startTime, new EventAttributes.TimerFired((int) id))).toList();
    store.apply(new Store.Transition(s, history, true, true));
    if (closedAfter != null) {
      s.status = WorkflowStatus.COMPLETED;
      s.closeTime = s.startTime.plusSeconds(closedAfter);
      store.apply(new Store.Transition(s, List.of(), false, true));
    }
  }

  private static String runId(int n) {
    return new UUID(7, n).toString();
  }

  @Test
  void closedRunsComeEarliestClosedFirstInPagesUpToTheCutoff() {
    try (RocksStore store = RocksStore.open(dir, false)) {
      write(store, "a", 1, 100); // run 1 closes at T0+101
      write(store, "b", 1, 10); //  run 2 closes at T0+12
      write(store, "c", 1, null); // run 3 stays open
      write(store, "d", 1, 50); //  run 4 closes at T0+54
      write(store, "e", 1, 10); //  run 5 closes at T0+15

      List<ClosedRun> all = store.closedRuns(T0.plusSeconds(1000), null, 10);
      assertEquals(List.of(runId(2), runId(5), runId(4), runId(1)), all.stream().map(ClosedRun::runId).toList());
      assertEquals(new ClosedRun(runId(4), T0.plusSeconds(54), T0.plusSeconds(4)), all.get(2));

      assertEquals(List.of(runId(2), runId(5), runId(4)), ids(store.closedRuns(T0.plusSeconds(54), null, 10)),
          "a run closed at the cutoff is in, a later one is not");
      List<ClosedRun> first = store.closedRuns(T0.plusSeconds(1000), null, 2);
      assertEquals(List.of(runId(2), runId(5)), ids(first));
      assertEquals(List.of(runId(4), runId(1)), ids(store.closedRuns(T0.plusSeconds(1000), first.get(1), 2)));
      assertEquals(List.of(), store.closedRuns(T0.plusSeconds(1000), all.get(3), 2));
      assertEquals(List.of(), store.closedRuns(T0.plusSeconds(11), null, 2));

      assertTrue(store.deleteRun(runId(5)));
      assertEquals(List.of(runId(4), runId(1)), ids(store.closedRuns(T0.plusSeconds(1000), first.get(1), 2)),
          "a page goes on after a run that was deleted since");
    }
  }

  @Test
  void deletingARunLeavesNoKeyOrValueOfItAndKeepsEveryOtherRun() throws Exception {
    try (RocksStore store = RocksStore.open(dir, false)) {
      write(store, "order-1", 40, 5); // run 1: the one deleted
      write(store, "order-2", 3, 5); //  run 2: closed, kept
      write(store, "order-3", 3, null); // run 3: open
      write(store, "order-1", 2, 1); //  run 4: a later run of order-1, its latest

      DurableException open = assertThrows(DurableException.class, () -> store.deleteRun(runId(3)));
      assertEquals("DURABLE-229", open.getCode());
      assertTrue(open.getMessage().contains("order-3"), open.getMessage());

      assertTrue(store.deleteRun(runId(1)));
      assertFalse(store.deleteRun(runId(1)), "gone already");
      assertEquals(Optional.empty(), store.readExecution(runId(1)));
      assertEquals(List.of(), store.readHistory(runId(1), 1));
      assertEquals(Optional.of(runId(4)), store.currentRunId("order-1"), "an earlier run leaves the mapping alone");
      assertEquals(3, store.countRuns(ALL));

      assertTrue(store.deleteRun(runId(4)));
      assertEquals(Optional.empty(), store.currentRunId("order-1"));
      assertEquals(Optional.empty(), store.storedRunId("order-1"));
      assertEquals(List.of(runId(2), runId(3)), store.listRuns(ALL).runIds().stream().sorted().toList());
      assertEquals(3, store.readHistory(runId(2), 1).size());
      assertEquals(List.of(), store.verifyIndexes(store.readExecution(runId(3)).orElseThrow()));
    }
    assertEquals(List.of(), mentions(dir, runId(1)));
    assertEquals(List.of(), mentions(dir, runId(4)));
    assertEquals(List.of(), mentions(dir, "order-1"));
    assertEquals(List.of("executions", "history", "summaries", "visibility", "workflow_ids"),
        mentions(dir, runId(2)).stream().distinct().sorted().toList(), "a kept run is found where it is stored");
  }

  @Test
  void theSpaceOfDeletedRunsIsReclaimedByACompactionOfTheirKeys() throws Exception {
    int n = RocksStore.COMPACT_AFTER_DELETES;
    try (RocksStore store = RocksStore.open(dir, false)) {
      for (int i = 0; i < n; i++) {
        write(store, "w-" + i, 20, 1);
      }
      write(store, "kept", 20, 1);
      store.backup(dir.resolve("copy")); // flushes the memtables: the histories are in table files
      long before = store.historyFileBytes();
      for (int i = 1; i < n; i++) {
        store.deleteRun(runId(i));
      }
      store.awaitCompaction();
      assertEquals(before, store.historyFileBytes(), "one deletion short of a compaction");

      store.deleteRun(runId(n));
      store.awaitCompaction();
      long after = store.historyFileBytes();
      assertTrue(after > 0 && after < before / 50, "history table files: " + before + " -> " + after + " bytes");
      assertEquals(20, store.readHistory(runId(n + 1), 1).size());
    }
  }

  private static List<String> ids(List<ClosedRun> runs) {
    return runs.stream().map(ClosedRun::runId).toList();
  }

  /** The column families holding a key or value that contains {@code text}, one entry per record. */
  static List<String> mentions(Path dataDir, String text) throws Exception {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    String db = dataDir.resolve("db").toString();
    List<ColumnFamilyDescriptor> families = new ArrayList<>();
    try (Options list = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(list, db)) {
        families.add(new ColumnFamilyDescriptor(name));
      }
    }
    List<String> out = new ArrayList<>();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions(); RocksDB raw = RocksDB.openReadOnly(options, db, families, handles)) {
      for (int i = 0; i < handles.size(); i++) {
        try (ColumnFamilyHandle h = handles.get(i); RocksIterator it = raw.newIterator(h)) {
          for (it.seekToFirst(); it.isValid(); it.next()) {
            if (contains(it.key(), needle) || contains(it.value(), needle)) {
              out.add(new String(families.get(i).getName(), StandardCharsets.UTF_8));
            }
          }
        }
      }
    }
    return out;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
