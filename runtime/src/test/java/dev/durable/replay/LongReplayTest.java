package dev.durable.replay;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.failure.NondeterminismError;
import dev.durable.testing.TestEnv;
import dev.durable.worker.Worker;
import dev.durable.worker.WorkflowReplayer;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long histories of sequential activities, which the workflow thread replays batch after batch
 * without handing control back to the driver: the state replayed, and the errors of changed code
 * deep in such a history, are what the driver would produce (same event, same task, same words).
 */
class LongReplayTest {
  static final int STEPS = 150;
  static final int SIGNAL_AT = 100;

  @TempDir static Path dataDir;
  static TestEnv env;
  static WorkflowHistory history;

  @ActivityInterface
  public interface Counting {
    int inc(int i);

    int dec(int i);
  }

  public static final class CountingImpl implements Counting {
    @Override
    public int inc(int i) {
      return i + 1;
    }

    @Override
    public int dec(int i) {
      return i - 1;
    }
  }

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    int run(int steps);

    @SignalMethod
    void bump();

    @QueryMethod
    int state();
  }

  /** Counts with one activity per step; at step {@value #SIGNAL_AT} waits for a bump. */
  public static class CounterV1 implements Counter {
    final Counting counting = Workflow.newActivityStub(Counting.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    int done;
    int bumps;

    @Override
    public int run(int steps) {
      while (done < steps) {
        done = step(done);
        if (done == SIGNAL_AT) {
          Workflow.await(() -> bumps > 0);
        }
      }
      return done + 1000 * bumps;
    }

    int step(int i) {
      return counting.inc(i);
    }

    @Override
    public void bump() {
      bumps++;
    }

    @Override
    public int state() {
      return done + 1000 * bumps;
    }
  }

  /** Calls another activity at step 121. */
  public static final class OtherActivityLate extends CounterV1 {
    @Override
    int step(int i) {
      return i == 120 ? counting.dec(i) + 2 : counting.inc(i); // line: other activity
    }
  }

  /** Stops scheduling at step 131 and waits for nothing. */
  public static final class StopsLate extends CounterV1 {
    @Override
    int step(int i) {
      if (i == 130) {
        Workflow.await(() -> false);
      }
      return counting.inc(i);
    }
  }

  @BeforeAll
  static void recordALongRun() {
    env = TestEnv.open(dataDir);
    Worker worker = env.startWorker(b -> b.registerWorkflowImplementationTypes(CounterV1.class)
        .registerActivitiesImplementations(new CountingImpl()));
    try {
      WorkflowClient.start(env.newWorkflow(Counter.class, "long")::run, STEPS);
      eventually("the counter to wait for its bump", () -> env.eventTypes("long"),
          types -> types.stream().filter("ActivityTaskCompleted"::equals).count() == SIGNAL_AT
              && types.get(types.size() - 1).equals("WorkflowTaskCompleted"));
      env.stub("long").signal("bump");
      assertEquals(STEPS + 1000, env.result("long", Integer.class));
      history = env.stub("long").getHistory();
    } finally {
      env.closeWorker(worker);
    }
  }

  @AfterAll
  static void close() {
    env.close();
  }

  @Test
  void aFullReplayRebuildsTheStateAcrossTheSignal() {
    WorkflowReplayer.replayWorkflowExecution(history, CounterV1.class);
    // A closed run is not cached: the query replays the whole history on a new worker.
    Worker worker = env.startWorker(b -> b.registerWorkflowImplementationTypes(CounterV1.class)
        .registerActivitiesImplementations(new CountingImpl()));
    try {
      assertEquals(STEPS + 1000, env.stub("long").query("state", Integer.class));
    } finally {
      env.closeWorker(worker);
    }
  }

  @Test
  void anotherActivityDeepInTheHistoryIsReportedAtItsEvent() {
    long at = Histories.eventId(history, "ActivityTaskScheduled", "seq", "121");
    NondeterminismError e = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, OtherActivityLate.class));
    String m = e.getMessage();
    assertTrue(m.startsWith("DURABLE-110 non-determinism in workflow 'long'"), m);
    assertTrue(m.contains("at history event " + at + ":\n  history: ActivityTaskScheduled  activity=Inc (id 121)"), m);
    assertTrue(m.contains("  code:    schedule activity Dec (seq 121)  at "), m);
    assertTrue(m.contains("LongReplayTest$OtherActivityLate.step(LongReplayTest.java:"), m);
  }

  @Test
  void codeThatStopsDeepInTheHistoryNamesTheTaskItStoppedIn() {
    long at = Histories.eventId(history, "ActivityTaskScheduled", "seq", "131");
    NondeterminismError e = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, StopsLate.class));
    String m = e.getMessage();
    assertTrue(m.contains("at history event " + at + ":\n  history: ActivityTaskScheduled  activity=Inc (id 131)"), m);
    // The command follows the workflow task that completed just before it.
    assertTrue(m.contains("nothing: the code now waits without producing this command (after workflow task "
        + (at - 1) + ")"), m);
    assertTrue(m.contains("LongReplayTest$StopsLate.step(LongReplayTest.java:"), m);
  }
}
