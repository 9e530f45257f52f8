package dev.durable.internal.store.rocks;

import dev.durable.common.DurableException;
import dev.durable.internal.LazyLogger;
import dev.durable.internal.Slots;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.RunSummary;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.store.DataDirLock;
import dev.durable.internal.store.LatestRuns;
import dev.durable.internal.store.OwnerOnly;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.StoreCodec;
import dev.durable.internal.store.SyncTracker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
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
  private static final System.Logger LOG = LazyLogger.of(RocksStore.class);
  /** Key in the default column family: present once the listing indexes are complete. */
  private static final byte[] VISIBILITY_VERSION = bytes("visibility-version");
  /** Column families added for listing; data dirs of older versions lack them. */
  private static final List<String> LISTING_FAMILIES = List.of("visibility", "summaries");

  private final Path dir;
  private final DataDirLock lock;
  private final DBOptions dbOptions;
  private final List<ColumnFamilyDescriptor> descriptors;
  // Replaced when the database is reopened after a failed write; guarded by 'access'.
  private RocksDB db;
  private List<ColumnFamilyHandle> handles;
  private ColumnFamilyHandle executions;
  private ColumnFamilyHandle history;
  private ColumnFamilyHandle workflowIds;
  private ColumnFamilyHandle open;
  private ColumnFamilyHandle visibility;
  private ColumnFamilyHandle summaries;
  // The families' ids, for batches built in Java (BatchBuilder); RocksDB keeps them in its MANIFEST.
  private int executionsId;
  private int historyId;
  private int workflowIdsId;
  private int openId;
  private int visibilityId;
  private int summariesId;
  /** Every use of the database holds the read lock; reopening it holds the write lock. */
  private final java.util.concurrent.locks.ReentrantReadWriteLock access = new java.util.concurrent.locks.ReentrantReadWriteLock();
  /** Set when a write failed: RocksDB then refuses every write until it is reopened. */
  private volatile boolean needsReopen;
  /** Durability SYNC: durable writes are synced. */
  private final boolean sync;
  private final WriteOptions syncWrite;
  private final WriteOptions asyncWrite;
  /** Which writes the synced writes and syncs carried to disk (only under durability SYNC). */
  private final SyncTracker syncs = new SyncTracker();
  /** What the listing indexes hold for the open runs written since the open, so a write need not read it. */
  private final IndexedSummaries indexed = new IndexedSummaries();
  /** The latest run of the workflow ids whose runs were written since the open, so a lookup need not read it. */
  private final LatestRuns latest = new LatestRuns();
  /** Deleted runs after which their keys are compacted (see {@link #deleted}). */
  static final int COMPACT_AFTER_DELETES = 1_000;
  private final Object compaction = new Object();
  // Guarded by compaction: the runs deleted since the last compaction, and the compaction running.
  private byte[] deletedFrom;
  private byte[] deletedTo;
  private int deletedSinceCompaction;
  private long deletedIndexKeys;
  private Thread compactor;
  private CompactRangeOptions compacting;
  private volatile boolean closing; // read by the compaction under the access lock too
  /** Buffers of finished writes, for the next ones (see {@link WriteScratch}). */
  private final Slots<WriteScratch> writeScratch = new Slots<>(16);

  private RocksStore(Path dir, DataDirLock lock, DBOptions dbOptions, List<ColumnFamilyDescriptor> descriptors,
      RocksDB db, List<ColumnFamilyHandle> handles, boolean sync) {
    this.dir = dir;
    this.lock = lock;
    this.dbOptions = dbOptions;
    this.descriptors = descriptors;
    use(db, handles);
    this.sync = sync;
    this.syncWrite = new WriteOptions().setSync(sync);
    this.asyncWrite = new WriteOptions().setSync(false);
  }

  /**
   * Opens (creating if needed) the store in {@code dir}.
   *
   * @param sync whether durable writes wait for the WAL to be synced (durability SYNC)
   */
  public static RocksStore open(Path dir, boolean sync) {
    // The codec is loaded on another core while RocksDB loads and opens (its first use waits for it
    // if need be).
    ForkJoinPool.commonPool().execute(StoreCodec::load);
    NativeLibrary.load();
    DataDirLock lock = DataDirLock.acquire(dir);
    Path dbDir = dir.resolve("db");
    DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setParanoidChecks(true)
        // Every acknowledged write was synced, so only a torn, never-acknowledged tail record may be
        // dropped; any other WAL damage stops the open instead of silently losing events.
        .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
        .setKeepLogFileNum(5)
        // Tuned for few cores (see docs/performance.md); neither changes what is written, when it is
        // synced or when a write returns. The leader of a write group inserts the whole group into
        // the memtables itself, rather than handing each waiting writer its own batch to insert in
        // parallel and waiting for all of them; and writers waiting for their group block at once
        // instead of spinning and yielding first.
        .setAllowConcurrentMemtableWrite(false)
        .setEnableWriteThreadAdaptiveYield(false);
    ColumnFamilyOptions cfOptions = compression(new ColumnFamilyOptions());
    // Every start of a new workflow id looks up a key that is not there. A bloom filter (10 bits a
    // key, about 1 % false positives) answers most such lookups from memory instead of searching
    // every table file: 10 µs -> 0.7 µs per missing key with 2 million ids in 8 files (performance.md).
    // The block cache is RocksDB's default (32 MB), which the Java config's own default (8 MB) would
    // replace.
    ColumnFamilyOptions idOptions = compression(new ColumnFamilyOptions());
    try (BloomFilter bloom = new BloomFilter(10, false)) { // the table factory keeps its own reference
      idOptions.setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom).setBlockCacheSize(32L << 20));
    }
    List<ColumnFamilyDescriptor> descriptors = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
        new ColumnFamilyDescriptor(bytes("executions"), cfOptions),
        new ColumnFamilyDescriptor(bytes("history"), cfOptions),
        new ColumnFamilyDescriptor(bytes("workflow_ids"), idOptions),
        new ColumnFamilyDescriptor(bytes("open"), cfOptions),
        new ColumnFamilyDescriptor(bytes("visibility"), cfOptions),
        new ColumnFamilyDescriptor(bytes("summaries"), cfOptions));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = null;
    try {
      OwnerOnly.restrictDirectory(dbDir);
      LastSequence.check(dbDir, dbOptions, existing(dbDir, descriptors));
      db = RocksDB.open(dbOptions, dbDir.toString(), descriptors, handles);
      // Opening checks the WAL, the MANIFEST and the size of every table file, but reads a table's
      // data blocks only when a key in them is read: a damaged block of an old history would stay
      // unnoticed until someone reads it. Reading every block once now makes start() refuse it.
      db.verifyChecksum();
      RocksStore store = new RocksStore(dir, lock, dbOptions, descriptors, db, handles, sync);
      store.buildMissingIndexes();
      return store;
    } catch (RocksDBException | java.io.IOException | RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      if (db != null) {
        db.close();
      }
      lock.close();
      dbOptions.close();
      closeOptions(descriptors);
      if (e instanceof RocksDBException r) {
        throw openFailure(dbDir, r);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new DurableException("DURABLE-302", "cannot open the store in " + dbDir + ": " + e
          + ". Check the directory's permissions and free space.", e);
    }
  }

  /**
   * Table files of level 0 (each a flushed memtable, merged into the next level soon after) are
   * written uncompressed, every other level with LZ4 rather than RocksDB's default, Snappy
   * (RocksDB's documentation finds LZ4 almost always better): compressing the flushes was 5 – 8 %
   * of a busy engine's CPU (docs/performance.md, "Thirteenth round"). Blocks record how they are
   * compressed, so files written before with Snappy stay readable, and are rewritten with LZ4 as
   * compactions reach them.
   */
  private static ColumnFamilyOptions compression(ColumnFamilyOptions options) {
    List<CompressionType> levels = new ArrayList<>();
    levels.add(CompressionType.NO_COMPRESSION);
    while (levels.size() < options.numLevels()) {
      levels.add(CompressionType.LZ4_COMPRESSION);
    }
    return options.setCompressionPerLevel(levels);
  }

  /**
   * The descriptors without the listing families when the data dir lacks them (written by an
   * older version): a read-only open fails on a family that does not exist.
   */
  private static List<ColumnFamilyDescriptor> existing(Path dbDir, List<ColumnFamilyDescriptor> descriptors) {
    if (!Files.exists(dbDir.resolve("CURRENT"))) {
      return descriptors;
    }
    List<byte[]> names;
    try (org.rocksdb.Options listOptions = new org.rocksdb.Options()) {
      names = RocksDB.listColumnFamilies(listOptions, dbDir.toString());
    } catch (RocksDBException e) {
      return descriptors; // a damaged MANIFEST: the open that follows reports it
    }
    return descriptors.stream().filter(d -> !LISTING_FAMILIES.contains(new String(d.getName(), StandardCharsets.UTF_8))
        || names.stream().anyMatch(n -> Arrays.equals(n, d.getName()))).toList();
  }

  /**
   * Builds the listing indexes of a data dir written by a version without them (a one-time
   * migration, logged). A marker records that they are complete; a crash during the build
   * leaves no marker, and the next open builds again (each step replaces what it wrote).
   */
  private void buildMissingIndexes() throws RocksDBException {
    if (db.get(VISIBILITY_VERSION) != null) {
      return;
    }
    long runs = 0;
    try (RocksIterator it = db.newIterator(executions)) {
      BatchBuilder batch = new BatchBuilder();
      for (it.seekToFirst(); it.isValid(); it.next()) {
        ExecutionState s = StoreCodec.decodeState(it.value(), "run " + new String(it.key(), StandardCharsets.UTF_8));
        VisibilityIndex.update(db, summaries, visibilityId, summariesId, batch, s, false);
        runs++;
        if (runs % 1000 == 0) {
          write(syncWrite, batch);
          batch = new BatchBuilder();
        }
      }
      it.status();
      batch.put(0, VISIBILITY_VERSION, bytes("1"));
      write(syncWrite, batch);
    }
    if (runs > 0) {
      LOG.log(System.Logger.Level.INFO, "built the listing indexes of {0} runs in {1}: the data dir was written by"
          + " a version without them (a one-time migration)", runs, dir);
    }
  }

  private static DurableException openFailure(Path dbDir, RocksDBException e) {
    if (isCorruption(e)) {
      return new DurableException("DURABLE-303", "the data in " + dbDir + " is damaged and the server will not start"
          + " rather than lose events: " + String.valueOf(e.getMessage()).strip().replaceAll("\\.+$", "")
          + damagedFile(dbDir, e) + ". Keep the damaged directory"
          + " for analysis and start the server on the latest backup (DurableServer.backup); runs started after"
          + " that backup are lost. See docs/operations.md.", e);
    }
    return new DurableException("DURABLE-302", "cannot open the store in " + dbDir + ": " + e.getMessage()
        + ". Check the directory's permissions and free space.", e);
  }

  private static boolean isCorruption(RocksDBException e) {
    return e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption;
  }

  /**
   * Names the file when RocksDB's message does not: it leaves the path out of errors found while
   * replaying the write-ahead log (such as "bad record length").
   */
  private static String damagedFile(Path dbDir, RocksDBException e) {
    if (String.valueOf(e.getMessage()).contains(dbDir.toString())) {
      return "";
    }
    try (var files = Files.list(dbDir)) {
      List<String> logs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).sorted().toList();
      return logs.isEmpty() ? "" : " (found while replaying the write-ahead log: " + logs.stream()
          .map(n -> dbDir.resolve(n).toString()).collect(Collectors.joining(", ")) + ")";
    } catch (java.io.IOException io) {
      return "";
    }
  }

  /** Fails when a reopen left no database (not even a read-only one). Call with the lock held. */
  private void checkOpen() {
    if (db == null) {
      throw new DurableException("DURABLE-302", "the store in " + dir + " could not be reopened after a failed write;"
          + " free disk space (or fix the I/O error): the next write tries again.");
    }
  }

  private void use(RocksDB newDb, List<ColumnFamilyHandle> newHandles) {
    this.db = newDb;
    this.handles = newHandles;
    this.executions = newHandles.get(1);
    this.history = newHandles.get(2);
    this.workflowIds = newHandles.get(3);
    this.open = newHandles.get(4);
    this.visibility = newHandles.get(5);
    this.summaries = newHandles.get(6);
    this.executionsId = executions.getID();
    this.historyId = history.getID();
    this.workflowIdsId = workflowIds.getID();
    this.openId = open.getID();
    this.visibilityId = visibility.getID();
    this.summariesId = summaries.getID();
  }

  /**
   * After a failed write RocksDB refuses all writes until it is reopened (RocksJava has no
   * resume): reopen it, so that writes work again as soon as the cause (a full disk) is gone.
   * Nothing acknowledged is lost: what the log holds is replayed by the open.
   */
  private void reopenAfterFailedWrite() {
    access.writeLock().lock();
    try {
      if (!needsReopen) {
        return;
      }
      if (db != null) {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
      }
      List<ColumnFamilyHandle> newHandles = new ArrayList<>();
      indexed.clear();
      latest.clear();
      try {
        use(RocksDB.open(dbOptions, dir.resolve("db").toString(), descriptors, newHandles), newHandles);
        needsReopen = false;
      } catch (RocksDBException e) {
        newHandles.forEach(ColumnFamilyHandle::close);
        // Reads need a database too: a read-only one serves them until the next attempt succeeds.
        List<ColumnFamilyHandle> readOnly = new ArrayList<>();
        try {
          use(RocksDB.openReadOnly(dbOptions, dir.resolve("db").toString(), descriptors, readOnly), readOnly);
        } catch (RocksDBException again) {
          e.addSuppressed(again);
          db = null; // no database at all until a reopen succeeds: calls fail with DURABLE-302
        }
        throw new DurableException("DURABLE-302", "the store in " + dir + " still cannot take writes: " + e.getMessage()
            + ". Nothing of this change was recorded; free disk space (or fix the I/O error) and the next call"
            + " writes again.", e);
      }
    } finally {
      access.writeLock().unlock();
    }
  }

  @Override
  public long apply(Transition t) {
    if (needsReopen) {
      reopenAfterFailedWrite();
    }
    access.readLock().lock();
    try {
      checkOpen();
      return write(t);
    } finally {
      access.readLock().unlock();
    }
  }

  @Override
  public long applyAll(List<Transition> transitions) {
    if (needsReopen) {
      reopenAfterFailedWrite();
    }
    access.readLock().lock();
    try {
      checkOpen();
      return write(transitions);
    } finally {
      access.readLock().unlock();
    }
  }

  @Override
  public long syncMark() {
    return syncs.mark();
  }

  @Override
  public boolean awaitSynced(long mark, Duration patience) {
    if (!sync || syncs.await(mark, patience.toNanos())) {
      return false;
    }
    access.readLock().lock();
    try {
      checkOpen();
      long syncing = syncs.begin();
      db.syncWal();
      syncs.finished(syncing);
      return true;
    } catch (RocksDBException e) {
      throw new DurableException("DURABLE-302", "syncing the write-ahead log in " + dir + " failed: " + e.getMessage()
          + ". What was written since the last synced write may be lost in a crash. Fix the cause (often a failing"
          + " disk).", e);
    } finally {
      access.readLock().unlock();
    }
  }

  private long write(Transition t) {
    return write(List.of(t));
  }

  /**
   * Writes the transitions in one batch, in order (a later one's workflow id mapping wins); returns
   * the sync mark taken right after the write, so that a sync another thread begins as soon as the
   * write shows counts for it.
   */
  private long write(List<Transition> transitions) {
    ExecutionState s = transitions.get(0).state();
    boolean durable = false;
    // The summaries this batch gives its runs, in order: a second transition of a run diffs against the first.
    Map<String, RunSummary> batchSummaries = new HashMap<>(4);
    boolean written = false;
    try {
      WriteScratch scratch = writeScratch.take();
      if (scratch == null) {
        scratch = new WriteScratch();
      }
      BatchBuilder batch = scratch.batch;
      for (Transition t : transitions) {
        put(batch, scratch.encoder, t, batchSummaries);
        durable |= t.durable();
      }
      long syncing = durable && sync ? syncs.begin() : 0;
      write(durable ? syncWrite : asyncWrite, batch);
      long mark = syncs.mark();
      written = true;
      // Kept only after a write that went through (a failed encoding may leave the encoder mid-record),
      // and only while small: one large write must not hold its memory for good.
      if (batch.capacity() <= SCRATCH_KEPT_UP_TO) {
        batch.reset();
        writeScratch.give(scratch);
      }
      if (syncing != 0) {
        syncs.finished(syncing);
      }
      return mark;
    } catch (RocksDBException e) {
      // RocksDB refuses every later write once one failed to reach its write-ahead log, until it is reopened.
      needsReopen = true;
      throw new DurableException("DURABLE-302", "writing workflow '" + s.workflowId + "' (run " + s.runId + ") to "
          + dir + " failed: " + e.getMessage() + ". Nothing of this change was recorded. Fix the cause (often a full"
          + " disk); the store reopens itself on the next write, and everything acknowledged before is kept.", e);
    } finally {
      if (written) {
        indexed.recorded(batchSummaries);
        latest.recorded(transitions);
      } else {
        // A failed write may still have been recorded: forget these runs, the next write reads what is stored.
        transitions.forEach(t -> indexed.forget(t.state().runId));
        latest.forget(transitions);
      }
    }
  }

  /**
   * The batch buffer and record encoder of one write, reused by later writes instead of allocated
   * for each (a 4 KB batch buffer and a 2 KB encoding buffer per transition otherwise).
   */
  private static final class WriteScratch {
    final BatchBuilder batch = new BatchBuilder();
    final StoreCodec.Encoder encoder = StoreCodec.encoder();
  }

  /**
   * The largest batch buffer kept for reuse. The encoder's buffer is at most about twice the
   * largest record it encoded, and each record went into the batch, so it stays small too.
   */
  private static final int SCRATCH_KEPT_UP_TO = 64 * 1024;

  /** Writes a batch built in Java: one JNI call to hand it over instead of one per key. */
  private void write(WriteOptions options, BatchBuilder batch) throws RocksDBException {
    try (WriteBatch rocks = batch.toWriteBatch()) {
      db.write(options, rocks);
    }
  }

  private void put(BatchBuilder batch, StoreCodec.Encoder encoder, Transition t, Map<String, RunSummary> batchSummaries)
      throws RocksDBException {
    ExecutionState s = t.state();
    byte[] run = bytes(s.runId);
    for (HistoryEvent e : t.newEvents()) {
      int length = encoder.encodeInPlace(e); // first: the buffer may grow while it encodes
      batch.put(historyId, run, e.eventId(), encoder.buffer(), length);
    }
    int length = encoder.encodeInPlace(s);
    batch.put(executionsId, run, encoder.buffer(), length);
    if (t.newRun()) {
      batch.put(workflowIdsId, bytes(s.workflowId), run);
    }
    if (!Store.toRecover(s)) {
      batch.delete(openId, run);
    } else if (t.newRun() || s.status.isClosed()) { // a closed run with a request to deliver: rare
      batch.put(openId, run, EMPTY);
    }
    RunSummary now = RunSummary.of(s);
    VisibilityIndex.update(visibilityId, summariesId, batch, encoder, now, indexedBefore(t, batchSummaries));
    batchSummaries.put(s.runId, now);
  }

  /**
   * What the listing indexes hold for the transition's run before it: nothing for a new run, else
   * what an earlier transition of this batch gives it, what the last write left, or what is stored.
   */
  private RunSummary indexedBefore(Transition t, Map<String, RunSummary> batchSummaries) throws RocksDBException {
    String runId = t.state().runId;
    if (t.newRun()) {
      return null;
    }
    if (batchSummaries.containsKey(runId)) {
      return batchSummaries.get(runId);
    }
    RunSummary known = indexed.get(runId);
    return known != null ? known : VisibilityIndex.stored(db, summaries, runId);
  }

  /** Returns how many runs' listing summaries are known without a read (for tests). */
  int knownSummaries() {
    return indexed.size();
  }

  /** Returns how many workflow ids' latest runs are known without a read (for tests). */
  int knownLatestRuns() {
    return latest.size();
  }

  /** Reads the latest run of a workflow id from the database, whatever is known in memory. */
  Optional<String> storedRunId(String workflowId) {
    byte[] v = get(() -> workflowIds, bytes(workflowId));
    return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
  }

  @Override
  public List<HistoryEvent> readHistory(String runId, long fromEventId) {
    access.readLock().lock();
    try {
      checkOpen();
      byte[] run = bytes(runId);
      List<byte[]> values = new ArrayList<>();
      scanHistory(run, fromEventId, it -> values.add(it.value()));
      return StoreCodec.decodeEvents(values, i -> "run " + runId + " event " + eventIdAt(run, fromEventId, i));
    } finally {
      access.readLock().unlock();
    }
  }

  /**
   * Calls {@code each} at every stored event of {@code run} from {@code fromEventId} on, in order.
   * The bound ends the scan at the run's last possible event: no key has to be read and compared
   * (run ids are UUIDs, all of one length, so no other run's keys fall in between). Call with the
   * access lock held.
   */
  private void scanHistory(byte[] run, long fromEventId, java.util.function.Consumer<RocksIterator> each) {
    try (Slice bound = new Slice(historyKey(run, Long.MAX_VALUE));
        ReadOptions options = new ReadOptions().setIterateUpperBound(bound);
        RocksIterator it = db.newIterator(history, options)) {
      for (it.seek(historyKey(run, fromEventId)); it.isValid(); it.next()) {
        each.accept(it);
      }
      check(it);
    }
  }

  /** The id of the {@code index}-th stored event of {@code run} from {@code fromEventId} on: for messages. */
  private long eventIdAt(byte[] run, long fromEventId, int index) {
    try (RocksIterator it = db.newIterator(history)) {
      it.seek(historyKey(run, fromEventId));
      for (int i = 0; i < index && it.isValid(); i++) {
        it.next();
      }
      byte[] key = it.isValid() ? it.key() : null;
      return key != null && key.length == run.length + 8 ? ByteBuffer.wrap(key, run.length, 8).getLong() : -1;
    }
  }

  @Override
  public Optional<HistoryEvent> readEvent(String runId, long eventId) {
    byte[] v = get(() -> history, historyKey(bytes(runId), eventId));
    return v == null ? Optional.empty() : Optional.of(StoreCodec.decodeEvent(v, "run " + runId + " event " + eventId));
  }

  @Override
  public Optional<ExecutionState> readExecution(String runId) {
    byte[] v = get(() -> executions, bytes(runId));
    return v == null ? Optional.empty() : Optional.of(StoreCodec.decodeState(v, "run " + runId));
  }

  @Override
  public Optional<String> currentRunId(String workflowId) {
    String known = latest.get(workflowId);
    return known != null ? Optional.of(known) : storedRunId(workflowId);
  }

  /** Open runs read before their states are decoded and handed on, at start-up. */
  private static final int RECOVERY_CHUNK = 4_096;

  @Override
  public void forEachRunToRecover(Consumer<ExecutionState> consumer) {
    access.readLock().lock();
    try {
      checkOpen();
      // Read in order, decoded a chunk at a time on all cores (decoding is most of a recovery),
      // handed to the consumer in order.
      List<String> runIds = new ArrayList<>();
      List<byte[]> states = new ArrayList<>();
      try (RocksIterator it = db.newIterator(open)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          String runId = new String(it.key(), StandardCharsets.UTF_8);
          byte[] state = get(() -> executions, bytes(runId));
          if (state != null) {
            runIds.add(runId);
            states.add(state);
          }
          if (states.size() == RECOVERY_CHUNK) {
            handOn(runIds, states, consumer);
          }
        }
        check(it);
      }
      handOn(runIds, states, consumer);
    } finally {
      access.readLock().unlock();
    }
  }

  /**
   * Decodes the states read so far on all cores, hands them to {@code consumer} in order and
   * empties both lists. With none it does nothing: the codec may still be loading on another core
   * (see {@link #open}), and a recovery with no open runs need not wait for it.
   */
  private static void handOn(List<String> runIds, List<byte[]> states, Consumer<ExecutionState> consumer) {
    if (!states.isEmpty()) {
      StoreCodec.decodeStates(states, i -> "run " + runIds.get(i)).forEach(consumer);
      runIds.clear();
      states.clear();
    }
  }

  @Override
  public void forEachExecution(Consumer<ExecutionState> consumer) {
    access.readLock().lock();
    try {
      checkOpen();
      try (RocksIterator it = db.newIterator(executions)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          consumer.accept(StoreCodec.decodeState(it.value(), "run " + new String(it.key(), StandardCharsets.UTF_8)));
        }
        check(it);
      }
    } finally {
      access.readLock().unlock();
    }
  }

  @Override
  public VisibilityPage listRuns(VisibilityQuery query) {
    return readIndexes(index -> index.list(query));
  }

  @Override
  public long countRuns(VisibilityQuery query) {
    return readIndexes(index -> index.count(query));
  }

  @Override
  public List<String> verifyIndexes(ExecutionState state) {
    return readIndexes(index -> index.verify(state));
  }

  /** A read of the listing indexes. */
  private interface IndexRead<T> {
    T apply(VisibilityIndex index) throws RocksDBException;
  }

  private <T> T readIndexes(IndexRead<T> read) {
    access.readLock().lock();
    try {
      checkOpen();
      return read.apply(new VisibilityIndex(db, visibility, summaries));
    } catch (RocksDBException e) {
      throw readFailure(e);
    } finally {
      access.readLock().unlock();
    }
  }

  @Override
  public List<ClosedRun> closedRuns(Instant closedBy, ClosedRun after, int limit) {
    return readIndexes(index -> index.closedRuns(closedBy, after, limit));
  }

  @Override
  public boolean deleteRun(String runId) {
    if (needsReopen) {
      reopenAfterFailedWrite();
    }
    access.readLock().lock();
    try {
      checkOpen();
      byte[] run = bytes(runId);
      // The summary is what the indexes hold, and says all this needs: far cheaper to decode than the
      // state, which is read only for a run without one (a data dir whose indexes were never built).
      RunSummary summary = VisibilityIndex.stored(db, summaries, runId);
      if (summary == null) {
        byte[] state = db.get(executions, run);
        if (state == null) {
          return false;
        }
        summary = RunSummary.of(StoreCodec.decodeState(state, "run " + runId));
      }
      if (!summary.status().isClosed()) {
        throw new DurableException("DURABLE-229", "run " + runId + " of workflow '" + summary.workflowId()
            + "' is still running, so it cannot be deleted. Terminate it first, or wait for it to close.");
      }
      BatchBuilder batch = new BatchBuilder();
      batch.delete(executionsId, run);
      scanHistory(run, 0, it -> batch.delete(historyId, it.key()));
      Set<ByteBuffer> indexKeys = VisibilityIndex.keys(summary);
      for (ByteBuffer key : indexKeys) {
        batch.delete(visibilityId, key.array());
      }
      batch.delete(summariesId, run);
      byte[] workflowId = bytes(summary.workflowId());
      boolean latestRun = Arrays.equals(db.get(workflowIds, workflowId), run);
      if (latestRun) {
        batch.delete(workflowIdsId, workflowId);
      }
      try {
        write(asyncWrite, batch);
      } catch (RocksDBException e) {
        needsReopen = true;
        throw new DurableException("DURABLE-302", "deleting run " + runId + " from " + dir + " failed: "
            + e.getMessage() + ". Nothing of it was deleted. Fix the cause (often a full disk).", e);
      }
      indexed.forget(runId);
      if (latestRun) {
        latest.forget(summary.workflowId(), runId);
      }
      deleted(run, indexKeys.size());
      return true;
    } catch (RocksDBException e) {
      throw readFailure(e);
    } finally {
      access.readLock().unlock();
    }
  }

  @Override
  public void backup(Path target) {
    try {
      // A checkpoint creates only its own last directory, so target (which must not exist) is made here.
      Path absolute = target.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      OwnerOnly.createDirectory(absolute);
    } catch (java.io.IOException e) {
      throw new DurableException("DURABLE-302", "backup of " + dir + " into " + target + " failed: cannot create the"
          + " target: " + e + ". The target directory must not exist yet and must be on a writable disk.", e);
    }
    access.readLock().lock();
    try {
      checkOpen();
      try (Checkpoint cp = Checkpoint.create(db)) {
        cp.createCheckpoint(target.resolve("db").toString());
      } catch (RocksDBException e) {
        throw new DurableException("DURABLE-302", "backup of " + dir + " into " + target + " failed: " + e.getMessage()
            + ". The target directory must not exist yet and must be on a writable disk.", e);
      }
    } finally {
      access.readLock().unlock();
    }
  }

  /**
   * Notes a deleted run for the compaction that reclaims its space. Deletions are markers
   * (tombstones) until a compaction brings them together with the keys they delete, and RocksDB
   * compacts old data rarely (a small data dir's table files may never be compacted). Run ids
   * grow with time, so the runs a retention sweep deletes have neighbouring keys: after every
   * {@value #COMPACT_AFTER_DELETES} deletions a background thread compacts the range of their
   * histories, states and summaries, which drops them from disk. Their listing entries are spread
   * over the whole index, which is compacted whole once the entries deleted since it last was are a
   * quarter of what it holds.
   */
  private void deleted(byte[] run, int indexKeys) {
    synchronized (compaction) {
      if (deletedFrom == null || Arrays.compareUnsigned(run, deletedFrom) < 0) {
        deletedFrom = run;
      }
      if (deletedTo == null || Arrays.compareUnsigned(run, deletedTo) > 0) {
        deletedTo = run;
      }
      deletedIndexKeys += indexKeys;
      if (++deletedSinceCompaction >= COMPACT_AFTER_DELETES && compactor == null && !closing) {
        byte[] from = deletedFrom;
        byte[] to = historyKey(deletedTo, Long.MAX_VALUE); // past every key of the last run
        deletedFrom = null;
        deletedTo = null;
        deletedSinceCompaction = 0;
        compactor = new Thread(() -> compact(from, to), "durable-compaction");
        compactor.setDaemon(true);
        compactor.start();
      }
    }
  }

  private void compact(byte[] from, byte[] to) {
    CompactRangeOptions options = new CompactRangeOptions();
    synchronized (compaction) {
      compacting = options;
    }
    access.readLock().lock();
    try {
      if (db != null && !closing) {
        for (ColumnFamilyHandle family : List.of(executions, history, summaries)) {
          db.compactRange(family, from, to, options);
        }
        long indexed = db.getLongProperty(visibility, "rocksdb.estimate-num-keys");
        long deletedKeys;
        synchronized (compaction) {
          deletedKeys = deletedIndexKeys;
        }
        if (deletedKeys * 4 >= indexed) {
          db.compactRange(visibility, null, null, options);
          synchronized (compaction) {
            deletedIndexKeys -= deletedKeys;
          }
        }
      }
    } catch (RocksDBException e) {
      // Cancelled by close(), or failed: the space is reclaimed by RocksDB's own compactions later.
      LOG.log(System.Logger.Level.DEBUG, "compacting the keys of deleted runs in {0} stopped: {1}", dir, e.getMessage());
    } finally {
      access.readLock().unlock();
      synchronized (compaction) {
        compacting = null;
        compactor = null;
        compaction.notifyAll();
      }
      options.close();
    }
  }

  /** Waits until no compaction of deleted runs runs (for tests). */
  void awaitCompaction() throws InterruptedException {
    synchronized (compaction) {
      while (compactor != null) {
        compaction.wait();
      }
    }
  }

  /** The bytes of table files of the history family (for tests). */
  long historyFileBytes() throws RocksDBException {
    access.readLock().lock();
    try {
      return Long.parseLong(db.getProperty(history, "rocksdb.total-sst-files-size"));
    } finally {
      access.readLock().unlock();
    }
  }

  @Override
  public void close() {
    synchronized (compaction) {
      closing = true;
      if (compacting != null) {
        compacting.setCanceled(true); // a compaction of deleted runs need not finish first
      }
    }
    access.writeLock().lock();
    try {
      closeDatabase();
    } finally {
      access.writeLock().unlock();
    }
  }

  private void closeDatabase() {
    if (db == null) {
      closeOptionsAndLock();
      return;
    }
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      // Moves everything from the write-ahead log into table files, whose checksums and sizes the
      // next open verifies: a log cut short while the server is down then loses nothing, whereas a
      // cut in a log still needed for recovery would look like a torn tail and go unnoticed.
      db.flush(flush, handles);
    } catch (RocksDBException e) {
      // the log still holds everything; the next open replays it
    }
    try {
      db.syncWal();
      LastSequence.record(dir.resolve("db"), db.getLatestSequenceNumber(),
          db.getLiveFilesMetaData().stream().map(org.rocksdb.LiveFileMetaData::fileName).toList());
    } catch (RocksDBException | java.io.IOException e) {
      // closing: synced writes are already on disk, and async ones are allowed to be lost; without a
      // new record of the last write, the next open compares with an older one, which is still safe
    }
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    closeOptionsAndLock();
  }

  private void closeOptionsAndLock() {
    syncWrite.close();
    asyncWrite.close();
    dbOptions.close();
    closeOptions(descriptors);
    lock.close();
  }

  /** Closes the column families' options (each once: several share one). */
  private static void closeOptions(List<ColumnFamilyDescriptor> descriptors) {
    descriptors.stream().map(ColumnFamilyDescriptor::getOptions).distinct().forEach(ColumnFamilyOptions::close);
  }

  /** Reads one key of a column family, picked under the lock: a reopen replaces the handles. */
  private byte[] get(java.util.function.Supplier<ColumnFamilyHandle> family, byte[] key) {
    access.readLock().lock();
    try {
      checkOpen();
      try {
        return db.get(family.get(), key);
      } catch (RocksDBException e) {
        throw readFailure(e);
      }
    } finally {
      access.readLock().unlock();
    }
  }

  private void check(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw readFailure(e);
    }
  }

  private DurableException readFailure(RocksDBException e) {
    if (isCorruption(e)) {
      return new DurableException("DURABLE-303", "data in " + dir + " is damaged: " + e.getMessage() + ". Nothing"
          + " was skipped: the read failed. Stop the server and restore the data dir from a backup; see"
          + " docs/operations.md.", e);
    }
    return new DurableException("DURABLE-302", "reading from " + dir + " failed: " + e.getMessage(), e);
  }

  private static byte[] historyKey(byte[] run, long eventId) {
    return ByteBuffer.allocate(run.length + 8).put(run).putLong(eventId).array();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
