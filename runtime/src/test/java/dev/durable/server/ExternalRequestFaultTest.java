package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.ResetPoint;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.testing.Eventually;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.ExternalWorkflowTest.Counter;
import dev.durable.workflow.ExternalWorkflowTest.CounterImpl;
import dev.durable.workflow.ExternalWorkflowTest.Sender;
import dev.durable.workflow.ExternalWorkflowTest.SenderImpl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signal from one workflow to another is two writes: the receiver's, then the sender's outcome.
 * When one fails (or the server stops) in between, the delivery runs again and must find the signal
 * it already delivered rather than deliver it twice.
 */
class ExternalRequestFaultTest {
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  @TempDir Path dir;
  private TestEnv env;
  private volatile FaultyStore store;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir, b -> b.wrapStore(s -> store = new FaultyStore(s)));
    startWorker();
    // Waits for two signals, so that a second delivery of the one it gets would be recorded too.
    WorkflowClient.start(env.newWorkflow(Counter.class, "counter")::run, 2);
    env.awaitEvent("counter", "WorkflowTaskCompleted");
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CounterImpl.class, SenderImpl.class));
  }

  @AfterEach
  void close() {
    store.heal();
    env.close();
  }

  /** Starts the sender of one signal to the counter and waits until the store failed a write. */
  private void startSenderUntilAFault() {
    WorkflowClient.start(env.newWorkflow(Sender.class, "sender")::send, "untyped", "counter");
    Eventually.eventually("the fault", () -> store.injected.get() >= 1);
  }

  /** Heals the store, waits for the sender's result through the retries, and checks the signal arrived once. */
  private void assertDeliveredOnceAfterRetries() {
    store.heal();
    env.advanceToTimersUntil("the sender to close", RETRY_DELAY, () -> env.describe("sender").isClosed());
    assertEquals("sent", env.result("sender", String.class));
    assertEquals(1, signalsReceived());
    env.assertHistoriesValid();
  }

  private long signalsReceived() {
    return env.eventTypes("counter").stream().filter("WorkflowExecutionSignaled"::equals).count();
  }

  @Test
  void aReceiverWriteReportedAsFailedAfterItWasRecordedIsNotDeliveredAgain() {
    store.failWritesAfterApplying(FaultyStore.appending("counter", "WorkflowExecutionSignaled"));
    startSenderUntilAFault();

    assertDeliveredOnceAfterRetries();
  }

  @Test
  void aFailedWriteOfTheSendersOutcomeDoesNotDeliverTheSignalAgain() {
    store.failWrites(FaultyStore.appending("sender", "ExternalWorkflowExecutionSignaled"));
    startSenderUntilAFault();

    assertDeliveredOnceAfterRetries();
  }

  @Test
  void aRestartBetweenDeliveryAndOutcomeDoesNotDeliverTheSignalAgain() {
    store.failWrites(FaultyStore.appending("sender", "ExternalWorkflowExecutionSignaled"));
    startSenderUntilAFault();

    env.restartServer(); // the new server's store has no fault; it finds the request without its outcome
    startWorker();

    assertEquals("sent", env.result("sender", String.class));
    assertEquals(1, signalsReceived());
    env.assertHistoriesValid();
  }

  /** Starts a sender whose signal to the counter cannot be delivered yet, and terminates it meanwhile. */
  private String terminateSenderWhileItsSignalIsInFlight() {
    store.failWrites(FaultyStore.appending("counter", "WorkflowExecutionSignaled")); // the delivery keeps failing
    WorkflowClient.start(env.newWorkflow(Sender.class, "sender")::send, "linger", "counter");
    env.awaitEvent("sender", "TimerStarted");
    Eventually.eventually("the fault", () -> store.injected.get() >= 1);
    env.stub("sender").terminate("enough");
    String runId = env.describe("sender").runId();
    long initiated = env.eventTypes("sender").indexOf("SignalExternalWorkflowExecutionInitiated") + 1;
    assertEquals(Map.of(1, initiated), store.readExecution(runId).orElseThrow().externalRequests, "in flight");
    assertEquals(Set.of(runId, "counter"), runsToRecover(), "kept for the next start");
    return runId;
  }

  private Set<String> runsToRecover() {
    Set<String> runs = new HashSet<>();
    store.forEachRunToRecover(s -> runs.add(s.workflowId.equals("counter") ? "counter" : s.runId));
    return runs;
  }

  /** Checks that the sender's signal arrived once and that it is no longer in flight anywhere. */
  private void assertDeliveredOnceAndForgotten(String senderRunId) {
    Eventually.eventually("the signal", () -> signalsReceived() == 1);
    Eventually.eventually("the request forgotten",
        () -> store.readExecution(senderRunId).orElseThrow().externalRequests.isEmpty());
    assertEquals(Set.of("counter"), runsToRecover());
    env.assertHistoriesValid();
  }

  @Test
  void aSignalOfARunTerminatedWhileItWasInFlightIsDeliveredAfterARestart() {
    String senderRunId = terminateSenderWhileItsSignalIsInFlight();

    env.restartServer(); // the new server's store has no fault: only its recovery can deliver the signal
    startWorker();

    assertDeliveredOnceAndForgotten(senderRunId);
    env.restartServer();
    startWorker();
    env.stub("counter").signal("add", "after");
    assertEquals("got [later, after]", env.result("counter", String.class)); // no third signal, no second "later"
    assertEquals(WorkflowStatus.TERMINATED, env.describe("sender").status());
  }

  @Test
  void aSignalOfARunTerminatedWhileItWasInFlightIsDeliveredOnceTheStoreHeals() {
    String senderRunId = terminateSenderWhileItsSignalIsInFlight();
    DurableException kept = assertThrows(DurableException.class, () -> env.stub("sender").delete());
    assertEquals("DURABLE-229", kept.getCode());
    assertTrue(kept.getMessage().contains("still being delivered"), kept.getMessage());

    store.heal();
    env.advanceToTimersUntil("the signal to arrive", RETRY_DELAY, () -> signalsReceived() == 1);

    assertDeliveredOnceAndForgotten(senderRunId);
    env.stub("sender").delete();
  }

  @Test
  void aResetToATaskCompletedWhileASignalWasBeingDeliveredIsRefused() {
    store.failWrites(FaultyStore.appending("counter", "WorkflowExecutionSignaled")); // the delivery keeps failing
    WorkflowClient.start(env.newWorkflow(Sender.class, "sender")::send, "linger", "counter");
    env.awaitEvent("sender", "TimerStarted");
    env.clock().advance(Duration.ofMinutes(1));
    Eventually.eventually("the sender's second timer",
        () -> env.eventTypes("sender").stream().filter("TimerStarted"::equals).count() == 2);

    DurableException refused = assertThrows(DurableException.class,
        () -> env.stub("sender").reset(ResetPoint.lastWorkflowTask(), "x"));
    assertEquals("DURABLE-237", refused.getCode());
    assertTrue(refused.getMessage().contains("SignalExternalWorkflowExecutionInitiated) was still being delivered"),
        refused.getMessage());

    store.heal();
    env.advanceToTimersUntil("the signal to arrive", RETRY_DELAY, () -> signalsReceived() == 1);
    // The clock moves on to the second timer once the sender's task for the outcome completed, not during it.
    Eventually.eventually("the sender's task after the outcome", () -> env.eventTypes("sender"), types -> {
      int outcome = types.indexOf("ExternalWorkflowExecutionSignaled");
      return outcome >= 0 && types.lastIndexOf("WorkflowTaskCompleted") > outcome;
    });
    env.clock().advance(Duration.ofMinutes(1));
    assertEquals("lingered", env.result("sender", String.class));
    env.assertHistoriesValid();
  }
}
