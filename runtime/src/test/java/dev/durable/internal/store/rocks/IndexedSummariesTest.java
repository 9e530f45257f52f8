package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.RunSummary;
import dev.durable.internal.model.SearchAttributes;
import dev.durable.internal.store.Store;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * The store keeps the listing summary of each open run in memory instead of reading it on every
 * transition; the indexes must come out exactly as if it read it each time.
 */
class IndexedSummariesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private static ExecutionState run(int i) {
    ExecutionState s = new ExecutionState();
    s.workflowId = "wf-" + i;
    s.runId = new UUID(0, i).toString();
    s.workflowType = "T" + (i % 3);
    s.taskQueue = "q";
    s.startTime = T0.plusSeconds(i);
    return s;
  }

  /** A random change of what listing looks at, or none (most transitions only append events). */
  private static void change(ExecutionState s, Random random) {
    switch (random.nextInt(6)) {
      case 0 -> s.searchAttributes = new TreeMap<>(SearchAttributes.merge(s.searchAttributes,
          SearchAttributes.toValues(Map.of("Stage", "s" + random.nextInt(4))), s.workflowId));
      case 1 -> s.searchAttributes = new TreeMap<>(SearchAttributes.merge(s.searchAttributes,
          SearchAttributes.toValues(Map.of("Tags", List.of("t" + random.nextInt(3), "t" + random.nextInt(3)),
              "N", (long) random.nextInt(5))), s.workflowId));
      case 2 -> {
        if (random.nextInt(4) == 0) {
          s.status = random.nextBoolean() ? WorkflowStatus.COMPLETED : WorkflowStatus.FAILED;
          s.closeTime = s.startTime.plusSeconds(random.nextInt(100));
        }
      }
      default -> s.nextEventId++;
    }
  }

  @Test
  void indexesHoldExactlyTheLatestSummaryOfEveryRunThroughChangesClosesBatchesAndRestarts() throws Exception {
    Random random = new Random(42);
    Map<String, ExecutionState> runs = new HashMap<>();
    RocksStore store = RocksStore.open(dir, false);
    try {
      for (int i = 1; i <= 2000; i++) {
        int op = random.nextInt(10);
        if (op == 0 || runs.isEmpty()) {
          ExecutionState s = run(runs.size() + 1);
          runs.put(s.runId, s);
          store.apply(new Store.Transition(s, List.of(), true, false));
        } else if (op == 1) {
          // Two transitions of one run and one of another in one write: the second diffs against the first.
          ExecutionState a = pick(runs, random);
          ExecutionState b = pick(runs, random);
          ExecutionState aBefore = copy(a);
          change(aBefore, random);
          change(a, random);
          change(b, random);
          store.applyAll(List.of(new Store.Transition(aBefore, List.of(), false, false),
              new Store.Transition(a, List.of(), false, false), new Store.Transition(b, List.of(), false, false)));
        } else if (op == 2 && random.nextInt(20) == 0) {
          store.close(); // what it knew is gone: the next writes read the stored summaries
          store = RocksStore.open(dir, false);
          assertEquals(0, store.knownSummaries());
        } else {
          ExecutionState s = pick(runs, random);
          change(s, random);
          store.apply(new Store.Transition(s, List.of(), false, false));
        }
      }
      long open = runs.values().stream().filter(s -> !s.status.isClosed()).count();
      assertEquals(true, store.knownSummaries() <= open, "only open runs are kept: " + store.knownSummaries());
      for (ExecutionState s : runs.values()) {
        assertEquals(List.of(), store.verifyIndexes(s));
      }
    } finally {
      store.close();
    }

    // No entry is missing and none is left over from an older summary.
    Set<ByteBuffer> expected = new HashSet<>();
    for (ExecutionState s : runs.values()) {
      expected.addAll(VisibilityIndex.keys(RunSummary.of(s)));
    }
    assertEquals(expected, storedIndexKeys(dir.resolve("db")));
  }

  @Test
  void openRunsAreKnownClosedOnesAreForgotten() {
    try (RocksStore store = RocksStore.open(dir, false)) {
      List<ExecutionState> runs = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        ExecutionState s = run(i);
        runs.add(s);
        store.apply(new Store.Transition(s, List.of(), true, false));
      }
      assertEquals(10, store.knownSummaries());
      for (int i = 0; i < 4; i++) {
        ExecutionState s = runs.get(i);
        s.status = WorkflowStatus.TERMINATED;
        s.closeTime = s.startTime.plusSeconds(5);
        store.apply(new Store.Transition(s, List.of(), false, true));
      }
      assertEquals(6, store.knownSummaries());
    }
  }

  @Test
  void keepsAtMostItsLimitAndForgetsOnRequest() {
    IndexedSummaries known = new IndexedSummaries();
    Map<String, RunSummary> batch = new HashMap<>();
    for (int i = 0; i <= IndexedSummaries.MAX_RUNS; i++) {
      batch.put("r" + i, RunSummary.of(run(i)));
    }
    known.recorded(batch);
    assertEquals(IndexedSummaries.MAX_RUNS, known.size());

    ExecutionState s = run(7);
    s.runId = "r7";
    s.searchAttributes = new TreeMap<>(SearchAttributes.toValues(Map.of("Stage", "x")));
    RunSummary newer = RunSummary.of(s);
    known.recorded(Map.of("r7", newer));
    assertSame(newer, known.get("r7"), "a known run is updated at the limit");
    known.forget("r7");
    assertNull(known.get("r7"));
  }

  private static ExecutionState pick(Map<String, ExecutionState> runs, Random random) {
    List<ExecutionState> all = new ArrayList<>(runs.values());
    all.sort((x, y) -> x.runId.compareTo(y.runId));
    return all.get(random.nextInt(all.size()));
  }

  private static ExecutionState copy(ExecutionState s) {
    ExecutionState c = new ExecutionState();
    c.workflowId = s.workflowId;
    c.runId = s.runId;
    c.workflowType = s.workflowType;
    c.taskQueue = s.taskQueue;
    c.startTime = s.startTime;
    c.status = s.status;
    c.closeTime = s.closeTime;
    c.searchAttributes = new TreeMap<>(s.searchAttributes);
    return c;
  }

  private static Set<ByteBuffer> storedIndexKeys(Path dbDir) throws Exception {
    List<String> names = List.of("default", "executions", "history", "workflow_ids", "open", "visibility", "summaries");
    Set<ByteBuffer> keys = new HashSet<>();
    try (DBOptions options = new DBOptions(); ColumnFamilyOptions cf = new ColumnFamilyOptions()) {
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (String n : names) {
        descriptors.add(new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8), cf));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB db = RocksDB.openReadOnly(options, dbDir.toString(), descriptors, handles);
          RocksIterator it = db.newIterator(handles.get(5))) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          keys.add(ByteBuffer.wrap(it.key()));
        }
        it.status();
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
    return keys;
  }
}
