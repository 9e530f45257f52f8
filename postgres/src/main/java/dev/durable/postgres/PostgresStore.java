package dev.durable.postgres;

import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.internal.LazyLogger;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.store.LatestRuns;
import dev.durable.internal.store.PageTokens;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.StoreCodec;
import dev.durable.internal.store.SyncTracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The store on PostgreSQL. A run is one row of {@code durable_runs} (its state, its listing summary
 * and the columns listing filters on), its events are rows of {@code durable_events}, and
 * {@code durable_workflow_ids} maps each workflow id to its latest run.
 *
 * <p>Writes go through one connection, which holds the advisory lock that makes this server the
 * schema's only writer. Concurrent writers queue their transitions; the first becomes the leader,
 * writes everything queued in one transaction with one commit, and hands the lead on to the next
 * writer queued meanwhile (group commit). Reads use a small pool of other connections.
 */
final class PostgresStore implements Store {
  private static final System.Logger LOG = LazyLogger.of(PostgresStore.class);
  /** The layout of the tables this code writes; a schema written by a later layout is refused. */
  static final int SCHEMA_VERSION = 1;
  /** The advisory lock's first key ("dura"); the second is a hash of the database and schema. */
  private static final int LOCK_CLASS = 0x64757261;
  private static final int STATE_CHUNK = 1_024;
  /** How long a starting server waits for the schema's lock (see {@code Writer.lock}). */
  private static final Duration LOCK_WAIT = Duration.ofSeconds(3);
  /** How often a standby asks for the schema's lock. */
  private static final Duration STANDBY_POLL = Duration.ofSeconds(1);

  private final String url;
  private final Properties properties;
  private final String where;
  private final boolean sync;
  private final ConnectionPool readers;
  private final SyncTracker syncs = new SyncTracker();
  /** The latest runs of the workflow ids this store wrote since it was opened: read without a round trip. */
  private final LatestRuns latest = new LatestRuns();
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  /**
   * Not API: runs between a writer's queueing and its bid for the lead, told whether its change is
   * written; tests stall writers there, where a leader may write their changes meanwhile.
   */
  static volatile Consumer<BooleanSupplier> afterQueued = written -> { };
  private final Object lead = new Object();
  // Guarded by lead.
  private boolean leading;
  private boolean closed;
  // Used by the leader only.
  private Writer writer;
  /** Why this store no longer reads or writes: another server took the schema over. Set by the leader. */
  private volatile String fenced;
  /** How often a serving store confirms that it holds the schema's lock (see {@link #onTakenOver}). */
  private final Duration ownershipCheck;
  /** How long a round trip on the store's connections may go unanswered (zero: no bound; see {@link #connect}). */
  private final Duration networkTimeout;
  // Guarded by lead.
  private ScheduledExecutorService checker;
  private final StoreCodec.Encoder encoder = StoreCodec.encoder();

  private PostgresStore(String url, Properties properties, String where, boolean sync, int readConnections,
      Writer writer, Duration deadSessionTimeout) {
    // A lost lock is noticed within about a sixth of the time PostgreSQL takes to free it.
    this.ownershipCheck = deadSessionTimeout.isZero() ? Duration.ofSeconds(10)
        : Duration.ofSeconds(Math.max(1, deadSessionTimeout.toSeconds() / 6));
    this.networkTimeout = deadSessionTimeout;
    this.url = url;
    this.properties = properties;
    this.where = where;
    this.sync = sync;
    this.writer = writer;
    this.readers = new ConnectionPool(() -> connect(url, properties, where, sync, deadSessionTimeout), readConnections,
        where);
  }

