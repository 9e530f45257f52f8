package dev.durable.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process hand-offs: an activity thread runs the workflow task its result made ready, and then
 * the activity that task scheduled, without waking a poller; tasks for other task queues go to
 * their queues as before.
 */
class TaskHandOffTest {
  static final String OTHER_QUEUE = "other-queue";

  @ActivityInterface
  public interface Steps {
    int step(int i);
  }

  @WorkflowInterface
  public interface Chain {
    @WorkflowMethod
    int run(int steps, boolean elsewhere);
  }

  public static final class ChainImpl implements Chain {
    @Override
    public int run(int steps, boolean elsewhere) {
      ActivityOptions.Builder options = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1));
      if (elsewhere) {
        options.setTaskQueue(OTHER_QUEUE);
      }
      Steps s = Workflow.newActivityStub(Steps.class, options.build());
      int i = 0;
      for (int k = 0; k < steps; k++) {
        i = s.step(i);
      }
      return i;
    }
  }

  /** Records the thread each step ran on. */
  static final class RecordingSteps implements Steps {
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public int step(int i) {
      threads.add(Thread.currentThread().getName());
      return i + 1;
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void aChainOfStepsStaysOnTheActivityThreadThatRanItsFirstStep() {
    RecordingSteps steps = new RecordingSteps();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps)
        .setMaxConcurrentActivityTasks(4));
    assertEquals(6, env.newWorkflow(Chain.class, "chain").run(6, false));
    assertEquals(6, steps.threads.size());
    assertEquals(1, Set.copyOf(steps.threads).size(), "every step on the thread of the first: " + steps.threads);
    assertEquals(1, env.eventTypes("chain").stream().filter("WorkflowExecutionCompleted"::equals).count());
  }

  @Test
  void activitiesOfAnotherTaskQueueAndTheirWorkflowTasksGoThroughTheirQueues() {
    RecordingSteps steps = new RecordingSteps();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ChainImpl.class));
    Worker other = Worker.newBuilder(env.client(), OTHER_QUEUE).registerActivitiesImplementations(steps).build();
    other.start();
    try {
      assertEquals(4, env.newWorkflow(Chain.class, "elsewhere").run(4, true));
      assertEquals(4, steps.threads.size());
      steps.threads.forEach(t -> assertEquals(true, t.startsWith("durable-activity-poller-" + OTHER_QUEUE + "-"), t));
    } finally {
      other.close();
    }
  }

  @Test
  void manyConcurrentChainsAllComplete() throws Exception {
    RecordingSteps steps = new RecordingSteps();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps)
        .setMaxConcurrentActivityTasks(3));
    Set<String> ids = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 30; i++) {
      WorkflowClient.start(env.newWorkflow(Chain.class, "many-" + i)::run, 5, false);
      ids.add("many-" + i);
    }
    for (String id : ids) {
      assertEquals(5, env.result(id, Integer.class), id);
    }
    assertEquals(150, steps.threads.size());
  }
}
