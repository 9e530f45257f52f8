package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.it.ChildJvm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shims and reports that came with a replay semantics leave runs started under an earlier one
 * alone, end to end through the real {@code durable.jar}: a history recorded as nothing but a
 * result replays with code that sleeps with {@code TimeUnit}, draws from a {@code SplittableRandom}
 * and sums a parallel stream when it says semantics 2 (those calls behave as they did then), and
 * fails when it says 3 (the sleep is a durable timer the history lacks; the parallel stream is
 * reported). Code that forks a fork/join task replays under 3 and is reported under 4.
 */
class OldRunsReplayAsTheyRanTest {
  @TempDir Path tmp;

  @Test
  void aRunOfSemantics2ReplaysAsItRanAndOneOf3DoesNot() throws Exception {
    ChildJvm child = ChildJvm.launcher(OldRunChild.class.getName(), tmp.resolve("data")).agent("")
        .start(tmp, "old-runs");
    assertEquals(0, child.awaitExit(), child.stdoutText() + child.stderrText());
    assertEquals(java.util.List.of("done"), child.stdoutValues("RESULT "), child.stdoutText());
    Map<String, String> outcomes = new LinkedHashMap<>();
    for (String line : child.stdoutValues("REPLAY ")) {
      String[] parts = line.split(" ", 3);
      outcomes.put(parts[0] + " " + parts[1], parts[2]);
    }
    assertEquals("ok", outcomes.get("Habits 2"), child.stdoutText());
    assertEquals("ok", outcomes.get("ParallelOnly 2"), child.stdoutText());
    String habits3 = outcomes.get("Habits 3");
    assertTrue(habits3 != null && habits3.startsWith("NondeterminismError") && habits3.contains("timer"),
        "semantics 3: TimeUnit.sleep is a durable timer the history lacks: " + habits3);
    String parallel3 = outcomes.get("ParallelOnly 3");
    assertTrue(parallel3 != null && parallel3.contains("thread.fork-join-task"),
        "semantics 3: the parallel stream is reported: " + parallel3);
    assertEquals(java.util.List.of("5"), child.stdoutValues("RECORDED-SEMANTICS "), child.stdoutText());
    assertEquals("ok", outcomes.get("ForkOnly 2"), child.stdoutText());
    assertEquals("ok", outcomes.get("ForkOnly 3"), child.stdoutText());
    String fork4 = outcomes.get("ForkOnly 4");
    assertTrue(fork4 != null && fork4.contains("thread.fork-join-fork"), "semantics 4: the fork is reported: " + fork4);
    assertEquals("ok", outcomes.get("JoinOnly 4"), child.stdoutText());
    String join5 = outcomes.get("JoinOnly 5");
    assertTrue(join5 != null && join5.contains("sync.block"), "semantics 5: the join is reported: " + join5);
  }
}
