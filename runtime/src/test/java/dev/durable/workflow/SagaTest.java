package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.failure.CanceledFailure;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saga: compensations in reverse order, in parallel, past failures, after a cancel and across a restart. */
class SagaTest {
  @ActivityInterface
  public interface Travel {
    String book(String what);

    void undo(String what);
  }

  /** Records every call; books and undos named in {@link #failing} throw (once each, when in {@link #failOnce}). */
  static final class TravelImpl implements Travel {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    final Set<String> failOnce = ConcurrentHashMap.newKeySet();

    @Override
    public String book(String what) {
      calls.add("book " + what);
      if (failing.contains("book " + what)) {
        throw ApplicationFailure.newNonRetryableFailure("no " + what + " available", "SoldOut");
      }
      return what + "-1";
    }

    @Override
    public void undo(String what) {
      calls.add("undo " + what);
      if (failOnce.remove("undo " + what)) {
        throw ApplicationFailure.newFailure("undo " + what + " hiccup", "Hiccup"); // retried by the server
      }
      if (failing.contains("undo " + what)) {
        throw ApplicationFailure.newNonRetryableFailure("cannot undo " + what, "Stuck");
      }
    }

    List<String> calls() {
      synchronized (calls) {
        return List.copyOf(calls);
      }
    }
  }

  @WorkflowInterface
  public interface TripBooking {
    /** Books each item in turn, then waits for {@code waitFor} (if not null) as a signal; compensates on failure or cancel. */
    @WorkflowMethod
    String book(List<String> items, boolean parallel, boolean continueWithError, boolean waitForSignal);

    @SignalMethod
    void go();
  }

  public static final class TripBookingImpl implements TripBooking {
    private final Travel travel = Workflow.newActivityStub(Travel.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(10)).build()).build());
    private boolean go;

    @Override
    public String book(List<String> items, boolean parallel, boolean continueWithError, boolean waitForSignal) {
      Saga saga = new Saga(Saga.Options.newBuilder().setParallelCompensation(parallel)
          .setContinueWithError(continueWithError).build());
      try {
        for (String item : items) {
          travel.book(item);
          saga.addCompensation(travel::undo, item);
        }
        if (waitForSignal) {
          Workflow.await(() -> go);
        }
        return "booked";
      } catch (ActivityFailure | CanceledFailure e) {
        Workflow.newDetachedCancellationScope(saga::compensate).run();
        throw e;
      }
    }

    @Override
    public void go() {
      go = true;
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final TravelImpl travel = new TravelImpl();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    startWorker();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(TripBookingImpl.class).registerActivitiesImplementations(travel));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private WorkflowFailedException failed(String id) {
    return assertThrows(WorkflowFailedException.class, () -> env.stub(id).getResult(String.class));
  }

  @Test
  void compensationsRunInReverseOrderOneAfterTheOtherWhenAStepFails() {
    travel.failing.add("book flight");
    WorkflowClient.start(env.newWorkflow(TripBooking.class, "seq")::book, List.of("car", "hotel", "flight"), false,
        false, false);

    WorkflowFailedException e = failed("seq");

    assertEquals(WorkflowStatus.FAILED, e.getStatus());
    assertInstanceOf(ActivityFailure.class, e.getCause());
    assertEquals(List.of("book car", "book hotel", "book flight", "undo hotel", "undo car"), travel.calls());
    WorkflowReplayer.replayWorkflowExecution(env.stub("seq").getHistory(), TripBookingImpl.class);
  }

  @Test
  void parallelCompensationSchedulesEveryCompensationInOneWorkflowTask() {
    travel.failing.add("book flight");
    WorkflowClient.start(env.newWorkflow(TripBooking.class, "par")::book, List.of("car", "hotel", "train", "flight"),
        true, false, false);

    failed("par");

    assertEquals(Set.of("undo car", "undo hotel", "undo train"), Set.copyOf(travel.calls().subList(4, 7)));
    List<String> events = env.eventTypes("par");
    int firstUndo = events.lastIndexOf("ActivityTaskFailed") + 2; // after the failure and the next task's completion
    assertEquals(List.of("ActivityTaskScheduled", "ActivityTaskScheduled", "ActivityTaskScheduled"),
        events.subList(firstUndo, firstUndo + 3), events.toString());
  }

  @Test
  void aFailingCompensationStopsTheRestUnlessContinueWithErrorIsSet() {
    travel.failing.addAll(List.of("book flight", "undo hotel"));
    WorkflowClient.start(env.newWorkflow(TripBooking.class, "stop")::book, List.of("car", "hotel", "flight"), false,
        false, false);
    ApplicationFailure stopped = assertInstanceOf(ApplicationFailure.class, failed("stop").getCause());
    assertEquals("dev.durable.SagaCompensationFailed", stopped.getType());
    assertTrue(stopped.getOriginalMessage().startsWith("DURABLE-246 1 of 2 saga compensations failed; the 1 registered"
        + " before the failing one did not run"), stopped.getOriginalMessage());
    assertEquals(List.of("book car", "book hotel", "book flight", "undo hotel"), travel.calls());

    travel.calls.clear();
    WorkflowClient.start(env.newWorkflow(TripBooking.class, "go-on")::book, List.of("car", "hotel", "flight"), false,
        true, false);
    ApplicationFailure all = assertInstanceOf(ApplicationFailure.class, failed("go-on").getCause());
    assertTrue(all.getOriginalMessage().startsWith("DURABLE-246 1 of 2 saga compensations failed\n  - Activity Undo"),
        all.getOriginalMessage());
    assertTrue(all.getOriginalMessage().contains("cannot undo hotel"), all.getOriginalMessage());
    assertEquals(List.of("book car", "book hotel", "book flight", "undo hotel", "undo car"), travel.calls());
  }

  @Test
  void aCanceledWorkflowStillRunsItsCompensationsInADetachedScope() {
    WorkflowClient.start(env.newWorkflow(TripBooking.class, "cancel")::book, List.of("car", "hotel"), false, false,
        true);
    Eventually.eventually("both bookings done and the workflow waiting", () -> env.eventTypes("cancel"),
        events -> events.stream().filter("ActivityTaskCompleted"::equals).count() == 2
            && events.get(events.size() - 1).equals("WorkflowTaskCompleted"));

    env.stub("cancel").cancel();

    assertEquals(WorkflowStatus.CANCELED, failed("cancel").getStatus());
    assertEquals(List.of("book car", "book hotel", "undo hotel", "undo car"), travel.calls());
  }

  @Test
  void compensationCarriesOnAfterAServerRestartWithoutRepeatingFinishedCompensations() {
    travel.failing.add("book flight");
    travel.failOnce.add("undo car");
    WorkflowClient.start(env.newWorkflow(TripBooking.class, "restart")::book, List.of("car", "hotel", "flight"),
        false, false, false);
    env.awaitPendingActivity("restart", "undo car waiting for its retry", a -> a.attempt() == 2);

    env.restartServer();
    startWorker();
    env.clock().advance(Duration.ofSeconds(10));

    failed("restart");
    assertEquals(List.of("book car", "book hotel", "book flight", "undo hotel", "undo car", "undo car"), travel.calls());
  }
}
