package dev.durable.internal.store.rocks;

import dev.durable.common.DurableException;
import dev.durable.internal.store.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The sequence number of the last write when the store last closed cleanly, kept in
 * {@code db/DURABLE-LAST-SEQUENCE}, and the check that a later open does not recover less.
 *
 * <p>RocksDB reads a MANIFEST that was cut short like one a crash tore: it opens the older state
 * the remaining records describe and deletes the table files written since as obsolete, without
 * an error. After a clean close nothing is left in the write-ahead log to bring their data back,
 * so every event in them would be gone. The check opens the database read-only first (which
 * deletes nothing) and refuses when it recovers fewer writes than the last close recorded.
 */
final class LastSequence {
  static final String FILE = "DURABLE-LAST-SEQUENCE";

  private LastSequence() {}

  /**
   * Fails with DURABLE-303 when the database in {@code dbDir} ends before the recorded last write,
   * or when its MANIFEST no longer lists a table file that was live at the last clean close and is
   * still on disk. The second check matters because every flush record of the MANIFEST carries
   * the latest sequence number: a cut that keeps one of them recovers the full number while
   * losing the files the later records listed.
   */
  static void check(Path dbDir, DBOptions options, List<ColumnFamilyDescriptor> descriptors)
      throws RocksDBException, IOException {
    Path file = dbDir.resolve(FILE);
    if (!Files.exists(file)) {
      return; // a new data dir, a restored backup, or one that never closed cleanly: nothing to compare with
    }
    List<String> lines = Files.readString(file, StandardCharsets.UTF_8).strip().lines().toList();
    long recorded = Long.parseLong(lines.get(0).trim());
    // Files of the last clean close (files written by older versions hold the number only).
    List<String> recordedFiles = lines.subList(1, lines.size());
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (RocksDB db = RocksDB.openReadOnly(options, dbDir.toString(), descriptors, handles)) {
      try {
        long recovered = db.getLatestSequenceNumber();
        List<LiveFileMetaData> live = db.getLiveFilesMetaData();
        Set<String> listed = live.stream().map(f -> f.fileName().replaceFirst("^/", "")).collect(Collectors.toSet());
        // Only files still on disk count: a compaction after the close may have replaced some legitimately.
        boolean lostFiles = recovered == recorded && recordedFiles.stream()
            .anyMatch(f -> !listed.contains(f) && Files.exists(dbDir.resolve(f)));
        if (recovered < recorded || lostFiles) {
          throw rolledBack(dbDir, file, recorded, recovered, live);
        }
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }

  private static DurableException rolledBack(Path dbDir, Path file, long recorded, long recovered,
      List<LiveFileMetaData> live) throws IOException {
    Set<String> listed = live.stream().map(f -> f.fileName().replaceFirst("^/", "")).collect(Collectors.toSet());
    String manifest = Files.readString(dbDir.resolve("CURRENT"), StandardCharsets.UTF_8).trim();
    List<String> unlisted;
    try (Stream<Path> files = Files.list(dbDir)) {
      unlisted = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sst") && !listed.contains(n)).sorted().toList();
    }
    return new DurableException("DURABLE-303", "the data in " + dbDir + " is damaged and the server will not start"
        + " rather than lose events: " + (recovered < recorded ? "it ends at write " + recovered + ", but the server"
        + " last closed at write " + recorded + " (" + file + ")" : "table files that were live when the server last"
        + " closed (" + file + ") are no longer part of it") + ". The file " + dbDir.resolve(manifest) + " was cut short or replaced by an older"
        + " copy" + (unlisted.isEmpty() ? "" : "; it does not list the table files " + unlisted + ", which hold the"
        + " missing events") + ". Keep the damaged directory for analysis (RocksDB's 'ldb repair' can rebuild a"
        + " MANIFEST from the table files) and start the server on the latest backup (DurableServer.backup); runs"
        + " started after that backup are lost. If you put an older copy of the data dir here on purpose, delete "
        + file + ". See docs/operations.md.");
  }

  /**
   * Records {@code sequence} as the last write, and the live table files; called after
   * everything was flushed at close.
   */
  static void record(Path dbDir, long sequence, List<String> liveFiles) throws IOException {
    Path file = dbDir.resolve(FILE);
    Path next = dbDir.resolve(FILE + ".next");
    try (FileChannel ch = FileChannel.open(next, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING), OwnerOnly.fileAttributes())) {
      StringBuilder text = new StringBuilder().append(sequence).append('\n');
      liveFiles.forEach(f -> text.append(f.replaceFirst("^/", "")).append('\n'));
      ch.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    // Atomic: a crash leaves the old value, which is lower and so still a safe bound.
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