  /**
   * Connects, takes the schema's lock and creates or checks the tables. With {@code standby}, waits
   * for as long as another server holds the lock, instead of failing with DURABLE-311. {@code
   * deadSessionTimeout} (see {@code PostgresStorage.Builder.setDeadSessionTimeout}) also bounds
   * each round trip on the writing connection, and sets how often the lock is checked.
   */
  static PostgresStore open(String url, Properties properties, int readConnections, boolean sync, boolean standby,
      Duration deadSessionTimeout) {
    // The codec loads on another core while the connection is made.
    java.util.concurrent.ForkJoinPool.commonPool().execute(StoreCodec::load);
    String where = describe(url);
    Writer writer = Writer.open(url, properties, where, sync, true, standby, deadSessionTimeout);
    return new PostgresStore(url, properties, where, sync, readConnections, writer, deadSessionTimeout);
  }

  /** Names the database by its URL without the parameters, which may hold a password. */
  static String describe(String url) {
    int q = url.indexOf('?');
    return "PostgreSQL " + (q < 0 ? url : url.substring(0, q));
  }

  /**
   * Connects, with each later round trip bounded by {@code networkTimeout} (zero: no bound). A
   * database that no longer answers, behind a network that drops everything without a reset,
   * otherwise leaves a statement waiting until the operating system gives up on the connection:
   * about a quarter of an hour with data unacknowledged, two hours without.
   */
  static Connection connect(String url, Properties properties, String where, boolean sync, Duration networkTimeout) {
    try {
      Connection c = DriverManager.getConnection(url, properties);
      try (Statement st = c.createStatement()) {
        st.execute("SET synchronous_commit TO " + (sync ? "on" : "off"));
        bound(c, networkTimeout);
      } catch (SQLException e) {
        ConnectionPool.quietlyClose(c);
        throw e;
      }
      return c;
    } catch (SQLException e) {
      throw new DurableException("DURABLE-310", "cannot connect to " + where + ": " + sentence(e.getMessage())
          + " Check the URL, that PostgreSQL runs and accepts connections from this host, and the user and password"
          + " (PostgresStorage.Builder, or the server's --postgres-url, --postgres-user and DURABLE_POSTGRES_PASSWORD).",
          e);
    }
  }

  /** {@code message} ending with one period. */
  private static String sentence(String message) {
    return message.endsWith(".") ? message : message + ".";
  }

  /** Bounds each round trip on {@code c} by {@code timeout} (zero: no bound); see {@link #connect}. */
  static void bound(Connection c, Duration timeout) throws SQLException {
    c.setNetworkTimeout(Runnable::run, (int) timeout.toMillis());
  }

  // ---------------------------------------------------------------- writes

  @Override
  public long apply(Transition t) {
    return write(new Pending(List.of(t), null, null));
  }

  @Override
  public long applyAll(List<Transition> transitions) {
    return write(new Pending(List.copyOf(transitions), null, null));
  }

