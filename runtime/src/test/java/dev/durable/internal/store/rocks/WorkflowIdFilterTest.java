package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.TableProperties;

/**
 * The table files of the workflow id index carry a bloom filter, so that starting a new id (a
 * lookup of a key that is not there) need not search every file; the other column families carry
 * none. Ids written before still resolve after a reopen.
 */
class WorkflowIdFilterTest {
  @TempDir Path dir;

  @Test
  void workflowIdTablesHaveABloomFilterAndOtherTablesNone() throws Exception {
    List<String> runIds = new ArrayList<>();
    try (RocksStore store = RocksStore.open(dir, true)) {
      for (int i = 0; i < 50; i++) {
        ExecutionState s = TestRuns.state("order-" + i, new UUID(7, i).toString(), i);
        store.apply(new Store.Transition(s, List.of(), true, true));
        runIds.add(s.runId);
      }
    } // closing flushes the memtables into table files

    Map<String, String> policies = filterPolicies(dir.resolve("db"), List.of("workflow_ids", "executions"));
    assertTrue(policies.get("workflow_ids").toLowerCase().contains("bloom"), policies.toString());
    assertFalse(policies.get("executions").toLowerCase().contains("bloom"), policies.toString());

    try (RocksStore store = RocksStore.open(dir, true)) {
      assertEquals(Optional.of(runIds.get(49)), store.storedRunId("order-49"));
      assertEquals(Optional.empty(), store.storedRunId("order-50"));
    }
  }

  /** The filter policy names of each family's table files, read from the files' own properties. */
  private static Map<String, String> filterPolicies(Path dbDir, List<String> families) throws Exception {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    try (DBOptions options = new DBOptions(); ColumnFamilyOptions cf = new ColumnFamilyOptions()) {
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf));
      for (String f : families) {
        descriptors.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8), cf));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB db = RocksDB.openReadOnly(options, dbDir.toString(), descriptors, handles)) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (int i = 0; i < families.size(); i++) {
          Map<String, TableProperties> tables = db.getPropertiesOfAllTables(handles.get(i + 1));
          assertFalse(tables.isEmpty(), "no table file for " + families.get(i));
          out.put(families.get(i), String.valueOf(tables.values().iterator().next().getFilterPolicyName()));
        }
        handles.forEach(ColumnFamilyHandle::close);
        return out;
      }
    }
  }
}
