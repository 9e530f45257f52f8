package dev.durable.bench;

import dev.durable.remote.DurableGrpcServer;
import dev.durable.server.Durability;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A standalone server (gRPC, 127.0.0.1, a free port) in a child JVM of its own, as a user runs
 * {@code durable-server.jar}: without the agent (it runs no workflow code), on the bench's class
 * path. {@link #close()} stops it the way SIGTERM does.
 */
final class ServerProcess implements AutoCloseable {
  private static final String READY = "listening on port ";
  private final Process process;
  final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the server on {@code dataDir} and returns once it listens. */
  static ServerProcess start(Path dataDir, Durability durability) {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "remote-server", dataDir.toString(),
        durability.name());
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "durable-bench-server-stop")); // a ^C of the bench too
      var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith(READY)) {
        System.err.println(line); // not the server's line: a JVM option's or a profiler's
      }
      if (line == null) {
        p.destroyForcibly();
        throw new IllegalStateException("the server's child JVM ended before it listened: " + cmd);
      }
      return new ServerProcess(p, Integer.parseInt(line.substring(READY.length()).trim()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The child's side: serves {@code dataDir} until the parent stops it. */
  static void serve(Path dataDir, Durability durability) throws InterruptedException {
    try (DurableGrpcServer server = DurableGrpcServer.newBuilder().setDataDir(dataDir).setDurability(durability)
        .setAddress("127.0.0.1:0").build().start()) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "durable-bench-server-stop"));
      Report.toParent(READY + server.port());
      server.awaitTermination();
    }
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the server shuts down gracefully
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
