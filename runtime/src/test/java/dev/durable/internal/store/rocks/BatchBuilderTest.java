package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** Batches built in Java hold exactly the bytes RocksDB's own batch holds, and apply the same. */
class BatchBuilderTest {
  @TempDir Path dir;

  private static byte[] random(Random random, int maxLength) {
    // Lengths across the varint boundaries (127/128, 16383/16384) as well as small ones.
    int length = switch (random.nextInt(4)) {
      case 0 -> random.nextInt(4);
      case 1 -> 120 + random.nextInt(16);
      case 2 -> 16_380 + random.nextInt(8);
      default -> random.nextInt(maxLength);
    };
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  private static byte[] key(byte[] prefix, long suffix) {
    return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(suffix).array();
  }

  @Test
  void aBatchBuiltInJavaHasTheBytesOfTheSameBatchFilledThroughRocksDb() throws Exception {
    Random random = new Random(42);
    BatchBuilder reused = new BatchBuilder(16);
    withDatabase((db, handles) -> {
      for (int round = 0; round < 200; round++) {
        // Half the rounds in a new builder, half in one reset after the batch before (as writes reuse them).
        BatchBuilder built = round % 2 == 0 ? new BatchBuilder(round % 4 == 0 ? 16 : 4096) : reused;
        reused.reset();
        try (WriteBatch expected = new WriteBatch()) {
          int entries = random.nextInt(40);
          for (int i = 0; i < entries; i++) {
            // The default family (id 0) is written without an id, the others with theirs.
            ColumnFamilyHandle handle = handles.get(random.nextInt(handles.size()));
            int family = handle.getID();
            byte[] key = random(random, 300);
            byte[] value = random(random, 3000);
            switch (random.nextInt(3)) {
              case 0 -> {
                if (random.nextBoolean()) {
                  built.put(family, key, value);
                } else { // the value at the start of a longer buffer, as encoders hand it over
                  built.put(family, key, Arrays.copyOf(value, value.length + 9), value.length);
                }
                expected.put(handle, key, value);
              }
              case 1 -> {
                long suffix = random.nextLong();
                if (random.nextBoolean()) {
                  built.put(family, key, suffix, value);
                } else {
                  built.put(family, key, suffix, Arrays.copyOf(value, value.length + 9), value.length);
                }
                expected.put(handle, key(key, suffix), value);
              }
              default -> {
                built.delete(family, key);
                expected.delete(handle, key);
              }
            }
          }
          assertEquals(entries, built.count());
          assertArrayEquals(expected.data(), built.toBytes(), "round " + round);
          try (WriteBatch fromBytes = built.toWriteBatch()) {
            assertEquals(entries, fromBytes.count());
            assertArrayEquals(expected.data(), fromBytes.data());
          }
        }
      }
    });
  }

  private interface DatabaseUse {
    void accept(RocksDB db, List<ColumnFamilyHandle> handles) throws Exception;
  }

  /** Opens a database with the default column family and three more (ids 0 to 3). */
  private void withDatabase(DatabaseUse use) throws Exception {
    RocksDB.loadLibrary();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (ColumnFamilyOptions cf = new ColumnFamilyOptions();
        DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)) {
      List<ColumnFamilyDescriptor> descriptors = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf),
          new ColumnFamilyDescriptor("a".getBytes(), cf), new ColumnFamilyDescriptor("b".getBytes(), cf),
          new ColumnFamilyDescriptor("c".getBytes(), cf));
      try (RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
        use.accept(db, handles);
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  @Test
  void aBatchBuiltInJavaIsWrittenAndReadBackThroughTheDatabase() throws Exception {
    withDatabase((db, handles) -> {
      try (WriteOptions sync = new WriteOptions().setSync(true)) {
        ColumnFamilyHandle a = handles.get(1);
        ColumnFamilyHandle b = handles.get(2);
        BatchBuilder first = new BatchBuilder();
        first.put(0, "k".getBytes(), "default".getBytes());
        first.put(a.getID(), "run".getBytes(), 7L, "event 7".getBytes());
        first.put(b.getID(), "gone".getBytes(), "soon".getBytes());
        try (WriteBatch batch = first.toWriteBatch()) {
          db.write(sync, batch);
        }
        BatchBuilder second = new BatchBuilder();
        second.delete(b.getID(), "gone".getBytes());
        second.put(b.getID(), "kept".getBytes(), new byte[0]);
        try (WriteBatch batch = second.toWriteBatch()) {
          db.write(sync, batch);
        }
        assertArrayEquals("default".getBytes(), db.get("k".getBytes()));
        assertArrayEquals("event 7".getBytes(), db.get(a, key("run".getBytes(), 7L)));
        assertNull(db.get(b, "gone".getBytes()));
        assertArrayEquals(new byte[0], db.get(b, "kept".getBytes()));
      }
    });
  }
}
