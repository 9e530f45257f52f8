package dev.durable.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many workflows whose chains of steps their threads carry, while signals and queries arrive for
 * them at any moment: a signal's workflow task may come while a carried activity runs (the run is
 * then replayed from its history and replaces the cached one), a query may read a run whose thread
 * is away in an activity. Every workflow ends with every step and every signal counted once, and
 * every history is valid.
 */
class CarriedChainsUnderLoadTest {
  static final int WORKFLOWS = 40;
  static final int STEPS = 6;
  static final int SIGNALS = 3;

  @ActivityInterface
  public interface Step {
    int step(int total);
  }

  @WorkflowInterface
  public interface Tally {
    @WorkflowMethod
    int run();

    @SignalMethod
    void add(int n);

    @QueryMethod
    int seen();
  }

  public static final class TallyImpl implements Tally {
    private int total;
    private int added;
    private int signals;

    @Override
    public int run() {
      Step step = Workflow.newActivityStub(Step.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      for (int i = 0; i < STEPS; i++) {
        total = step.step(total);
      }
      Workflow.await(() -> signals == SIGNALS);
      return total + added;
    }

    @Override
    public void add(int n) {
      added += n;
      signals++;
    }

    @Override
    public int seen() {
      return total + added;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Timeout(120)
  void everyStepAndSignalCountsOnceWhileSignalsAndQueriesComeDuringCarriedChains() throws Exception {
    env = TestEnv.open(dir);
    env.startWorker(b -> b.registerWorkflowImplementationTypes(TallyImpl.class)
        .registerActivitiesImplementations((Step) total -> total + 1).setMaxConcurrentWorkflowTasks(8));
    List<String> ids = new ArrayList<>();
    for (int w = 0; w < WORKFLOWS; w++) {
      ids.add("tally-" + w);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      // Each workflow's signals and queries follow its start at once, while its chain runs.
      List<Future<?>> work = new ArrayList<>();
      for (String id : ids) {
        work.add(pool.submit(() -> {
          WorkflowClient.start(env.newWorkflow(Tally.class, id)::run);
          for (int s = 1; s <= SIGNALS; s++) {
            env.stub(id).signal("add", s * 10);
            int seen = env.stub(id).query("seen", Integer.class);
            assertTrue(seen >= 0 && seen <= STEPS + 60, "a query sees a state of the run: " + seen);
          }
        }));
      }
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (String id : ids) {
      assertEquals(STEPS + 10 + 20 + 30, env.result(id, Integer.class), id);
    }
    env.assertHistoriesValid();
  }
}
