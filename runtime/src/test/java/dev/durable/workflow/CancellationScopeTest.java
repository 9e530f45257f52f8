package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.activity.Activity;
import dev.durable.activity.ActivityCancellationType;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.CanceledFailure;
import dev.durable.failure.NondeterminismError;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancellation scopes: what canceling a scope or the workflow does to timers, activities and clean-up code. */
class CancellationScopeTest {
  @ActivityInterface
  public interface Booking {
    String reserve(String what);

    String release(String what);

    /** Heartbeats once {@link BookingImpl#proceed} opens; stops when told it is canceled. */
    String longJob(String what);
  }

  static final class BookingImpl implements Booking {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final CountDownLatch longJobStarted = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    final CompletableFuture<Throwable> heartbeatOutcome = new CompletableFuture<>();

    @Override
    public String reserve(String what) {
      count("reserve " + what);
      return "reserved " + what;
    }

    @Override
    public String release(String what) {
      count("release " + what);
      return "released " + what;
    }

    @Override
    public String longJob(String what) {
      count("longJob " + what);
      longJobStarted.countDown();
      try {
        proceed.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        Activity.getExecutionContext().heartbeat(null);
      } catch (CanceledFailure e) {
        heartbeatOutcome.complete(e);
        throw e; // acknowledges the cancellation
      }
      heartbeatOutcome.complete(null);
      return "finished " + what;
    }

    private void count(String call) {
      calls.computeIfAbsent(call, k -> new AtomicInteger()).incrementAndGet();
    }

    int calls(String call) {
      AtomicInteger n = calls.get(call);
      return n == null ? 0 : n.get();
    }
  }

