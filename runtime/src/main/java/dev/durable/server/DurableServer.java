package dev.durable.server;

import dev.durable.internal.Checks;
import dev.durable.internal.server.Limits;
import dev.durable.internal.server.ServerCore;
import dev.durable.internal.service.ServiceProvider;
import dev.durable.internal.service.WorkflowService;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.rocks.RocksStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The embedded server (the brain): keeps every workflow's history and state in a RocksDB data
 * dir (or in a database, see {@link Builder#setStorage}), holds the task queues and timers, and
 * recovers all of it on {@link #start()}.
 *
 * <pre>{@code
 * try (DurableServer server = DurableServer.newBuilder().setDataDir(Path.of("data")).build().start();
 *      WorkflowClient client = WorkflowClient.newInstance(server)) { ... }
 * }</pre>
 *
 * <p>Only one server can open a data dir (or a database) at a time; a second one fails with
 * DURABLE-301 (DURABLE-311 for a database).
 */
public final class DurableServer implements AutoCloseable, ServiceProvider {
  private final Path dataDir;
  private final Storage storage;
  private final Durability durability;
  private final Clock clock;
  private final Limits limits;
  private final UnaryOperator<Store> storeWrapper;
  private final Duration firstTaskWait;
  private final Duration retention;
  private ServerCore core;

  private DurableServer(Builder b) {
    this.dataDir = b.dataDir;
    this.storage = b.storage;
    this.durability = b.durability;
    this.clock = b.clock;
    this.limits = new Limits(b.maxPayloadSize, b.maxHistoryLength, b.historyWarningLength);
    this.storeWrapper = b.storeWrapper;
    this.firstTaskWait = b.firstTaskWait;
    // Longer than any run can have been closed (a billion years, ChronoUnit.FOREVER): kept for good.
    this.retention = b.retention == null || b.retention.compareTo(Duration.between(Instant.MIN, Instant.EPOCH)) >= 0
        ? null : b.retention;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Opens the data dir, recovers every open workflow (queued tasks, timers, retries) and starts
   * serving. Activity tasks that were running when the previous process died are dispatched again
   * at once.
   *
   * @return this server
   */
  public synchronized DurableServer start() {
    if (core != null) {
      throw new IllegalStateException("DURABLE-214 the server for " + where() + " is already started");
    }
    Store store = storeWrapper.apply(storage != null ? storage.open(durability)
        : RocksStore.open(dataDir, durability == Durability.SYNC));
    ServerCore c = new ServerCore(store, clock, limits);
    if (firstTaskWait != null) {
      c.setFirstTaskWait(firstTaskWait);
    }
    c.setRetention(retention);
    try {
      c.recover();
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    core = c;
    return this;
  }

  /** Returns the data dir, or null when the server keeps its data in a {@link Storage}. */
  public Path getDataDir() {
    return dataDir;
  }

  /** Returns where the server keeps its data: the data dir, or the storage's description. */
  public String where() {
    return storage != null ? storage.describe() : dataDir.toString();
  }

  /** Returns the durability of writes. */
  public Durability getDurability() {
    return durability;
  }

  /** Returns how long closed runs are kept, or empty when they are kept for good. */
  public Optional<Duration> getRetention() {
    return Optional.ofNullable(retention);
  }

  /**
   * Writes a consistent online copy of the data (a RocksDB checkpoint) into {@code target},
   * which must not exist yet. A server started on the copy sees every change acknowledged before
   * the call. A server whose data is in a {@link Storage} such as PostgreSQL fails with
   * DURABLE-313: back that up with the database's own tools.
   *
   * @param target the directory to create
   */
  public void backup(Path target) {
    running().backup(target);
  }

  /**
   * Takes a snapshot of this server's metrics: what it recorded since it started (runs started and
   * closed, workflow tasks and activity attempts by outcome, timers fired, runs deleted) and its state
   * now (open runs, tasks waiting for a worker). Cheap enough to call on every scrape; see
   * {@link ServerMetrics#toPrometheusText()} and docs/operations.md, "Metrics".
   *
   * @throws IllegalStateException DURABLE-214 when the server is not started
   */
  public ServerMetrics metrics() {
    return ServerMetrics.of(running());
  }

  @Override
  public WorkflowService workflowService() {
    return running();
  }

  /** Not API: whether a worker takes {@code taskQueue}'s workflow tasks at once now (for tests). */
  boolean workflowTasksServed(String taskQueue) {
    return running().workflowTasksServed(taskQueue);
  }

  /** Not API: whether {@code workflowId}'s start is kept unwritten for a caller waiting for its result (for tests). */
  boolean startKeptForResult(String workflowId) {
    return running().startKeptForResult(workflowId);
  }

  private synchronized ServerCore running() {
    if (core == null) {
      throw new IllegalStateException("DURABLE-214 the server for " + where() + " is not started; call start() first");
    }
    return core;
  }

  /**
   * Calls {@code listener} once, on a thread of its own, if the server stops serving by itself: a
   * write failed and reading back what was stored failed too (a failing disk), or another server
   * took its PostgreSQL schema over ({@code DURABLE-311}). The listener gets that storage error.
   * The server's calls then fail with {@code DURABLE-213}; close it. A standalone server exits.
   * Never called for {@link #close()}.
   *
   * @throws IllegalStateException DURABLE-214 when the server is not started
   */
  public void onStoppedByFailure(Consumer<RuntimeException> listener) {
    Objects.requireNonNull(listener, "listener");
    running().stoppedItself().thenAcceptAsync(listener, r -> new Thread(r, "durable-stopped-by-failure").start());
  }

  /** Stops serving and closes the data dir. Workers should be closed first. */
  @Override
  public synchronized void close() {
    if (core != null) {
      core.close();
      core = null;
    }
  }

  /** Builds a {@link DurableServer}. */
  public static final class Builder {
    private Path dataDir;
    private Storage storage;
    private Durability durability = Durability.SYNC;
    private Clock clock = Clock.systemUTC();
    private int maxPayloadSize = Limits.DEFAULT_MAX_PAYLOAD_SIZE;
    private int maxHistoryLength = Limits.DEFAULT_MAX_HISTORY_LENGTH;
    private int historyWarningLength;
    private UnaryOperator<Store> storeWrapper = UnaryOperator.identity();
    private Duration firstTaskWait;
    private Duration retention;

    private Builder() {}

    /** Sets the directory holding the data; created if missing. Required unless a storage is set. */
    public Builder setDataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * Keeps the data in a database instead of a data dir, for example PostgreSQL:
     * {@code setStorage(PostgresStorage.newBuilder().setUrl("jdbc:postgresql://db/durable").build())}
     * (module {@code durable-postgres}; see docs/operations.md, "PostgreSQL"). Not together with
     * {@link #setDataDir}.
     */
    public Builder setStorage(Storage storage) {
      this.storage = storage;
      return this;
    }

    /** Sets when writes are acknowledged (default {@link Durability#SYNC}). */
    public Builder setDurability(Durability durability) {
      this.durability = durability;
      return this;
    }

    /** Sets the clock for timers, timeouts and backoff (default: the system clock). For tests. */
    public Builder setClock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Sets the most bytes the payloads of one call may have together: the arguments of a start, a
     * signal or a query, an activity's result or input, a workflow's result (default 2 MiB). Larger
     * ones are refused with DURABLE-223 and nothing of the call is recorded. Histories keep every
     * payload and every replay reads them, so pass references to large data rather than the data.
     */
    public Builder setMaxPayloadSize(int bytes) {
      this.maxPayloadSize = bytes;
      return this;
    }

    /**
     * Sets the history length, in events, at which a run is terminated (DURABLE-224; default
     * 50,000). Long-lived workflows avoid it with {@code Workflow.continueAsNew}.
     */
    public Builder setMaxHistoryLength(int events) {
      this.maxHistoryLength = events;
      return this;
    }

    /**
     * Sets the history length, in events, at which a run's history is reported in the log, once
     * per run (DURABLE-225): the hint to use {@code Workflow.continueAsNew}. Default 10,000, or a
     * fifth of {@link #setMaxHistoryLength} when that is lower. Must be below the limit.
     */
    public Builder setHistoryWarningLength(int events) {
      this.historyWarningLength = events;
      return this;
    }

    /**
     * Sets how long a run is kept after it closed (completed, failed, cancelled, terminated, timed
     * out or continued as new); then it is deleted: its history, its state, its listing entries,
     * and its workflow id, which a new start may then use whatever its reuse policy. By default
     * (or with null) closed runs are kept for good, and the data dir grows with every run.
     *
     * <p>The server looks for expired runs every minute (every tenth of the retention when that is
     * shorter, at least every second) on its clock, and deletes each one in a write of its own. A
     * closed child run whose open parent has not yet recorded its outcome is kept until it has.
     * Queries, results, histories and descriptions of a deleted run fail as for a workflow that
     * never existed. See docs/operations.md, "Retention".
     *
     * @param retention how long after its close a run is kept; positive
     */
    public Builder setRetention(Duration retention) {
      this.retention = retention;
      return this;
    }

    /** Not API: wraps the store, for tests that inject storage faults. */
    Builder wrapStore(UnaryOperator<Store> wrapper) {
      this.storeWrapper = Objects.requireNonNull(wrapper, "wrapper");
      return this;
    }

    /**
     * Not API: how long a start may wait to be written together with its first workflow task's
     * completion; zero writes every start on its own. For tests that check each write.
     */
    Builder firstTaskWait(Duration wait) {
      this.firstTaskWait = wait;
      return this;
    }

    /** Validates the settings and builds the server; call {@link DurableServer#start()} next. */
    public DurableServer build() {
      if (dataDir == null && storage == null) {
        throw Checks.invalid("dataDir must be set: DurableServer.newBuilder().setDataDir(Path.of(\"data\")), or a"
            + " storage with setStorage(...)");
      }
      if (dataDir != null && storage != null) {
        throw Checks.invalid("set either a dataDir (" + dataDir + ") or a storage (" + storage.describe()
            + "), not both: the server keeps its data in one place");
      }
      Checks.atLeast("maxPayloadSize", maxPayloadSize, 1024);
      Checks.atLeast("maxHistoryLength", maxHistoryLength, 10);
      if (historyWarningLength != 0 && (historyWarningLength < 1 || historyWarningLength >= maxHistoryLength)) {
        throw Checks.invalid("historyWarningLength must be between 1 and maxHistoryLength - 1 ("
            + (maxHistoryLength - 1) + "), got " + historyWarningLength);
      }
      Checks.positiveOrNull("retention", retention);
      Objects.requireNonNull(durability, "durability");
      Objects.requireNonNull(clock, "clock");
      return new DurableServer(this);
    }
  }
}
