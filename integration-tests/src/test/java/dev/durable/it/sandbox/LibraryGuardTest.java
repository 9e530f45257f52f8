package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.it.ChildJvm;
import dev.durable.it.sandbox.util.Greetings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rules file may guard a library's method, not only a JDK's: the agent guards the class when it
 * loads, and a call from workflow code fails the workflow task at the workflow's line, the
 * library's caller (before, it blamed the library's own first line).
 */
class LibraryGuardTest {
  @TempDir Path tmp;

  @Test
  void aGuardedLibraryMethodIsReportedAtTheWorkflowsLine() throws Exception {
    Path rules = Files.writeString(tmp.resolve("guard-library.json"), """
        {"rules": [
          {"id": "it.guarded-library", "kind": "forbid", "at": "guard", "owner": "%s", "name": "greet",
           "message": "called a guarded library", "suggestion": "call it from an activity"}
        ]}
        """.formatted(Greetings.class.getName()));
    try (ChildJvm child = ChildJvm.launcher(WorkflowChild.class.getName(), tmp.resolve("data"),
        GreetsThroughHelper.class.getName(), "x").agent("rules=" + rules).start(tmp, "library")) {
      assertEquals(0, child.awaitExit(), child.report());
      List<String> outcome = child.stdoutValues("OUTCOME ");
      assertEquals(1, outcome.size(), child.report());
      assertEquals("TASK_FAILURE DURABLE-101 workflow 'one' (StringWorkflow) called a guarded library ("
          + Greetings.class.getName() + ".greet) at " + GreetsThroughHelper.class.getName() + ".run(GreetsThroughHelper.java:"
          + SourceMarkers.lines(GreetsThroughHelper.class).get("guarded") + "). Workflow code must be deterministic: call it"
          + " from an activity. [rule it.guarded-library]", outcome.get(0));
    }
  }
}
