package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowStub;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.worker.Worker;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many concurrent workflows, signalled and queried from 8 client threads, on a worker whose
 * sticky cache holds a small fraction of them: every signal arrives exactly once and every
 * query sees every signal sent before it (although nearly every task and query replays an
 * evicted run), the thread count stays bounded by the cache and comes back down, and the cache
 * never holds more runs than its size.
 *
 * <p>CI runs 10,000 workflows (about 15 s on 2 cores); {@code RELIABILITY_ROUNDS=N} runs N times as
 * many.
 */
class LoadTest {
  private static final int CLIENT_THREADS = 8;
  private static final int CACHE = 50;
  private static final int WORKFLOWS = 10_000 * Math.max(1, soakRounds());

  @WorkflowInterface
  public interface Mailbox {
    @WorkflowMethod
    List<String> run(int expected);

    @SignalMethod
    void post(String message);

    @QueryMethod
    int count();
  }

  public static final class MailboxImpl implements Mailbox {
    private final List<String> messages = new ArrayList<>();

    @Override
    public List<String> run(int expected) {
      Workflow.await(() -> messages.size() >= expected);
      return messages;
    }

    @Override
    public void post(String message) {
      messages.add(message);
    }

    @Override
    public int count() {
      return messages.size();
    }
  }

  private static int workflowThreads(ThreadMXBean threads) {
    int n = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("workflow[")) {
        n++;
      }
    }
    return n;
  }

  static int soakRounds() {
    String rounds = System.getenv("RELIABILITY_ROUNDS");
    return rounds == null || rounds.isBlank() ? 0 : Integer.parseInt(rounds.trim());
  }

  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
  void manyWorkflowsGetEverySignalOnceWithBoundedThreadsAndCache() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    // The test is about concurrency, eviction and leaks, not fsync throughput.
    try (TestEnv env = TestEnv.open(dir, b -> b.setDurability(Durability.ASYNC))) {
      Worker worker = env.startWorker(b -> b.registerWorkflowImplementationTypes(MailboxImpl.class)
          .setStickyCacheSize(CACHE).setMaxConcurrentWorkflowTasks(4));
      ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
      int before = threads.getThreadCount();
      threads.resetPeakThreadCount();
      long start = System.nanoTime();

      AtomicInteger maxWorkflowThreads = new AtomicInteger();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < CLIENT_THREADS; t++) {
        int slice = t;
        done.add(clients.submit(() -> {
          for (int i = slice; i < WORKFLOWS; i += CLIENT_THREADS) {
            WorkflowClient.start(env.newWorkflow(Mailbox.class, "mailbox-" + i)::run, 2);
          }
          for (int i = slice; i < WORKFLOWS; i += CLIENT_THREADS) {
            WorkflowStub stub = env.stub("mailbox-" + i);
            stub.signal("post", "first-" + i);
            // A query sees every event accepted before it, also when it replays an evicted run.
            assertEquals(1, stub.query("count", Integer.class), "mailbox-" + i);
            stub.signal("post", "second-" + i);
            if (i % 200 == slice) {
              maxWorkflowThreads.accumulateAndGet(workflowThreads(threads), Math::max);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      for (int i = 0; i < WORKFLOWS; i++) {
        assertEquals(List.of("first-" + i, "second-" + i), env.result("mailbox-" + i, List.class), "mailbox-" + i);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      int peak = threads.getPeakThreadCount();
      Runtime rt = Runtime.getRuntime();
      System.gc();
      long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
      System.out.printf("LoadTest: %d workflows, %d signals, %d queries from %d threads in %d ms; threads %d before,"
          + " peak %d; at most %d workflow threads seen; heap after GC %d MB%n", WORKFLOWS, 2 * WORKFLOWS, WORKFLOWS,
          CLIENT_THREADS, millis, before, peak, maxWorkflowThreads.get(), heapMb);

      // Each cached run holds its workflow thread (and briefly one per signal handler); nothing else grows.
      assertTrue(peak <= before + CLIENT_THREADS + 2 * CACHE + 20, "peak " + peak + " threads, " + before + " before");
      assertTrue(maxWorkflowThreads.get() <= 2 * CACHE + 8, maxWorkflowThreads + " workflow threads for a cache of "
          + CACHE);
      clients.shutdown();
      assertTrue(clients.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
      env.closeWorker(worker);
      Eventually.eventually("the workflow threads to end", () -> Thread.getAllStackTraces().keySet().stream()
          .noneMatch(th -> th.getName().startsWith("workflow[")));
      // Pool threads that finished their last task may take a moment to end on a busy machine.
      Eventually.eventually("the thread count back to " + before, threads::getThreadCount, n -> n <= before);
    } // closing the environment runs the history validator over every mailbox
  }
}
