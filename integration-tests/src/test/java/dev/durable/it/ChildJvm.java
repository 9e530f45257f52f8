package dev.durable.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real child JVM running one main class on this test's classpath (runtime, examples and test
 * classes). Its stdout is collected line by line; its stderr goes to {@code <name>.stderr.log} in
 * the given dir and is quoted by {@link #report()}. {@link #kill()} sends SIGKILL
 * ({@link Process#destroyForcibly()} on Linux), so nothing in the child gets to clean up.
 * {@link #launcher} adds JVM options (such as the agent) and class path entries.
 */
public final class ChildJvm implements AutoCloseable {
  /** Longest wait for any one thing a child should do; only reached when something is broken. */
  public static final Duration DEADLINE = Duration.ofSeconds(60);

  private final String name;
  private final Process process;
  private final Path stderrFile;
  private final Thread stdoutReader;
  private final List<String> stdout = new ArrayList<>(); // guarded by this
  private boolean stdoutClosed; // guarded by this

  private ChildJvm(String name, Process process, Path stderrFile) {
    this.name = name;
    this.process = process;
    this.stderrFile = stderrFile;
    this.stdoutReader = new Thread(this::readStdout, "stdout of " + name);
    stdoutReader.setDaemon(true);
    stdoutReader.start();
  }

  /**
   * Starts {@code mainClass} in a new JVM with the default options.
   *
   * @param dir where the stderr log goes
   * @param name a name for messages and the log file, unique within {@code dir}
   */
  public static ChildJvm start(Path dir, String name, String mainClass, Object... args) throws IOException {
    return launcher(mainClass, args).start(dir, name);
  }

  /** Returns a launcher for {@code mainClass}, to add JVM options or class path entries before starting it. */
  public static Launcher launcher(String mainClass, Object... args) {
    return new Launcher(mainClass, args);
  }

  /** A child JVM to be started: this JVM's java and class path, plus what the test adds. */
  public static final class Launcher {
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>();
    private Path jar;

    private Launcher(String mainClass, Object... args) {
      this.mainClass = mainClass;
      for (Object arg : args) {
        this.args.add(arg.toString());
      }
    }

    /** Adds JVM options, such as {@code -Dname=value} or {@code -javaagent:...}, before the main class. */
    public Launcher jvmOptions(String... options) {
      jvmOptions.addAll(List.of(options));
      return this;
    }

    /**
     * Adds {@code -javaagent:} with the agent jar the build made ({@code durable.agent.jar}, set by
     * surefire), and its options when {@code agentOptions} is not empty.
     */
    public Launcher agent(String agentOptions) {
      String jar = System.getProperty("durable.agent.jar");
      if (jar == null || !Files.isRegularFile(Path.of(jar))) {
        fail("the system property durable.agent.jar must name the agent jar built by the agent module, got " + jar
            + "; run the tests through Maven (./mvnw verify -pl integration-tests -am)");
      }
      return jvmOptions("-javaagent:" + jar + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
    }

    /**
     * Runs {@code executableJar} with {@code java -jar} instead of the main class on this JVM's
     * class path (the launcher's main class is then ignored).
     */
    public Launcher jar(Path executableJar) {
      if (!Files.isRegularFile(executableJar)) {
        fail(executableJar + " does not exist; build it first (./mvnw verify -pl integration-tests -am)");
      }
      this.jar = executableJar;
      return this;
    }

    /** Puts {@code entry} (a dir or jar) on the child's class path, before this JVM's entries. */
    public Launcher classPathEntry(Path entry) {
      classPath.add(entry.toString());
      return this;
    }

    /**
     * Starts the JVM.
     *
     * @param dir where the stderr log goes
     * @param name a name for messages and the log file, unique within {@code dir}
     */
    public ChildJvm start(Path dir, String name) throws IOException {
      List<String> cp = new ArrayList<>(classPath);
      // surefire runs with useManifestOnlyJar=false, so this is the real list of jars and dirs
      cp.add(System.getProperty("java.class.path"));
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
      // RocksDB unpacks its native library into java.io.tmpdir and deletes it only on a normal exit:
      // a killed child's copy (15 MB) stays behind, so it goes into the test's own directory.
      Path tmp = Files.createDirectories(dir.resolve(name + ".tmp"));
      command.add("-Djava.io.tmpdir=" + tmp);
      command.addAll(jvmOptions);
      if (jar != null) {
        command.addAll(List.of("-jar", jar.toString()));
      } else {
        command.addAll(List.of("-cp", String.join(File.pathSeparator, cp), mainClass));
      }
      command.addAll(args);
      Path stderrFile = dir.resolve(name + ".stderr.log");
      Process process = new ProcessBuilder(command).redirectError(stderrFile.toFile()).start();
      return new ChildJvm(name, process, stderrFile);
    }
  }

  private void readStdout() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (this) {
          stdout.add(line);
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the child was killed while we read: what we have is all there is
    } finally {
      synchronized (this) {
        stdoutClosed = true;
        notifyAll();
      }
    }
  }

  /** Returns the child's pid. */
  public long pid() {
    return process.pid();
  }

  /** Returns whether the child is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until the child prints a line matching {@code matcher} and returns it. Fails with the
   * child's output if it closes its stdout (exits) first or the deadline passes.
   */
  public synchronized String awaitLine(String what, Predicate<String> matcher) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    for (int seen = 0; ; ) {
      for (; seen < stdout.size(); seen++) {
        if (matcher.test(stdout.get(seen))) {
          return stdout.get(seen);
        }
      }
      long left = deadline - System.nanoTime();
      if (stdoutClosed || left <= 0) {
        fail((stdoutClosed ? "child exited" : "deadline passed") + " before printing " + what + "\n" + report());
      }
      wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
    }
  }

  /** Waits for the child to exit and returns its exit code; fails with its output on the deadline. */
  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      fail("child did not exit within " + DEADLINE + "\n" + report());
    }
    stdoutReader.join(DEADLINE.toMillis());
    return process.exitValue();
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
    stdoutReader.join(DEADLINE.toMillis());
  }

  /** Sends SIGTERM (a polite stop, which runs the child's shutdown hooks) and waits for the exit code. */
  public int terminate() throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of the child's stdout, losing
    // what the child prints while it shuts down.
    process.toHandle().destroy();
    return awaitExit();
  }

  /**
   * Writes one line to the child's stdin. Returns false if the child is gone (it was killed or
   * exited), so that a caller racing with a kill need not tell the two apart.
   */
  public boolean send(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Closes the child's stdin, which some child programs take as the signal to finish. */
  public void closeStdin() throws IOException {
    process.getOutputStream().close();
  }

  /** Returns the stdout lines printed so far (all of them once the child has exited). */
  public synchronized List<String> stdoutLines() {
    return List.copyOf(stdout);
  }

  /** Returns the rest of each stdout line printed so far that starts with {@code prefix}, in order. */
  public synchronized List<String> stdoutValues(String prefix) {
    return stdout.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
  }

  /** Returns the stdout printed so far, one {@code \n} after each line. */
  public synchronized String stdoutText() {
    StringBuilder sb = new StringBuilder();
    stdout.forEach(line -> sb.append(line).append('\n'));
    return sb.toString();
  }

  /** Returns what the child wrote to stderr so far. */
  public String stderrText() {
    try {
      return Files.exists(stderrFile) ? Files.readString(stderrFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Describes the child for an assertion message: pid, state, stdout and stderr. */
  public String report() {
    return "--- child " + name + " (pid " + process.pid() + ", "
        + (process.isAlive() ? "running" : "exit code " + process.exitValue()) + ")\n"
        + "--- stdout:\n" + stdoutText()
        + "--- stderr (" + stderrFile + "):\n" + stderrText();
  }

  /** Kills the child if it is still running. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
