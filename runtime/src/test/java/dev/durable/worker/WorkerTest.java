package dev.durable.worker;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.PendingActivityInfo;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's lifecycle and its limit on concurrent activities. */
class WorkerTest {
  @ActivityInterface
  public interface Job {
    String runJob(int n);
  }

  @WorkflowInterface
  public interface JobWorkflow {
    @WorkflowMethod
    String run(int n);
  }

  public static final class JobWorkflowImpl implements JobWorkflow {
    private final Job job = Workflow.newActivityStub(Job.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1)).build());

    @Override
    public String run(int n) {
      return job.runJob(n);
    }
  }

  /** Counts jobs running at once; each waits for {@link #release}. */
  static final class GatedJob implements Job {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final AtomicInteger onPollers = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String runJob(int n) {
      // A workflow poller's activity runs on the poller, or on the workflow's own thread when that
      // thread carries its chain (see WorkflowTaskHandler): under the poller's activity slot either way.
      String thread = Thread.currentThread().getName();
      if (thread.startsWith("durable-workflow-poller-") || thread.startsWith("workflow[")) {
        onPollers.incrementAndGet();
      }
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.decrementAndGet();
      }
      return "job " + n;
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

  private static boolean threadAlive(String namePrefix) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(namePrefix) && t.isAlive());
  }

  @Test
  void closeStopsThePollersAndShutsDownTheActivityExecutorItWasGiven() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    Worker worker = Worker.newBuilder(env.client(), "closing-queue")
        .registerWorkflowImplementationTypes(JobWorkflowImpl.class)
        .registerActivitiesImplementations((Job) n -> "job " + n)
        .setActivityExecutor(executor)
        .build();
    worker.start();
    JobWorkflow wf = env.client().newWorkflowStub(JobWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("closing-queue").setWorkflowId("before-close").build());
    assertEquals("job 7", wf.run(7));
    assertTrue(threadAlive("durable-workflow-poller-closing-queue-"));

    worker.close();
    assertTrue(executor.isShutdown());
    assertTrue(executor.isTerminated());
    assertTrue(!threadAlive("durable-workflow-poller-closing-queue-") && !threadAlive("durable-activity-poller-closing-queue"),
        "pollers must have stopped");
  }

  @Test
  void workerCannotBeStartedTwice() {
    Worker worker = env.startWorker(b -> b.registerWorkflowImplementationTypes(JobWorkflowImpl.class));
    IllegalStateException e = assertThrows(IllegalStateException.class, worker::start);
    assertEquals("DURABLE-214 worker for task queue 'test-queue' is already started", e.getMessage());
  }

  @Test
  void maxConcurrentActivityTasksLimitsHowManyActivitiesRunAtOnce() {
    GatedJob job = new GatedJob();
    ExecutorService roomy = Executors.newCachedThreadPool();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(JobWorkflowImpl.class).registerActivitiesImplementations(job)
        .setActivityExecutor(roomy).setMaxConcurrentActivityTasks(2));
    List<String> ids = IntStream.range(0, 5).mapToObj(i -> "job-" + i).toList();
    for (int i = 0; i < ids.size(); i++) {
      WorkflowClient.start(env.newWorkflow(JobWorkflow.class, ids.get(i))::run, i);
    }
    for (String id : ids) {
      env.awaitPendingActivity(id, "the activity to be scheduled", p -> true);
    }

    eventually("two jobs to run", () -> job.running.get() == 2);
    List<String> states = ids.stream().map(id -> env.describe(id).pendingActivities().get(0))
        .map(PendingActivityInfo::state).sorted().toList();
    assertEquals(List.of("SCHEDULED", "SCHEDULED", "SCHEDULED", "STARTED", "STARTED"), states,
        "the worker takes no more tasks than it has slots");

    job.release.countDown();
    for (int i = 0; i < ids.size(); i++) {
      assertEquals("job " + i, env.result(ids.get(i), String.class));
    }
    assertEquals(2, job.mostAtOnce.get());
  }

  @Test
  void ownActivityThreadsTakeNoMoreTasksThanTheLimitAndEndWithTheWorker() {
    GatedJob job = new GatedJob();
    Worker worker = env.startWorker(b -> b.registerWorkflowImplementationTypes(JobWorkflowImpl.class)
        .registerActivitiesImplementations(job).setMaxConcurrentActivityTasks(3));
    List<String> ids = IntStream.range(0, 5).mapToObj(i -> "own-" + i).toList();
    for (int i = 0; i < ids.size(); i++) {
      WorkflowClient.start(env.newWorkflow(JobWorkflow.class, ids.get(i))::run, i);
    }
    for (String id : ids) {
      env.awaitPendingActivity(id, "the activity to be scheduled", p -> true);
    }
    eventually("three jobs to run", () -> job.running.get() == 3);
    List<String> states = ids.stream().map(id -> env.describe(id).pendingActivities().get(0))
        .map(PendingActivityInfo::state).sorted().toList();
    assertEquals(List.of("SCHEDULED", "SCHEDULED", "STARTED", "STARTED", "STARTED"), states,
        "three threads run three activities and none polls for more");
    // Some run for the workflow pollers that scheduled them (see TaskHandOffTest), the rest on own
    // activity threads; together never more than the limit.
    long ownThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("durable-activity-poller-" + TestEnv.TASK_QUEUE + "-") && t.isAlive()).count();
    assertEquals(3, ownThreads + job.onPollers.get(), "own threads " + ownThreads + ", on pollers " + job.onPollers);

    job.release.countDown();
    for (int i = 0; i < ids.size(); i++) {
      assertEquals("job " + i, env.result(ids.get(i), String.class));
    }
    assertEquals(3, job.mostAtOnce.get());
    env.closeWorker(worker);
    eventually("the activity threads to end with the worker",
        () -> !threadAlive("durable-activity-poller-" + TestEnv.TASK_QUEUE + "-"));
  }
}
