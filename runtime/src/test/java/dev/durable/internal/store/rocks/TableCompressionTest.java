package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.TableProperties;

/**
 * Level 0's table files (flushed memtables) are written uncompressed and every other level with
 * LZ4, in every column family; table files compressed with Snappy (what earlier versions wrote)
 * are read as before.
 */
class TableCompressionTest {
  @TempDir Path dir;

  @Test
  void flushedTablesAreUncompressedAndDeeperLevelsUseLz4() throws Exception {
    List<String> runIds = writeRuns();
    assertEquals(Set.of("NoCompression"), compressions(false), "the table files of level 0");
    String perLevel = "compression_per_level=kNoCompression:kLZ4Compression:kLZ4Compression:kLZ4Compression:"
        + "kLZ4Compression:kLZ4Compression:kLZ4Compression";
    try (Stream<Path> files = Files.list(dir.resolve("db"))) {
      Path latest = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).max(Path::compareTo)
          .orElseThrow();
      List<String> lines = Files.readAllLines(latest).stream().map(String::trim).toList();
      assertEquals(7, lines.stream().filter(perLevel::equals).count(), "every family: " + lines);
    }
    assertReadable(runIds);
  }

  @Test
  void tablesWrittenWithSnappyByAnEarlierVersionAreRead() throws Exception {
    List<String> runIds = writeRuns();
    assertEquals(Set.of("Snappy"), compressions(true), "rewritten as an earlier version wrote them");
    assertReadable(runIds);
  }

  private List<String> writeRuns() {
    List<String> runIds = new ArrayList<>();
    try (RocksStore store = RocksStore.open(dir, true)) {
      for (int i = 0; i < 50; i++) {
        ExecutionState s = TestRuns.state("w" + i, new UUID(3, i).toString(), i);
        store.apply(new Store.Transition(s, List.of(), true, true));
        runIds.add(s.runId);
      }
    } // closing flushes every family into level 0
    return runIds;
  }

  /**
   * The compressions of every table file of the data dir; with {@code rewriteWithSnappy}, first
   * compacts every family with RocksDB's default options (Snappy), as versions before LZ4 did.
   */
  private Set<String> compressions(boolean rewriteWithSnappy) throws Exception {
    String db = dir.resolve("db").toString();
    Set<String> out = new TreeSet<>();
    try (ColumnFamilyOptions snappy = new ColumnFamilyOptions()) {
      List<ColumnFamilyDescriptor> families = new ArrayList<>();
      try (Options list = new Options()) {
        for (byte[] name : RocksDB.listColumnFamilies(list, db)) {
          families.add(new ColumnFamilyDescriptor(name, snappy));
        }
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (DBOptions options = new DBOptions();
          RocksDB raw = rewriteWithSnappy ? RocksDB.open(options, db, families, handles)
              : RocksDB.openReadOnly(options, db, families, handles)) {
        for (ColumnFamilyHandle h : handles) {
          if (rewriteWithSnappy) {
            try (CompactRangeOptions rewrite = new CompactRangeOptions()
                .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
              raw.compactRange(h, null, null, rewrite); // every file rewritten, none merely moved
            }
          }
          for (TableProperties p : raw.getPropertiesOfAllTables(h).values()) {
            out.add(p.getCompressionName());
          }
          h.close();
        }
      }
    }
    return out;
  }

  private void assertReadable(List<String> runIds) {
    try (RocksStore store = RocksStore.open(dir, true)) {
      for (String runId : runIds) {
        assertTrue(store.readExecution(runId).isPresent(), runId);
      }
      assertFalse(store.readExecution(new UUID(3, 99).toString()).isPresent());
    }
  }
}
