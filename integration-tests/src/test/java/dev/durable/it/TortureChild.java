package dev.durable.it;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowExecution;
import dev.durable.client.WorkflowOptions;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The child JVM of {@link TortureTest}: an embedded server and a worker on a data dir, running a
 * mixed workload that survives SIGKILLs. It starts the workflows an earlier run did not start
 * (printing {@code started <id> <runId>}), then prints {@code ready}; it signals inboxes as the
 * parent asks on stdin ({@code signal <id> <payload>}, answered with {@code acked <payload>} once
 * the signal is durable); it prints {@code finished <id>} as soon as a workflow closes (or
 * {@code already finished <id>} for one closed before this run) and exits 0 once all have.
 * The workload:
 * <ul>
 *   <li>{@code chain-i}: {@link CrashChild}'s chain: steps in sequence, each appending a ledger
 *       line (see {@link CrashHarness}); here some attempts, chosen by the seed, fail on purpose
 *       and are retried;</li>
 *   <li>{@code sleeper-i}: short durable timers, recording the workflow time before and after
 *       each;</li>
 *   <li>{@code inbox-i}: collects the signals it gets until one starting with {@code done}, and
 *       returns them in order.</li>
 * </ul>
 * Child workflows are not in the mix: the engine does not have them yet.
 *
 * <p>Usage: {@code TortureChild dataDir ledgerFile run seed chains steps sleepers naps inboxes}.
 */
public final class TortureChild {
  static final String TASK_QUEUE = "torture";

  private TortureChild() {}

  /** Takes short naps and returns {@code "nap before millis after"} for each. */
  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    List<String> run(int naps);
  }

  /** Collects signals until a {@code done...} one and returns them in the order received. */
  @WorkflowInterface
  public interface Inbox {
    @WorkflowMethod
    List<String> run();

    @SignalMethod
    void post(String message);
  }

  public static class SleeperImpl implements Sleeper {
    @Override
    public List<String> run(int naps) {
      List<String> out = new ArrayList<>();
      for (int nap = 0; nap < naps; nap++) {
        // Indexed with the nap's timer in one write: the kills check that the two never disagree.
        Workflow.upsertSearchAttributes(java.util.Map.of("Nap", nap));
        long before = Workflow.currentTimeMillis();
        Duration d = napLength(nap);
        Workflow.sleep(d);
        out.add(nap + " " + before + " " + d.toMillis() + " " + Workflow.currentTimeMillis());
      }
      return out;
    }
  }

  static Duration napLength(int nap) {
    return Duration.ofMillis(40 + 30L * nap);
  }

  public static class InboxImpl implements Inbox {
    private final List<String> messages = new ArrayList<>();

    @Override
    public List<String> run() {
      Workflow.await(() -> messages.stream().anyMatch(TortureChild::isDone));
      return messages;
    }

    @Override
    public void post(String message) {
      messages.add(message);
    }
  }

  static boolean isDone(String message) {
    return message.substring(message.indexOf('/') + 1).startsWith("done");
  }

  /** Fails attempts the seed picks: at most three per step, so that every step succeeds in the end. */
  static boolean fails(long seed, String workflowId, int step, int attempt) {
    return attempt <= 3 && new Random(seed * 31 + (workflowId + ":" + step + ":" + attempt).hashCode()).nextInt(3) == 0;
  }

  /**
   * Runs the child.
   *
   * @param args the data dir, the ledger file, the run number, the seed, and the numbers of chains,
   *     steps per chain, sleepers, naps per sleeper and inboxes
   */
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Path ledgerFile = Path.of(args[1]);
    int run = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    int chains = Integer.parseInt(args[4]);
    int steps = Integer.parseInt(args[5]);
    int sleepers = Integer.parseInt(args[6]);
    int naps = Integer.parseInt(args[7]);
    int inboxes = Integer.parseInt(args[8]);
    try (FileChannel ledger = FileChannel.open(ledgerFile,
             StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
         DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, TASK_QUEUE)
             .registerWorkflowImplementationTypes(CrashChild.ChainImpl.class, SleeperImpl.class, InboxImpl.class)
             .registerActivitiesImplementations(new CrashChild.LedgerSteps(ledger, run,
                 (id, step, attempt) -> fails(seed, id, step, attempt)))
             .setMaxConcurrentWorkflowTasks(4)
             .build()) {
      worker.start();
      List<String> ids = new ArrayList<>();
      startAll(client, ids, "chain-", chains, CrashChild.Chain.class, c -> WorkflowClient.start(c::run, steps));
      startAll(client, ids, "sleeper-", sleepers, Sleeper.class, s -> WorkflowClient.start(s::run, naps));
      startAll(client, ids, "inbox-", inboxes, Inbox.class, i -> WorkflowClient.start(i::run));

      Thread signals = new Thread(() -> relaySignals(client), "signals from the parent");
      signals.setDaemon(true); // blocked reading stdin; must not keep the JVM alive
      signals.start();
      System.out.println("ready");
      List<Thread> watchers = new ArrayList<>();
      for (String id : ids) {
        // One watcher per workflow, so that each line comes right after its workflow's closing commit.
        Thread t = new Thread(() -> {
          var stub = client.newUntypedWorkflowStub(id);
          boolean closedBefore = stub.describe().orElseThrow().isClosed();
          stub.getResult(List.class);
          System.out.println((closedBefore ? "already finished " : "finished ") + id);
        }, "watcher of " + id);
        t.start();
        watchers.add(t);
      }
      for (Thread t : watchers) {
        t.join();
      }
      System.out.println("all finished");
    }
  }

  private static <T> void startAll(WorkflowClient client, List<String> ids, String prefix, int count, Class<T> type,
      Function<T, WorkflowExecution> start) {
    for (int i = 0; i < count; i++) {
      String id = prefix + i;
      ids.add(id);
      if (client.newUntypedWorkflowStub(id).describe().isEmpty()) {
        WorkflowExecution e = start.apply(client.newWorkflowStub(type,
            WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build()));
        System.out.println("started " + id + " " + e.getRunId());
      }
    }
  }

  /** Signals as the parent asks, one line at a time, and acknowledges each once it is durable. */
  private static void relaySignals(WorkflowClient client) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        String[] parts = line.split(" ", 3);
        client.newUntypedWorkflowStub(parts[1]).signal("post", parts[2]);
        System.out.println("acked " + parts[2]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
