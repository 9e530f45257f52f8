package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.it.ChildJvm;
import dev.durable.it.StoredHistories;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another agent that retransforms the JDK classes the durable agent guarded (an APM agent, say)
 * must not drop the guards. The durable agent's guard transformer is retransformable and stays
 * registered, so every retransformation puts the guards back in; a design that installed them
 * once and then removed its transformer would lose them here. A guard in a class loaded at boot
 * ({@code FileInputStream}, {@code Thread}) still catches its call after the other agent
 * retransformed the class at start.
 */
class GuardsSurviveRetransformationTest {
  @TempDir Path tmp;

  @AfterEach
  void everyStoredHistoryIsValid() {
    StoredHistories.assertAllValidUnder(tmp);
  }

  /** A jar that is only a manifest: the agent's class comes from the child's class path. */
  private Path retransformingAgentJar() throws Exception {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Premain-Class", RetransformingAgent.class.getName());
    main.putValue("Can-Retransform-Classes", "true");
    Path jar = tmp.resolve("retransforming-agent.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream unused = new JarOutputStream(out, manifest)) {
      return jar;
    }
  }

  @Test
  void guardsInClassesLoadedAtBootHoldAfterAnotherAgentRetransformsThem() throws Exception {
    Path file = Files.writeString(tmp.resolve("input.txt"), "some input");
    Map<String, String> ruleOf = Map.of("FileInputStream", "io.file-open", "Thread.start", "thread.start");
    List<String> categories = List.of("FileInputStream", "Thread.start");
    ChildJvm.Launcher launcher = ChildJvm.launcher(MisbehavingChild.class.getName(),
            tmp.resolve("data"), file, 1, categories.get(0), categories.get(1))
        .agent("")
        .jvmOptions("-javaagent:" + retransformingAgentJar() + "=java.io.FileInputStream,java.lang.Thread",
            "-D" + Misbehaving.SWITCH + "=true");
    try (ChildJvm child = launcher.start(tmp, "retransformed")) {
      assertEquals(0, child.awaitExit(), child.report());
      assertEquals(List.of("2"), child.stdoutValues("RETRANSFORMED "), child.report());
      for (String category : categories) {
        String outcome = child.stdoutValues("OUTCOME " + category + " ").stream().findFirst().orElse("none");
        assertTrue(outcome.startsWith("TASK_FAILURE DURABLE-101 "), category + " is still caught: " + outcome);
        assertTrue(outcome.endsWith("[rule " + ruleOf.get(category) + "]"), category + ": " + outcome);
      }
    }
  }
}
