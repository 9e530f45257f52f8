package dev.durable.server.cli;

import dev.durable.remote.DurableGrpcServer;
import dev.durable.server.Durability;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar durable-server.jar --data-dir DIR [options]}: runs the standalone server until
 * SIGTERM or Ctrl-C, then shuts down gracefully (stop accepting, drain long polls, flush).
 */
public final class ServerMain {
  static final String USAGE = """
      Usage: java -jar durable-server.jar --data-dir DIR [options]
        --data-dir DIR          where workflows are stored (required; created if missing)
        --address HOST:PORT     where to listen (default 127.0.0.1:7233; 0.0.0.0:7233 for every interface)
        --durability sync|async sync (default): each change is on disk before it is acknowledged
        --tls-cert FILE         serve TLS with this PEM certificate chain ...
        --tls-key FILE          ... and this PEM PKCS#8 private key
        --tls-client-ca FILE    require mutual TLS: clients present certificates signed by this CA
        --token TOKEN           require 'authorization: Bearer TOKEN' on every call
                                (default: the DURABLE_TOKEN environment variable)
        --help                  print this help
      """;

  private ServerMain() {}

  /** Starts the server and blocks until it stops. Exits with 2 on bad options, 1 if it cannot start. */
  public static void main(String[] args) throws InterruptedException {
    DurableGrpcServer server;
    try {
      server = parse(args, System.getenv()).start();
    } catch (UsageException e) {
      (e.help ? System.out : System.err).println(e.getMessage());
      System.exit(e.help ? 0 : 2);
      return;
    } catch (RuntimeException e) {
      System.err.println("durable-server: " + e.getMessage());
      System.exit(1);
      return;
    }
    PrintStream out = System.out;
    // SIGTERM and Ctrl-C: stop accepting, end pending long polls, wait for calls in flight, flush.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      out.println("Durable server stopped");
      out.flush();
    }, "durable-server-shutdown"));
    out.println("Durable server listening on " + server.address() + " (data dir " + server.embeddedServer().getDataDir()
        + ")");
    out.flush();
    server.awaitTermination();
  }

  /**
   * Builds the server the arguments describe, not started.
   *
   * @param args the command line
   * @param env the environment (for DURABLE_TOKEN)
   * @throws UsageException for bad or missing options, with the usage text
   */
  public static DurableGrpcServer parse(String[] args, Map<String, String> env) {
    DurableGrpcServer.Builder b = DurableGrpcServer.newBuilder();
    Path cert = null;
    Path key = null;
    String token = env.get("DURABLE_TOKEN");
    boolean dataDir = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new UsageException(USAGE, true);
      }
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("DURABLE-201 " + arg + " needs a value\n" + USAGE, false);
      }
      try {
        switch (name) {
          case "--data-dir" -> {
            b.setDataDir(Path.of(value));
            dataDir = true;
          }
          case "--address" -> b.setAddress(value);
          case "--durability" -> b.setDurability(durability(value));
          case "--tls-cert" -> cert = Path.of(value);
          case "--tls-key" -> key = Path.of(value);
          case "--tls-client-ca" -> b.setTlsClientCa(Path.of(value));
          case "--token" -> token = value;
          default -> throw new UsageException("DURABLE-201 unknown option " + name + "\n" + USAGE, false);
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage() + "\n" + USAGE, false);
      }
    }
    if (!dataDir) {
      throw new UsageException("DURABLE-201 --data-dir DIR is required\n" + USAGE, false);
    }
    try {
      return b.setTlsCertificate(cert, key).setToken(token == null || token.isEmpty() ? null : token).build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage() + "\n" + USAGE, false);
    }
  }

  private static Durability durability(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "sync" -> Durability.SYNC;
      case "async" -> Durability.ASYNC;
      default -> throw new IllegalArgumentException("DURABLE-201 --durability must be sync or async, got \"" + value + "\"");
    };
  }

  /** Bad command-line options; the message includes the usage text. */
  public static final class UsageException extends IllegalArgumentException {
    final boolean help;

    UsageException(String message, boolean help) {
      super(message);
      this.help = help;
    }
  }
}
