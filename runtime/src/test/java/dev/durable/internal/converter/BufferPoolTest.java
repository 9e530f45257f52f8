package dev.durable.internal.converter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.durable.internal.model.Payload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BufferPoolTest {

  @Test
  void aThreadGetsBackTheBuffersItReturned() {
    BufferPool pool = new BufferPool();
    BufferRecycler first = pool.acquirePooled();
    assertEquals(0, pool.pooledCount());
    pool.releasePooled(first);
    assertEquals(1, pool.pooledCount());
    assertSame(first, pool.acquirePooled());
    assertNotSame(first, pool.acquirePooled(), "an empty pool makes a new set");
  }

  @Test
  void keepsAtMostItsSlots() {
    BufferPool pool = new BufferPool();
    for (int i = 0; i < 3 * BufferPool.SLOTS; i++) {
      pool.releasePooled(new BufferRecycler());
    }
    assertTrue(pool.pooledCount() <= BufferPool.SLOTS, "kept " + pool.pooledCount());
    assertTrue(pool.clear());
    assertEquals(0, pool.pooledCount());
  }

  @Test
  void noSetOfBuffersIsHandedToTwoThreadsAtOnce() throws Exception {
    BufferPool pool = new BufferPool();
    Set<BufferRecycler> inUse = Collections.newSetFromMap(new ConcurrentHashMap<>());
    AtomicReference<String> problem = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 20_000; i++) {
          BufferRecycler r = pool.acquirePooled();
          if (!inUse.add(r)) {
            problem.compareAndSet(null, "a set was handed out twice at step " + i);
          }
          inUse.remove(r);
          pool.releasePooled(r);
        }
      });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(null, problem.get());
    Map<BufferRecycler, Boolean> distinct = new IdentityHashMap<>();
    for (int i = 0; i < BufferPool.SLOTS; i++) {
      distinct.put(pool.acquirePooled(), true);
    }
    assertEquals(BufferPool.SLOTS, distinct.size());
  }

  @Test
  void payloadsAreEncodedAndDecodedWithThePooledBuffersFromManyThreads() throws Exception {
    List<Thread> threads = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int t = 0; t < 4; t++) {
      int n = t;
      Thread thread = new Thread(() -> {
        try {
          for (int i = 0; i < 2_000; i++) {
            String value = "value " + n + "/" + i + " " + "x".repeat(i % 300);
            Payload p = JsonConverter.DEFAULT.toPayload(value, () -> "test");
            assertEquals(value, JsonConverter.DEFAULT.fromPayload(p, String.class, () -> "test"));
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(null, failure.get());
  }
}
