package dev.durable.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Forks a fresh JVM running {@link Main} with this JVM's class path, with or without the agent.
 * The child's stderr goes to ours; its stdout is captured and returned.
 */
final class ChildJvm {
  /** The agent jar, set by run.sh as {@code -Ddurable.agent.jar=...}. */
  static final String AGENT_PROPERTY = "durable.agent.jar";

  private ChildJvm() {}

  /** What a child printed on stdout and how long it ran, from fork to exit. */
  record Result(String stdout, long wallNanos) {}

  static boolean hasAgent() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream().anyMatch(a -> a.startsWith("-javaagent:"));
  }

  static Path agentJar() {
    String jar = System.getProperty(AGENT_PROPERTY);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("set -D" + AGENT_PROPERTY + "=<path to agent/target/durable.jar> (bench/run.sh does);"
          + " got " + jar);
    }
    return Path.of(jar).toAbsolutePath();
  }

  /** Runs {@code Main args...} in a new JVM; fails unless it exits with 0 within {@code timeoutSeconds}. */
  static Result run(boolean withAgent, long timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (withAgent) {
      cmd.add("-javaagent:" + agentJar());
    }
    cmd.add("-D" + AGENT_PROPERTY + "=" + System.getProperty(AGENT_PROPERTY, ""));
    for (String p : new String[] {"bench.postgres.url", "bench.postgres.user", "bench.postgres.password"}) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p)); // the child reopens the same store
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    try {
      Path stdout = Files.createTempFile("durable-bench-child-", ".out");
      try {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(stdout.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("child JVM did not finish in " + timeoutSeconds + " s: " + cmd);
        }
        long wall = System.nanoTime() - t0;
        if (p.exitValue() != 0) {
          throw new IllegalStateException("child JVM exited with " + p.exitValue() + ": " + cmd);
        }
        return new Result(Files.readString(stdout).trim(), wall);
      } finally {
        Files.deleteIfExists(stdout);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
