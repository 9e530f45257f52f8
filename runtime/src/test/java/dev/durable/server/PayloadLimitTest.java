package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads over the size limit are refused with DURABLE-223 naming the call and the size, and
 * nothing of the call is stored. The limit is set to 1 KiB here; a string of 2,000 characters is
 * 2,002 bytes of JSON.
 */
class PayloadLimitTest {
  private static final int LIMIT = 1024;
  private static final int BIG = 2000;
  private static final String ADVICE = " Pass a reference to large data (a file name, a database key) instead of the"
      + " data itself, or raise the limit with DurableServer.Builder.setMaxPayloadSize.";

  @ActivityInterface
  public interface Parcels {
    String carry(String parcel);

    String produce(int size);

    String beat(int size);
  }

  static final class ParcelsImpl implements Parcels {
    final AtomicInteger produced = new AtomicInteger();

    @Override
    public String carry(String parcel) {
      return "carried " + parcel.length();
    }

    @Override
    public String produce(int size) {
      produced.incrementAndGet();
      return "y".repeat(size);
    }

    @Override
    public String beat(int size) {
      try {
        Activity.getExecutionContext().heartbeat("z".repeat(size));
        return "recorded";
      } catch (DurableException e) {
        return e.getMessage();
      }
    }
  }

  @WorkflowInterface
  public interface Courier {
    @WorkflowMethod
    String run(String mode, int size);

    @SignalMethod
    void add(String text);

    @QueryMethod
    int count(String filter);
  }

  public static final class CourierImpl implements Courier {
    private final Parcels parcels = Workflow.newActivityStub(Parcels.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    private final List<String> received = new ArrayList<>();

    @Override
    public String run(String mode, int size) {
      switch (mode) {
        case "wait":
          Workflow.await(() -> !received.isEmpty());
          return "got " + received;
        case "send":
          return parcels.carry("x".repeat(size));
        case "fetch":
          try {
            return "fetched " + parcels.produce(size).length();
          } catch (ActivityFailure e) {
            ApplicationFailure cause = (ApplicationFailure) e.getCause();
            return cause.getType() + ": " + cause.getOriginalMessage();
          }
        case "beat":
          return parcels.beat(size);
        default:
          return "x".repeat(size);
      }
    }

    @Override
    public void add(String text) {
      received.add(text);
    }

    @Override
    public int count(String filter) {
      return received.size();
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final ParcelsImpl parcels = new ParcelsImpl();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir, b -> b.setMaxPayloadSize(LIMIT));
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CourierImpl.class).registerActivitiesImplementations(parcels));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private Courier courier(String id) {
    return env.newWorkflow(Courier.class, id);
  }

  /** A workflow whose first task has run and that waits for a signal: nothing changes it until one comes. */
  private void startWaiting(String id) {
    WorkflowClient.start(courier(id)::run, "wait", 0);
    env.awaitEvent(id, "WorkflowTaskCompleted");
  }

  private String stored(String id) {
    return env.describe(id) + "\n" + env.stub(id).getHistory().toJson();
  }

  @Test
  void startWithAnInputOverTheLimitIsRefusedAndNothingIsStored() {
    Courier c = courier("big-start");
    DurableException e = assertThrows(DurableException.class, () -> WorkflowClient.start(c::run, "x".repeat(BIG), 0));

    assertEquals("DURABLE-223", e.getCode());
    assertEquals("DURABLE-223 the input of workflow 'big-start' (Courier) is 2,003 bytes, over the payload limit of"
        + " 1,024 bytes. The workflow was not started." + ADVICE, e.getMessage());
    assertTrue(env.stub("big-start").describe().isEmpty());
  }

  @Test
  void signalWithAnInputOverTheLimitIsRefusedAndTheHistoryIsUnchanged() {
    startWaiting("big-signal");
    String before = stored("big-signal");

    DurableException e = assertThrows(DurableException.class, () -> env.stub("big-signal").signal("add", "s".repeat(BIG)));

    assertEquals("DURABLE-223 the input of signal 'add' to workflow 'big-signal' is 2,002 bytes, over the payload"
        + " limit of 1,024 bytes. The signal was not recorded." + ADVICE, e.getMessage());
    assertEquals(before, stored("big-signal"));
    env.stub("big-signal").signal("add", "small");
    assertEquals("got [small]", env.result("big-signal", String.class));
  }

