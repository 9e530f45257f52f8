package dev.durable.workflow;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityMethod;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.RetryOptions;
import dev.durable.testing.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Forever" written as the largest durations Java has ({@code Duration.ofSeconds(Long.MAX_VALUE)},
 * {@code Duration.ofMillis(Long.MAX_VALUE)}, {@code ChronoUnit.FOREVER}) works wherever a
 * duration is taken. Such deadlines overflowed {@code Instant} and {@code long} milliseconds: the
 * workflow task failed over and over with "long overflow", or the deadline was stored and the
 * server could not start again on its data dir.
 */
class ForeverDurationsTest {
  static final List<Duration> FOREVER = List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofMillis(Long.MAX_VALUE),
      ChronoUnit.FOREVER.getDuration());
  /** What the stored deadlines become: the last instant a millisecond clock can name. */
  static final String NEVER = "+292278994-08-17T07:12:55.807Z";

  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    String run(int which);

    @SignalMethod
    void wake();
  }

  public static final class SleeperImpl implements Sleeper {
    private boolean woken;

    @Override
    public String run(int which) {
      boolean timedOut = !Workflow.await(FOREVER.get(which), () -> woken);
      Workflow.sleep(FOREVER.get(which)); // cancelled by the test
      return "woken, timed out: " + timedOut;
    }

    @Override
    public void wake() {
      woken = true;
    }
  }

  @ActivityInterface
  public interface Greeter {
    @ActivityMethod
    String greet(String name);
  }

  public static final class GreeterImpl implements Greeter {
    @Override
    public String greet(String name) {
      return "Hello, " + name + "!";
    }
  }

  @WorkflowInterface
  public interface Greeting {
    @WorkflowMethod
    String run(String name);
  }

  public static final class GreetingImpl implements Greeting {
    @Override
    public String run(String name) {
      Duration forever = ChronoUnit.FOREVER.getDuration();
      Greeter greeter = Workflow.newActivityStub(Greeter.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(forever).setScheduleToCloseTimeout(forever).setHeartbeatTimeout(forever)
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(forever).build()) // its maximum: 100 times
          .build());
      return greeter.greet(name);
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    startWorker();
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(SleeperImpl.class, GreetingImpl.class)
        .registerActivitiesImplementations(new GreeterImpl()));
  }

  @Test
  void timersOfForeverAreStoredAsNeverAndTheServerRestartsOnThem() {
    for (int i = 0; i < FOREVER.size(); i++) {
      WorkflowClient.start(env.newWorkflow(Sleeper.class, "sleeper-" + i)::run, i);
      env.awaitEvent("sleeper-" + i, "TimerStarted");
    }
    env.restartServer();
    startWorker();

    for (int i = 0; i < FOREVER.size(); i++) {
      String id = "sleeper-" + i;
      assertEquals(WorkflowStatus.RUNNING, env.describe(id).status());
      WorkflowHistory.Event timer = env.stub(id).getHistory().getEvents().stream()
          .filter(e -> e.eventType().equals("TimerStarted")).findFirst().orElseThrow();
      assertTrue(timer.attributesJson().contains("\"fireAt\":\"" + NEVER + "\""), timer.attributesJson());
      env.stub(id).signal("wake");
      eventually("the sleep's timer of " + id, () -> env.eventTypes(id),
          types -> types.stream().filter("TimerStarted"::equals).count() == 2 && types.contains("TimerCanceled"));
      env.stub(id).cancel();
      env.awaitDescription(id, "cancelled", d -> d.status() == WorkflowStatus.CANCELED);
    }
    env.assertHistoriesValid();
  }

  @Test
  void activityTimeoutsRetriesAndWorkflowTimeoutsOfForeverWork() throws Exception {
    Duration forever = ChronoUnit.FOREVER.getDuration();
    Greeting greeting = env.client().newWorkflowStub(Greeting.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("greeting").setWorkflowTaskTimeout(forever)
        .setWorkflowExecutionTimeout(forever).setWorkflowRunTimeout(forever).build());
    WorkflowClient.start(greeting::run, "World");

    assertEquals("Hello, World!", env.stub("greeting").getResult(forever, String.class));
    assertEquals("Hello, World!", env.stub("greeting").getResult(Duration.ofSeconds(Long.MAX_VALUE), String.class));
    env.restartServer();
    assertEquals(WorkflowStatus.COMPLETED, env.describe("greeting").status());
  }
}
