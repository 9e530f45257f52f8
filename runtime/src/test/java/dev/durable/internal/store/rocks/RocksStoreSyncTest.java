package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write made without a sync is carried to disk by the next synced write, or, when none comes in
 * time, by syncing the log on demand; under durability ASYNC nothing waits for the disk.
 */
class RocksStoreSyncTest {
  private static final Duration LONG = Duration.ofMinutes(1);

  @TempDir Path dir;
  private int runs;

  private Store.Transition write(boolean durable) {
    ExecutionState s = new ExecutionState();
    s.workflowId = "w" + ++runs;
    s.runId = new UUID(2, runs).toString();
    s.workflowType = "T";
    s.taskQueue = "q";
    s.startTime = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(runs);
    return new Store.Transition(s, List.of(), true, durable);
  }

  @Test
  void aSyncedWriteAfterTheMarkCarriesAnUnsyncedOne() {
    try (RocksStore store = RocksStore.open(dir, true)) {
      Store.Transition unsynced = write(false);
      store.apply(unsynced);
      long mark = store.syncMark();
      store.apply(write(true));
      assertFalse(store.awaitSynced(mark, LONG), "carried by the synced write: no sync of its own");
      assertTrue(store.readExecution(unsynced.state().runId).isPresent());
    }
  }

  @Test
  void theMarkAWriteReturnsCountsASyncThatBeganAfterItBeforeTheWriterTookAnyMark() {
    try (RocksStore store = RocksStore.open(dir, true)) {
      long mark = store.apply(write(false));
      // Someone who saw the write syncs the log, before the writer looks at a mark of its own.
      assertTrue(store.awaitSynced(store.syncMark(), Duration.ZERO));
      assertFalse(store.awaitSynced(mark, Duration.ZERO), "that sync carried the write: no wait, no sync of its own");
    }
  }

  @Test
  void withoutALaterSyncedWriteItSyncsTheLogItself() {
    try (RocksStore store = RocksStore.open(dir, true)) {
      store.apply(write(true));
      store.apply(write(false)); // the synced write before it does not count
      assertTrue(store.awaitSynced(store.syncMark(), Duration.ZERO));
      assertFalse(store.awaitSynced(store.syncMark() - 1, Duration.ZERO), "that sync carried the mark before it");
    }
  }

  @Test
  void underDurabilityAsyncNothingWaitsForTheDisk() {
    try (RocksStore store = RocksStore.open(dir, false)) {
      store.apply(write(false));
      assertFalse(store.awaitSynced(store.syncMark(), LONG));
      assertEquals(0, store.syncMark(), "no write is synced, so none is counted");
    }
  }
}
