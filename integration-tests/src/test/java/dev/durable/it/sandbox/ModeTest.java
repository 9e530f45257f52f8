package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.it.ChildJvm;
import dev.durable.it.StoredHistories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent's modes and the worker's sandbox options do, each in its own child JVM running
 * {@link ReadsFile} (three file reads at one line, and a look at the clock): {@code warn} lets
 * the reads through, logs the violation once and still redirects the clock; {@code off} does
 * nothing at all; without the agent a worker that requires the sandbox fails to build, and the
 * others warn once per JVM.
 */
class ModeTest {
  private static final String CONTENT = "abc";
  private static final String READ_THRICE = CONTENT.repeat(ReadsFile.READS);

  @TempDir Path tmp;

  @AfterEach
  void everyStoredHistoryIsValid() {
    StoredHistories.assertAllValidUnder(tmp);
  }
  private Path file;

  @BeforeEach
  void writeFile() throws Exception {
    file = Files.writeString(tmp.resolve("input.txt"), CONTENT);
  }

  @Test
  void warnModeLetsTheCallThroughLogsTheViolationOnceAndStillRedirects() throws Exception {
    try (ChildJvm child = start("warn", "mode=warn", false)) {
      assertEquals(0, child.awaitExit(), child.report());
      assertEquals(List.of("RESULT " + READ_THRICE + ", Instant.now() is workflow time: true"), child.stdoutValues("OUTCOME "),
          child.report());
      int line = SourceMarkers.lines(ReadsFile.class).get("read");
      List<String> violations = child.stdoutValues("VIOLATION ");
      assertEquals(ReadsFile.READS, violations.size(), "the listener hears of every read\n" + child.report());
      for (String v : violations) {
        assertTrue(v.startsWith("DURABLE-101 workflow 'one' (StringWorkflow) opened a file ")
            && v.contains(" at dev.durable.it.sandbox.ReadsFile.run(ReadsFile.java:" + line + "). ")
            && v.endsWith("[rule io.files, mode warn: the call was let through]"), v);
      }
      List<String> logged = stderrLines(child, "DURABLE-101");
      assertEquals(1, logged.size(), "three reads at one line in one task are logged once\n" + child.report());
      assertTrue(logged.get(0).contains(violations.get(0)), logged.get(0));
    }
  }

  @Test
  void offModeNeitherReportsNorRedirectsAndSaysSoOnce() throws Exception {
    try (ChildJvm child = start("off", "mode=off", false)) {
      assertEquals(0, child.awaitExit(), child.report());
      assertEquals(List.of("RESULT " + READ_THRICE + ", Instant.now() is workflow time: false"), child.stdoutValues("OUTCOME "),
          child.report());
      assertEquals(List.of(), child.stdoutValues("VIOLATION "), child.report());
      assertEquals(List.of(), stderrLines(child, "DURABLE-101"), child.report());
      List<String> warnings = stderrLines(child, "DURABLE-120");
      assertEquals(1, warnings.size(), child.report());
      assertTrue(warnings.get(0).contains("switched off (mode=off)"), warnings.get(0));
    }
  }

  @Test
  void withoutTheAgentARequiringWorkerFailsToBuildAndTheOthersWarnOncePerJvm() throws Exception {
    try (ChildJvm child = start("no-agent", null, true)) {
      assertEquals(0, child.awaitExit(), child.report());
      List<String> required = child.stdoutValues("REQUIRE_SANDBOX ");
      assertEquals(1, required.size(), child.report());
      assertTrue(required.get(0).startsWith("DURABLE-121 ") && required.get(0).contains("-javaagent:"), required.get(0));
      assertEquals(List.of("RESULT " + READ_THRICE + ", Instant.now() is workflow time: false"), child.stdoutValues("OUTCOME "),
          "without the agent workflows still run\n" + child.report());
      List<String> warnings = stderrLines(child, "DURABLE-120");
      assertEquals(1, warnings.size(), "two workers were built, the warning is once per JVM\n" + child.report());
      assertTrue(warnings.get(0).contains("the JVM was started without -javaagent:"), warnings.get(0));
      assertEquals(List.of(), stderrLines(child, "DURABLE-101"), child.report());
    }
  }

  @Test
  void aRenamedAgentJarPutsItselfOnTheBootstrapClassPathAndWorksTheSame() throws Exception {
    // The manifest's Boot-Class-Path names durable.jar, so a renamed jar is loaded by the
    // application class loader: the agent must move itself to the bootstrap class path.
    Path renamed = Files.copy(Path.of(System.getProperty("durable.agent.jar")), tmp.resolve("durable-9.9.jar"));
    ChildJvm.Launcher launcher = ChildJvm.launcher(WorkflowChild.class.getName(), tmp.resolve("renamed"),
        ReadsFile.class.getName(), file);
    try (ChildJvm child = launcher.jvmOptions("-javaagent:" + renamed + "=mode=warn").start(tmp, "renamed")) {
      assertEquals(0, child.awaitExit(), child.report());
      assertEquals(List.of("RESULT " + READ_THRICE + ", Instant.now() is workflow time: true"), child.stdoutValues("OUTCOME "),
          child.report());
      assertEquals(ReadsFile.READS, child.stdoutValues("VIOLATION ").size(), child.report());
      assertEquals(List.of(), stderrLines(child, "DURABLE-221"), child.report());
    }
  }

  private ChildJvm start(String name, String agentOptions, boolean checkSandboxWarning) throws Exception {
    List<Object> args = checkSandboxWarning
        ? List.of(tmp.resolve(name), ReadsFile.class.getName(), file, "check-sandbox-warning")
        : List.of(tmp.resolve(name), ReadsFile.class.getName(), file);
    ChildJvm.Launcher launcher = ChildJvm.launcher(WorkflowChild.class.getName(), args.toArray());
    if (agentOptions != null) {
      launcher.agent(agentOptions);
    }
    return launcher.start(tmp, name);
  }


  static List<String> stderrLines(ChildJvm child, String containing) {
    return child.stderrText().lines().filter(l -> l.contains(containing)).toList();
  }
}
