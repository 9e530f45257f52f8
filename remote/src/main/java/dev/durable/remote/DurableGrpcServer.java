package dev.durable.remote;

import dev.durable.client.ConnectionOptions;
import dev.durable.common.DurableException;
import dev.durable.internal.Checks;
import dev.durable.internal.Deadlines;
import dev.durable.internal.LazyLogger;
import dev.durable.internal.service.HostPort;
import dev.durable.internal.service.RemoteChecks;
import dev.durable.remote.internal.MetricsEndpoint;
import dev.durable.remote.internal.ServerHandlers;
import dev.durable.remote.internal.TokenCheck;
import dev.durable.server.Durability;
import dev.durable.server.DurableServer;
import dev.durable.server.Storage;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The standalone server: an embedded {@link DurableServer} served over gRPC, so that workers and
 * clients in other processes and on other machines use it through
 * {@link dev.durable.client.WorkflowClient#connect(ConnectionOptions)}.
 *
 * <pre>{@code
 * try (DurableGrpcServer server = DurableGrpcServer.newBuilder()
 *         .setDataDir(Path.of("data"))
 *         .setAddress("0.0.0.0:7233")
 *         .setTlsCertificate(Path.of("server.pem"), Path.of("server.key"))
 *         .setToken(System.getenv("DURABLE_TOKEN"))
 *         .build().start()) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts down gracefully: it stops accepting calls, answers pending long polls
 * with no task at once, waits for calls in flight, then closes the data dir.
 */
public final class DurableGrpcServer implements AutoCloseable {
  private static final System.Logger LOG = LazyLogger.of(DurableGrpcServer.class);

  private final Builder options;
  private DurableServer engine;
  private boolean ownsEngine;
  private ServerHandlers handlers;
  private Server grpc;
  private ExecutorService executor;
  private MetricsEndpoint metrics;
  private boolean closed;
  private volatile RuntimeException stoppedBy;

  private DurableGrpcServer(Builder options) {
    this.options = options;
  }

  /** Returns a new builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Opens the data dir (recovering every open workflow), binds the address and starts serving.
   *
   * @return this server
   * @throws DurableException DURABLE-267 if the address (or the metrics address) cannot be bound,
   *     DURABLE-263 if the TLS files cannot be used, DURABLE-301 if another server holds the data dir
   *     (DURABLE-311 the PostgreSQL schema)
   */
  public synchronized DurableGrpcServer start() {
    if (grpc != null || closed) {
      throw new IllegalStateException("DURABLE-214 this DurableGrpcServer was already started; build a new one");
    }
    ServerCredentials credentials = credentials();
    ownsEngine = options.embedded == null;
    engine = ownsEngine ? options.engine().build().start() : options.embedded;
    handlers = new ServerHandlers(engine.workflowService());
    AtomicInteger threads = new AtomicInteger();
    // A thread per call: long polls block for up to their timeout, and every worker keeps two open.
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "durable-grpc-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    var service = options.token == null
        ? handlers.definition()
        : ServerInterceptors.intercept(handlers.definition(), new TokenCheck(options.token));
    try {
      grpc = NettyServerBuilder.forAddress(new InetSocketAddress(options.host, options.port), credentials)
          .executor(executor)
          .maxInboundMessageSize(64 * 1024 * 1024)
          .permitKeepAliveWithoutCalls(true)
          .permitKeepAliveTime(10, TimeUnit.SECONDS)
          .addService(service)
          .build()
          .start();
    } catch (IOException | RuntimeException e) {
      stopEngine();
      executor.shutdownNow();
      grpc = null;
      boolean inUse = e instanceof BindException || e.getCause() instanceof BindException;
      throw new DurableException("DURABLE-267", "cannot listen on " + options.host + ":" + options.port + ": "
          + e.getMessage() + (inUse ? " (the port is in use: stop the other process or pick another --address)"
          : " (check --address: the host must be an address of this machine)"), e);
    }
    if (options.metricsHost != null) {
      try {
        metrics = MetricsEndpoint.start(options.metricsHost, options.metricsPort, engine);
      } catch (RuntimeException e) {
        grpc.shutdownNow();
        grpc = null;
        executor.shutdownNow();
        stopEngine();
        throw e;
      }
    }
    if (ownsEngine) {
      // An engine that stopped serving by itself answers every call with an error: close, so that
      // the port closes (a load balancer moves traffic on, e.g. to a standby) and awaitTermination returns.
      engine.onStoppedByFailure(e -> {
        stoppedBy = e;
        close();
      });
    }
    LOG.log(System.Logger.Level.INFO, "Durable server listening on {0}:{1} ({2}{3}){4}", options.host,
        String.valueOf(port()), credentials instanceof TlsServerCredentials ? "tls" : "plaintext",
        options.token != null ? ", token required" : "",
        metricsAddress().map(a -> ", metrics on http://" + a + "/metrics").orElse(""));
    return this;
  }

  private ServerCredentials credentials() {
    if (options.certificate == null) {
      return InsecureServerCredentials.create();
    }
    try {
      TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder()
          .keyManager(options.certificate.toFile(), options.key.toFile());
      if (options.clientCa != null) {
        b.trustManager(options.clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (IOException | RuntimeException e) {
      throw new DurableException("DURABLE-263", "cannot load the server's TLS files (certificate " + options.certificate
          + ", key " + options.key + (options.clientCa != null ? ", client CA " + options.clientCa : "") + "): "
          + e.getMessage() + ". Certificates must be PEM files and the key a PEM PKCS#8 private key (BEGIN PRIVATE KEY).", e);
    }
  }

  /** Returns the port the server listens on (the bound one when the address asked for port 0). */
  public synchronized int port() {
    if (grpc == null || closed) {
      throw new IllegalStateException("DURABLE-214 the DurableGrpcServer is not running: call start() (once) and use it"
          + " before close()");
    }
    return grpc.getPort();
  }

  /** Returns the address clients connect to, {@code host:port}. */
  public String address() {
    return hostPort(options.host, port());
  }

  /**
   * Returns where {@code GET /metrics} is served, {@code host:port} (the bound port when port 0 was
   * asked for), or empty when {@link Builder#setMetricsAddress} was not set.
   */
  public synchronized Optional<String> metricsAddress() {
    port(); // fails unless running
    return metrics == null ? Optional.empty() : Optional.of(hostPort(options.metricsHost, metrics.port()));
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Returns the embedded server behind the network service. */
  public synchronized DurableServer embeddedServer() {
    if (engine == null) {
      throw new IllegalStateException("DURABLE-214 the DurableGrpcServer is not started; call start() first");
    }
    return engine;
  }

  /** Returns how many long polls wait for tasks now; for tests. */
  synchronized int pendingPolls() {
    return handlers == null ? 0 : handlers.pendingPolls();
  }

  /**
   * The storage failure after which this server closed itself, if it did: the engine it built
   * stopped serving (see {@link DurableServer#onStoppedByFailure}), for example because another
   * server took its PostgreSQL schema over. An engine given with {@link
   * Builder#setEmbeddedServer} is the application's to watch: this server does not close for it.
   */
  public Optional<RuntimeException> stoppedBy() {
    return Optional.ofNullable(stoppedBy);
  }

  /**
   * Blocks until the server has stopped: after {@link #close()}, from another thread or a shutdown
   * hook, or after it closed itself (see {@link #stoppedBy()}).
   */
  public void awaitTermination() throws InterruptedException {
    Server s;
    synchronized (this) {
      s = grpc;
    }
    if (s != null) {
      s.awaitTermination();
    }
  }

  /**
   * Stops gracefully: refuses new calls, answers pending long polls with no task at once, waits up
   * to the shutdown grace period for calls in flight (then cancels them), and closes the data dir,
   * flushing it. Workers notice nothing but empty polls and reconnect when a server is back.
   */
  @Override
  public synchronized void close() {
    if (grpc == null || closed) {
      return;
    }
    closed = true;
    grpc.shutdown();
    handlers.drain();
    try {
      if (!grpc.awaitTermination(Deadlines.millis(options.shutdownGracePeriod), TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "calls still running after {0}; canceling them", options.shutdownGracePeriod);
        grpc.shutdownNow();
        executor.shutdownNow();
        grpc.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      grpc.shutdownNow();
    }
    executor.shutdownNow();
    if (metrics != null) {
      metrics.close();
    }
    stopEngine();
    LOG.log(System.Logger.Level.INFO, "Durable server stopped");
  }

  private void stopEngine() {
    if (ownsEngine && engine != null) {
      engine.close();
    }
  }

  /** Builds a {@link DurableGrpcServer}. */
  public static final class Builder {
    private Path dataDir;
    private Storage storage;
    private Durability durability = Durability.SYNC;
    private String host = "127.0.0.1";
    private int port = 7233;
    private Path certificate;
    private Path key;
    private Path clientCa;
    private String token;
    private DurableServer embedded;
    private Duration shutdownGracePeriod = Duration.ofSeconds(30);
    private Duration retention;
    private String metricsHost;
    private int metricsPort;

    private Builder() {}

    /**
     * Sets the directory holding the data; created if missing. Required unless {@link #setStorage} or
     * {@link #setEmbeddedServer} is used.
     */
    public Builder setDataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * Keeps the data in a database instead of a data dir, such as {@code PostgresStorage} of
     * {@code durable-postgres}; see {@link DurableServer.Builder#setStorage}. Not together with
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

    /**
     * Sets the address to listen on, {@code host:port} (default {@code 127.0.0.1:7233}, only this
     * machine; {@code 0.0.0.0:7233} for every interface; port 0 picks a free port, see {@link #port()}).
     */
    public Builder setAddress(String address) {
      HostPort hp = HostPort.parse("address", address);
      this.host = hp.host();
      this.port = hp.port();
      return this;
    }

    /**
     * Serves the engine's metrics ({@link DurableServer#metrics()}) in the Prometheus text format at
     * {@code GET http://host:port/metrics}, plain HTTP without the token (default: not served; port 0
     * picks a free port, see {@link #metricsAddress()}). Bind it to an address only the scraper
     * reaches: the metrics name task queues.
     */
    public Builder setMetricsAddress(String address) {
      HostPort hp = HostPort.parse("metricsAddress", address);
      this.metricsHost = hp.host();
      this.metricsPort = hp.port();
      return this;
    }

    /** Serves TLS with this PEM certificate chain and PEM PKCS#8 private key. */
    public Builder setTlsCertificate(Path certificatePem, Path privateKeyPem) {
      this.certificate = certificatePem;
      this.key = privateKeyPem;
      return this;
    }

    /** Requires mutual TLS: clients must present a certificate signed by a CA in this PEM file. */
    public Builder setTlsClientCa(Path caPem) {
      this.clientCa = caPem;
      return this;
    }

    /**
     * Requires every call to carry {@code authorization: Bearer <token>}; others are refused with
     * DURABLE-262. Use TLS as well, or the token crosses the network in clear text.
     */
    public Builder setToken(String token) {
      this.token = token;
      return this;
    }

    /**
     * Sets how long a run is kept after it closed before it is deleted (default: for good); see
     * {@link DurableServer.Builder#setRetention}.
     */
    public Builder setRetention(Duration retention) {
      this.retention = retention;
      return this;
    }

    /**
     * Serves an embedded server the caller started and keeps: {@link #close()} leaves it open.
     * Replaces {@link #setDataDir}, {@link #setStorage}, {@link #setDurability} and {@link #setRetention}.
     */
    public Builder setEmbeddedServer(DurableServer server) {
      this.embedded = server;
      return this;
    }

    /** Sets how long {@link #close()} waits for calls in flight before canceling them (default 30 s). */
    public Builder setShutdownGracePeriod(Duration period) {
      this.shutdownGracePeriod = period;
      return this;
    }

    /** Checks the options and builds the server, not started yet; fails with DURABLE-201 naming the bad value. */
    public DurableGrpcServer build() {
      if (embedded == null && dataDir == null && storage == null) {
        throw Checks.invalid("dataDir must be set: pass setDataDir(Path) (--data-dir DIR), or a storage with"
            + " setStorage(...) (--postgres-url URL)");
      }
      if (durability == null) {
        throw Checks.invalid("durability must be SYNC or ASYNC, got null");
      }
      if ((certificate == null) != (key == null)) {
        throw Checks.invalid("TLS needs both a certificate and its private key (--tls-cert and --tls-key), got certificate="
            + certificate + " key=" + key);
      }
      if (clientCa != null && certificate == null) {
        throw Checks.invalid("mutual TLS (--tls-client-ca) needs TLS: set the server certificate and key too");
      }
      RemoteChecks.readableFile("tlsCertificate", certificate);
      RemoteChecks.readableFile("tlsKey", key);
      RemoteChecks.readableFile("tlsClientCa", clientCa);
      RemoteChecks.token(token);
      Checks.positive("shutdownGracePeriod", shutdownGracePeriod);
      Checks.positiveOrNull("retention", retention);
      if (embedded == null) {
        engine().build(); // refuses a data dir and a storage together
      }
      return new DurableGrpcServer(this);
    }

    /** The builder of the server this one serves when no embedded server is given. */
    private DurableServer.Builder engine() {
      return DurableServer.newBuilder().setDataDir(dataDir).setStorage(storage).setDurability(durability)
          .setRetention(retention);
    }
  }
}
