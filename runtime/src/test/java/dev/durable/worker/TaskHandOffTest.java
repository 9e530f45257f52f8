package dev.durable.worker;

import static dev.durable.testing.Eventually.eventually;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process hand-offs: an activity thread runs the workflow task its result made ready, and then
 * the activity that task scheduled, without waking a poller; a workflow poller takes the activity
 * its task scheduled while another poller waits (at most half of the pollers at a time); tasks for
 * other task queues go to their queues as before. A chain of steps taken this way runs on the
 * workflow's own thread, which carries it (WorkflowTaskHandler.Carry) while the poller or activity
 * thread that took it waits: that thread is named after the workflow ({@code workflow[id]}).
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

  /** Two steps with a signal in between; its state is queryable; a bad input fails it after the first step. */
  @WorkflowInterface
  public interface Watched {
    @WorkflowMethod
    int run(int failAfterFirst);

    @SignalMethod
    void add(int n);

    @QueryMethod
    String state();
  }

  public static final class WatchedImpl implements Watched {
    private int total;
    private int added = -1;
    private String state = "new";

    @Override
    public int run(int failAfterFirst) {
      Steps s = Workflow.newActivityStub(Steps.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      state = "first step";
      total = s.step(total);
      if (failAfterFirst != 0) {
        throw new IllegalStateException("bad input " + failAfterFirst + " after the first step");
      }
      state = "waiting for a number";
      Workflow.await(() -> added >= 0);
      total += added;
      state = "second step";
      total = s.step(total);
      state = "done";
      return total;
    }

    @Override
    public void add(int n) {
      added = n;
    }

    @Override
    public String state() {
      return state + " (" + total + ")";
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

  /** Records the thread each step ran on, and holds every step until released. */
  public static final class HeldSteps implements Steps {
    final List<String> threads = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);

    @Override
    public int step(int i) {
      threads.add(Thread.currentThread().getName());
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        Thread.currentThread().interrupt();
      }
      return i + 1;
    }
  }

  private static final String POLLER = "durable-workflow-poller-" + TestEnv.TASK_QUEUE + "-";
  private static final String ACTIVITY_THREAD = "durable-activity-poller-" + TestEnv.TASK_QUEUE + "-";

  /** Platform workflow threads (JDK 17 – 20) carry their chains; virtual ones (21+) leave the steps to the poller. */
  private static final boolean CARRIED = Runtime.version().feature() < 21;

  /**
   * Checks that a step of workflow {@code id} that a poller took ran on the thread of the
   * workflow's code ({@code workflow[id]}), which carries the chain, or on JDK 21+ on the poller.
   */
  private static void assertTakenByPoller(String id, String thread) {
    if (CARRIED) {
      assertEquals("workflow[" + id + "]", thread, "the workflow's thread carried the chain");
    } else {
      assertTrue(thread.startsWith(POLLER), thread);
    }
  }

  /** Waits until {@code n} of the worker's workflow pollers wait for a task. */
  private static void awaitWaitingPollers(long n) {
    eventually(n + " workflow pollers waiting", () -> Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(POLLER))
        .filter(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)
        .count() == n);
  }

  /** Starts a worker running {@link ChainImpl} with {@code steps}, configured further by {@code options}. */
  private Worker startChainWorker(Steps steps, UnaryOperator<Worker.Builder> options) {
    return env.startWorker(b -> options.apply(b.registerWorkflowImplementationTypes(ChainImpl.class)
        .registerActivitiesImplementations(steps)));
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
    startChainWorker(steps, b -> b.setMaxConcurrentActivityTasks(4));
    assertEquals(6, env.newWorkflow(Chain.class, "chain").run(6, false));
    assertEquals(6, steps.threads.size());
    assertEquals(1, Set.copyOf(steps.threads).size(), "every step on the thread of the first: " + steps.threads);
    assertEquals(1, env.eventTypes("chain").stream().filter("WorkflowExecutionCompleted"::equals).count());
  }

  @Test
  void aLoneWorkflowsActivitiesRunOnItsOwnThreadForThePollerThatTookTheFirst() {
    RecordingSteps steps = new RecordingSteps();
    startChainWorker(steps, b -> b.setMaxConcurrentWorkflowTasks(4));
    awaitWaitingPollers(4);
    assertEquals(3, env.newWorkflow(Chain.class, "lone").run(3, false));
    assertEquals(1, Set.copyOf(steps.threads).size(), "every step on one thread: " + steps.threads);
    assertTakenByPoller("lone", steps.threads.get(0));
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled",
        "ActivityTaskCompleted", "WorkflowTaskCompleted", "ActivityTaskScheduled", "ActivityTaskCompleted",
        "WorkflowTaskCompleted", "ActivityTaskScheduled", "ActivityTaskCompleted", "WorkflowTaskCompleted",
        "WorkflowExecutionCompleted"), env.eventTypes("lone"));
  }

  @Test
  void atMostHalfThePollersRunActivitiesAndTheOthersKeepServingWorkflowTasks() {
    HeldSteps held = new HeldSteps();
    startChainWorker(held, b -> b.setMaxConcurrentWorkflowTasks(4));
    awaitWaitingPollers(4);
    for (int k = 0; k < 3; k++) {
      WorkflowClient.start(env.newWorkflow(Chain.class, "held-" + k)::run, 1, false);
      int started = k + 1;
      eventually("activity " + started + " to start", () -> held.threads.size() == started);
    }
    // The first two for the pollers that took them (on the workflows' threads), the third on an activity thread.
    assertTakenByPoller("held-0", held.threads.get(0));
    assertTakenByPoller("held-1", held.threads.get(1));
    assertTrue(held.threads.get(2).startsWith(ACTIVITY_THREAD), "half of the 4 pollers hold activities: " + held.threads);
    // The two pollers left still serve workflow tasks.
    assertEquals(0, env.newWorkflow(Chain.class, "no-steps").run(0, false));
    held.release.countDown();
    for (int k = 0; k < 3; k++) {
      assertEquals(1, env.result("held-" + k, Integer.class));
    }
  }

  @Test
  void anActivityStillRunningOnAPollerAtCloseIsInterruptedAfterTheShutdownTimeout() {
    HeldSteps held = new HeldSteps();
    Worker worker = startChainWorker(held, b -> b.setMaxConcurrentWorkflowTasks(4).setShutdownTimeout(Duration.ofMillis(50)));
    awaitWaitingPollers(4);
    WorkflowClient.start(env.newWorkflow(Chain.class, "held-at-close")::run, 1, false);
    eventually("the activity to start", () -> held.threads.size() == 1);
    assertTakenByPoller("held-at-close", held.threads.get(0));
    env.closeWorker(worker);
    eventually("the activity to be interrupted", () -> held.interrupted.getCount() == 0);
  }

  @Test
  void aQueryAndASignalDuringACarriedActivityAreAnsweredWithoutWaitingForIt() throws Exception {
    HeldSteps held = new HeldSteps();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(WatchedImpl.class)
        .registerActivitiesImplementations(held)
        .setMaxConcurrentWorkflowTasks(4));
    awaitWaitingPollers(4);
    WorkflowClient.start(env.newWorkflow(Watched.class, "watched")::run, 0);
    eventually("the first step to start", () -> held.threads.size() == 1);
    assertTakenByPoller("watched", held.threads.get(0));

    // Both would wait for the held step if they needed the run's thread: the query reads the
    // cached run beside it, the signal's workflow task runs on a run replayed from the history.
    var query = CompletableFuture.supplyAsync(() -> env.stub("watched").query("state", String.class));
    assertEquals("first step (0)", query.get(30, TimeUnit.SECONDS));
    env.stub("watched").signal("add", 10);
    env.awaitEvent("watched", "WorkflowExecutionSignaled");
    eventually("the signal's workflow task to complete while the step is held", () -> {
      List<String> types = env.eventTypes("watched");
      return types.get(types.size() - 1).equals("WorkflowTaskCompleted") && held.threads.size() == 1;
    });

    held.release.countDown();
    assertEquals(12, env.result("watched", Integer.class), "1 from the first step, 10 signaled, 1 from the second");
    assertEquals("done (12)", env.stub("watched").query("state", String.class));
    env.assertHistoriesValid();
  }

  @Test
  void aFailureInATaskOfACarriedChainIsReportedForThatTask() {
    RecordingSteps steps = new RecordingSteps();
    env.startWorker(b -> b.registerWorkflowImplementationTypes(WatchedImpl.class)
        .registerActivitiesImplementations(steps)
        .setMaxConcurrentWorkflowTasks(4).setFailWorkflowExceptionTypes(IllegalStateException.class));
    awaitWaitingPollers(4);
    WorkflowClient.start(env.newWorkflow(Watched.class, "failing")::run, 7);
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.durable.client.WorkflowFailedException.class,
        () -> env.result("failing", Integer.class));
    assertTrue(String.valueOf(e.getCause().getMessage()).contains("bad input 7 after the first step"),
        String.valueOf(e.getCause()));
    assertEquals(1, steps.threads.size());
    assertTakenByPoller("failing", steps.threads.get(0));
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled",
        "ActivityTaskCompleted", "WorkflowTaskCompleted", "WorkflowExecutionFailed"), env.eventTypes("failing"));
  }

  @Test
  void activitiesGivenToAnExecutorNeverRunOnAPoller() {
    RecordingSteps steps = new RecordingSteps();
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "user-executor"));
    try {
      startChainWorker(steps, b -> b.setActivityExecutor(executor));
      assertEquals(2, env.newWorkflow(Chain.class, "executor").run(2, false));
      assertEquals(List.of("user-executor", "user-executor"), steps.threads);
    } finally {
      executor.shutdownNow();
    }
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
    startChainWorker(steps, b -> b.setMaxConcurrentActivityTasks(3));
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
