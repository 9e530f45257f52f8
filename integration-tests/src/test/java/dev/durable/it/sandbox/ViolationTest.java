package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.durable.internal.sandbox.Rule;
import dev.durable.internal.sandbox.RuleSet;
import dev.durable.internal.sandbox.RulesParser;
import dev.durable.it.ChildJvm;
import dev.durable.it.StoredHistories;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of call workflow code must not make is caught: the workflow task fails with a
 * violation naming the rule and the exact source line, and once the offending code is switched
 * off and the worker restarted, the workflow completes. All categories run at once in one child
 * JVM ({@link MisbehavingChild}), each in its own workflow.
 */
class ViolationTest {
  /** Each category of {@link Misbehaving} and the rule that must catch it. */
  private static final Map<String, String> RULE_OF = new LinkedHashMap<>();

  static {
    RULE_OF.put("FileInputStream", "io.file-open");
    RULE_OF.put("FileOutputStream", "io.file-open");
    RULE_OF.put("Files.readString", "io.files");
    RULE_OF.put("File.exists", "io.file-system");
    RULE_OF.put("Files.size", "io.files-system");
    RULE_OF.put("RandomAccessFile", "io.file-open");
    RULE_OF.put("FileChannel.open", "io.file-channel");
    RULE_OF.put("Socket", "net.socket-connect");
    RULE_OF.put("SocketChannel", "net.socket-connect");
    RULE_OF.put("ServerSocket", "net.listen");
    RULE_OF.put("DatagramSocket.send", "net.datagram");
    RULE_OF.put("HttpClient.send", "net.http-client");
    RULE_OF.put("URL.openStream", "net.url-open");
    RULE_OF.put("InetAddress.getByName", "net.dns-lookup");
    RULE_OF.put("InetAddress.getAllByName", "net.dns-lookup");
    RULE_OF.put("InetAddress.getLocalHost", "net.dns-lookup");
    RULE_OF.put("InetAddress.getHostName", "net.dns-lookup");
    // The bytecode names the class of the variable: Inet4Address, not InetAddress.
    RULE_OF.put("Inet4Address.getCanonicalHostName", "net.dns-lookup");
    RULE_OF.put("InetSocketAddress(host,port)", "net.dns-lookup-socket-address");
    RULE_OF.put("DriverManager.getConnection", "jdbc.connect");
    RULE_OF.put("ProcessBuilder.start", "process.start");
    RULE_OF.put("Runtime.exec", "process.start");
    RULE_OF.put("Thread.start", "thread.start");
    RULE_OF.put("ExecutorService.submit", "thread.executor-submit");
    RULE_OF.put("ForkJoinPool.commonPool", "thread.executor-submit");
    // Where CompletableFuture runs async work depends on the JDK and the cores: JDK 17 with a
    // common pool of one thread (two cores) starts a new thread per task, and that is what gets
    // caught. The children run on this JVM's java, so this JVM tells which.
    RULE_OF.put("CompletableFuture.supplyAsync", new CompletableFuture<Void>().defaultExecutor() instanceof ForkJoinPool
        ? "thread.executor-submit" : "thread.start");
    RULE_OF.put("parallelStream", "thread.fork-join-task");
    RULE_OF.put("ForkJoinTask.fork", "thread.fork-join-fork");
    RULE_OF.put("Object.wait", "sync.object-wait");
    RULE_OF.put("BlockingQueue.take", "sync.block");
    RULE_OF.put("CyclicBarrier.await", "sync.block");
    RULE_OF.put("Thread.join", "sync.block");
    if (Runtime.version().feature() >= 21) {
      RULE_OF.put("newVirtualThreadPerTaskExecutor", "thread.start-in-container");
      RULE_OF.put("newThreadPerTaskExecutor", "thread.start-in-container");
    }
    // Java 25's CompletableFuture waits on the ForkJoinPool's delay scheduler; before, on a
    // ScheduledThreadPoolExecutor of its own.
    boolean poolSchedules = Arrays.stream(ForkJoinPool.class.getDeclaredMethods())
        .anyMatch(m -> m.getName().equals("scheduleDelayedTask"));
    RULE_OF.put("CompletableFuture.orTimeout", poolSchedules ? "thread.fork-join-pool-schedule" : "thread.scheduled-executor");
    RULE_OF.put("ScheduledExecutorService.schedule", "thread.scheduled-executor");
    RULE_OF.put("SecureRandom", "random.secure-random");
    RULE_OF.put("System.exit", "process.exit");
    RULE_OF.put("System.getenv", "env.getenv");
    RULE_OF.put("System.getProperty", "env.get-property");
    RULE_OF.put("Boolean.getBoolean", "env.system-properties");
    RULE_OF.put("Runtime.availableProcessors", "env.machine");
    RULE_OF.put("ProcessHandle.current", "env.machine");
    RULE_OF.put("PUTSTATIC", "global.static-write");
  }

