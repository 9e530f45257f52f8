package dev.durable.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast this machine is right now, measured before a workload, so that figures of different
 * hours and days can be told apart from changes in the code: the same code measured twice as
 * slowly on a day when these probes were twice as slow, too. Each probe takes a few tens of
 * milliseconds.
 */
final class MachineProbe {
  private static volatile long sink;

  private MachineProbe() {}

  /**
   * Median milliseconds of a fixed single-threaded task (xorshift arithmetic and a small
   * {@code HashMap}), over the last 9 of 12 repetitions, once the JIT has compiled it: the speed
   * of one core.
   */
  static double cpuMillis() {
    long[] nanos = new long[12];
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      sink += referenceTask();
      nanos[i] = System.nanoTime() - t0;
    }
    return Report.millis(median(Arrays.copyOfRange(nanos, 3, nanos.length)));
  }

  private static long referenceTask() {
    Map<Integer, Integer> counts = new HashMap<>();
    long x = 88_172_645_463_325_252L;
    long sum = 0;
    for (int i = 0; i < 200_000; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      counts.merge((int) (x & 4095), 1, Integer::sum);
      sum += x;
    }
    return sum + counts.size();
  }

  /**
   * Median microseconds for one thread to wake another with {@code LockSupport.unpark} and be
   * woken back (no spinning: both park), over 2,000 round trips after 500: what the engine's
   * hand-overs between threads cost on this machine's kernel and hypervisor.
   */
  static double wakeUpRoundTripMicros() throws InterruptedException {
    Thread caller = Thread.currentThread();
    AtomicInteger turn = new AtomicInteger(); // 1: the partner's turn, 0: the caller's, -1: stop
    Thread partner = new Thread(() -> {
      for (int t; (t = turn.get()) != -1; ) {
        if (t == 1) {
          turn.set(0);
          LockSupport.unpark(caller);
        } else {
          LockSupport.park();
        }
      }
    }, "durable-bench-probe");
    partner.setDaemon(true);
    partner.start();
    long[] nanos = new long[2_500];
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      turn.set(1);
      LockSupport.unpark(partner);
      while (turn.get() != 0) {
        LockSupport.park();
      }
      nanos[i] = System.nanoTime() - t0;
    }
    turn.set(-1);
    LockSupport.unpark(partner);
    partner.join();
    return median(Arrays.copyOfRange(nanos, 500, nanos.length)) / 1e3;
  }

  /**
   * Median milliseconds of appending 4 KB to a file and fdatasync-ing it (50 times): what bounds
   * every SYNC transition.
   */
  static double fsyncMillis() throws IOException {
    Path file = Files.createTempFile("durable-bench-fsync-", ".tmp");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long[] nanos = new long[50];
      for (int i = 0; i < nanos.length; i++) {
        long t0 = System.nanoTime();
        channel.write(ByteBuffer.allocate(4096));
        channel.force(false);
        nanos[i] = System.nanoTime() - t0;
      }
      return Report.millis(median(nanos));
    } finally {
      Files.delete(file);
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
