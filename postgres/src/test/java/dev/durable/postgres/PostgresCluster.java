package dev.durable.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for tests, one per test JVM: {@link #get()} starts it on first use
 * (initdb in a new temp dir, then {@code pg_ctl start} on a free loopback port), and a JVM shutdown
 * hook stops it and deletes the dir. Each test takes a schema of its own with {@link #createSchema}.
 *
 * <p>It runs the server binaries of the machine: {@code $DURABLE_PG_BIN} if set, else the newest
 * {@code /usr/lib/postgresql/VERSION/bin} (Debian's layout), else {@code pg_config --bindir}. The
 * machine's own cluster is not touched. initdb and postgres refuse to run as root, so as root the
 * dir belongs to the {@code postgres} OS user and the binaries run as that user through
 * {@code runuser}. Durability is off ({@code fsync=off}): tests kill JVMs, never this server.
 *
 * <p>A JVM killed with SIGKILL cannot run its hook; the next cluster started on the machine stops
 * and deletes the clusters whose JVM is gone.
 */
public final class PostgresCluster {
  /** The environment variable naming the directory of initdb, pg_ctl and postgres. */
  public static final String BIN_ENV = "DURABLE_PG_BIN";
  private static final String DIR_PREFIX = "durable-pg-";
  private static final String OWNER_FILE = "owner.pid";
  private static final String USER = "durable";
  private static final String DATABASE = "postgres";
  private static final long COMMAND_SECONDS = 120;

  private static PostgresCluster instance; // guarded by PostgresCluster.class

  private final Path dir;
  private final int port;
  private final String version;
  private final long startupMillis;
  private final AtomicInteger schemas = new AtomicInteger();

  private PostgresCluster(Path dir, int port, long startupMillis) {
    this.dir = dir;
    this.port = port;
    this.startupMillis = startupMillis;
    try (Connection c = connect("public"); Statement s = c.createStatement();
        var rs = s.executeQuery("show server_version")) {
      rs.next();
      this.version = rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("the test PostgreSQL in " + dir + " started but does not answer", e);
    }
  }

  /** Returns this JVM's cluster, starting it on the first call. */
  public static synchronized PostgresCluster get() {
    if (instance == null) {
      instance = start();
      System.err.println("Test PostgreSQL " + instance.version + " on 127.0.0.1:" + instance.port + " in "
          + instance.dir + ", started in " + instance.startupMillis + " ms");
    }
    return instance;
  }

  /** The JDBC URL of database {@code postgres} with {@code schema} as the current schema. */
  public String jdbcUrl(String schema) {
    return jdbcUrl(schema, port);
  }

  /** The JDBC URL of a schema through another port, one that forwards to the server's ({@link #port}). */
  public String jdbcUrl(String schema, int port) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?currentSchema=" + schema;
  }

  /** The port the server listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The user to connect as; it needs no password. */
  public String user() {
    return USER;
  }

  /** The server's version, such as {@code 15.8 (Debian 15.8-0+deb12u1)}. */
  public String version() {
    return version;
  }

  /** How long initdb and the start took, in milliseconds. */
  public long startupMillis() {
    return startupMillis;
  }

  /**
   * Creates a new, empty schema and returns its name: {@code prefix} made a valid lower-case
   * identifier, then a number unique in this cluster, such as {@code signal_test_7}.
   */
  public String createSchema(String prefix) {
    String base = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "s_" + base;
    }
    // PostgreSQL cuts identifiers at 63 bytes; keep room for the number.
    String name = base.substring(0, Math.min(base.length(), 50)) + "_" + schemas.incrementAndGet();
    try (Connection c = connect("public"); Statement s = c.createStatement()) {
      s.execute("create schema " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + name + " in the test PostgreSQL", e);
    }
    return name;
  }

  /** Opens a connection with {@code schema} as the current schema, to look at or change a store's tables. */
  public Connection connect(String schema) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    return DriverManager.getConnection(jdbcUrl(schema), p);
  }

  private static PostgresCluster start() {
    long begun = System.nanoTime();
    Path bin = findBin();
    try {
      stopAbandoned(bin);
      Path dir = Files.createTempDirectory(DIR_PREFIX);
      Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
      // A directory this process created belongs to its effective user.
      boolean asRoot = Files.getOwner(dir).getName().equals("root");
      if (asRoot) {
        giveToPostgresUser(dir);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(bin, dir, asRoot), "test-postgres-stop"));
      run(bin, dir, asRoot, "initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", USER,
          "--encoding=UTF8", "--locale=C", "--no-sync");
      Files.writeString(dir.resolve("data/postgresql.conf"), String.join("\n",
          "",
          "# written by PostgresCluster (tests)",
          "listen_addresses = '127.0.0.1'",
          "unix_socket_directories = '" + dir + "'",
          "max_connections = 300",
          "fsync = off",
          "full_page_writes = off",
          "shared_buffers = 64MB",
          ""), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      // A port found free can be taken before postgres binds it: try another one then.
      for (int attempt = 1; ; attempt++) {
        int port = freePort();
        try {
          run(bin, dir, asRoot, "pg_ctl", "-D", dir.resolve("data").toString(), "-l",
              dir.resolve("postgres.log").toString(), "-o", "-p " + port, "-w", "-t", "60", "start");
          return new PostgresCluster(dir, port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
        } catch (IllegalStateException e) {
          if (attempt == 3) {
            throw e;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the test PostgreSQL", e);
    }
  }

  /** The directory of initdb, pg_ctl and postgres, or a failure that says how to install them. */
  private static Path findBin() {
    String env = System.getenv(BIN_ENV);
    if (env != null && !env.isBlank()) {
      Path bin = Path.of(env);
      if (!Files.isExecutable(bin.resolve("initdb"))) {
        throw new IllegalStateException("$" + BIN_ENV + " is " + env + ", which has no initdb: set it to the bin"
            + " directory of a PostgreSQL server installation (12 or later)");
      }
      return bin;
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        var newest = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
            .max(Comparator.comparingInt(PostgresCluster::majorVersion));
        if (newest.isPresent()) {
          return newest.get();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + debian, e);
      }
    }
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
        return Path.of(out);
      }
    } catch (IOException e) {
      // no pg_config on the PATH: fall through to the message
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("the PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl,"
        + " postgres), found neither in /usr/lib/postgresql/*/bin nor through pg_config: install them with"
        + " 'apt-get install postgresql' (the tests start a private server and leave the system's one alone), or"
        + " set $" + BIN_ENV + " to their directory");
  }

  /** 15 for {@code /usr/lib/postgresql/15/bin}; -1 for a name that is not a number. */
  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void giveToPostgresUser(Path dir) throws IOException {
    UserPrincipal postgres;
    try {
      postgres = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
    } catch (UserPrincipalNotFoundException e) {
      throw new IllegalStateException("the tests run as root, and PostgreSQL refuses to: they run it as the OS"
          + " user 'postgres', which does not exist. Install the server with 'apt-get install postgresql' (which"
          + " creates the user) or run the tests as another user", e);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.setOwner(f, postgres);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Runs a PostgreSQL program in {@code dir} (as the {@code postgres} user when {@code asPostgresUser}),
   * and fails with its output unless it exits with 0.
   */
  private static void run(Path bin, Path dir, boolean asPostgresUser, String program, String... args) {
    List<String> command = new ArrayList<>();
    if (asPostgresUser) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    Path output = dir.resolve(program + ".out");
    try {
      // The postgres user may not enter the JVM's working directory.
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + COMMAND_SECONDS
            + " s" + outputOf(output, dir));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed with exit status " + p.exitValue()
            + outputOf(output, dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static String outputOf(Path output, Path dir) {
    StringBuilder b = new StringBuilder();
    for (Path f : List.of(output, dir.resolve("postgres.log"))) {
      try {
        if (Files.exists(f)) {
          b.append("\n--- ").append(f).append(":\n").append(Files.readString(f, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        b.append("\n(cannot read ").append(f).append(": ").append(e).append(')');
      }
    }
    return b.toString();
  }

  private static void stopAndDelete(Path bin, Path dir, boolean asPostgresUser) {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        // immediate: no checkpoint, the data goes anyway
        run(bin, dir, asPostgresUser, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
            "stop");
      }
    } catch (RuntimeException e) {
      System.err.println("cannot stop the test PostgreSQL in " + dir + ": " + e.getMessage());
      return; // keep the dir of a server that may still run
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }

  /** Stops and deletes the clusters of JVMs that are gone without running their shutdown hook. */
  private static void stopAbandoned(Path bin) throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
      for (Path d : dirs) {
        try {
          long owner = Long.parseLong(Files.readString(d.resolve(OWNER_FILE)).trim());
          if (!ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
            stopAndDelete(bin, d, Files.getOwner(d).getName().equals("postgres"));
          }
        } catch (IOException | NumberFormatException e) {
          // not one of ours, another user's, or still being set up
        }
      }
    }
  }
}
