package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.LocalActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.common.RetryOptions;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.failure.NondeterminismError;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local activities: run in the worker within the workflow task, one marker each, retried locally, replayed from the marker. */
class LocalActivityTest {
  @ActivityInterface
  public interface Rates {
    /** Fails while {@link RatesImpl#failuresLeft} is positive. */
    double rate(String currency);

    double inverse(String currency);
  }

  static final class RatesImpl implements Rates {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile boolean nonRetryable;

    @Override
    public double rate(String currency) {
      calls.incrementAndGet();
      if (failuresLeft.getAndDecrement() > 0) {
        if (nonRetryable) {
          throw ApplicationFailure.newNonRetryableFailure("unknown currency " + currency, "UnknownCurrency");
        }
        throw new IllegalStateException("rate service busy");
      }
      return currency.equals("EUR") ? 1.25 : 2.0;
    }

    @Override
    public double inverse(String currency) {
      calls.incrementAndGet();
      return 1 / rate(currency);
    }
  }

  @WorkflowInterface
  public interface Pricing {
    @WorkflowMethod
    String price(String currency, long retryMillis);
  }

  public static final class PricingImpl implements Pricing {
    @Override
    public String price(String currency, long retryMillis) {
      Rates rates = Workflow.newLocalActivityStub(Rates.class, LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(retryMillis))
              .setMaximumAttempts(4).build())
          .build());
      try {
        return "100 costs " + (100 * rates.rate(currency));
      } catch (ActivityFailure e) {
        ApplicationFailure cause = (ApplicationFailure) e.getCause();
        return "failed after " + e.getAttempt() + " attempts: " + cause.getType() + " " + cause.getOriginalMessage();
      }
    }
  }

  /** The same workflow type, changed to call another local activity at the same point. */
  public static final class ChangedPricingImpl implements Pricing {
    @Override
    public String price(String currency, long retryMillis) {
      Rates rates = Workflow.newLocalActivityStub(Rates.class,
          LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
      return "100 costs " + (100 * rates.inverse(currency));
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final RatesImpl rates = new RatesImpl();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    startWorker();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(PricingImpl.class).registerActivitiesImplementations(rates));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private String markerData(String workflowId) {
    return env.stub(workflowId).getHistory().getEvents().stream().filter(e -> e.eventType().equals("MarkerRecorded"))
        .map(WorkflowHistory.Event::attributesJson).toList().toString();
  }

  @Test
  void aLocalActivityRunsInTheWorkflowTaskAndRecordsOneMarkerWhichReplayUsesInsteadOfRunningIt() {
    WorkflowClient.start(env.newWorkflow(Pricing.class, "local")::price, "EUR", 1L);

    assertEquals("100 costs 125.0", env.result("local", String.class));
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "MarkerRecorded",
        "WorkflowExecutionCompleted"), env.eventTypes("local"));
    assertTrue(markerData("local").contains("\"activityType\":\"Rate\""), markerData("local"));
    assertEquals(1, rates.calls.get());

    WorkflowReplayer.replayWorkflowExecution(env.stub("local").getHistory(), PricingImpl.class);
    assertEquals(1, rates.calls.get(), "replay must use the marker, not run the activity");
  }

  @Test
  void shortBackoffsAreRetriedInTheWorkerAndOnlyTheOutcomeIsRecorded() {
    rates.failuresLeft.set(2);
    WorkflowClient.start(env.newWorkflow(Pricing.class, "retry")::price, "USD", 1L);

    assertEquals("100 costs 200.0", env.result("retry", String.class));
    assertEquals(3, rates.calls.get());
    assertEquals(1, env.eventTypes("retry").stream().filter("MarkerRecorded"::equals).count());
    assertTrue(markerData("retry").contains("\"attempt\":3"), markerData("retry"));
  }

  @Test
  void aFailureThatMustNotBeRetriedEndsTheCallWithAnActivityFailure() {
    rates.failuresLeft.set(1);
    rates.nonRetryable = true;
    WorkflowClient.start(env.newWorkflow(Pricing.class, "bad")::price, "XYZ", 1L);

    assertEquals("failed after 1 attempts: UnknownCurrency unknown currency XYZ", env.result("bad", String.class));
    assertEquals(1, rates.calls.get());
  }

  @Test
  void aLongBackoffBecomesADurableTimerThatSurvivesARestart() {
    rates.failuresLeft.set(1);
    WorkflowClient.start(env.newWorkflow(Pricing.class, "long")::price, "EUR", Duration.ofHours(1).toMillis());
    env.awaitEvent("long", "TimerStarted");
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "MarkerRecorded", "TimerStarted"),
        env.eventTypes("long"));
    assertTrue(markerData("long").contains("\"retryAfter\":\"PT1H\""), markerData("long"));

    env.restartServer();
    startWorker();
    env.clock().advance(Duration.ofHours(1));

    assertEquals("100 costs 125.0", env.result("long", String.class));
    assertEquals(2, rates.calls.get(), "the first attempt is not run again after the restart");
    assertEquals(2, env.eventTypes("long").stream().filter("MarkerRecorded"::equals).count());
  }

  @Test
  void replayingWithADifferentLocalActivityAtThatPointIsANondeterminismError() {
    WorkflowClient.start(env.newWorkflow(Pricing.class, "changed")::price, "EUR", 1L);
    env.result("changed", String.class);

    NondeterminismError e = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(env.stub("changed").getHistory(), ChangedPricingImpl.class));

    assertTrue(e.getMessage().startsWith("DURABLE-118 non-determinism in workflow 'changed'"), e.getMessage());
    assertTrue(e.getMessage().contains("history: MarkerRecorded LocalActivity '1' of activity Rate"), e.getMessage());
    assertTrue(e.getMessage().contains("code:    local activity Inverse"), e.getMessage());
    assertFalse(e.getMessage().contains("null"), e.getMessage());
  }

  @Test
  void optionsWithoutATimeoutAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LocalActivityOptions.newBuilder().build());
    assertTrue(e.getMessage().startsWith("DURABLE-201 LocalActivityOptions needs startToCloseTimeout"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(1)).setLocalRetryThreshold(Duration.ZERO).build());
  }

  @Test
  void retriesStopAtMaximumAttempts() {
    rates.failuresLeft.set(10);
    WorkflowClient.start(env.newWorkflow(Pricing.class, "exhausted")::price, "EUR", 1L);
    assertEquals("failed after 4 attempts: java.lang.IllegalStateException rate service busy", env.result("exhausted", String.class));
    assertEquals(4, rates.calls.get());
  }
}
