package dev.durable.bench;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.server.Durability;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Server, client and worker in one JVM, as an embedded user runs them: default worker options,
 * every benchmark workflow and activity registered on task queue {@value #TASK_QUEUE}.
 */
final class Engine implements AutoCloseable {
  static final String TASK_QUEUE = "bench";
  /** The worker options every workload uses (the defaults), for the notes. */
  static final String WORKER_SETTINGS = "worker defaults: 16 workflow-task pollers, up to 100 activity threads, sticky cache 600 runs, "
      + (Runtime.version().feature() >= 21 ? "virtual" : "pooled platform") + " workflow threads, in-process task hand-offs";
  /** What the *-remote workloads run, for their notes. */
  static final String REMOTE_SETTINGS = "REMOTE: the standalone server (DurableGrpcServer, no agent) in a child JVM of its own,"
      + " client and worker in this JVM connected over gRPC to 127.0.0.1 (plaintext, no token), so every task goes"
      + " through the server's queues and long polls; worker defaults: 16 workflow-task pollers, up to 100 activity"
      + " threads, sticky cache 600 runs; process CPU counts this JVM only, not the server's";

  final Path dataDir;
  /** The embedded server; null when the server runs in a child JVM. */
  final DurableServer server;
  final WorkflowClient client;
  private final ServerProcess serverProcess;
  private final boolean deleteOnClose;
  private Worker worker;

  private Engine(Path dataDir, DurableServer server, boolean deleteOnClose) {
    this.dataDir = dataDir;
    this.server = server;
    this.serverProcess = null;
    this.client = WorkflowClient.newInstance(server);
    this.deleteOnClose = deleteOnClose;
  }

  private Engine(Path dataDir, ServerProcess serverProcess) {
    this.dataDir = dataDir;
    this.server = null;
    this.serverProcess = serverProcess;
    this.client = WorkflowClient.connect("127.0.0.1:" + serverProcess.port);
    this.deleteOnClose = true;
  }

  /** Starts an engine on a fresh temp data dir, deleted on close. */
  static Engine fresh(Durability durability) {
    return start(newDataDir(), durability, Clock.systemUTC(), true, true);
  }

  /** The notes' description of how the engine runs. */
  static String settings(boolean remote) {
    return remote ? REMOTE_SETTINGS : WORKER_SETTINGS;
  }

  /**
   * Starts an engine on a fresh temp data dir, deleted on close: embedded, or with {@code remote}
   * a standalone server in a child JVM, and a client and worker in this one connected to it over
   * gRPC (127.0.0.1).
   */
  static Engine fresh(Durability durability, boolean remote) {
    if (!remote) {
      return fresh(durability);
    }
    Path dir = newDataDir();
    Engine e = new Engine(dir, ServerProcess.start(dir, durability));
    e.startWorker();
    return e;
  }

  /**
   * Starts the server on {@code dataDir} with {@code clock} and, if {@code withWorker}, a worker;
   * {@code deleteOnClose} deletes the data dir on {@link #close()}.
   */
  static Engine start(Path dataDir, Durability durability, Clock clock, boolean withWorker, boolean deleteOnClose) {
    return start(dataDir, durability, clock, withWorker, deleteOnClose, null);
  }

  /** Like {@link #start(Path, Durability, Clock, boolean, boolean)}, deleting closed runs after {@code retention}. */
  static Engine start(Path dataDir, Durability durability, Clock clock, boolean withWorker, boolean deleteOnClose,
      java.time.Duration retention) {
    DurableServer.Builder b = DurableServer.newBuilder().setDurability(durability).setClock(clock)
        .setRetention(retention);
    PostgresSchema pg = PostgresSchema.forBench(dataDir);
    if (pg == null) {
      b.setDataDir(dataDir);
    } else {
      b.setStorage(pg.storage());
    }
    DurableServer server = b.build().start();
    Engine e = new Engine(dataDir, server, deleteOnClose);
    if (withWorker) {
      e.startWorker();
    }
    return e;
  }

  /** Starts a new worker, closing the previous one first: its cached runs are gone with it. */
  void startWorker() {
    startWorker(Integer.getInteger("bench.activity.threads", 0));
  }

  /**
   * Starts a new worker like {@link #startWorker()}; with {@code activityThreads > 0} its activities
   * run on at most that many of its own activity threads instead of the default 100.
   */
  void startWorker(int activityThreads) {
    if (worker != null) {
      worker.close();
    }
    Worker.Builder b = Worker.newBuilder(client, TASK_QUEUE)
        .registerWorkflowImplementationTypes(Workflows.HelloImpl.class, Workflows.ChainImpl.class,
            Workflows.SleepImpl.class, Workflows.StepsImpl.class)
        .registerActivitiesImplementations(new Workflows.ActivitiesImpl());
    Integer pollers = Integer.getInteger("bench.workflow.pollers"); // default: the worker's own (16)
    if (pollers != null) {
      b.setMaxConcurrentWorkflowTasks(pollers);
    }
    if (activityThreads > 0) {
      b.setMaxConcurrentActivityTasks(activityThreads); // the worker's own activity threads, at most that many
    }
    worker = b.build();
    worker.start();
  }

  /** Returns a typed stub that starts workflow {@code id} of {@code type}. */
  <T> T newStub(Class<T> type, String id) {
    return client.newWorkflowStub(type, WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build());
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
    client.close();
    if (server != null) {
      server.close();
    } else {
      serverProcess.close();
    }
    if (deleteOnClose) {
      deleteRecursively(dataDir);
      PostgresSchema.dropForBench(dataDir);
    }
  }

  /**
   * A new data dir under {@code java.io.tmpdir}, readable by the user alone. Named by the process
   * id and the clock rather than by {@code Files.createTempDirectory}'s random name: its
   * {@code SecureRandom} costs 10 – 20 ms of a fresh JVM, which the startup workload would count
   * as the engine's. Creating the directory is atomic: a name taken already is skipped.
   */
  static Path newDataDir() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long pid = ProcessHandle.current().pid();
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createDirectory(tmp.resolve("durable-bench-" + pid + "-" + System.nanoTime() + "-" + attempt),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        if (attempt == 100) {
          throw new UncheckedIOException(e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
