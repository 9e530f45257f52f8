package dev.durable.it.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.durable.worker.WorkflowReplayer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real CLI, {@code java -jar durable-cli.jar} or the {@code durable} launcher script, in a child process. */
final class CliProcess {
  private CliProcess() {}

  /** What one run printed and its exit status. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  /**
   * Writes an exported history into a fresh directory and replays it, as a user's CI would, with
   * {@link WorkflowReplayer#readHistories} against {@link OrderApproval.Impl}.
   */
  static void assertReplays(Path workDir, String workflowId, String exportedJson) throws IOException {
    Path histories = Files.createDirectories(workDir.resolve("histories-" + workflowId));
    Files.writeString(histories.resolve(workflowId + ".json"), exportedJson);
    var replayed = WorkflowReplayer.replayWorkflowExecutions(WorkflowReplayer.readHistories(histories), false,
        OrderApproval.Impl.class);
    assertTrue(replayed.ok() && replayed.replayed() == 1, replayed::toString);
  }

  /** The shaded jar the cli module built (system property {@code durable.cli.jar}, set by surefire). */
  static Path jar() {
    String jar = System.getProperty("durable.cli.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      fail("the system property durable.cli.jar must name the jar built by the cli module, got " + jar
          + "; run the tests through Maven (./mvnw verify -pl integration-tests -am)");
    }
    return Path.of(jar);
  }

  static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Runs {@code java -jar durable-cli.jar args...}. */
  static Result jar(Path workDir, String... args) throws IOException, InterruptedException {
    return jar(workDir, Map.of(), args);
  }

  /**
   * Runs {@code java -jar durable-cli.jar args...} with {@code env} added, and the JVM options the
   * {@code durable} launcher uses for short commands.
   */
  static Result jar(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java().toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-jar", jar().toString()));
    command.addAll(List.of(args));
    return run(workDir, command, env);
  }

  /** Runs a command line, with {@code env} added to this process's environment. */
  static Result run(Path workDir, List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "cli", ".out");
    Path err = Files.createTempFile(workDir, "cli", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail("the CLI did not exit within 60 s: " + command + "\n" + Files.readString(err));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
