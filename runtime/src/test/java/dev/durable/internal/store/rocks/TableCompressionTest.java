package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.TableProperties;

/**
 * Level 0's table files (flushed memtables) are written uncompressed and every other level with
 * LZ4, in every column family; the data reads back the same after a reopen.
 */
class TableCompressionTest {
  @TempDir Path dir;

  @Test
  void flushedTablesAreUncompressedAndDeeperLevelsUseLz4() throws Exception {
    List<String> runIds = new ArrayList<>();
    try (RocksStore store = RocksStore.open(dir, true)) {
      for (int i = 0; i < 50; i++) {
        ExecutionState s = new ExecutionState();
        s.workflowId = "w" + i;
        s.runId = new UUID(3, i).toString();
        s.workflowType = "T";
        s.taskQueue = "q";
        s.startTime = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
        store.apply(new Store.Transition(s, List.of(), true, true));
        runIds.add(s.runId);
      }
    } // closing flushes every family into level 0
    Path db = dir.resolve("db");
    Set<String> compressions = new TreeSet<>();
    List<ColumnFamilyDescriptor> families = new ArrayList<>();
    try (Options list = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(list, db.toString())) {
        families.add(new ColumnFamilyDescriptor(name));
      }
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB raw = RocksDB.openReadOnly(options, db.toString(), families, handles)) {
      for (ColumnFamilyHandle h : handles) {
        for (TableProperties p : raw.getPropertiesOfAllTables(h).values()) {
          compressions.add(p.getCompressionName());
        }
        h.close();
      }
    }
    assertEquals(Set.of("NoCompression"), compressions, "the table files of level 0");
    String perLevel = "compression_per_level=kNoCompression:kLZ4Compression:kLZ4Compression:kLZ4Compression:"
        + "kLZ4Compression:kLZ4Compression:kLZ4Compression";
    try (Stream<Path> files = Files.list(db)) {
      Path latest = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).max(Path::compareTo)
          .orElseThrow();
      List<String> lines = Files.readAllLines(latest).stream().map(String::trim).toList();
      assertEquals(7, lines.stream().filter(perLevel::equals).count(), "every family: " + lines);
    }
    try (RocksStore store = RocksStore.open(dir, true)) {
      for (String runId : runIds) {
        assertTrue(store.readExecution(runId).isPresent(), runId);
      }
      assertFalse(store.readExecution(new UUID(3, 99).toString()).isPresent());
    }
  }
}