  @Test
  void queryWithAnArgumentOverTheLimitIsRefusedAndTheHistoryIsUnchanged() {
    startWaiting("big-query");
    String before = stored("big-query");

    DurableException e = assertThrows(DurableException.class,
        () -> env.stub("big-query").query("count", Integer.class, "q".repeat(BIG)));

    assertEquals("DURABLE-223 the input of query 'count' to workflow 'big-query' is 2,002 bytes, over the payload"
        + " limit of 1,024 bytes." + ADVICE, e.getMessage());
    assertEquals(before, stored("big-query"));
  }

  @Test
  void activityResultOverTheLimitFailsTheAttemptWithoutRetry() {
    String result = courier("big-result").run("fetch", BIG);

    assertEquals("dev.durable.PayloadTooLarge: DURABLE-223 the result of activity Produce (attempt 1) of workflow"
        + " 'big-result' is 2,002 bytes, over the payload limit of 1,024 bytes. The attempt fails without retry."
        + ADVICE, result);
    assertEquals(1, parcels.produced.get());
    assertTrue(env.eventTypes("big-result").contains("ActivityTaskFailed"));
  }

  @Test
  void activityInputOverTheLimitFailsTheWorkflowTaskAndSchedulesNothing() {
    WorkflowClient.start(courier("big-input")::run, "send", BIG);
    WorkflowDescription d = env.awaitDescription("big-input", "the task failure", x -> x.lastWorkflowTaskFailure() != null);

    assertEquals("DURABLE-223 the payload of 'schedule activity Carry (seq 1)' in workflow 'big-input' (Courier) is"
        + " 2,002 bytes, over the payload limit of 1,024 bytes. The workflow task fails and is retried; nothing it"
        + " decided was recorded." + ADVICE, d.lastWorkflowTaskFailure());
    assertEquals(WorkflowStatus.RUNNING, d.status());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskFailed"), env.eventTypes("big-input"));
  }

  @Test
  void workflowResultOverTheLimitFailsTheWorkflowTaskAndTheRunStaysOpen() {
    WorkflowClient.start(courier("big-return")::run, "return", BIG);
    WorkflowDescription d = env.awaitDescription("big-return", "the task failure", x -> x.lastWorkflowTaskFailure() != null);

    assertTrue(d.lastWorkflowTaskFailure().startsWith("DURABLE-223 the payload of 'complete the workflow' in workflow"
        + " 'big-return' (Courier) is 2,002 bytes"), d.lastWorkflowTaskFailure());
    assertEquals(WorkflowStatus.RUNNING, d.status());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskFailed"), env.eventTypes("big-return"));
  }

  @Test
  void heartbeatDetailsOverTheLimitAreRefusedToTheActivity() {
    String result = courier("big-beat").run("beat", BIG);

    assertEquals("DURABLE-223 the heartbeat details of activity Beat (attempt 1) of workflow 'big-beat' is 2,002"
        + " bytes, over the payload limit of 1,024 bytes. They were not recorded." + ADVICE, result);
  }

  @Test
  void theDefaultLimitIsTwoMebibytes() throws Exception {
    env.close();
    env = TestEnv.open(dir.resolve("defaults"));
    Courier c = courier("default-limit");
    DurableException e = assertThrows(DurableException.class,
        () -> WorkflowClient.start(c::run, "x".repeat(2 * 1024 * 1024), 0));
    assertTrue(e.getMessage().startsWith("DURABLE-223 the input of workflow 'default-limit' (Courier) is 2,097,155"
        + " bytes, over the payload limit of 2,097,152 bytes."), e.getMessage());
  }

  @Test
  void limitsBelowTheirMinimumAreRejectedAtBuild() {
    IllegalArgumentException payload = assertThrows(IllegalArgumentException.class,
        () -> DurableServer.newBuilder().setDataDir(dir).setMaxPayloadSize(100).build());
    assertEquals("DURABLE-201 maxPayloadSize must be at least 1024, got 100", payload.getMessage());
    IllegalArgumentException history = assertThrows(IllegalArgumentException.class,
        () -> DurableServer.newBuilder().setDataDir(dir).setMaxHistoryLength(5).build());
    assertEquals("DURABLE-201 maxHistoryLength must be at least 10, got 5", history.getMessage());
  }
}
