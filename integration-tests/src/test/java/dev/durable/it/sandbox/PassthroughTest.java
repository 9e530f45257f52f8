package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.it.ChildJvm;
import dev.durable.it.StoredHistories;
import dev.durable.it.sandbox.util.LocalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passing a package through changes the outcome, by each route: a workflow reads a file through
 * {@link LocalFiles} (in package {@code dev.durable.it.sandbox.util}). By default the read is a
 * violation at the helper's line; passed through by agent argument, by a {@code rules=} file or
 * by a {@code META-INF/durable/sandbox-rules.json} on the class path, the workflow completes. A
 * broken rules file stops the JVM at start, naming the file, line and field.
 */
class PassthroughTest {
  private static final String UTIL = LocalFiles.class.getPackageName();
  private static final String RULES_ON_CLASS_PATH = "META-INF/durable/sandbox-rules.json";
  private static final String CONTENT = "read through the helper";
  private static final String PASSTHROUGH_RULES = """
      {"rules": [
        {"id": "it.util", "kind": "passthrough", "owner": "%s.*"}
      ]}
      """.formatted(UTIL);

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
  void byDefaultTheHelpersFileReadIsAViolationAtTheHelpersLine() throws Exception {
    int line = SourceMarkers.lines(LocalFiles.class).get("read");
    try (ChildJvm child = start("default", "", null)) {
      assertEquals(0, child.awaitExit(), child.report());
      List<String> outcome = child.stdoutValues("OUTCOME ");
      assertEquals(1, outcome.size(), child.report());
      assertTrue(outcome.get(0).startsWith("TASK_FAILURE DURABLE-101 workflow 'one' (StringWorkflow) opened a file"),
          outcome.get(0));
      assertTrue(outcome.get(0).contains(" at " + LocalFiles.class.getName() + ".read(LocalFiles.java:" + line + "). "),
          outcome.get(0));
      assertTrue(outcome.get(0).endsWith("[rule io.files]"), outcome.get(0));
    }
  }

  @Test
  void eachPassthroughRouteLetsTheHelperReadTheFile() throws Exception {
    Path rulesFile = Files.writeString(tmp.resolve("util-passthrough.json"), PASSTHROUGH_RULES);
    Path classPathDir = classPathWithRules("rules-on-class-path", PASSTHROUGH_RULES);

    // Started together: the three JVMs are independent.
    try (ChildJvm argument = start("argument", "passthrough=" + UTIL, null);
         ChildJvm rules = start("rules-file", "rules=" + rulesFile, null);
         ChildJvm classPath = start("class-path", "", classPathDir)) {
      assertAll(Stream.of(argument, rules, classPath).map(child -> () -> {
        assertEquals(0, child.awaitExit(), child.report());
        assertEquals(List.of("RESULT " + CONTENT), child.stdoutValues("OUTCOME "), child.report());
        assertEquals(List.of(), child.stdoutValues("VIOLATION "), child.report());
      }));
    }
  }

  @Test
  void aBrokenRulesFileStopsTheJvmAtStartNamingFileLineAndField() throws Exception {
    String broken = """
        {"rules": [
          {"id": "it.util", "kind": "passthrough", "owner": "dev.durable.it.sandbox.util.*"},
          {"id": "it.typo", "kind": "forbidd", "owner": "java.io.File", "message": "m", "suggestion": "s"}
        ]}
        """;
    Path rulesFile = Files.writeString(tmp.resolve("broken.json"), broken);
    Path classPathDir = classPathWithRules("broken-on-class-path", broken);

    try (ChildJvm argument = start("broken-rules-file", "rules=" + rulesFile, null);
         ChildJvm classPath = start("broken-class-path", "", classPathDir)) {
      assertStopsAtStart(argument, rulesFile);
      assertStopsAtStart(classPath, classPathDir.resolve(RULES_ON_CLASS_PATH));
    }
  }

  private static void assertStopsAtStart(ChildJvm child, Path rulesFile) throws InterruptedException {
    assertNotEquals(0, child.awaitExit(), child.report());
    // The JVM prints its own fatal-error report to stdout; the main class never ran.
    assertEquals(List.of(), child.stdoutValues("OUTCOME "), child.report());
    // The class-path file is named by its URL, which ends with the path.
    assertTrue(child.stderrText().contains(rulesFile + " (rule it.typo), line 3, field \"kind\": must be redirect, forbid"
        + " or passthrough, got \"forbidd\""), child.report());
  }

  /** Returns a new class path dir holding {@code rules} as the rules file the agent looks for. */
  private Path classPathWithRules(String name, String rules) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir.resolve(RULES_ON_CLASS_PATH).getParent());
    Files.writeString(dir.resolve(RULES_ON_CLASS_PATH), rules);
    return dir;
  }

  /** Starts {@link WorkflowChild} running {@link ReadsFileThroughHelper} with the agent and its options. */
  private ChildJvm start(String name, String agentOptions, Path classPathEntry) throws IOException {
    ChildJvm.Launcher launcher = ChildJvm.launcher(WorkflowChild.class.getName(), tmp.resolve(name),
        ReadsFileThroughHelper.class.getName(), file).agent(agentOptions);
    if (classPathEntry != null) {
      launcher.classPathEntry(classPathEntry);
    }
    return launcher.start(tmp, name);
  }
}
