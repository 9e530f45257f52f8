package dev.durable.bench;

import dev.durable.server.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * retention (not one of WORKLOADS.md's): {@value #N} hello workflows, then a server with a
 * retention whose clock moves past it. Reports how fast the closed runs are deleted, and the data
 * dir's size before and after (docs/operations.md, "Retention").
 */
final class RetentionBench {
  static final int N = 20_000;
  static final Duration RETENTION = Duration.ofHours(1);

  private RetentionBench() {}

  static void run() throws Exception {
    Path dir = Engine.newDataDir();
    try {
      var clock = new TimersBench.MovableClock();
      try (Engine e = Engine.start(dir, Durability.SYNC, clock, true, false)) {
        Load.run(N, HelloBench.IN_FLIGHT, i -> e.newStub(Workflows.Hello.class, "hello-" + i).sayHello("w" + i),
            i -> "Hello, w" + i + "!");
      }
      double mbBefore = megabytes(dir);
      long deleteNanos;
      try (Engine e = Engine.start(dir, Durability.SYNC, clock, false, false, RETENTION)) {
        clock.advance(RETENTION.plusMinutes(1));
        long t0 = System.nanoTime();
        while (!e.client.listWorkflows(false, 1).isEmpty()) {
          Thread.sleep(1);
        }
        deleteNanos = System.nanoTime() - t0;
      }
      double mbAfter = megabytes(dir);
      Report.of("retention").throughput(N, 0, Report.seconds(deleteNanos)).durable(Durability.SYNC)
          .set("mb_before", mbBefore).set("mb_after", mbAfter)
          .notes(N + " hello workflows run and the server closed (mb_before: the data dir's files then); reopened with"
              + " a retention of " + RETENTION + " and its clock moved " + RETENTION.plusMinutes(1) + " on: seconds and"
              + " wf_per_s = from then until no run was listed (deletions are not synced); mb_after: the data dir once"
              + " that server closed, after the compactions of the deleted keys")
          .print();
    } finally {
      Engine.deleteRecursively(dir);
    }
  }

  private static double megabytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1e6;
    }
  }
}
