package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An online backup taken while workflows run restores to a consistent state: every history in
 * it passes the validator, every change acknowledged before the backup is in it, and its
 * workflows go on to the same results as the originals.
 */
class BackupUnderLoadTest {
  private static final int WORKFLOWS = 24;
  private static final int STEPS = 10;

  @ActivityInterface
  public interface Step {
    String step(String workflowId, int i);
  }

  @WorkflowInterface
  public interface Pipeline {
    @WorkflowMethod
    List<String> run(int steps);

    @SignalMethod
    void tag(String tag);
  }

  /** Runs its steps, naps for an hour, and returns the step results and the tags it got. */
  public static final class PipelineImpl implements Pipeline {
    private final Step step = Workflow.newActivityStub(Step.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1)).build());
    private final List<String> tags = new ArrayList<>();

    @Override
    public List<String> run(int steps) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < steps; i++) {
        out.add(step.step(Workflow.getInfo().workflowId(), i));
      }
      Workflow.sleep(Duration.ofHours(1));
      out.addAll(tags);
      return out;
    }

    @Override
    public void tag(String tag) {
      tags.add(tag);
    }
  }

  /** Counts steps; those after the first third wait until the backup was taken, so that it is taken mid-way. */
  static final class CountingStep implements Step {
    final AtomicInteger done = new AtomicInteger();
    final java.util.concurrent.CountDownLatch backupTaken = new java.util.concurrent.CountDownLatch(1);

    @Override
    public String step(String workflowId, int i) {
      if (done.incrementAndGet() > WORKFLOWS * STEPS / 3) {
        try {
          backupTaken.await(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return workflowId + "#" + i;
    }
  }

  @TempDir Path dir;

  private static List<String> expected(String id) {
    List<String> out = new ArrayList<>();
    IntStream.range(0, STEPS).forEach(i -> out.add(id + "#" + i));
    out.add("before-backup");
    return out;
  }

  @Test
  void backupTakenWhileWorkflowsRunIsConsistentAndItsWorkflowsComplete() {
    Path backup = dir.resolve("backup");
    CountingStep steps = new CountingStep();
    try (TestEnv env = TestEnv.open(dir.resolve("data"))) {
      env.startWorker(b -> b.registerWorkflowImplementationTypes(PipelineImpl.class)
          .registerActivitiesImplementations(steps).setMaxConcurrentWorkflowTasks(4));
      for (int i = 0; i < WORKFLOWS; i++) {
        String id = "pipeline-" + i;
        WorkflowClient.start(env.newWorkflow(Pipeline.class, id)::run, STEPS);
        env.stub(id).signal("tag", "before-backup");
      }
      // Mid-way: some workflows are still starting, others are between steps or asleep.
      Eventually.eventually("a third of the steps", () -> steps.done.get() >= WORKFLOWS * STEPS / 3);
      env.server().backup(backup);
      steps.backupTaken.countDown();
    }

    try (TestEnv restored = TestEnv.open(backup)) {
      List<WorkflowDescription> all = restored.client().listWorkflows(false, 1000);
      assertEquals(WORKFLOWS, all.size(), "every workflow started before the backup is in it");
      restored.assertHistoriesValid();
      // A signal that arrived while a workflow task ran waits in the run's state until that task
      // completes; the backup may hold it there rather than in the history. Either way the result
      // below carries its tag.

      CountingStep unblocked = new CountingStep();
      unblocked.backupTaken.countDown();
      restored.startWorker(b -> b.registerWorkflowImplementationTypes(PipelineImpl.class)
          .registerActivitiesImplementations(unblocked).setMaxConcurrentWorkflowTasks(4));
      for (int i = 0; i < WORKFLOWS; i++) {
        restored.awaitEvent("pipeline-" + i, "TimerStarted");
      }
      restored.clock().advance(Duration.ofHours(1));
      for (int i = 0; i < WORKFLOWS; i++) {
        String id = "pipeline-" + i;
        assertEquals(expected(id), restored.result(id, List.class),
            id + ": every step once, then the tag of the signal acknowledged before the backup");
      }
    }
  }
}
