package dev.durable.internal.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A mark is on disk only once a sync that began after it was taken has finished. */
class SyncTrackerTest {
  private static final long LONG = TimeUnit.MINUTES.toNanos(1);

  @Test
  void onlyASyncBegunAfterTheMarkCarriesIt() {
    SyncTracker t = new SyncTracker();
    long before = t.begin(); // began before the write returned: it may not hold it
    long mark = t.mark();
    t.finished(before);
    assertFalse(t.await(mark, 0));

    long after = t.begin();
    assertFalse(t.await(mark, 0), "begun is not finished");
    t.finished(after);
    assertTrue(t.await(mark, 0));
  }

  @Test
  void syncsFinishingOutOfOrderCountByTheHighestNumber() {
    SyncTracker t = new SyncTracker();
    long mark = t.mark();
    long first = t.begin();
    long second = t.begin();
    t.finished(second);
    t.finished(first); // a lower number finishing later does not take the progress back
    assertTrue(t.await(mark, 0));
    assertFalse(t.await(t.mark(), 0));
  }

  @Test
  void aWaiterIsWokenByTheSyncThatCarriesItsMark() throws Exception {
    SyncTracker t = new SyncTracker();
    long mark = t.mark();
    CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> t.await(mark, LONG));
    long sync = t.begin();
    t.finished(sync);
    assertTrue(waited.get(30, TimeUnit.SECONDS));
  }

  @Test
  void anInterruptedWaiterReturnsAtOnceAndKeepsItsInterrupt() {
    SyncTracker t = new SyncTracker();
    Thread.currentThread().interrupt();
    try {
      assertFalse(t.await(t.mark(), LONG));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}
