package dev.durable.it.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar durable-cli.jar server start ...} as a child process, stopped with SIGTERM. */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Durable server listening on (\\S+) .*");

  private final Process process;
  private final Path stderr;
  private final CompletableFuture<String> address = new CompletableFuture<>();
  private final List<String> stdout = new ArrayList<>();

  private ServerProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::read, "stdout of durable server");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the server with {@code args} after {@code server start}. */
  static ServerProcess start(Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(CliProcess.java().toString(), "-Xmx256m", "-jar",
        CliProcess.jar().toString(), "server", "start"));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile(workDir, "server", ".err");
    return new ServerProcess(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (stdout) {
          stdout.add(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (m.matches()) {
          address.complete(m.group(1));
        }
      }
    } catch (IOException e) {
      // the process is gone; what was read is all there is
    }
    address.completeExceptionally(new IllegalStateException("the server exited before it listened"));
  }

  /** Waits until the server listens and returns its {@code host:port}. */
  String address() throws Exception {
    try {
      return address.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      fail("the server did not report its address: " + e + "\n" + report());
      throw e;
    }
  }

  /** Stops the server with SIGTERM, as an operator would, and returns its exit status. */
  int stop() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      fail("the server did not stop within 60 s of SIGTERM\n" + report());
    }
    return process.exitValue();
  }

  String report() throws IOException {
    synchronized (stdout) {
      return "--- server stdout:\n" + String.join("\n", stdout) + "\n--- stderr:\n" + Files.readString(stderr);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }
}
