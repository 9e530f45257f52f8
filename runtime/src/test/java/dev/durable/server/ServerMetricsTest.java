package dev.durable.server;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowOptions;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ApplicationFailure;
import dev.durable.testing.Greetings;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DurableServer#metrics()}: counters of what real workflows did, counted once each, gauges of
 * the state at the snapshot, and the Prometheus text.
 */
class ServerMetricsTest {
  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    String sleep(String how);
  }

  /** Sleeps an hour on a durable timer; "fail" then fails the run, "crash" crashes its first task once. */
  public static final class SleeperImpl implements Sleeper {
    static final AtomicBoolean crashed = new AtomicBoolean();

    @Override
    public String sleep(String how) {
      if (how.equals("crash") && crashed.compareAndSet(false, true)) {
        throw new IllegalStateException("a bug, fixed by the next attempt");
      }
      Workflow.sleep(Duration.ofHours(1));
      if (how.equals("fail")) {
        throw ApplicationFailure.newFailure("woke up on the wrong side", "Grumpy");
      }
      return "slept";
    }
  }

  @WorkflowInterface
  public interface Retrying {
    @WorkflowMethod
    String run(String name);
  }

  /** Calls the greeter with retries one second apart. */
  public static final class RetryingImpl implements Retrying {
    private final Greetings.Greeter greeter = Workflow.newActivityStub(Greetings.Greeter.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10))
            .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).build()).build());

    @Override
    public String run(String name) {
      return greeter.greet(name);
    }
  }

  @WorkflowInterface
  public interface Gated {
    @WorkflowMethod
    String run();
  }

  /** Holds its first task until the test opens {@link #gate}. */
  public static final class GatedImpl implements Gated {
    static volatile CountDownLatch entered = new CountDownLatch(1);
    static volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public String run() {
      entered.countDown();
      try {
        assertTrue(gate.await(30, TimeUnit.SECONDS), "the test opens the gate");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "done";
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final AtomicInteger greetings = new AtomicInteger();

  @AfterEach
  void close() {
    if (env != null) {
      env.close();
    }
  }

  private void openWithWorker() {
    env = TestEnv.open(dir);
    SleeperImpl.crashed.set(false);
    env.startWorker(w -> w.registerWorkflowImplementationTypes(Greetings.GreetingImpl.class, SleeperImpl.class,
        RetryingImpl.class, GatedImpl.class).registerActivitiesImplementations((Greetings.Greeter) name -> {
          if (name.equals("flaky") && greetings.incrementAndGet() == 1) {
            throw ApplicationFailure.newFailure("attempt 1 fails", "Flaky");
          }
          return "Hello, " + name + "!";
        }));
  }

  private double value(String name, String... labels) {
    return env.server().metrics().value(name, labels);
  }

  /** Waits until the metric has {@code expected}: counts are taken just after the write a caller may see first. */
  private void awaitValue(long expected, String name, String... labels) {
    eventually(name + " " + String.join(",", labels) + " = " + expected, () -> value(name, labels), v -> v == expected);
  }

  @Test
  void aCompletedWorkflowCountsItsRunItsTwoTasksAndItsActivityAttempt() {
    openWithWorker();
    assertEquals("Hello, Ada!", env.newWorkflow(Greetings.Greeting.class, "greet").run("Ada"));

    awaitValue(2, "durable_workflow_tasks_total", "outcome", "completed"); // schedule, then complete
    ServerMetrics m = env.server().metrics();
    assertEquals(1, m.value("durable_runs_started_total"));
    assertEquals(1, m.value("durable_runs_closed_total", "status", "completed"));
    assertEquals(2, m.value("durable_workflow_tasks_total", "outcome", "completed"), "no more");
    assertEquals(0, m.value("durable_workflow_tasks_total", "outcome", "failed"));
    assertEquals(1, m.value("durable_activity_attempts_total", "outcome", "completed"));
    assertEquals(0, m.value("durable_activity_attempts_total", "outcome", "failed"));
    assertEquals(0, m.value("durable_runs_closed_total", "status", "failed"));
    assertEquals(0, m.value("durable_open_runs"));
    assertEquals(0, m.value("durable_task_queue_backlog", "task_queue", TestEnv.TASK_QUEUE, "kind", "activity"));
  }

  @Test
  void aFailedAttemptAndItsRetryAreCountedOnceEach() {
    openWithWorker();
    WorkflowClient.start(env.newWorkflow(Retrying.class, "retry")::run, "flaky");

    awaitValue(1, "durable_activity_attempts_total", "outcome", "failed"); // the retry's timer is armed then
    env.clock().advance(Duration.ofSeconds(1));
    assertEquals("Hello, flaky!", env.result("retry", String.class));

    awaitValue(2, "durable_workflow_tasks_total", "outcome", "completed");
    assertEquals(1, value("durable_runs_closed_total", "status", "completed"));
    assertEquals(1, value("durable_activity_attempts_total", "outcome", "completed"));
    assertEquals(1, value("durable_activity_attempts_total", "outcome", "failed"));
    assertEquals(0, value("durable_activity_attempts_total", "outcome", "timed_out"));
    assertEquals(2, greetings.get());
  }

  @Test
  void timersFailuresCrashedTasksAndTerminationsAreCountedByOutcome() {
    openWithWorker();
    WorkflowClient.start(env.newWorkflow(Sleeper.class, "sleeps")::sleep, "ok");
    WorkflowClient.start(env.newWorkflow(Sleeper.class, "fails")::sleep, "fail");
    WorkflowClient.start(env.newWorkflow(Sleeper.class, "crashes")::sleep, "crash");
    WorkflowClient.start(env.newWorkflow(Sleeper.class, "terminated")::sleep, "ok");
    awaitValue(1, "durable_workflow_tasks_total", "outcome", "failed");
    env.clock().advance(Duration.ofSeconds(1)); // the crashed task's retry
    for (String id : new String[] {"sleeps", "fails", "crashes", "terminated"}) {
      env.awaitEvent(id, "TimerStarted");
    }
    assertEquals(4, value("durable_open_runs"));
    env.stub("terminated").terminate("not needed");
    env.clock().advance(Duration.ofHours(1));

    assertEquals("slept", env.result("sleeps", String.class));
    assertEquals("slept", env.result("crashes", String.class));
    assertThrows(WorkflowFailedException.class, () -> env.result("fails", String.class));
    // Two tasks for each run that slept (start the timer, then close), one more for the crashed one's retry.
    awaitValue(7, "durable_workflow_tasks_total", "outcome", "completed");
    ServerMetrics m = env.server().metrics();
    assertEquals(4, m.value("durable_runs_started_total"));
    assertEquals(2, m.value("durable_runs_closed_total", "status", "completed"));
    assertEquals(1, m.value("durable_runs_closed_total", "status", "failed"));
    assertEquals(1, m.value("durable_runs_closed_total", "status", "terminated"));
    assertEquals(0, m.value("durable_runs_closed_total", "status", "canceled"));
    assertEquals(3, m.value("durable_timers_fired_total"), "the terminated run's timer never fires");
    assertEquals(1, m.value("durable_workflow_tasks_total", "outcome", "failed"));
    assertEquals(7, m.value("durable_workflow_tasks_total", "outcome", "completed"), "no more");
    assertEquals(0, m.value("durable_open_runs"));
  }

  @Test
  void aWorkflowTaskThatOutlivesItsTimeoutIsCountedTimedOutAndItsLateCompletionNotAtAll() throws Exception {
    GatedImpl.entered = new CountDownLatch(1);
    GatedImpl.gate = new CountDownLatch(1);
    openWithWorker();
    WorkflowClient.start(env.client().newWorkflowStub(Gated.class, WorkflowOptions.newBuilder()
        .setTaskQueue(TestEnv.TASK_QUEUE).setWorkflowId("gated").setWorkflowTaskTimeout(Duration.ofSeconds(10))
        .build())::run);
    assertTrue(GatedImpl.entered.await(30, TimeUnit.SECONDS), "the first task runs");

    env.clock().advance(Duration.ofSeconds(10));
    awaitValue(1, "durable_workflow_tasks_total", "outcome", "timed_out");
    GatedImpl.gate.countDown(); // the late completion is refused
    env.clock().advance(Duration.ofSeconds(1)); // the retry's backoff
    assertEquals("done", env.result("gated", String.class));

    awaitValue(1, "durable_workflow_tasks_total", "outcome", "completed");
    assertEquals(1, value("durable_runs_closed_total", "status", "completed"));
    assertEquals(1, value("durable_workflow_tasks_total", "outcome", "completed"), "the late one is not counted");
    assertEquals(1, value("durable_workflow_tasks_total", "outcome", "timed_out"));
    assertEquals(0, value("durable_workflow_tasks_total", "outcome", "failed"));
  }

  @Test
  void histogramsCountHowLongTasksWaitedForAWorkerAndHowLongRunsRan() {
    env = TestEnv.open(dir);
    WorkflowClient.start(env.newWorkflow(Greetings.Greeting.class, "late")::run, "Ada");
    env.clock().advance(Duration.ofSeconds(2)); // no worker yet: its first task waits 2 s
    env.startWorker(w -> w.registerWorkflowImplementationTypes(Greetings.GreetingImpl.class)
        .registerActivitiesImplementations((Greetings.Greeter) name -> "Hello, " + name + "!"));
    assertEquals("Hello, Ada!", env.result("late", String.class));

    awaitValue(1, "durable_run_duration_seconds_count");
    ServerMetrics m = env.server().metrics();
    String task = "durable_workflow_task_schedule_to_start_seconds";
    assertEquals(2, m.value(task + "_count"), "the first task and the one after the activity");
    assertEquals(1, m.value(task + "_bucket", "le", "0.001"), "the second one was taken at once");
    assertEquals(1, m.value(task + "_bucket", "le", "1"));
    assertEquals(2, m.value(task + "_bucket", "le", "2.5"), "buckets count everything up to their bound");
    assertEquals(2, m.value(task + "_bucket", "le", "+Inf"));
    assertEquals(2.0, m.value(task + "_sum"));
    assertEquals(1, m.value("durable_activity_schedule_to_start_seconds_bucket", "le", "0.001"));
    assertEquals(0.0, m.value("durable_activity_schedule_to_start_seconds_sum"));
    assertEquals(1, m.value("durable_run_duration_seconds_bucket", "le", "2.5"));
    assertEquals(0, m.value("durable_run_duration_seconds_bucket", "le", "1"));
    assertEquals(2.0, m.value("durable_run_duration_seconds_sum"));
    assertTrue(m.toPrometheusText().contains("\ndurable_run_duration_seconds_bucket{le=\"2.5\"} 1\n"
        + "durable_run_duration_seconds_bucket{le=\"5\"} 1\n"), m.toPrometheusText());
    assertTrue(m.toPrometheusText().contains("\ndurable_workflow_task_schedule_to_start_seconds_sum 2\n"),
        m.toPrometheusText());
  }

  @Test
  void deletionsAreCounted() {
    openWithWorker();
    env.newWorkflow(Greetings.Greeting.class, "greet").run("Ada");
    env.stub("greet").delete();
    assertEquals(1, value("durable_runs_deleted_total"));
  }

  @Test
  void theBacklogCountsTasksNoWorkerTook() {
    env = TestEnv.open(dir);
    for (String id : new String[] {"a", "b"}) {
      WorkflowClient.start(env.client().newWorkflowStub(Greetings.Greeting.class,
          WorkflowOptions.newBuilder().setTaskQueue("nobody-polls").setWorkflowId(id).build())::run, id);
    }

    ServerMetrics m = env.server().metrics();
    assertEquals(2, m.value("durable_task_queue_backlog", "task_queue", "nobody-polls", "kind", "workflow"));
    assertEquals(0, m.value("durable_task_queue_backlog", "task_queue", "nobody-polls", "kind", "activity"));
    assertEquals(2, m.value("durable_open_runs"));
    assertEquals(2, m.value("durable_runs_started_total"));
  }

  @Test
  void thePrometheusTextOfAServerWithOneWaitingRun() {
    env = TestEnv.open(dir);
    WorkflowClient.start(env.client().newWorkflowStub(Greetings.Greeting.class,
        WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("w").build())::run, "Ada");

    assertEquals("""
        # HELP durable_runs_started_total Runs started: new workflows, children, continue-as-new, retries and cron runs.
        # TYPE durable_runs_started_total counter
        durable_runs_started_total 1
        # HELP durable_runs_closed_total Runs closed, by how they closed.
        # TYPE durable_runs_closed_total counter
        durable_runs_closed_total{status="completed"} 0
        durable_runs_closed_total{status="failed"} 0
        durable_runs_closed_total{status="canceled"} 0
        durable_runs_closed_total{status="terminated"} 0
        durable_runs_closed_total{status="timed_out"} 0
        durable_runs_closed_total{status="continued_as_new"} 0
        # HELP durable_workflow_tasks_total Workflow tasks ended, by outcome.
        # TYPE durable_workflow_tasks_total counter
        durable_workflow_tasks_total{outcome="completed"} 0
        durable_workflow_tasks_total{outcome="failed"} 0
        durable_workflow_tasks_total{outcome="timed_out"} 0
        # HELP durable_activity_attempts_total Activity attempts ended, by outcome.
        # TYPE durable_activity_attempts_total counter
        durable_activity_attempts_total{outcome="completed"} 0
        durable_activity_attempts_total{outcome="failed"} 0
        durable_activity_attempts_total{outcome="timed_out"} 0
        # HELP durable_timers_fired_total Workflow timers fired.
        # TYPE durable_timers_fired_total counter
        durable_timers_fired_total 0
        # HELP durable_runs_deleted_total Closed runs deleted, by retention or by a delete call.
        # TYPE durable_runs_deleted_total counter
        durable_runs_deleted_total 0
        # HELP durable_workflow_task_schedule_to_start_seconds How long workflow tasks waited for a worker: from when they could run until a worker took them.
        # TYPE durable_workflow_task_schedule_to_start_seconds histogram
        durable_workflow_task_schedule_to_start_seconds_bucket{le="0.001"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="0.0025"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="0.005"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="0.01"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="0.025"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="0.05"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="0.1"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="0.25"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="0.5"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="1"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="2.5"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="5"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="10"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="30"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="60"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="300"} 0
        durable_workflow_task_schedule_to_start_seconds_bucket{le="+Inf"} 0
        durable_workflow_task_schedule_to_start_seconds_sum 0
        durable_workflow_task_schedule_to_start_seconds_count 0
        # HELP durable_activity_schedule_to_start_seconds How long activity attempts waited for a worker: from when they could run until a worker took them.
        # TYPE durable_activity_schedule_to_start_seconds histogram
        durable_activity_schedule_to_start_seconds_bucket{le="0.001"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="0.0025"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="0.005"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="0.01"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="0.025"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="0.05"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="0.1"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="0.25"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="0.5"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="1"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="2.5"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="5"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="10"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="30"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="60"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="300"} 0
        durable_activity_schedule_to_start_seconds_bucket{le="+Inf"} 0
        durable_activity_schedule_to_start_seconds_sum 0
        durable_activity_schedule_to_start_seconds_count 0
        # HELP durable_run_duration_seconds How long closed runs ran: from when their code could first run until they closed.
        # TYPE durable_run_duration_seconds histogram
        durable_run_duration_seconds_bucket{le="0.001"} 0
        durable_run_duration_seconds_bucket{le="0.0025"} 0
        durable_run_duration_seconds_bucket{le="0.005"} 0
        durable_run_duration_seconds_bucket{le="0.01"} 0
        durable_run_duration_seconds_bucket{le="0.025"} 0
        durable_run_duration_seconds_bucket{le="0.05"} 0
        durable_run_duration_seconds_bucket{le="0.1"} 0
        durable_run_duration_seconds_bucket{le="0.25"} 0
        durable_run_duration_seconds_bucket{le="0.5"} 0
        durable_run_duration_seconds_bucket{le="1"} 0
        durable_run_duration_seconds_bucket{le="2.5"} 0
        durable_run_duration_seconds_bucket{le="5"} 0
        durable_run_duration_seconds_bucket{le="10"} 0
        durable_run_duration_seconds_bucket{le="30"} 0
        durable_run_duration_seconds_bucket{le="60"} 0
        durable_run_duration_seconds_bucket{le="300"} 0
        durable_run_duration_seconds_bucket{le="+Inf"} 0
        durable_run_duration_seconds_sum 0
        durable_run_duration_seconds_count 0
        # HELP durable_open_runs Runs open now.
        # TYPE durable_open_runs gauge
        durable_open_runs 1
        # HELP durable_task_queue_backlog Tasks ready for a worker but not yet taken, by task queue and kind.
        # TYPE durable_task_queue_backlog gauge
        durable_task_queue_backlog{task_queue="q",kind="workflow"} 1
        """, env.server().metrics().toPrometheusText());
  }

  @Test
  void labelValuesAreEscapedAsTheFormatAsks() {
    env = TestEnv.open(dir);
    String queue = "say \"hi\"\\now\nplease";
    WorkflowClient.start(env.client().newWorkflowStub(Greetings.Greeting.class,
        WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId("w").build())::run, "Ada");

    ServerMetrics m = env.server().metrics();
    String text = m.toPrometheusText();
    assertTrue(text.contains("\ndurable_task_queue_backlog{task_queue=\"say \\\"hi\\\"\\\\now\\nplease\",kind=\"workflow\"} 1\n"),
        text);
    assertEquals(1, m.value("durable_task_queue_backlog", "task_queue", queue, "kind", "workflow"));
  }

  @Test
  void askingForAMetricThatDoesNotExistNamesTheOnesThatDo() {
    env = TestEnv.open(dir);
    ServerMetrics m = env.server().metrics();
    var e = assertThrows(IllegalArgumentException.class, () -> m.value("durable_runs_total"));
    assertTrue(e.getMessage().startsWith("DURABLE-201 there is no metric named 'durable_runs_total'; the metrics are"
        + " durable_runs_started_total, durable_runs_closed_total,"), e.getMessage());
    var odd = assertThrows(IllegalArgumentException.class, () -> m.value("durable_runs_closed_total", "status"));
    assertTrue(odd.getMessage().startsWith("DURABLE-201 labelPairs must be label names each followed by its value"),
        odd.getMessage());
  }
}
