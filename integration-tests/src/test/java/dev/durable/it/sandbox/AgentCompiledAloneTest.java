package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.it.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's transform is compiled on its own, not inlined into the JDK's transformer loop: the
 * jar's build turns the agent's {@code DontInline} into the JDK's annotation, which HotSpot
 * honours for the bootstrap loader's classes (docs/performance.md, "Third round"). A child JVM
 * with the real {@code durable.jar} compiles {@code TransformerManager.transform} at once
 * ({@code -Xcomp}, that method only) and prints its inlining decisions; the call of the agent's
 * transform must be refused "by annotation", on whatever JDK runs the tests (17, and 25 in CI).
 */
class AgentCompiledAloneTest {
  @TempDir Path tmp;

  /** The child: loading this class already went through the agent's transform. */
  public static final class Main {
    private Main() {}

    public static void main(String[] args) {
      System.out.println("LOADED " + Main.class.getSimpleName());
    }
  }

  @Test
  void theJitDoesNotInlineTheAgentsTransformIntoTheJdksTransformerLoop() throws Exception {
    try (ChildJvm child = ChildJvm.launcher(Main.class.getName()).agent("")
        .jvmOptions("-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintInlining", "-Xcomp", "-XX:CompileCommand=quiet",
            "-XX:CompileOnly=sun.instrument.TransformerManager::transform")
        .start(tmp, "jit")) {
      assertEquals(0, child.awaitExit(), child.report());
      assertEquals(List.of("Main"), child.stdoutValues("LOADED "), child.report());
      List<String> calls = child.stdoutLines().stream()
          .filter(l -> l.contains("dev.durable.agent.CallSiteRewriter::transform")).toList();
      assertTrue(!calls.isEmpty(), "TransformerManager.transform was compiled and called the agent\n" + child.report());
      assertTrue(calls.stream().anyMatch(l -> l.contains("don't inline by annotation")),
          "the agent's transform is refused for inlining by its annotation: " + calls + "\n" + child.report());
      assertTrue(calls.stream().noneMatch(l -> l.trim().endsWith(" inline") || l.contains("inline (hot)")),
          "and never inlined: " + calls);
    }
  }
}
