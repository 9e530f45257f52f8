package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.it.ChildJvm;
import dev.durable.it.StoredHistories;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain Java waits in workflow code wait durably with the agent ({@link PlainWaits}): a latch
 * and a future that signal handlers open and complete, timed waits that run out on durable
 * timers, and a new JVM that replays the history to the same values.
 */
class DurableWaitsTest {
  private static final String RESULT = "arrived early: false; no result within 1 milliseconds of workflow time;"
      + " approved by ada; joined: ada; receipt";

  @TempDir Path tmp;

  @AfterEach
  void everyStoredHistoryIsValid() {
    StoredHistories.assertAllValidUnder(tmp);
  }

  @Test
  void aLatchAndAFutureWaitForSignalsDurablyAndReplayTheSame() throws Exception {
    Path data = tmp.resolve("data");
    try (ChildJvm run = ChildJvm.launcher(WaitsChild.class.getName(), data, "run").agent("").start(tmp, "run")) {
      assertEquals(0, run.awaitExit(), run.report());
      assertEquals(List.of(RESULT), run.stdoutValues("RESULT "), run.report());
      List<String> events = run.stdoutValues("EVENT ");
      // The timed waits: a durable timer each, which fired (no signal had come).
      assertEquals(2, events.stream().filter("TimerStarted"::equals).count(), events.toString());
      assertEquals(2, events.stream().filter("TimerFired"::equals).count(), events.toString());
      assertEquals(2, events.stream().filter("WorkflowExecutionSignaled"::equals).count(), events.toString());
      assertEquals("WorkflowExecutionCompleted", events.get(events.size() - 1), events.toString());
    }
    try (ChildJvm replay = ChildJvm.launcher(WaitsChild.class.getName(), data, "replay").agent("").start(tmp, "replay")) {
      assertEquals(0, replay.awaitExit(), replay.report());
      assertEquals(List.of("done: " + RESULT), replay.stdoutValues("PHASE "), replay.report());
    }
  }
}
