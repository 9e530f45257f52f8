package dev.durable.worker;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.testing.LogCapture;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow thread that waits where the engine cannot see it (here {@code LockSupport.park}, as a
 * lock or a queue would; no agent in these tests) never gives control back: the worker logs
 * DURABLE-122 once, naming the run and the line, and the run goes on when the thread does.
 */
class StuckThreadWarningTest {
  @WorkflowInterface
  public interface Parks {
    @WorkflowMethod
    String run();
  }

  /** Parks its thread until the test unparks it. */
  public static final class ParksImpl implements Parks {
    static volatile Thread parked;

    @Override
    public String run() {
      parked = Thread.currentThread();
      LockSupport.park(this); // the line the warning names
      return "unparked";
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private LogCapture log;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    log = LogCapture.of("dev.durable.internal.replay.WorkflowRun");
  }

  @AfterEach
  void close() {
    log.close();
    Thread t = ParksImpl.parked;
    if (t != null) {
      LockSupport.unpark(t);
    }
    env.close();
  }

  @Test
  void aThreadThatWaitsOutsideTheEngineIsReportedOnceWithItsLine() throws Exception {
    Worker worker = env.startWorker(b -> b.registerWorkflowImplementationTypes(ParksImpl.class)
        .setStuckThreadWarning(Duration.ofMillis(20)));
    WorkflowClient.start(env.newWorkflow(Parks.class, "parks")::run);
    String w = eventually("DURABLE-122 in the log", () -> log.startingWith("DURABLE-122"), l -> !l.isEmpty()).get(0);
    assertTrue(w.startsWith("DURABLE-122 workflow 'parks' (Parks): its thread '"), w);
    assertTrue(w.contains(" ms without giving control back to the engine, at " + ParksImpl.class.getName()
        + ".run(StuckThreadWarningTest.java:" + parkLine() + ") (jdk.internal.misc.Unsafe.park <- "
        + "java.util.concurrent.locks.LockSupport.park <- "), w);
    assertTrue(w.endsWith("The workflow task goes on waiting for the thread."), w);

    LockSupport.unpark(ParksImpl.parked);
    assertEquals("unparked", env.result("parks", String.class));
    assertEquals(1, log.startingWith("DURABLE-122").size(), "one warning per stretch: " + log.messages());
    env.closeWorker(worker);
  }

  @Test
  void theWarningTimeMustNotBeNegative() {
    var e = assertThrows(IllegalArgumentException.class, () -> env.startWorker(b -> b
        .registerWorkflowImplementationTypes(ParksImpl.class).setStuckThreadWarning(Duration.ofSeconds(-1))));
    assertEquals("DURABLE-201 stuckThreadWarning must be zero (off) or positive, got PT-1S", e.getMessage());
  }

  /** The line of {@code LockSupport.park} in {@link ParksImpl#run}. */
  private static int parkLine() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/durable/worker/StuckThreadWarningTest.java"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("// the line the warning names")) {
        return i + 1;
      }
    }
    throw new IllegalStateException("marker not found");
  }
}
