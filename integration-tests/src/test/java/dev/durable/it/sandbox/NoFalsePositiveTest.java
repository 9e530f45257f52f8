package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.it.ChildJvm;
import dev.durable.it.StoredHistories;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordinary workflow code is not reported: {@link WellBehaved} logs, serialises, loads classes
 * and builds strings on the workflow thread of an enforcing sandbox, and completes with no
 * violation, neither as a task failure nor through the worker's violation listener. Nor is what
 * workflow code must not do reported off workflow threads: {@link LooksUpInActivity}'s activity
 * looks up host names.
 */
class NoFalsePositiveTest {
  private static final String TAG = "tag-7f3a";

  @TempDir Path tmp;

  @AfterEach
  void everyStoredHistoryIsValid() {
    StoredHistories.assertAllValidUnder(tmp);
  }

  @Test
  void loggingJacksonLazyClassLoadingAndStringBuildingAreNotReported() throws Exception {
    try (ChildJvm child = ChildJvm.launcher(WorkflowChild.class.getName(), tmp.resolve("data"),
        WellBehaved.class.getName(), TAG).agent("").start(tmp, "well-behaved")) {
      assertEquals(0, child.awaitExit(), child.report());
      assertEquals(List.of(), child.stdoutValues("VIOLATION "), "the listener saw violations\n" + child.report());
      assertEquals(List.of("RESULT "
              + "{\"id\":\"o-1\",\"items\":[\"pear\",\"apple\"],\"quantity\":3} | 50 classes"
              + " | order o-1 has 2 items | " + String.format("%s x%d (%.1f%%)", "o-1", 3, 12.5) // the child's locale is ours
              + " | p4a5 | APPLE!,PEAR! | DOM"),
          child.stdoutValues("OUTCOME "), "the workflow completed without a task failure\n" + child.report());
      String stderr = child.stderrText();
      assertTrue(stderr.contains("JUL from a workflow " + TAG), "JUL logged\n" + child.report());
      assertTrue(stderr.contains("to an already-open stream " + TAG), child.report());
      // Without a configuration file logback logs to stdout.
      assertTrue(child.stdoutLines().stream().anyMatch(l -> l.contains("slf4j from a workflow " + TAG)),
          "logback logged\n" + child.report());
      assertFalse(stderr.contains("DURABLE-1"), "no sandbox warning or violation in the log\n" + child.report());
    }
  }

  @Test
  void aHostNameLookupInAnActivityIsNotReported() throws Exception {
    try (ChildJvm child = ChildJvm.launcher(WorkflowChild.class.getName(), tmp.resolve("data"),
            LooksUpInActivity.class.getName(), "localhost", "activities=" + LooksUpInActivity.LookupImpl.class.getName())
        .agent("debug=true").start(tmp, "looks-up-in-activity")) {
      assertEquals(0, child.awaitExit(), child.report());
      // The checks are there: the agent rewrote the activity's class, as it rewrote Misbehaving's.
      assertTrue(child.stderrText().contains("durable agent: rewrote " + LooksUpInActivity.LookupImpl.class.getName()),
          child.report());
      assertEquals(List.of(), child.stdoutValues("VIOLATION "), "the listener saw violations\n" + child.report());
      assertEquals(List.of("RESULT localhost true true true"), child.stdoutValues("OUTCOME "),
          "the workflow completed with the activity's lookups\n" + child.report());
    }
  }
}
