package dev.durable.internal.store.rocks;

import dev.durable.common.DurableException;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.store.DataDirLock;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.StoreCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The embedded store on RocksDB. One column family per kind of record; history keys are the run
 * id followed by the big-endian event id, so a history read is one range scan. Concurrent synced
 * writes share fsyncs through RocksDB's write-group leader (group commit).
 */
public final class RocksStore implements Store {
  private static final byte[] EMPTY = new byte[0];

  private final Path dir;
  private final DataDirLock lock;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle executions;
  private final ColumnFamilyHandle history;
  private final ColumnFamilyHandle workflowIds;
  private final ColumnFamilyHandle open;
  private final WriteOptions syncWrite;
  private final WriteOptions asyncWrite;

  private RocksStore(Path dir, DataDirLock lock, DBOptions dbOptions, ColumnFamilyOptions cfOptions, RocksDB db,
      List<ColumnFamilyHandle> handles, boolean sync) {
    this.dir = dir;
    this.lock = lock;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.db = db;
    this.handles = handles;
    this.executions = handles.get(1);
    this.history = handles.get(2);
    this.workflowIds = handles.get(3);
    this.open = handles.get(4);
    this.syncWrite = new WriteOptions().setSync(sync);
    this.asyncWrite = new WriteOptions().setSync(false);
  }

