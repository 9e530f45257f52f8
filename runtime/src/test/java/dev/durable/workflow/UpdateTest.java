package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowUpdateException;
import dev.durable.common.DurableException;
import dev.durable.failure.ApplicationFailure;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Updates: validated, recorded, answered, idempotent by update id, and durable across a restart. */
class UpdateTest {
  @ActivityInterface
  public interface Ledger {
    int record(int amount);
  }

  static final class LedgerImpl implements Ledger {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public int record(int amount) {
      calls.incrementAndGet();
      return amount;
    }
  }

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    int run();

    @UpdateMethod
    int add(int n);

    @UpdateValidatorMethod(updateName = "add")
    void validateAdd(int n);

    @UpdateMethod(name = "slowAdd")
    int addSlowly(int n);

    @UpdateValidatorMethod(updateName = "slowAdd")
    void validateSlowAdd(int n);

    @UpdateMethod
    String explode(String why);

    @SignalMethod
    void finish();

    @QueryMethod
    int total();
  }

  public static final class CounterImpl implements Counter {
    private final Ledger ledger = Workflow.newActivityStub(Ledger.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    private int total;
    private boolean finished;

    @Override
    public int run() {
      Workflow.await(() -> finished);
      return total;
    }

    @Override
    public int add(int n) {
      total += ledger.record(n);
      return total;
    }

    @Override
    public void validateAdd(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("amounts must not be negative, got " + n);
      }
    }

    @Override
    public int addSlowly(int n) {
      Workflow.sleep(Duration.ofHours(1));
      total += ledger.record(n);
      return total;
    }

    @Override
    public void validateSlowAdd(int n) {
      if (n == 13) {
        Workflow.sleep(Duration.ofSeconds(1)); // not allowed: validators are read-only
      }
    }

    @Override
    public String explode(String why) {
      throw ApplicationFailure.newFailure(why, "Refused");
    }

    @Override
    public void finish() {
      finished = true;
    }

    @Override
    public int total() {
      return total;
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final LedgerImpl ledger = new LedgerImpl();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    startWorker();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CounterImpl.class).registerActivitiesImplementations(ledger));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void start(String id) {
    WorkflowClient.start(env.newWorkflow(Counter.class, id)::run);
    env.awaitEvent(id, "WorkflowTaskCompleted");
  }

  @Test
  void anUpdateWaitsForItsHandlerWhichMayCallActivitiesAndIsRecorded() {
    start("count");

    assertEquals(5, env.stub("count").update("add", Integer.class, 5));
    Counter typed = env.client().newWorkflowStub(Counter.class, "count");
    assertEquals(12, typed.add(7));

    assertEquals(12, env.stub("count").query("total", Integer.class));
    env.stub("count").signal("finish");
    assertEquals(12, env.result("count", Integer.class));
    List<String> events = env.eventTypes("count");
    assertEquals(2, events.stream().filter("WorkflowUpdateAccepted"::equals).count(), events.toString());
    assertEquals(2, events.stream().filter("WorkflowUpdateCompleted"::equals).count(), events.toString());
    WorkflowReplayer.replayWorkflowExecution(env.stub("count").getHistory(), CounterImpl.class);
  }

  @Test
  void aRejectedUpdateThrowsWithTheValidatorsFailureAndLeavesNoTraceInHistory() {
    start("reject");
    List<String> before = env.eventTypes("reject");

    WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class,
        () -> env.stub("reject").update("add", Integer.class, -3));

    assertEquals("DURABLE-241", e.getCode());
    assertTrue(e.getMessage().contains("was rejected: amounts must not be negative, got -3. Nothing was recorded."),
        e.getMessage());
    assertEquals("java.lang.IllegalArgumentException", ((ApplicationFailure) e.getCause()).getType());
    assertEquals(before, env.eventTypes("reject"));
    assertEquals(0, ledger.calls.get());
  }

  @Test
  void aValidatorThatTriesToBlockRejectsTheUpdate() {
    start("blocking-validator");

    WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class,
        () -> env.stub("blocking-validator").update("slowAdd", Integer.class, 13));

    assertTrue(e.getMessage().contains("DURABLE-215 Workflow.sleep was called from a query method or update validator"),
        e.getMessage());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted"), env.eventTypes("blocking-validator"));
  }

  @Test
  void anUnknownUpdateNameIsRejectedWithTheKnownNames() {
    start("unknown");
    WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class,
        () -> env.stub("unknown").update("subtract", Integer.class, 1));
    assertEquals("DURABLE-240", e.getCode());
    assertTrue(e.getMessage().contains("has no update named 'subtract'; known updates: "), e.getMessage());
  }

  @Test
  void aHandlerFailureReachesTheClientAsTheCause() {
    start("explode");
    WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class,
        () -> env.stub("explode").update("explode", String.class, "not today"));
    assertEquals("DURABLE-243", e.getCode());
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals("Refused", cause.getType());
    assertEquals("not today", cause.getOriginalMessage());
    assertTrue(env.eventTypes("explode").contains("WorkflowUpdateCompleted"));
  }

  @Test
  void theSameUpdateIdRunsTheHandlerOnceAndReturnsTheSameOutcome() {
    start("idempotent");
    assertEquals(4, env.stub("idempotent").update("order-1", "add", Integer.class, 4));
    assertEquals(4, env.stub("idempotent").update("order-1", "add", Integer.class, 4));
    assertEquals(9, env.stub("idempotent").update("order-2", "add", Integer.class, 5));

    assertEquals(2, ledger.calls.get());
    assertEquals(2, env.eventTypes("idempotent").stream().filter("WorkflowUpdateAccepted"::equals).count());
    env.stub("idempotent").signal("finish");
    assertEquals(9, env.result("idempotent", Integer.class));
    // The outcome is kept with the closed run: a retry after the close still gets it.
    assertEquals(4, env.stub("idempotent").update("order-1", "add", Integer.class, 4));
  }

  @Test
  void anUpdateToAClosedWorkflowFailsClearly() {
    start("closed");
    env.stub("closed").signal("finish");
    assertEquals(0, env.result("closed", Integer.class));

    WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class,
        () -> env.stub("closed").update("add", Integer.class, 1));
    assertEquals("DURABLE-242", e.getCode());
    assertTrue(e.getMessage().contains("cannot update workflow 'closed' with 'add': it is COMPLETED"), e.getMessage());
  }

  @Test
  void anAcceptedUpdateSurvivesAServerRestartAndARepeatedRequestGetsItsResult() throws Exception {
    start("durable");
    CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
        () -> env.stub("durable").update("slow-1", "slowAdd", Integer.class, 6));
    env.awaitEvent("durable", "TimerStarted");

    env.restartServer();
    ExecutionException lost = assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
    assertEquals("DURABLE-213", assertInstanceOf(DurableException.class, lost.getCause()).getCode());
    startWorker();
    CompletableFuture<Integer> again = CompletableFuture.supplyAsync(
        () -> env.stub("durable").update("slow-1", "slowAdd", Integer.class, 6));
    env.clock().advance(Duration.ofHours(1));

    assertEquals(6, again.get(10, TimeUnit.SECONDS));
    assertEquals(1, env.eventTypes("durable").stream().filter("WorkflowUpdateAccepted"::equals).count());
    assertEquals(1, ledger.calls.get());
  }
}
