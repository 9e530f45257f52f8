package dev.durable.postgres;

import dev.durable.internal.Checks;
import dev.durable.internal.store.Store;
import dev.durable.server.Durability;
import dev.durable.server.Storage;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Keeps a server's histories, run states, task queues' records and listing indexes in a
 * PostgreSQL database (version 12 or later) instead of a RocksDB data dir: for teams that run
 * PostgreSQL already and want its backups, replication and tooling for Durable's data too.
 *
 * <pre>{@code
 * DurableServer server = DurableServer.newBuilder()
 *     .setStorage(PostgresStorage.newBuilder()
 *         .setUrl("jdbc:postgresql://db.internal:5432/app?currentSchema=durable")
 *         .setUser("durable")
 *         .setPassword(System.getenv("DURABLE_DB_PASSWORD"))
 *         .build())
 *     .build().start();
 * }</pre>
 *
 * <p>The server creates its tables (prefixed {@code durable_}) in the connection's current schema
 * on its first start, which needs the {@code CREATE} privilege there. One server owns a schema at a
 * time: it holds a PostgreSQL advisory lock on the connection it writes with, and a second server
 * on the same schema fails with DURABLE-311. Every state change is one transaction; concurrent
 * changes share one commit (group commit). With {@link Durability#SYNC} a change is acknowledged
 * once PostgreSQL committed it under {@code synchronous_commit = on}, with {@link Durability#ASYNC}
 * under {@code off}. See docs/operations.md, "PostgreSQL".
 */
public final class PostgresStorage implements Storage {
  private static final Duration DEFAULT_DEAD_SESSION_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration MIN_DEAD_SESSION_TIMEOUT = Duration.ofSeconds(6);
  private final String url;
  private final Properties properties;
  private final int readConnections;
  private final boolean standby;
  private final Duration deadSessionTimeout;

  private PostgresStorage(Builder b) {
    this.url = b.url;
    this.properties = new Properties();
    this.properties.putAll(b.properties);
    long seconds = b.deadSessionTimeout.toSeconds();
    if (seconds > 0) {
      // Server-side settings of each session, before the user's own options (a later -c wins).
      String keepalives = "-c tcp_keepalives_idle=" + seconds / 2 + " -c tcp_keepalives_interval="
          + Math.max(1, seconds / 6) + " -c tcp_keepalives_count=3 -c tcp_user_timeout=" + seconds * 1000;
      String own = b.properties.get("options");
      this.properties.setProperty("options", own == null ? keepalives : keepalives + " " + own);
      // Making a connection to a database that does not answer fails too, rather than hangs.
      this.properties.putIfAbsent("loginTimeout", String.valueOf(seconds));
    }
    this.readConnections = b.readConnections;
    this.standby = b.standby;
    this.deadSessionTimeout = b.deadSessionTimeout;
  }

  /** The driver's properties, with what the builder's settings add. */
  Properties properties() {
    return properties;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Not API: opens the store (called by {@code DurableServer.start()}). */
  @Override
  public Store open(Durability durability) {
    return PostgresStore.open(url, properties, readConnections, durability == Durability.SYNC, standby,
        deadSessionTimeout);
  }

  /** The JDBC URL without its parameters (which may hold a password). */
  @Override
  public String describe() {
    return PostgresStore.describe(url);
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Builds a {@link PostgresStorage}. */
  public static final class Builder {
    private String url;
    // Named in pg_stat_activity; TCP keepalives notice a database host that vanished without a word.
    private final Map<String, String> properties = new TreeMap<>(Map.of("ApplicationName", "durable",
        "tcpKeepAlive", "true"));
    private int readConnections = 4;
    private Duration deadSessionTimeout = DEFAULT_DEAD_SESSION_TIMEOUT;
    private boolean standby;

    private Builder() {}

    /**
     * Sets the JDBC URL, {@code jdbc:postgresql://host:port/database}. Required. Its parameters are
     * the driver's (pgjdbc's), for example {@code currentSchema=durable} to keep the tables in their
     * own schema, or {@code sslmode=verify-full}.
     */
    public Builder setUrl(String url) {
      this.url = url;
      return this;
    }

    /** Sets the user to connect as. */
    public Builder setUser(String user) {
      return setProperty("user", user);
    }

    /** Sets the password to connect with. */
    public Builder setPassword(String password) {
      return setProperty("password", password);
    }

    /**
     * Sets a property of the driver (pgjdbc), as a URL parameter would. By default
     * {@code ApplicationName} is {@code durable} and {@code tcpKeepAlive} is {@code true}.
     */
    public Builder setProperty(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
      return this;
    }

    /**
     * Sets how many connections serve reads (histories, listings, run states) at once; writes use
     * one connection of their own. Default 4.
     */
    public Builder setReadConnections(int connections) {
      this.readConnections = connections;
      return this;
    }

    /**
     * Sets how long PostgreSQL keeps the session of a server whose machine vanished (lost power, or
     * its network) before it ends it, which releases the schema's lock for a server taking over.
     * The server's connections ask PostgreSQL to probe an idle connection after half of it, and to
     * end it after three unanswered probes or once data sent is unacknowledged that long
     * ({@code tcp_keepalives_idle}, {@code tcp_keepalives_interval}, {@code tcp_keepalives_count}
     * and {@code tcp_user_timeout}, PostgreSQL 12 or later). Default one minute; at least 6
     * seconds; {@link Duration#ZERO} leaves the database's settings (two hours by default). A
     * process that dies, rather than its machine, releases the lock at once either way.
     *
     * <p>The same time bounds the server's own waits on the database: each round trip on its
     * connections (the JDBC network timeout), and making a connection (the driver's {@code
     * loginTimeout}, unless set as a property). A write left unanswered that long fails with
     * DURABLE-302; the server ends that write's session before it reads back what was stored, and
     * stops (DURABLE-311) when it cannot reach the database to do so. Zero leaves these unbounded.
     */
    public Builder setDeadSessionTimeout(Duration timeout) {
      this.deadSessionTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Makes the server a standby when another server holds the schema: its {@code start()} waits
     * until that server releases it (it is closed, its process dies, or PostgreSQL ends the session
     * of a machine that vanished: see {@link #setDeadSessionTimeout}), then loads the open runs and
     * serves them, instead of failing with DURABLE-311. Default false. An interrupt of the starting
     * thread ends the wait with DURABLE-311.
     *
     * <p>A server that loses the schema to a standby while its connection was broken notices at its
     * next write, or at its own check of the lock (every sixth of the dead-session timeout, 10 s
     * when that is zero): it finds the lock taken (DURABLE-311) and stops serving (its calls fail
     * with DURABLE-213), so two servers never write the same schema. A server that cannot reach the
     * database at all stops the same way after about two dead-session timeouts, since a standby may
     * have taken over meanwhile.
     */
    public Builder setStandby(boolean standby) {
      this.standby = standby;
      return this;
    }

    /** Validates the settings and builds the storage. Nothing connects before the server starts. */
    public PostgresStorage build() {
      if (url == null || !url.startsWith("jdbc:postgresql:")) {
        throw Checks.invalid("the PostgreSQL storage needs a JDBC URL such as"
            + " jdbc:postgresql://localhost:5432/durable, got " + (url == null ? "none" : "'" + url + "'"));
      }
      Checks.atLeast("readConnections", readConnections, 1);
      if (!deadSessionTimeout.isZero() && deadSessionTimeout.compareTo(MIN_DEAD_SESSION_TIMEOUT) < 0) {
        throw Checks.invalid("deadSessionTimeout must be at least " + MIN_DEAD_SESSION_TIMEOUT.toSeconds()
            + " seconds (or zero, to keep the database's keepalive settings), got " + deadSessionTimeout);
      }
      return new PostgresStorage(this);
    }
  }
}
