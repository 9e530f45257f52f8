package dev.durable.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each offered item wakes one waiting poller, and a woken poller that does not take it passes its wake-up on. */
class DispatchQueueTest {
  private static final Duration LONG = Duration.ofMinutes(5);
  private final Set<String> released = ConcurrentHashMap.newKeySet();
  private final DispatchQueue<String> queue = new DispatchQueue<>(released);

  @Test
  void itemsOfferedToWaitingPollersReachOnePollerEach() throws Exception {
    CompletableFuture<String> a = pollAsync("a", 1);
    CompletableFuture<String> b = pollAsync("b", 2);
    queue.offer("first");
    queue.offer("second");
    assertEquals(Set.of("first", "second"), Set.of(a.get(1, TimeUnit.MINUTES), b.get(1, TimeUnit.MINUTES)));
    assertEquals(0, queue.size());
  }

  @Test
  void aReleasedPollerWokenForAnItemPassesTheWakeUpOn() throws Exception {
    CompletableFuture<String> a = pollAsync("a", 1); // first in line: the offer's signal goes to it
    CompletableFuture<String> b = pollAsync("b", 2);
    released.add("a");
    queue.offer("item");
    assertNull(a.get(1, TimeUnit.MINUTES), "a released poller takes nothing");
    // Without the pass-on, b would wait for its whole poll timeout with the item in the queue.
    assertEquals("item", b.get(1, TimeUnit.MINUTES));
  }

  /** Polls on another thread; returns once that poller (the {@code nth} waiting) waits in the queue. */
  private CompletableFuture<String> pollAsync(String identity, int nth) throws InterruptedException {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(queue.poll(identity, LONG));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    t.setDaemon(true);
    t.start();
    while (queue.waitingPollers() < nth) {
      Thread.onSpinWait();
    }
    return result;
  }
}