  /**
   * Opens (creating if needed) the store in {@code dir}.
   *
   * @param sync whether durable writes wait for the WAL to be synced (durability SYNC)
   */
  public static RocksStore open(Path dir, boolean sync) {
    RocksDB.loadLibrary();
    DataDirLock lock = DataDirLock.acquire(dir);
    Path dbDir = dir.resolve("db");
    DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setParanoidChecks(true)
        // Every acknowledged write was synced, so only a torn, never-acknowledged tail record may be
        // dropped; any other WAL damage stops the open instead of silently losing events.
        .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
        .setKeepLogFileNum(5);
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
        new ColumnFamilyDescriptor(bytes("executions"), cfOptions),
        new ColumnFamilyDescriptor(bytes("history"), cfOptions),
        new ColumnFamilyDescriptor(bytes("workflow_ids"), cfOptions),
        new ColumnFamilyDescriptor(bytes("open"), cfOptions));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      Files.createDirectories(dbDir);
      RocksDB db = RocksDB.open(dbOptions, dbDir.toString(), descriptors, handles);
      return new RocksStore(dir, lock, dbOptions, cfOptions, db, handles, sync);
    } catch (RocksDBException e) {
      lock.close();
      dbOptions.close();
      cfOptions.close();
      throw openFailure(dbDir, e);
    } catch (java.io.IOException e) {
      lock.close();
      throw new DurableException("DURABLE-302", "cannot create data dir " + dbDir + ": " + e, e);
    }
  }

  private static DurableException openFailure(Path dbDir, RocksDBException e) {
    Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
    if (code == Status.Code.Corruption) {
      return new DurableException("DURABLE-303", "the data in " + dbDir + " is damaged and the server will not start"
          + " rather than lose events: " + e.getMessage() + ". Restore the data dir from a backup"
          + " (DurableServer.backup / a copy of a checkpoint); see docs/operations.md.", e);
    }
    return new DurableException("DURABLE-302", "cannot open the store in " + dbDir + ": " + e.getMessage()
        + ". Check the directory's permissions and free space.", e);
  }

  @Override
  public void apply(Transition t) {
    ExecutionState s = t.state();
    byte[] run = bytes(s.runId);
    try (WriteBatch batch = new WriteBatch()) {
      for (HistoryEvent e : t.newEvents()) {
        batch.put(history, historyKey(run, e.eventId()), StoreCodec.encode(e));
      }
      batch.put(executions, run, StoreCodec.encode(s));
      if (t.newRun()) {
        batch.put(workflowIds, bytes(s.workflowId), run);
      }
      if (s.status.isClosed()) {
        batch.delete(open, run);
      } else if (t.newRun()) {
        batch.put(open, run, EMPTY);
      }
      db.write(t.durable() ? syncWrite : asyncWrite, batch);
    } catch (RocksDBException e) {
      throw new DurableException("DURABLE-302", "writing workflow '" + s.workflowId + "' (run " + s.runId + ") to "
          + dir + " failed: " + e.getMessage() + ". Nothing of this change was recorded; the call can be retried"
          + " once the cause (often a full disk) is fixed.", e);
    }
  }

  @Override
  public List<HistoryEvent> readHistory(String runId, long fromEventId) {
    byte[] run = bytes(runId);
    List<HistoryEvent> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(history)) {
      for (it.seek(historyKey(run, fromEventId)); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (key.length != run.length + 8 || !Arrays.equals(key, 0, run.length, run, 0, run.length)) {
          break;
        }
        out.add(StoreCodec.decodeEvent(it.value(), "run " + runId + " event " + ByteBuffer.wrap(key, run.length, 8).getLong()));
      }
      check(it);
    }
    return out;
  }

  @Override
  public Optional<HistoryEvent> readEvent(String runId, long eventId) {
    byte[] v = get(history, historyKey(bytes(runId), eventId));
    return v == null ? Optional.empty() : Optional.of(StoreCodec.decodeEvent(v, "run " + runId + " event " + eventId));
  }

  @Override
  public Optional<ExecutionState> readExecution(String runId) {
    byte[] v = get(executions, bytes(runId));
    return v == null ? Optional.empty() : Optional.of(StoreCodec.decodeState(v, "run " + runId));
  }

  @Override
  public Optional<String> currentRunId(String workflowId) {
    byte[] v = get(workflowIds, bytes(workflowId));
    return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
  }

  @Override
  public void forEachOpenExecution(Consumer<ExecutionState> consumer) {
    try (RocksIterator it = db.newIterator(open)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        String runId = new String(it.key(), StandardCharsets.UTF_8);
        readExecution(runId).ifPresent(consumer);
      }
      check(it);
    }
  }

  @Override
  public void forEachExecution(Consumer<ExecutionState> consumer) {
    try (RocksIterator it = db.newIterator(executions)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        consumer.accept(StoreCodec.decodeState(it.value(), "run " + new String(it.key(), StandardCharsets.UTF_8)));
      }
      check(it);
    }
  }

  @Override
  public void backup(Path target) {
    try {
      // A checkpoint creates only its own last directory, so target (which must not exist) is made here.
      Path absolute = target.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      Files.createDirectory(absolute);
    } catch (java.io.IOException e) {
      throw new DurableException("DURABLE-302", "backup of " + dir + " into " + target + " failed: cannot create the"
          + " target: " + e + ". The target directory must not exist yet and must be on a writable disk.", e);
    }
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(target.resolve("db").toString());
    } catch (RocksDBException e) {
      throw new DurableException("DURABLE-302", "backup of " + dir + " into " + target + " failed: " + e.getMessage()
          + ". The target directory must not exist yet and must be on a writable disk.", e);
    }
  }

  @Override
  public void close() {
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      // closing: synced writes are already on disk, and async ones are allowed to be lost
    }
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    syncWrite.close();
    asyncWrite.close();
    dbOptions.close();
    cfOptions.close();
    lock.close();
  }

  private byte[] get(ColumnFamilyHandle cf, byte[] key) {
    try {
      return db.get(cf, key);
    } catch (RocksDBException e) {
      throw new DurableException("DURABLE-302", "reading from " + dir + " failed: " + e.getMessage(), e);
    }
  }

  private void check(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw new DurableException("DURABLE-302", "reading from " + dir + " failed: " + e.getMessage(), e);
    }
  }

  private static byte[] historyKey(byte[] run, long eventId) {
    return ByteBuffer.allocate(run.length + 8).put(run).putLong(eventId).array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
