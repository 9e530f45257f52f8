package dev.durable.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server that deletes every closed run of a data dir (a retention of 1 ms) and holds its
 * retention sweep before the deletion after the first {@code args[1]}, printing {@code held}, so
 * that {@code RetentionCrashTest} kills it in the middle of a sweep.
 */
public final class RetentionCrashChild {
  private RetentionCrashChild() {}

  public static void main(String[] args) throws InterruptedException {
    Path dataDir = Path.of(args[0]);
    int deletions = Integer.parseInt(args[1]);
    AtomicInteger seen = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    DurableServer.newBuilder().setDataDir(dataDir).setRetention(Duration.ofMillis(1)).wrapStore(store -> {
      FaultyStore faulty = new FaultyStore(store);
      faulty.beforeDelete(runId -> {
        if (seen.incrementAndGet() > deletions) {
          System.out.println("held");
          System.out.flush();
          try {
            never.await(); // the sweep stops here, its earlier deletions written, until the kill
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      return faulty;
    }).build().start();
    never.await();
  }
}