  /** Categories that need Java 21 or later, run only there. */
  private static final List<String> JAVA_21_CATEGORIES = List.of("newVirtualThreadPerTaskExecutor", "newThreadPerTaskExecutor");

  private static final RuleSet DEFAULT_RULES = new RuleSet(RulesParser.defaults());

  @TempDir Path tmp;

  @AfterEach
  void everyStoredHistoryIsValid() {
    StoredHistories.assertAllValidUnder(tmp);
  }
  private HttpServer http;

  @BeforeEach
  void startHttpServer() throws Exception {
    // Where the network categories connect to, should a guard let them through: they then end at
    // once with a response instead of hanging.
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", exchange -> {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();
  }

  @AfterEach
  void stopHttpServer() {
    http.stop(0);
  }

  @Test
  void everyCategoryFailsTheTaskAtItsSourceLineAndTheWorkflowCompletesOnceSwitchedOff() throws Exception {
    Map<String, Integer> lines = SourceMarkers.lines(Misbehaving.class);
    if (Runtime.version().feature() < 21) {
      lines.keySet().removeAll(JAVA_21_CATEGORIES);
    }
    assertEquals(RULE_OF.keySet(), lines.keySet(), "every category has a marked line in Misbehaving.java");
    Path dataDir = tmp.resolve("data");
    Path file = Files.writeString(tmp.resolve("input.txt"), "some input");

    Map<String, String> outcomes;
    Map<String, String> statuses;
    Map<String, String> listened;
    try (ChildJvm child = start("misbehaving", dataDir, file, true)) {
      int exit = child.awaitExit();
      assertNotEquals(77, exit, "System.exit(77) in workflow code was not stopped\n" + child.report());
      assertEquals(0, exit, child.report());
      outcomes = byCategory(child, "OUTCOME ");
      statuses = byCategory(child, "STATUS ");
      listened = byCategory(child, "LISTENER ");
      assertEquals(RULE_OF.keySet(), outcomes.keySet(), child.report());
    }
    List<Executable> checks = new ArrayList<>();
    RULE_OF.forEach((category, rule) -> checks.add(() -> {
      String code = rule.equals("global.static-write") ? "DURABLE-102" : "DURABLE-101";
      String id = MisbehavingChild.workflowId(category);
      String outcome = outcomes.get(category);
      Rule expected = DEFAULT_RULES.byId(rule);
      assertNotNull(expected, "no default rule " + rule + " to catch " + category + ": " + outcome);
      String prefix = "TASK_FAILURE " + code + " workflow '" + id + "' (Misbehaving) ";
      assertTrue(outcome.startsWith(prefix), category + " fails its workflow task with " + code + ": " + outcome);
      assertTrue(outcome.startsWith(prefix + expected.message() + " ("),
          category + " says what it did: " + outcome);
      assertTrue(outcome.contains(" at dev.durable.it.sandbox.Misbehaving$Impl.misbehave(Misbehaving.java:"
          + lines.get(category) + "). "), category + " names line " + lines.get(category) + ": " + outcome);
      assertTrue(outcome.contains("Workflow code must be deterministic: " + expected.suggestion() + ". "),
          category + " says what to do: " + outcome);
      assertEquals("RUNNING", statuses.get(category), category + ": a violation fails the task, not the workflow");
      assertTrue(outcome.endsWith("[rule " + rule + "]"), category + " is caught by rule " + rule + ": " + outcome);
      assertTrue(listened.getOrDefault(category, "").startsWith(code + " " + rule + " "),
          category + " reached the violation listener: " + listened.get(category));
      assertTrue(listened.get(category).endsWith(" " + id), "the listener is told the workflow id: " + listened.get(category));
    }));
    assertAll(checks);

    try (ChildJvm child = start("switched-off", dataDir, file, false)) {
      assertEquals(0, child.awaitExit(), child.report());
      Map<String, String> results = byCategory(child, "OUTCOME ");
      assertAll(RULE_OF.keySet().stream().map(category -> (Executable) () ->
          assertEquals("RESULT " + category + " done", results.get(category), "switched off, " + category
              + " completes on a restarted worker")));
      assertTrue(byCategory(child, "LISTENER ").isEmpty(), child.report());
    }
  }

  private ChildJvm start(String name, Path dataDir, Path file, boolean misbehave) throws Exception {
    List<Object> args = new ArrayList<>(List.of(dataDir, file, http.getAddress().getPort()));
    args.addAll(RULE_OF.keySet());
    ChildJvm.Launcher launcher = ChildJvm.launcher(MisbehavingChild.class.getName(), args.toArray()).agent("");
    if (misbehave) {
      launcher.jvmOptions("-D" + Misbehaving.SWITCH + "=true");
    }
    return launcher.start(tmp, name);
  }

  /** Reads lines {@code <prefix><category> <rest>} into a map from category to rest. */
  private static Map<String, String> byCategory(ChildJvm child, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String rest : child.stdoutValues(prefix)) {
      int space = rest.indexOf(' ');
      out.put(rest.substring(0, space), rest.substring(space + 1));
    }
    return out;
  }
}