  static Booking booking(ActivityCancellationType type, String taskQueue) {
    ActivityOptions.Builder b = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).setCancellationType(type);
    if (taskQueue != null) {
      b.setTaskQueue(taskQueue);
    }
    return Workflow.newActivityStub(Booking.class, b.build());
  }

  @WorkflowInterface
  public interface Trip {
    @WorkflowMethod
    String run(String mode);

    @SignalMethod
    void stop();

    @SignalMethod
    void finish();
  }

  public static final class TripImpl implements Trip {
    private final Booking booking = booking(ActivityCancellationType.TRY_CANCEL, null);
    private final Booking waiting = booking(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED, null);
    private final Booking abandoning = booking(ActivityCancellationType.ABANDON, null);
    private boolean stop;
    private boolean finish;

    @Override
    public String run(String mode) {
      switch (mode) {
        case "cleanup-and-rethrow": {
          booking.reserve("hotel");
          try {
            Workflow.sleep(Duration.ofDays(7));
            return "slept";
          } catch (CanceledFailure e) {
            boolean rootCanceled = CancellationScope.current().isCancelRequested()
                && "canceled by a client".equals(CancellationScope.current().getCancellationReason());
            String[] released = new String[1];
            Workflow.newDetachedCancellationScope(() -> released[0] = booking.release("hotel")).run();
            if (!rootCanceled || released[0] == null) {
              return "unexpected";
            }
            throw e;
          }
        }
        case "catch-and-complete": {
          try {
            Workflow.await(() -> stop);
            return "stopped";
          } catch (CanceledFailure e) {
            // Any blocking call outside a detached scope now fails at once.
            String after;
            try {
              Workflow.sleep(Duration.ofSeconds(1));
              after = "slept";
            } catch (CanceledFailure again) {
              after = "sleep refused";
            }
            return "gave up politely; " + after;
          }
        }
        case "cancel-scope": {
          List<Promise<String>> started = new ArrayList<>();
          CancellationScope scope = Workflow.newCancellationScope(() -> {
            started.add(Async.function(waiting::longJob, "render"));
            started.add(Async.function(() -> {
              Workflow.sleep(Duration.ofHours(2));
              return "timer fired";
            }));
          });
          scope.run();
          Workflow.await(() -> stop);
          scope.cancel("no longer needed");
          StringBuilder out = new StringBuilder();
          for (Promise<String> p : started) {
            try {
              out.append(p.get());
            } catch (ActivityFailure e) {
              out.append("activity: ").append(e.getCause().getClass().getSimpleName());
            } catch (CanceledFailure e) {
              out.append("sleep: ").append(e.getOriginalMessage());
            }
            out.append(" | ");
          }
          // The workflow itself is not canceled: it goes on with new work.
          out.append(booking.reserve("taxi"));
          return out.toString();
        }
        case "abandon": {
          List<Promise<String>> started = new ArrayList<>();
          CancellationScope scope = Workflow.newCancellationScope(
              () -> started.add(Async.function(abandoning::longJob, "abandoned")));
          scope.run();
          Workflow.await(() -> stop);
          scope.cancel();
          String out;
          try {
            out = started.get(0).get();
          } catch (ActivityFailure e) {
            out = "wait ended: " + e.getCause().getClass().getSimpleName();
          }
          Workflow.await(() -> finish);
          return out;
        }
        case "nested": {
          CancellationScope[] inner = new CancellationScope[2];
          CancellationScope outer = Workflow.newCancellationScope(() -> {
            inner[0] = Workflow.newCancellationScope(() -> { });
            inner[1] = Workflow.newDetachedCancellationScope(() -> { });
          });
          outer.run();
          Promise<String> request = inner[0].getCancellationRequest();
          outer.cancel("outer done");
          return outer.isCancelRequested() + " " + inner[0].isCancelRequested() + " " + inner[1].isCancelRequested()
              + " " + request.get() + " " + inner[0].getCancellationReason() + " " + inner[1].isDetached();
        }
        default:
          throw new IllegalArgumentException(mode);
      }
    }

    @Override
    public void stop() {
      stop = true;
    }

    @Override
    public void finish() {
      finish = true;
    }
  }

  /** Waits for cancellation of an activity that no worker takes. */
  @WorkflowInterface
  public interface Patient {
    @WorkflowMethod
    String run();
  }

  public static final class PatientImpl implements Patient {
    @Override
    public String run() {
      Booking nobody = booking(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED, "no-worker-polls-this");
      Promise<String> p = Async.function(nobody::reserve, "table");
      CancellationScope scope = Workflow.newCancellationScope(() -> { });
      // The activity was started in the root scope: cancel the whole workflow instead.
      try {
        return p.get();
      } catch (ActivityFailure e) {
        CanceledFailure cause = (CanceledFailure) e.getCause();
        return "canceled before it started: " + cause.getOriginalMessage() + "; scope " + scope.isCancelRequested();
      }
    }
  }

  /** Blocks on an activity no worker takes, with the default TRY_CANCEL. */
  @WorkflowInterface
  public interface Waiter {
    @WorkflowMethod
    String run();
  }

  public static final class WaiterImpl implements Waiter {
    @Override
    public String run() {
      return booking(ActivityCancellationType.TRY_CANCEL, "no-worker-polls-this").reserve("table");
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final BookingImpl bookingImpl = new BookingImpl();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    startWorker();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(TripImpl.class, PatientImpl.class, WaiterImpl.class)
        .registerActivitiesImplementations(bookingImpl));
  }

  @AfterEach
  void close() {
    bookingImpl.proceed.countDown();
    env.close();
  }

  @Test
  void cleanUpInADetachedScopeRunsAfterTheWorkflowIsCanceledAndRethrowingEndsItCanceled() {
    WorkflowClient.start(env.newWorkflow(Trip.class, "cleanup")::run, "cleanup-and-rethrow");
    env.awaitEvent("cleanup", "TimerStarted");

    env.stub("cleanup").cancel();

    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> env.stub("cleanup").getResult(String.class));
    assertEquals(WorkflowStatus.CANCELED, e.getStatus());
    assertEquals("workflow 'cleanup' was canceled during Workflow.sleep(PT168H)",
        assertInstanceOf(CanceledFailure.class, e.getCause()).getOriginalMessage());
    assertEquals(1, bookingImpl.calls("release hotel"));
    List<String> events = env.eventTypes("cleanup");
    int cancelRequested = events.indexOf("WorkflowExecutionCancelRequested");
    assertEquals("TimerCanceled", events.get(cancelRequested + 2), events.toString());
    assertEquals("ActivityTaskScheduled", events.get(cancelRequested + 3), events.toString());
    assertEquals("WorkflowExecutionCanceled", events.get(events.size() - 1));
    WorkflowReplayer.replayWorkflowExecution(env.stub("cleanup").getHistory(), TripImpl.class);
  }

  @Test
  void aWorkflowThatCatchesTheCancellationAndReturnsCompletes() {
    WorkflowClient.start(env.newWorkflow(Trip.class, "polite")::run, "catch-and-complete");
    env.awaitEvent("polite", "WorkflowTaskCompleted");

    env.stub("polite").cancel();

    assertEquals("gave up politely; sleep refused", env.result("polite", String.class));
    assertEquals(WorkflowStatus.COMPLETED, env.describe("polite").status());
    assertFalse(env.eventTypes("polite").contains("TimerStarted"), env.eventTypes("polite").toString());
  }

  @Test
  void cancelingAScopeCancelsItsTimerAndRequestsCancellationOfItsRunningActivity() throws Exception {
    WorkflowClient.start(env.newWorkflow(Trip.class, "scope")::run, "cancel-scope");
    assertTrue(bookingImpl.longJobStarted.await(10, TimeUnit.SECONDS));
    env.awaitEvent("scope", "TimerStarted");

    env.stub("scope").signal("stop");

    env.awaitEvent("scope", "ActivityTaskCancelRequested");
    assertEquals("CANCEL_REQUESTED", env.awaitPendingActivity("scope", "the running attempt asked to stop",
        a -> a.activityType().equals("LongJob")).state());
    bookingImpl.proceed.countDown();
    assertEquals("activity: CanceledFailure | sleep: a cancellation scope of workflow 'scope' was canceled"
        + " (no longer needed) during Workflow.sleep(PT2H) | reserved taxi", env.result("scope", String.class));
    assertInstanceOf(CanceledFailure.class, bookingImpl.heartbeatOutcome.get(10, TimeUnit.SECONDS));
    // The running attempt acknowledged by throwing: the activity ended canceled (not failed) before the wait did.
    List<String> events = env.eventTypes("scope");
    assertTrue(events.indexOf("ActivityTaskCanceled") < events.lastIndexOf("ActivityTaskScheduled"), events.toString());
    assertTrue(events.contains("TimerCanceled"), events.toString());
    assertFalse(events.contains("TimerFired"), events.toString());
    assertFalse(events.contains("ActivityTaskFailed"), events.toString());
    assertEquals(1, bookingImpl.calls("longJob render"));
    WorkflowReplayer.replayWorkflowExecution(env.stub("scope").getHistory(), TripImpl.class);
  }

  @Test
  void childScopesAreCanceledWithTheirParentButDetachedOnesAreNot() {
    WorkflowClient.start(env.newWorkflow(Trip.class, "nested")::run, "nested");
    assertEquals("true true false outer done outer done true", env.result("nested", String.class));
  }

  @Test
  void anActivityNoWorkerStartedEndsCanceledAtOnceAndWaitCancellationCompletedSeesIt() {
    WorkflowClient.start(env.newWorkflow(Patient.class, "patient")::run);
    env.awaitEvent("patient", "ActivityTaskScheduled");

    env.stub("patient").cancel();

    assertEquals("canceled before it started: activity Reserve was canceled at the workflow's request; scope true",
        env.result("patient", String.class));
    List<String> events = env.eventTypes("patient");
    int requested = events.indexOf("ActivityTaskCancelRequested");
    assertTrue(requested > 0, events.toString());
    assertEquals("ActivityTaskCanceled", events.get(requested + 1), events.toString());
    assertEquals(0, bookingImpl.calls("reserve table"));
  }

  @Test
  void cleanUpAfterCancelCarriesOnAcrossAServerRestart() {
    WorkflowClient.start(env.newWorkflow(Trip.class, "restart")::run, "cleanup-and-rethrow");
    env.awaitEvent("restart", "TimerStarted");
    env.stub("restart").cancel();
    env.awaitEvent("restart", "WorkflowExecutionCancelRequested");

    env.restartServer();
    startWorker();

    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> env.stub("restart").getResult(String.class));
    assertEquals(WorkflowStatus.CANCELED, e.getStatus());
    assertTrue(bookingImpl.calls("release hotel") >= 1);
    assertEquals(1, env.eventTypes("restart").stream().filter("WorkflowExecutionCancelRequested"::equals).count());
  }

  @Test
  void runsStartedBeforeActivityCancellationExistedReplayTheWayTheyWereRecorded() throws Exception {
    WorkflowClient.start(env.newWorkflow(Waiter.class, "v1")::run);
    env.awaitEvent("v1", "ActivityTaskScheduled");
    env.stub("v1").cancel();
    assertEquals(WorkflowStatus.CANCELED, assertThrows(WorkflowFailedException.class,
        () -> env.stub("v1").getResult(String.class)).getStatus());
    String recorded = env.stub("v1").getHistory().toJson();
    assertTrue(recorded.contains("ActivityTaskCancelRequested"), recorded);

    // The same run as the engine of replay semantics 1 recorded it: the cancel made no command for the activity.
    ObjectMapper json = new ObjectMapper();
    ObjectNode history = (ObjectNode) json.readTree(recorded);
    ArrayNode events = json.createArrayNode();
    for (var e : history.get("events")) {
      if (!e.get("eventType").asText().equals("ActivityTaskCancelRequested")) {
        ((ObjectNode) e).put("eventId", events.size() + 1);
        events.add(e);
      }
    }
    history.set("events", events);
    ((ObjectNode) events.get(0).get("attributes")).put("replaySemantics", 1);
    WorkflowReplayer.replayWorkflowExecution(json.writeValueAsString(history), WaiterImpl.class);

    // And a version-1 history that does have the request is not what version-1 code does.
    ObjectNode withRequest = (ObjectNode) json.readTree(recorded);
    ((ObjectNode) withRequest.get("events").get(0).get("attributes")).put("replaySemantics", 1);
    assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(json.writeValueAsString(withRequest), WaiterImpl.class));
  }

  @Test
  void anAbandonedActivityEndsTheWaitAtOnceAndRunsOnWithoutACancelRequest() throws Exception {
    WorkflowClient.start(env.newWorkflow(Trip.class, "abandon")::run, "abandon");
    assertTrue(bookingImpl.longJobStarted.await(10, TimeUnit.SECONDS));
    env.awaitEvent("abandon", "WorkflowTaskCompleted");

    env.stub("abandon").signal("stop");
    Eventually.eventually("the task that canceled the scope", () -> env.eventTypes("abandon"),
        events -> events.lastIndexOf("WorkflowTaskCompleted") > events.indexOf("WorkflowExecutionSignaled"));
    bookingImpl.proceed.countDown();
    env.awaitEvent("abandon", "ActivityTaskCompleted");
    env.stub("abandon").signal("finish");

    assertEquals("wait ended: CanceledFailure", env.result("abandon", String.class));
    assertEquals(null, bookingImpl.heartbeatOutcome.get(10, TimeUnit.SECONDS), "nobody asked the activity to stop");
    assertFalse(env.eventTypes("abandon").contains("ActivityTaskCancelRequested"), env.eventTypes("abandon").toString());
  }
}