  /**
   * Every {@code ownershipCheck}, a round trip on the writer's connection in turn with the writes:
   * a connection that broke is made again, which takes the lock again, and finds it taken when a
   * standby took the schema over meanwhile. Then {@code listener} is told, once.
   */
  @Override
  public void onTakenOver(Consumer<DurableException> listener) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "durable-postgres-lock-check");
      t.setDaemon(true);
      return t;
    });
    synchronized (lead) {
      if (closed || checker != null) {
        s.shutdown();
        return;
      }
      checker = s;
    }
    long every = ownershipCheck.toMillis();
    s.scheduleWithFixedDelay(() -> {
      try {
        write(new Pending(List.of(), c -> {
          try (Statement st = c.createStatement()) {
            st.execute("SELECT 1");
          }
          return null;
        }, "checking that this server still holds the schema"));
      } catch (DurableException e) {
        if ("DURABLE-311".equals(e.getCode())) {
          s.shutdown();
          listener.accept(e);
        } // else a broken connection (the next check connects again) or a closed store
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  /** A change waiting for the leader: transitions, or other work done in a transaction of its own. */
  private static final class Pending {
    final List<Transition> transitions;
    final SqlWork work;
    /** What {@code work} does, for its error message. */
    final String what;
    final Thread thread = Thread.currentThread();
    volatile boolean done;
    volatile boolean leader;
    Object result;
    RuntimeException failure;
    long mark;

    Pending(List<Transition> transitions, SqlWork work, String what) {
      this.transitions = transitions;
      this.work = work;
      this.what = what;
    }

    boolean durable() {
      return transitions.stream().anyMatch(Transition::durable);
    }

    void finish(RuntimeException error, long syncMark) {
      failure = error;
      mark = syncMark;
      done = true;
      if (thread != Thread.currentThread()) {
        LockSupport.unpark(thread);
      }
    }
  }

  /** Work done on the writer's connection in a transaction of its own. */
  private interface SqlWork {
    Object run(Connection c) throws SQLException;
  }

  /**
   * Queues the change and waits until a leader has written it, leading if no one does. Returns the
   * sync mark taken after its commit.
   */
  private long write(Pending p) {
    queue.add(p);
    afterQueued.accept(() -> p.done);
    synchronized (lead) {
      if (closed) {
        queue.remove(p);
        throw new DurableException("DURABLE-302", "the store on " + where + " is closed");
      }
      // A leader may have written p already, between the queueing and here: then p must not lead,
      // for it would never hand the lead on.
      if (!leading && !p.done) {
        leading = true;
        p.leader = true;
      }
    }
    boolean interrupted = false;
    while (!p.done && !p.leader) {
      LockSupport.park(this);
      interrupted |= Thread.interrupted();
    }
    if (!p.done) {
      lead(p);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (p.failure != null) {
      throw p.failure;
    }
    return p.mark;
  }

  /** Writes what is queued, in groups, until {@code own} is written; then hands the lead on. */
  private void lead(Pending own) {
    try {
      while (!own.done) {
        List<Pending> group = takeGroup();
        writeGroup(group);
      }
    } finally {
      synchronized (lead) {
        Pending next = queue.peek();
        if (next == null) {
          leading = false;
          lead.notifyAll(); // a close() may wait for the last write
        } else {
          next.leader = true;
          LockSupport.unpark(next.thread);
        }
      }
    }
  }

  /** The queued transitions up to the first other work, or that work alone. */
  private List<Pending> takeGroup() {
    List<Pending> group = new ArrayList<>();
    for (Pending p = queue.peek(); p != null; p = queue.peek()) {
      if (p.work != null && !group.isEmpty()) {
        break;
      }
      queue.poll();
      group.add(p);
      if (p.work != null) {
        break;
      }
    }
    return group;
  }

  private void writeGroup(List<Pending> group) {
    boolean durable = group.stream().anyMatch(Pending::durable);
    long syncing = durable && sync ? syncs.begin() : 0;
    try {
      Writer w = writer();
      if (group.get(0).work != null) {
        group.get(0).result = w.inTransaction(group.get(0).work, group.get(0).what);
      } else {
        w.write(group, encoder, durable || !sync);
      }
    } catch (RuntimeException e) {
      if (e instanceof BrokenConnection b) {
        writer = null; // closed: the next write connects again
        if (b.unanswered != null) {
          e = settle(b);
        }
      }
      if (group.size() > 1 && !(e instanceof BrokenConnection)) {
        // One bad change must not fail the others that happened to share its commit.
        for (Pending p : group) {
          writeGroup(List.of(p));
        }
        return;
      }
      RuntimeException failure = e instanceof BrokenConnection b ? b.failure : e;
      group.forEach(p -> latest.forget(p.transitions)); // a failed write may still have been recorded
      group.forEach(p -> p.finish(failure, 0));
      return;
    }
    group.forEach(p -> latest.recorded(p.transitions));
    long mark = syncs.mark();
    if (syncing != 0) {
      syncs.finished(syncing);
    }
    group.forEach(p -> p.finish(null, mark));
  }

  /**
   * The writer's connection, reconnected (and the lock taken again) after it broke. When another
   * server took the lock meanwhile, this store is fenced: every later write and read fails with
   * DURABLE-311, so the server stops rather than serve what it holds in memory.
   */
  private Writer writer() {
    if (fenced != null) {
      throw new DurableException("DURABLE-311", fenced);
    }
    if (writer == null) {
      try {
        writer = Writer.open(url, properties, where, sync, false, false, networkTimeout);
      } catch (DurableException e) {
        if ("DURABLE-311".equals(e.getCode())) {
          fence(e.getMessage().substring(e.getCode().length() + 1)); // the message without its code
        }
        throw e;
      }
    }
    return writer;
  }

  /** Makes every later read and write fail with DURABLE-311 and {@code reason}; returns that failure. */
  private DurableException fence(String reason) {
    fenced = reason;
    readers.fence(reason);
    return new DurableException("DURABLE-311", reason);
  }

  /**
   * After PostgreSQL left a round trip on the writer's connection unanswered for the network
   * timeout: ends the writer's old session, which may still be running that write (a database
   * stalled, or a network that lost the answer), so that whatever is read back next is final, and
   * so that the next connection can take the schema's lock again. Returns the failure to report:
   * the broken write's own, or, when the session cannot be ended (the database cannot be reached),
   * the DURABLE-311 of a fenced store. Such a server cannot tell whether its write will still be
   * recorded, and PostgreSQL ends a silent session within the dead-session timeout, after which a
   * standby may take the schema: it stops rather than go on serving what it cannot confirm.
   */
  private RuntimeException settle(BrokenConnection broken) {
    try (Connection c = connect(url, properties, where, sync, networkTimeout)) {
      broken.unanswered.end(c, LOCK_WAIT);
      return broken;
    } catch (SQLException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot end the unanswered session on {0}: {1}", where, e.getMessage());
      return fence("this server lost contact with " + where + ": its write went unanswered for "
          + networkTimeout.toSeconds() + " s, and ending that session failed too (" + e.getMessage() + "). The write"
          + " may still be recorded, and once PostgreSQL ends the silent session a standby may take the schema"
          + " over, so this server no longer reads or writes it. Restart it (with --standby, or"
          + " PostgresStorage.Builder.setStandby, if another server may serve meanwhile).");
    }
  }

  /**
   * A failure after which the writer's connection is closed: the next write reconnects. {@code
   * unanswered}: the session whose round trip timed out, which may live on in the database.
   */
  private static final class BrokenConnection extends RuntimeException {
    final RuntimeException failure;
    final Writer.Session unanswered;

    BrokenConnection(RuntimeException failure, Writer.Session unanswered) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
      this.unanswered = unanswered;
    }
  }

  @Override
  public long syncMark() {
    return syncs.mark();
  }

  @Override
  public boolean awaitSynced(long mark, Duration patience) {
    if (!sync || syncs.await(mark, patience.toNanos())) {
      return false;
    }
    // A committed transaction that has a transaction id flushes the log up to its commit record, and
    // so every write committed before it.
    long syncing = syncs.begin();
    readers.use(c -> {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT txid_current()");
      }
      return null;
    }, "syncing the write-ahead log");
    syncs.finished(syncing);
    return true;
  }

  @Override
  public boolean deleteRun(String runId) {
    Pending p = new Pending(List.of(), c -> delete(c, runId, latest), "deleting run " + runId);
    write(p);
    return (Boolean) p.result;
  }

  private static Boolean delete(Connection c, String runId, LatestRuns latest) throws SQLException {
    String workflowId;
    WorkflowStatus status;
    try (PreparedStatement st = c.prepareStatement(
        "SELECT workflow_id, status FROM durable_runs WHERE run_id = ? FOR UPDATE")) {
      st.setString(1, runId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        workflowId = rs.getString(1);
        status = WorkflowStatus.valueOf(rs.getString(2));
      }
    }
    if (!status.isClosed()) {
      throw new DurableException("DURABLE-229", "run " + runId + " of workflow '" + workflowId
          + "' is still running, so it cannot be deleted. Terminate it first, or wait for it to close.");
    }
    for (String sql : List.of("DELETE FROM durable_events WHERE run_id = ?", "DELETE FROM durable_runs WHERE run_id = ?")) {
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.setString(1, runId);
        st.executeUpdate();
      }
    }
    try (PreparedStatement st = c.prepareStatement(
        "DELETE FROM durable_workflow_ids WHERE workflow_id = ? AND run_id = ?")) {
      st.setString(1, workflowId);
      st.setString(2, runId);
      st.executeUpdate();
    }
    latest.forget(workflowId, runId); // before the commit: a failed one only costs a read
    return true;
  }

  /** The connection that writes, holding the advisory lock, with its prepared statements. */
  private static final class Writer {
    final Connection c;
    final String where;
    final Session session;
    final PreparedStatement writeGroup;
    final PreparedStatement writeGroupUnsynced;

    /** A session of the database, told apart from a later one with the same process id by its start. */
    record Session(int pid, String start) {
      static Session of(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
            "SELECT pid, backend_start::text FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
          rs.next();
          return new Session(rs.getInt(1), rs.getString(2));
        }
      }

      /**
       * Ends this session, which rolls back what it is still running and releases its locks, and
       * waits up to {@code patience} until it is gone. Nothing happens to a session that ended.
       */
      void end(Connection c, Duration patience) throws SQLException {
        String alive = "FROM pg_stat_activity WHERE pid = ? AND backend_start::text = ?";
        try (PreparedStatement terminate = c.prepareStatement("SELECT pg_terminate_backend(pid) " + alive);
            PreparedStatement exists = c.prepareStatement("SELECT 1 " + alive)) {
          for (PreparedStatement st : List.of(terminate, exists)) {
            st.setInt(1, pid);
            st.setString(2, start);
          }
          terminate.executeQuery().close();
          long deadline = System.nanoTime() + patience.toNanos();
          while (true) {
            try (ResultSet rs = exists.executeQuery()) {
              if (!rs.next()) {
                return;
              }
            }
            if (System.nanoTime() > deadline) {
              throw new SQLException("session " + pid + " did not end within " + patience.toSeconds() + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
          }
        }
      }
    }

    private Writer(Connection c, String where) throws SQLException {
      this.c = c;
      this.where = where;
      this.session = Session.of(c);
      try (Statement st = c.createStatement()) {
        // The write's plan does not depend on its parameters: planned once, not on every write.
        st.execute("SET plan_cache_mode = force_generic_plan");
      }
      this.writeGroup = c.prepareStatement(Schema.WRITE_GROUP);
      this.writeGroupUnsynced = c.prepareStatement(Schema.WRITE_GROUP_UNSYNCED);
    }

    /**
     * Connects, takes the schema's advisory lock (DURABLE-311 when another server holds it, unless
     * {@code standby}: then it waits until the lock is free) and, on the first open, creates or
     * checks the tables.
     */
    static Writer open(String url, Properties properties, String where, boolean sync, boolean first,
        boolean standby, Duration networkTimeout) {
      Connection c = connect(url, properties, where, sync, networkTimeout);
      try {
        String schema;
        String lockName;
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT current_schema(), current_database()")) {
          rs.next();
          schema = rs.getString(1);
          if (schema == null) {
            throw new DurableException("DURABLE-310", "the connection to " + where + " has no current schema: the"
                + " schemas of its search_path do not exist. Create the schema (CREATE SCHEMA durable) or name an"
                + " existing one with the URL parameter currentSchema=...");
          }
          lockName = rs.getString(2) + "." + schema;
        }
        if (standby) {
          if (!tryLock(c, lockName)) {
            c = standBy(c, url, properties, where, sync, schema, lockName, networkTimeout); // c, or a new one
          }
        } else if (!lock(c, lockName)) {
          throw new DurableException("DURABLE-311", first
              ? "schema '" + schema + "' of " + where + " is in use by another Durable server (it holds the"
                  + " schema's advisory lock). One server owns a schema at a time: stop the other one, give this one"
                  + " a schema of its own with the URL parameter currentSchema=..., or make it a standby"
                  + " (PostgresStorage.Builder.setStandby, --standby)."
              : "this server lost schema '" + schema + "' of " + where + " to another Durable server, which took it"
                  + " while this server's connection was broken; this server no longer reads or writes it. The"
                  + " other server serves the workflows now: close this one.");
        }
        if (first) {
          bound(c, Duration.ZERO); // creating the tables, or changing their layout, may take its time
          Schema.createOrCheck(c, schema, where);
          bound(c, networkTimeout);
        }
        return new Writer(c, where);
      } catch (SQLException | RuntimeException e) {
        ConnectionPool.quietlyClose(c);
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new DurableException("DURABLE-310", "cannot open the store on " + where + ": " + e.getMessage(), e);
      }
    }

    /**
     * Waits until the schema's lock is free and returns a connection that holds it: {@code c}, or
     * a new one when {@code c} broke meanwhile (a database restart; a standby waits through it).
     * Asks every {@link #STANDBY_POLL} rather than waiting in PostgreSQL's lock queue: a wait there
     * ends only by {@code lock_timeout}, which logs an error in PostgreSQL's log each time, and a
     * thread blocked in it cannot be interrupted. An interrupt ends the wait with DURABLE-311.
     */
    private static Connection standBy(Connection c, String url, Properties properties, String where, boolean sync,
        String schema, String lockName, Duration networkTimeout) {
      LOG.log(System.Logger.Level.INFO, "standing by: schema ''{0}'' of {1} is in use by another Durable server;"
          + " this one starts serving once that one stops, or PostgreSQL ends its session", schema, where);
      Connection current = c;
      try {
        while (true) {
          try {
            Thread.sleep(STANDBY_POLL.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DurableException("DURABLE-311", "stopped standing by for schema '" + schema + "' of "
                + where + ": interrupted while another server held it", e);
          }
          try {
            if (current == null) {
              current = connect(url, properties, where, sync, networkTimeout);
            }
            if (tryLock(current, lockName)) {
              Connection holding = current;
              current = null;
              return holding;
            }
          } catch (SQLException | DurableException e) {
            LOG.log(System.Logger.Level.WARNING, "standing by for schema ''{0}'' of {1}: {2}; trying again",
                schema, where, e.getMessage());
            ConnectionPool.quietlyClose(current);
            current = null;
          }
        }
      } finally {
        ConnectionPool.quietlyClose(current);
      }
    }

    /** Takes the schema's advisory lock if it is free. */
    private static boolean tryLock(Connection c, String lockName) throws SQLException {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
        lock.setInt(1, LOCK_CLASS);
        lock.setString(2, lockName);
        try (ResultSet rs = lock.executeQuery()) {
          rs.next();
          return rs.getBoolean(1);
        }
      }
    }

    /**
     * Takes the schema's advisory lock, waiting up to {@link #LOCK_WAIT} for it: a server that was
     * just stopped or killed may still have its session ending (PostgreSQL releases the lock when the
     * session's process exits, shortly after the connection closed).
     */
    private static boolean lock(Connection c, String lockName) throws SQLException {
      try (Statement st = c.createStatement()) {
        st.execute("SET lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'");
      }
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
        lock.setInt(1, LOCK_CLASS);
        lock.setString(2, lockName);
        lock.execute();
        return true;
      } catch (SQLException e) {
        if ("55P03".equals(e.getSQLState())) { // lock_not_available: lock_timeout passed
          return false;
        }
        throw e;
      } finally {
        try (Statement st = c.createStatement()) {
          st.execute("RESET lock_timeout");
        }
      }
    }

    /**
     * Writes the group's transitions in one statement, which commits them (one round trip); with
     * {@code synced} false, in a transaction that commits without waiting for the log's sync.
     */
    void write(List<Pending> group, StoreCodec.Encoder encoder, boolean synced) {
      Transition first = group.get(0).transitions.get(0);
      Schema.GroupRows rows = new Schema.GroupRows();
      for (Pending p : group) {
        p.transitions.forEach(t -> rows.add(t, encoder));
      }
      PreparedStatement st = synced ? writeGroup : writeGroupUnsynced;
      try {
        rows.bind(st, c, encoder);
        st.execute();
      } catch (SQLException e) {
        throw failed(e, "writing workflow '" + first.state().workflowId + "' (run " + first.state().runId + ")");
      }
    }

    /** Runs {@code work} in a transaction of its own, committed without waiting for the log's sync. */
    Object inTransaction(SqlWork work, String what) {
      try {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          st.execute("SET LOCAL synchronous_commit TO off");
        }
        Object result = work.run(c);
        c.commit();
        c.setAutoCommit(true);
        return result;
      } catch (SQLException e) {
        throw failed(e, what);
      } catch (RuntimeException e) {
        rollback();
        throw e;
      }
    }

    /**
     * Rolls back after a failed statement and reports it; a broken connection is reported as
     * {@link BrokenConnection}, and the store then opens a new one for the next write.
     */
    private RuntimeException failed(SQLException e, String what) {
      if (timedOut(e)) {
        close();
        return new BrokenConnection(new DurableException("DURABLE-302", what + " in " + where + " failed: the"
            + " database did not answer within the dead-session timeout (" + e.getMessage() + "). The change may or"
            + " may not be recorded: the server ends that session and reads back what is stored. The next write"
            + " connects again.", e), session);
      }
      String state = e.getSQLState();
      boolean broken = state != null && state.startsWith("08") || !isValid();
      if (broken) {
        close();
        return new BrokenConnection(new DurableException("DURABLE-302", what + " in " + where + " failed: the"
            + " connection broke (" + e.getMessage() + "). The change may or may not be recorded: the server reads"
            + " back what is stored. The next write connects again.", e), null);
      }
      rollback();
      return new DurableException("DURABLE-302", what + " in " + where + " failed: " + e.getMessage()
          + ". Nothing of this change was recorded. Fix the cause (a full disk, permissions); everything"
          + " acknowledged before is kept.", e);
    }

    /** Whether the statement failed because a round trip outlasted the network timeout ({@link #bound}). */
    private static boolean timedOut(SQLException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.net.SocketTimeoutException) {
          return true;
        }
      }
      return false;
    }

    private boolean isValid() {
      try {
        return c.isValid(2);
      } catch (SQLException e) {
        return false;
      }
    }

    /** Ends the transaction a failed statement left open (the unsynced write's, or a deletion's). */
    private void rollback() {
      try (Statement st = c.createStatement()) {
        st.execute("ROLLBACK");
        c.setAutoCommit(true);
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "rollback on {0} failed: {1}", where, e.getMessage());
      }
    }

    void close() {
      try {
        if (!c.isClosed()) {
          // Released now, not when the session's process has exited: the next server may start at once.
          try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_unlock_all()");
          }
        }
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "releasing the lock on {0} failed: {1}", where, e.getMessage());
      }
      try {
        c.close();
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the writer's connection to {0} failed: {1}", where, e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public List<HistoryEvent> readHistory(String runId, long fromEventId) {
    return readers.use(c -> {
      List<Long> ids = new ArrayList<>();
      List<byte[]> values = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(
          "SELECT event_id, event FROM durable_events WHERE run_id = ? AND event_id >= ? ORDER BY event_id")) {
        st.setString(1, runId);
        st.setLong(2, fromEventId);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
            values.add(rs.getBytes(2));
          }
        }
      }
      return StoreCodec.decodeEvents(values, i -> "run " + runId + " event " + ids.get(i) + " in " + where);
    }, "reading the history of run " + runId);
  }

  @Override
  public Optional<HistoryEvent> readEvent(String runId, long eventId) {
    byte[] v = readerValue("SELECT event FROM durable_events WHERE run_id = ? AND event_id = ?", runId, eventId);
    return v == null ? Optional.empty()
        : Optional.of(StoreCodec.decodeEvent(v, "run " + runId + " event " + eventId + " in " + where));
  }

  @Override
  public Optional<ExecutionState> readExecution(String runId) {
    byte[] v = readerValue("SELECT state FROM durable_runs WHERE run_id = ?", runId, null);
    return v == null ? Optional.empty() : Optional.of(StoreCodec.decodeState(v, "run " + runId + " in " + where));
  }

  @Override
  public Optional<String> currentRunId(String workflowId) {
    String known = latest.get(workflowId);
    if (known != null) {
      return Optional.of(known);
    }
    byte[] v = readerValue("SELECT convert_to(run_id, 'UTF8') FROM durable_workflow_ids WHERE workflow_id = ?",
        workflowId, null);
    return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
  }

  /** The first column of the query's one row (a text and, when not null, a number as parameters), or null. */
  private byte[] readerValue(String sql, String text, Long number) {
    return readers.use(c -> {
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.setString(1, text);
        if (number != null) {
          st.setLong(2, number);
        }
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    }, "reading " + text);
  }

  @Override
  public void forEachRunToRecover(Consumer<ExecutionState> consumer) {
    forEachState("SELECT run_id, state FROM durable_runs WHERE open ORDER BY run_id", consumer);
  }

  @Override
  public void forEachExecution(Consumer<ExecutionState> consumer) {
    forEachState("SELECT run_id, state FROM durable_runs ORDER BY run_id", consumer);
  }

  /** Reads the states with a cursor, decoding a chunk at a time on all cores, handed on in order. */
  private void forEachState(String sql, Consumer<ExecutionState> consumer) {
    readers.useOnce(c -> ConnectionPool.withCursor(c, tx -> {
      try (PreparedStatement st = tx.prepareStatement(sql)) {
        st.setFetchSize(STATE_CHUNK);
        List<String> runIds = new ArrayList<>();
        List<byte[]> states = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            runIds.add(rs.getString(1));
            states.add(rs.getBytes(2));
            if (states.size() == STATE_CHUNK) {
              handOn(runIds, states, consumer);
            }
          }
        }
        handOn(runIds, states, consumer);
      }
      return null;
    }), "reading the runs");
  }

  private void handOn(List<String> runIds, List<byte[]> states, Consumer<ExecutionState> consumer) {
    if (!states.isEmpty()) {
      StoreCodec.decodeStates(states, i -> "run " + runIds.get(i) + " in " + where).forEach(consumer);
      runIds.clear();
      states.clear();
    }
  }

  @Override
  public VisibilityPage listRuns(VisibilityQuery query) {
    byte[] fingerprint = query.fingerprint();
    byte[] after = query.pageToken() == null ? null : PageTokens.decode(query.pageToken(), fingerprint);
    return readers.use(c -> Listing.page(c, query, fingerprint, after), "listing runs");
  }

  @Override
  public long countRuns(VisibilityQuery query) {
    return readers.use(c -> Listing.count(c, query), "counting runs");
  }

  @Override
  public List<String> verifyIndexes(ExecutionState state) {
    return readers.use(c -> Listing.verify(c, state), "checking the listing of run " + state.runId);
  }

  @Override
  public List<ClosedRun> closedRuns(Instant closedBy, ClosedRun after, int limit) {
    return readers.use(c -> Listing.closedRuns(c, closedBy, after, limit), "reading closed runs");
  }

  /**
   * Refused: a store on PostgreSQL is backed up with PostgreSQL's tools, which know its
   * replication and point-in-time recovery.
   */
  @Override
  public void backup(Path target) {
    throw new DurableException("DURABLE-313", "the server keeps its data in " + where + ", so it is backed up with"
        + " PostgreSQL's own tools, not into " + target + ": pg_dump --schema=<the schema> for a copy, or the"
        + " database's base backups and WAL archiving for point-in-time recovery (docs/operations.md, \"PostgreSQL\").");
  }

  @Override
  public void close() {
    synchronized (lead) {
      closed = true;
      if (checker != null) {
        checker.shutdown(); // a check under way ends with the store's closing
      }
      while (leading) {
        try {
          lead.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (writer != null) {
        writer.close(); // releases the advisory lock
        writer = null;
      }
    }
    readers.close();
  }
}
