package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.failure.CanceledFailure;
import dev.durable.testing.ManualClock;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Workflow#newTimer}: a timer as a promise, raced against a signal, canceled with its scope, replayed. */
public class WorkflowTimerTest {
  @WorkflowInterface
  public interface Deadline {
    @WorkflowMethod
    String run(String mode);

    @SignalMethod
    void answer(String text);
  }

  public static final class DeadlineImpl implements Deadline {
    private final CompletablePromise<String> answer = Workflow.newPromise();

    @Override
    public String run(String mode) {
      switch (mode) {
        case "race": {
          Promise<Void> deadline = Workflow.newTimer(Duration.ofHours(1));
          Promise.anyOf(deadline, answer).get();
          return answer.isCompleted() ? "answered " + answer.get() : "no answer by " + Workflow.now();
        }
        case "cancel": {
          @SuppressWarnings("unchecked")
          Promise<Void>[] timer = new Promise[1];
          CancellationScope scope =
              Workflow.newCancellationScope(() -> timer[0] = Workflow.newTimer(Duration.ofDays(1)));
          scope.run();
          scope.cancel();
          try {
            timer[0].get();
            return "fired?";
          } catch (CanceledFailure e) {
            return "canceled: " + e.getOriginalMessage();
          }
        }
        case "zero":
          return "zero is done at once: " + Workflow.newTimer(Duration.ZERO).isCompleted();
        default:
          throw new IllegalArgumentException(mode);
      }
    }

    @Override
    public void answer(String text) {
      answer.complete(text);
    }
  }

  @TempDir Path dir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    startWorker();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(DeadlineImpl.class));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void start(String workflowId, String mode) {
    WorkflowClient.start(env.newWorkflow(Deadline.class, workflowId)::run, mode);
  }

  @Test
  void theTimerWinsTheRaceWhenNoSignalComesInTimeAlsoAcrossARestart() {
    start("late", "race");
    env.awaitEvent("late", "TimerStarted");
    env.restartServer();
    startWorker();

    env.clock().advance(Duration.ofHours(1));

    assertEquals("no answer by " + ManualClock.START.plus(Duration.ofHours(1)), env.result("late", String.class));
    assertTrue(env.eventTypes("late").contains("TimerFired"));
    WorkflowReplayer.replayWorkflowExecution(env.stub("late").getHistory(), DeadlineImpl.class);
    env.assertHistoriesValid();
  }

  @Test
  void aSignalWinsTheRaceAndTheTimerDoesNotHoldTheRunOpen() {
    start("early", "race");
    env.awaitEvent("early", "TimerStarted");

    env.stub("early").signal("answer", "yes");

    assertEquals("answered yes", env.result("early", String.class));
    List<String> types = env.eventTypes("early");
    assertFalse(types.contains("TimerFired"), types.toString());
    WorkflowReplayer.replayWorkflowExecution(env.stub("early").getHistory(), DeadlineImpl.class);
    env.assertHistoriesValid();
  }

  @Test
  void cancelingItsScopeCancelsTheTimerAndFailsThePromise() {
    start("called-off", "cancel");

    String result = env.result("called-off", String.class);
    assertTrue(result.startsWith("canceled: ") && result.contains("before Workflow.newTimer(PT24H) fired"), result);
    List<String> types = env.eventTypes("called-off");
    assertTrue(types.contains("TimerStarted") && types.contains("TimerCanceled"), types.toString());
    WorkflowReplayer.replayWorkflowExecution(env.stub("called-off").getHistory(), DeadlineImpl.class);
    env.assertHistoriesValid();
  }

  @Test
  void aZeroDurationIsACompletedPromiseWithoutATimer() {
    start("zero", "zero");

    assertEquals("zero is done at once: true", env.result("zero", String.class));
    assertFalse(env.eventTypes("zero").contains("TimerStarted"));
  }
}
