package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowStub;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflow.now, currentTimeMillis, newRandom and randomUUID return the same values when the code is replayed. */
class WorkflowDeterminismTest {
  private static final int STEPS = 3;
  /** How many workflow steps ran in replay; proves that the tests below really replayed. */
  static final AtomicInteger REPLAYED_STEPS = new AtomicInteger();

  @WorkflowInterface
  public interface Dice {
    @WorkflowMethod
    List<String> run();

    @SignalMethod
    void next();

    @QueryMethod
    List<String> values();
  }

  public static final class DiceImpl implements Dice {
    private final List<String> values = new ArrayList<>();
    private int nexts;

    @Override
    public List<String> run() {
      for (int step = 0; step < STEPS; step++) {
        record();
        int seen = step;
        Workflow.await(() -> nexts > seen);
      }
      record();
      return values;
    }

    private void record() {
      if (Workflow.isReplaying()) {
        REPLAYED_STEPS.incrementAndGet();
      }
      values.add(Workflow.now() + " " + Workflow.currentTimeMillis() + " " + Workflow.newRandom().nextLong() + " "
          + Workflow.randomUUID());
    }

    @Override
    public void next() {
      nexts++;
    }

    @Override
    public List<String> values() {
      return values;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    REPLAYED_STEPS.set(0);
  }

  @AfterEach
  void close() {
    env.close();
  }

  @SuppressWarnings("unchecked")
  private static List<String> values(WorkflowStub stub) {
    return stub.query("values", List.class);
  }

  private static void assertStartsWith(List<String> prefix, List<String> values) {
    assertEquals(prefix, values.subList(0, prefix.size()), "values recorded earlier changed on replay");
  }

  @Test
  void valuesStayTheSameWhenRunsEvictedFromTheCacheAreReplayed() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(DiceImpl.class).setStickyCacheSize(1));
    WorkflowClient.start(env.newWorkflow(Dice.class, "a")::run);
    WorkflowClient.start(env.newWorkflow(Dice.class, "b")::run);
    WorkflowStub a = env.stub("a");
    WorkflowStub b = env.stub("b");
    List<String> seenA = values(a);
    List<String> seenB = values(b);
    assertEquals(1, seenA.size());
    assertTrue(seenA.get(0).startsWith("2030-01-01T00:00:00Z 1893456000000 "), seenA.get(0));
    assertNotEquals(seenA, seenB, "each run has its own random stream");

    for (int step = 1; step <= STEPS; step++) {
      env.clock().advance(Duration.ofMinutes(1)); // so that each step has its own workflow time
      a.signal("next");
      b.signal("next");
      List<String> nowA = values(a);
      List<String> nowB = values(b);
      assertEquals(step + 1, nowA.size());
      assertStartsWith(seenA, nowA);
      assertStartsWith(seenB, nowB);
      seenA = nowA;
      seenB = nowB;
    }

    assertEquals(seenA, env.result("a", List.class));
    assertEquals(seenB, env.result("b", List.class));
    assertTrue(seenA.get(1).startsWith("2030-01-01T00:01:00Z 1893456060000 "), seenA.get(1));
    assertTrue(REPLAYED_STEPS.get() > 0, "the alternating workflows should have evicted each other");
  }

  @Test
  void valuesStayTheSameWhenTheRunIsReplayedAfterARestart() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(DiceImpl.class));
    WorkflowClient.start(env.newWorkflow(Dice.class, "restarted")::run);
    // Move the clock only between workflow tasks: a jump past a running task's timeout would time it out.
    env.awaitEvent("restarted", "WorkflowTaskCompleted");
    env.clock().advance(Duration.ofMinutes(1));
    env.stub("restarted").signal("next");
    List<String> before = values(env.stub("restarted"));
    assertEquals(2, before.size());

    env.restartServer();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(DiceImpl.class));
    assertEquals(before, values(env.stub("restarted")), "a query after a restart replays the same values");

    for (int step = 2; step <= STEPS; step++) {
      env.stub("restarted").signal("next");
    }
    List<String> result = env.result("restarted", List.class);
    assertEquals(STEPS + 1, result.size());
    assertStartsWith(before, result);
    assertTrue(REPLAYED_STEPS.get() > 0);
  }

  @Test
  void workflowApisFailOutsideWorkflowCode() {
    IllegalStateException e = assertThrows(IllegalStateException.class, Workflow::now);
    assertTrue(e.getMessage().startsWith("DURABLE-210 Workflow.now can only be called from workflow code"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> Workflow.sleep(Duration.ofSeconds(1)));
  }
}
