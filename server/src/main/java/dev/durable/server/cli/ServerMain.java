package dev.durable.server.cli;

import dev.durable.client.ConnectionOptions;
import dev.durable.postgres.PostgresStorage;
import dev.durable.remote.DurableGrpcServer;
import dev.durable.server.Durability;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The standalone server's command line, defined once: {@code java -jar durable-server.jar --data-dir
 * DIR [options]} runs it through {@link #main}, and the {@code durable} CLI registers this same
 * command as {@code durable server start}. It serves the data dir (or, with {@code --postgres-url},
 * a PostgreSQL database) over gRPC until SIGTERM or Ctrl-C, then shuts down gracefully (stop
 * accepting, answer waiting long polls, flush) and prints {@code Durable server stopped}.
 *
 * <pre>{@code
 * java -jar server/target/durable-server.jar --data-dir /var/lib/durable --address 0.0.0.0:7233
 * DURABLE_POSTGRES_PASSWORD=... java -jar server/target/durable-server.jar \
 *     --postgres-url 'jdbc:postgresql://db:5432/app?currentSchema=durable' --postgres-user durable
 * }</pre>
 *
 * <p>Each front end formats errors its own way: {@link #execute} (the jar) prints
 * {@code DURABLE-201} and the usage and exits with 2 for bad options, or exits with 1 when the server
 * cannot start; the CLI reports them with its own codes and exit statuses (docs/cli.md).
 */
@Command(name = "start", sortOptions = false,
    description = "Serve a data dir or a PostgreSQL database over gRPC to workers and clients (WorkflowClient.connect,"
        + " durable --address) until SIGTERM or Ctrl-C, then shut down gracefully: stop accepting, answer waiting"
        + " polls, flush.")
public final class ServerMain implements Callable<Integer> {
  /** The environment variable that holds the default of {@code --token}. */
  public static final String TOKEN_ENV = "DURABLE_TOKEN";
  /** The environment variable that holds the password of {@code --postgres-user}. */
  public static final String POSTGRES_PASSWORD_ENV = "DURABLE_POSTGRES_PASSWORD";
  /** What the jar's usage line calls the command. */
  static final String JAR_COMMAND = "java -jar durable-server.jar";

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where workflows are stored; created if missing. This or --postgres-url is required.")
  Path dataDir;

  @Option(names = "--postgres-url", paramLabel = "URL",
      description = "Store workflows in PostgreSQL instead, at this JDBC URL, such as"
          + " jdbc:postgresql://db:5432/app?currentSchema=durable; the tables are created on the first start.")
  String postgresUrl;

  @Option(names = "--postgres-user", paramLabel = "USER",
      description = "The PostgreSQL user, with the password in $" + POSTGRES_PASSWORD_ENV
          + " (never on the command line, where other users see it).")
  String postgresUser;

  @Option(names = "--standby",
      description = "With --postgres-url: when another server holds the schema, wait until it stops (or PostgreSQL"
          + " ends its session, within a minute of its machine vanishing), then serve its workflows, instead of"
          + " exiting. The address is bound only then.")
  boolean standby;

  @Option(names = "--address", paramLabel = "HOST:PORT", defaultValue = ConnectionOptions.DEFAULT_ADDRESS,
      description = "Where to listen (default: ${DEFAULT-VALUE}; 0.0.0.0:7233 for every interface; port 0 picks"
          + " a free port).")
  String address;

  @Option(names = "--metrics-address", paramLabel = "HOST:PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics, plain HTTP without the token"
          + " (default: off; port 0 picks a free port).")
  String metricsAddress;

  @Option(names = "--durability", paramLabel = "sync|async", defaultValue = "sync",
      description = "sync (default): each change is on disk before it is acknowledged; async: faster, the last"
          + " changes may be lost in a power cut.")
  Durability durability;

  @Option(names = "--retention", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Delete each run this long after it closed, such as 30d or 12h (default: keep closed runs for"
          + " good).")
  Duration retention;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve TLS with this PEM certificate chain.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM PKCS#8 private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "FILE",
      description = "Require mutual TLS: clients present certificates signed by a CA in this PEM file.")
  Path tlsClientCa;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Require 'authorization: Bearer TOKEN' on every call (default: $" + TOKEN_ENV + ").")
  String token;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  private final Map<String, String> env;

  /** The command with the process environment, for the default of {@code --token} and the PostgreSQL password. */
  public ServerMain() {
    this(System.getenv());
  }

  /**
   * The command with the given environment.
   *
   * @param env where {@code DURABLE_TOKEN} is looked up when {@code --token} is not given, and
   *     {@code DURABLE_POSTGRES_PASSWORD}
   */
  public ServerMain(Map<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /** Starts the server and blocks until it stops; exits with 2 on bad options, 1 if it cannot start. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int status = execute(args, out, err, System.getenv());
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs the jar's command line without exiting: blocks while the server runs.
   *
   * @param args the arguments, as {@code main} gets them
   * @param out where the "listening" and "stopped" lines and {@code --help} go
   * @param err where errors go
   * @param env the environment, for {@code DURABLE_TOKEN} and {@code DURABLE_POSTGRES_PASSWORD}
   * @return 0 after {@code --help} or a shutdown, 2 for bad options, 1 when the server cannot start
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    CommandLine cl = new CommandLine(new ServerMain(env))
        .setCommandName(JAR_COMMAND)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(out)
        .setErr(err)
        .setParameterExceptionHandler((e, a) -> badOptions(e.getCommandLine(), e.getMessage()))
        .setExecutionExceptionHandler((e, line, parsed) -> {
          if (e instanceof UsageException || (e instanceof IllegalArgumentException && e.getMessage() != null
              && e.getMessage().startsWith("DURABLE-201 "))) {
            return badOptions(line, e.getMessage());
          }
          line.getErr().println("durable-server: " + e.getMessage());
          return 1;
        });
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  private static int badOptions(CommandLine line, String message) {
    PrintWriter err = line.getErr();
    err.println((message.startsWith("DURABLE-") ? "" : "DURABLE-201 ") + message);
    line.usage(err);
    return 2;
  }

  /**
   * Builds the server the options describe, not started.
   *
   * @throws UsageException when neither or both of {@code --data-dir} and {@code --postgres-url} are
   *     given, or {@code --tls-cert} and {@code --tls-key} are not given together
   * @throws IllegalArgumentException (DURABLE-201) for a value the server builder refuses
   */
  public DurableGrpcServer newServer() {
    if (dataDir == null && postgresUrl == null) {
      throw new UsageException("Missing where to store workflows: give --data-dir DIR (RocksDB on this machine) or"
          + " --postgres-url URL (a PostgreSQL database).");
    }
    if (dataDir != null && postgresUrl != null) {
      throw new UsageException("--data-dir and --postgres-url do not go together: the server keeps its workflows in"
          + " one place, give one of them.");
    }
    if (postgresUser != null && postgresUrl == null) {
      throw new UsageException("--postgres-user goes with --postgres-url; a --data-dir needs no user.");
    }
    if (standby && postgresUrl == null) {
      throw new UsageException("--standby goes with --postgres-url: a data dir belongs to one machine's server.");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new UsageException("--tls-cert and --tls-key go together: give both to serve TLS, or neither.");
    }
    String t = token();
    DurableGrpcServer.Builder b = DurableGrpcServer.newBuilder().setAddress(address)
        .setDurability(durability).setRetention(retention).setToken(t);
    if (postgresUrl != null) {
      b.setStorage(postgres());
    } else {
      b.setDataDir(dataDir);
    }
    if (tlsCert != null) {
      b.setTlsCertificate(tlsCert, tlsKey);
    }
    if (tlsClientCa != null) {
      b.setTlsClientCa(tlsClientCa);
    }
    if (metricsAddress != null) {
      b.setMetricsAddress(metricsAddress);
    }
    return b.build();
  }

  /** The storage of {@code --postgres-url}, {@code --postgres-user} and {@code $DURABLE_POSTGRES_PASSWORD}. */
  private PostgresStorage postgres() {
    return postgresStorage(postgresUrl, postgresUser, env).setStandby(standby).build();
  }

  /**
   * The PostgreSQL storage of a URL and user, with the password from {@code $DURABLE_POSTGRES_PASSWORD}
   * in {@code env} when it is set and not blank: for this command and {@code durable server copy}.
   */
  public static PostgresStorage.Builder postgresStorage(String url, String user, Map<String, String> env) {
    PostgresStorage.Builder b = PostgresStorage.newBuilder().setUrl(url);
    if (user != null) {
      b.setUser(user);
    }
    String password = env.get(POSTGRES_PASSWORD_ENV);
    if (password != null && !password.isEmpty()) {
      b.setPassword(password);
    }
    return b;
  }

  /** {@code --token}, else {@code $DURABLE_TOKEN}; null when neither is given or it is blank. */
  private String token() {
    String t = token != null ? token : env.get(TOKEN_ENV);
    return t == null || t.isBlank() ? null : t;
  }

  /**
   * Starts the server, prints where it listens, and blocks until it stops; a shutdown hook (SIGTERM,
   * Ctrl-C) closes it gracefully and prints {@code Durable server stopped}. A server that stopped
   * serving by itself (a failing disk, its PostgreSQL schema taken over by a standby) closes and
   * exits with status 1, its storage error on stderr.
   */
  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    DurableGrpcServer built = newServer();
    if (standby) {
      out.println("Durable server standing by for " + postgres().describe() + ": it serves once no other server"
          + " holds the schema");
      out.flush();
    }
    DurableGrpcServer server = built.start();
    // SIGTERM and Ctrl-C: stop accepting, end pending long polls, wait for calls in flight, flush.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      out.println("Durable server stopped");
      out.flush();
    }, "durable-server-shutdown"));
    String store = postgresUrl != null ? postgres().describe() : "data dir " + dataDir.toAbsolutePath();
    out.println("Durable server listening on " + server.address() + " (" + store
        + (token() == null ? "" : ", token required") + (tlsCert == null ? "" : ", TLS")
        + (retention == null ? "" : ", closed runs kept " + retention)
        + server.metricsAddress().map(a -> ", metrics on http://" + a + "/metrics").orElse("") + ")");
    out.flush();
    server.awaitTermination();
    Optional<RuntimeException> failure = server.stoppedBy();
    if (failure.isPresent()) {
      throw failure.get(); // reported as any failure to start: status 1, the error on stderr
    }
    return 0;
  }

  /**
   * Options that do not go together, found after parsing. The message has no code: the jar reports
   * it as {@code DURABLE-201} with the usage, the CLI as its own usage error.
   */
  public static final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
      super(message);
    }
  }
}
