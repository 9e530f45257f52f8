package dev.durable.bench;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowStatus;
import dev.durable.internal.server.ObservableClock;
import dev.durable.server.Durability;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * timers: 10000 workflows that each sleep an hour. Reports the start rate, the heap used after GC
 * with all of them parked, and, in a fresh JVM, how long reopening the data dir takes until all
 * are listed as running with their timers armed. That child then moves its clock past the hour
 * and checks that every timer fires and every workflow completes.
 */
final class TimersBench {
  static final int N = 10_000;
  static final Duration SLEEP = Duration.ofHours(1);
  /** Events of a parked run: WorkflowExecutionStarted, WorkflowTaskCompleted, TimerStarted. */
  static final int PARKED_HISTORY_LENGTH = 3;

  private TimersBench() {}

  static void run() throws Exception {
    Path dir = Engine.newDataDir();
    try {
      long startNanos;
      long parkedNanos;
      double heapMb;
      try (Engine e = Engine.start(dir, Durability.SYNC, Clock.systemUTC(), true, false)) {
        long t0 = System.nanoTime();
        startNanos = Load.run(N, HelloBench.IN_FLIGHT,
            i -> WorkflowClient.start(e.newStub(Workflows.Sleep.class, "timer-" + i)::sleep, SLEEP).getWorkflowId(),
            i -> "timer-" + i);
        awaitParked(e.client);
        parkedNanos = System.nanoTime() - t0;
        Main.check("TimerStarted", lastEventType(e.client, "timer-0"), "last event of a parked workflow");
        heapMb = heapUsedAfterGcMb();
      }
      String[] child = ChildJvm.run(ChildJvm.hasAgent(), 900, "timers-reopen", dir.toString(), Integer.toString(N))
          .stdout().split(" ");
      double reopenSeconds = Double.parseDouble(child[0]);
      Report.of("timers").throughput(N, 0, Report.seconds(startNanos)).durable(Durability.SYNC)
          .set("heap_mb", heapMb).set("reopen_s", reopenSeconds)
          .notes(HelloBench.IN_FLIGHT + " client threads starting workflows (wf_per_s = start calls only); all "
              + N + " parked (history length " + PARKED_HISTORY_LENGTH + ") " + Report.round(Report.seconds(parkedNanos))
              + " s after the first start; heap_mb = heap used after System.gc() with all parked (" + Engine.WORKER_SETTINGS
              + "); reopen_s = from just before DurableServer.start() in a fresh JVM until listWorkflows(true) returned all "
              + N + " running (timers are armed inside start()); from that JVM's start: " + child[1]
              + " s; check: clock moved 61 min ahead, then all " + N + " timers fired and the workflows completed in "
              + child[2] + " s")
          .print();
    } finally {
      Engine.deleteRecursively(dir);
    }
  }

  /** The reopen child: prints reopen seconds, seconds since JVM start, and the seconds to fire every timer. */
  static void reopen(Path dir, int n) throws Exception {
    long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    var clock = new MovableClock();
    long t0 = System.nanoTime();
    try (Engine e = Engine.start(dir, Durability.SYNC, clock, false, false)) {
      List<WorkflowDescription> running = e.client.listWorkflows(true, Integer.MAX_VALUE);
      long reopenNanos = System.nanoTime() - t0;
      long sinceJvmStartMs = System.currentTimeMillis() - jvmStartMs;
      Main.check(n, running.size(), "running workflows after reopen");
      Main.check(n, (int) running.stream().filter(d -> d.status() == WorkflowStatus.RUNNING
          && d.historyLength() == PARKED_HISTORY_LENGTH).count(), "parked workflows after reopen");

      clock.advance(SLEEP.plusMinutes(1));
      long t1 = System.nanoTime();
      e.startWorker();
      Load.run(n, HelloBench.IN_FLIGHT, i -> e.client.newUntypedWorkflowStub("timer-" + i).getResult(String.class),
          i -> "woke");
      long fireNanos = System.nanoTime() - t1;
      Main.check(0, e.client.listWorkflows(true, Integer.MAX_VALUE).size(), "running workflows after the timers fired");
      Report.toParent(Report.round(Report.seconds(reopenNanos)) + " " + Report.round(sinceJvmStartMs / 1e3) + " "
          + Report.round(Report.seconds(fireNanos)));
    }
  }

  private static void awaitParked(WorkflowClient client) throws InterruptedException {
    while (true) {
      List<WorkflowDescription> running = client.listWorkflows(true, Integer.MAX_VALUE);
      long parked = running.stream().filter(d -> d.historyLength() >= PARKED_HISTORY_LENGTH).count();
      if (parked == N && running.size() == N) {
        return;
      }
      System.err.println("timers: " + parked + " of " + N + " parked");
      Thread.sleep(500);
    }
  }

  private static String lastEventType(WorkflowClient client, String workflowId) {
    var events = client.newUntypedWorkflowStub(workflowId).getHistory().getEvents();
    return events.get(events.size() - 1).eventType();
  }

  private static double heapUsedAfterGcMb() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }

  /** The system clock plus an offset that {@link #advance} moves; the server re-checks its timers at once. */
  static final class MovableClock extends Clock implements ObservableClock {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
      offset = offset.plus(d);
      listeners.forEach(Runnable::run);
    }

    @Override
    public void onChange(Runnable listener) {
      listeners.add(listener);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      // The engine only reads instants; the zone does not change them.
      return this;
    }
  }
}
