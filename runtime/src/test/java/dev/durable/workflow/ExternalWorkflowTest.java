package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowExecution;
import dev.durable.client.WorkflowHistory;
import dev.durable.client.WorkflowStatus;
import dev.durable.failure.ApplicationFailure;
import dev.durable.failure.NondeterminismError;
import dev.durable.testing.TestEnv;
import dev.durable.worker.WorkflowReplayer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals and cancel requests from one workflow to another by its workflow id: delivered once to
 * the current run, their outcome recorded in the sender, a missing receiver reported to the sender's
 * code, a run that returns without waiting for its request closing once it was delivered, a restart
 * in between, and replay.
 */
public class ExternalWorkflowTest {
  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    String run(int expected);

    @SignalMethod
    void add(String item);
  }

  /** Collects items until it has {@code expected} of them; a cancel request ends it as canceled. */
  public static final class CounterImpl implements Counter {
    private final List<String> items = new ArrayList<>();

    @Override
    public String run(int expected) {
      Workflow.await(() -> items.size() >= expected);
      return "got " + items;
    }

    @Override
    public void add(String item) {
      items.add(item);
    }
  }

  @WorkflowInterface
  public interface Sender {
    @WorkflowMethod
    String send(String mode, String targetId);
  }

  public static final class SenderImpl implements Sender {
    @Override
    public String send(String mode, String targetId) {
      Counter counter = Workflow.newExternalWorkflowStub(Counter.class, targetId);
      ExternalWorkflowStub untyped = Workflow.newUntypedExternalWorkflowStub(targetId);
      switch (mode) {
        case "typed":
          counter.add("a");
          counter.add("b");
          return "sent to " + ExternalWorkflowStub.fromTyped(counter).getWorkflowId();
        case "untyped":
          untyped.signal("add", "u");
          return "sent";
        case "parallel": {
          List<Promise<Void>> sent = new ArrayList<>();
          for (String item : List.of("x", "y", "z")) {
            sent.add(Async.procedure(counter::add, item));
          }
          Promise.allOf(sent).get();
          return "sent 3";
        }
        case "linger": // sends, then completes two more tasks (on timers) before it looks at the outcome
          Promise<Void> sent = untyped.signalAsync("add", "later");
          Workflow.sleep(java.time.Duration.ofMinutes(1));
          Workflow.sleep(java.time.Duration.ofMinutes(1));
          sent.get();
          return "lingered";
        case "last-task":
          untyped.signalAsync("add", "parting");
          return "left";
        case "cancel":
          ExternalWorkflowStub.fromTyped(counter).cancel();
          return "asked";
        case "missing":
          try {
            untyped.signal("add", "lost");
            return "delivered?";
          } catch (ApplicationFailure e) {
            return e.getType() + ": " + e.getOriginalMessage();
          }
        case "missing-cancel":
          untyped.cancel(); // not caught: fails the workflow
          return "asked";
        case "run": { // targetId is "workflowId|runId"
          String[] target = targetId.split("\\|");
          Counter run = Workflow.newExternalWorkflowStub(Counter.class, new WorkflowExecution(target[0], target[1]));
          try {
            run.add("r");
            return "sent to run " + ExternalWorkflowStub.fromTyped(run).getRunId();
          } catch (ApplicationFailure e) {
            return e.getOriginalMessage();
          }
        }
        case "query":
          return queryOther(targetId);
        default:
          throw new IllegalArgumentException(mode);
      }
    }

    private static String queryOther(String targetId) {
      Querying other = Workflow.newExternalWorkflowStub(Querying.class, targetId);
      return other.peek();
    }
  }

  @WorkflowInterface
  public interface Querying {
    @WorkflowMethod
    String run();

    @QueryMethod
    String peek();
  }

  /** Sends its signals in another order than {@link SenderImpl}: replay must refuse its history. */
  public static final class ReorderedSenderImpl implements Sender {
    @Override
    public String send(String mode, String targetId) {
      Counter counter = Workflow.newExternalWorkflowStub(Counter.class, targetId);
      Workflow.newUntypedExternalWorkflowStub("elsewhere").signal("add", "a");
      counter.add("b");
      return "sent to " + targetId;
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
    env.startWorker(b -> b.registerWorkflowImplementationTypes(CounterImpl.class, SenderImpl.class));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private void startCounter(String workflowId, int expected) {
    WorkflowClient.start(env.newWorkflow(Counter.class, workflowId)::run, expected);
    env.awaitEvent(workflowId, "WorkflowTaskCompleted");
  }

  private String send(String workflowId, String mode, String targetId) {
    WorkflowClient.start(env.newWorkflow(Sender.class, workflowId)::send, mode, targetId);
    return env.result(workflowId, String.class);
  }

  @Test
  void typedSignalsReachTheOtherWorkflowOnceInOrderAndBothHistoriesSayWho() {
    startCounter("counter", 2);

    assertEquals("sent to counter", send("sender", "typed", "counter"));
    assertEquals("got [a, b]", env.result("counter", String.class));

    String counterRun = env.describe("counter").runId();
    String senderRun = env.describe("sender").runId();
    List<WorkflowHistory.Event> sent = env.stub("sender").getHistory().getEvents();
    List<String> sentTypes = sent.stream().map(WorkflowHistory.Event::eventType).toList();
    assertEquals(2, sentTypes.stream().filter("SignalExternalWorkflowExecutionInitiated"::equals).count(),
        sentTypes.toString());
    List<WorkflowHistory.Event> outcomes = sent.stream()
        .filter(e -> e.eventType().equals("ExternalWorkflowExecutionSignaled")).toList();
    assertEquals(2, outcomes.size(), sentTypes.toString());
    assertTrue(outcomes.get(0).attributesJson().contains("\"runId\":\"" + counterRun + "\""),
        outcomes.get(0).attributesJson());

    List<WorkflowHistory.Event> received = env.stub("counter").getHistory().getEvents().stream()
        .filter(e -> e.eventType().equals("WorkflowExecutionSignaled")).toList();
    assertEquals(2, received.size());
    assertTrue(received.get(0).attributesJson().contains("\"sender\":{\"workflowId\":\"sender\",\"runId\":\""
        + senderRun + "\""), received.get(0).attributesJson());
    env.assertHistoriesValid();
  }

  @Test
  void untypedAndParallelSignalsAreAllDelivered() {
    startCounter("counter", 4);

    assertEquals("sent", send("one", "untyped", "counter"));
    assertEquals("sent 3", send("three", "parallel", "counter"));

    String result = env.result("counter", String.class);
    assertTrue(result.startsWith("got [u, ") && result.contains("x") && result.contains("y")
        && result.contains("z"), result);
    env.assertHistoriesValid();
  }

  @Test
  void aRunThatReturnsWithoutWaitingForItsSignalClosesOnlyOnceItWasDelivered() {
    startCounter("counter", 1);

    assertEquals("left", send("leaver", "last-task", "counter"));

    assertEquals("got [parting]", env.result("counter", String.class));
    List<String> types = env.eventTypes("leaver");
    int outcome = types.indexOf("ExternalWorkflowExecutionSignaled");
    assertTrue(types.indexOf("SignalExternalWorkflowExecutionInitiated") < outcome
        && outcome < types.indexOf("WorkflowExecutionCompleted"), types.toString());
    env.assertHistoriesValid();
  }

  @Test
  void aCancelRequestCancelsTheOtherWorkflow() {
    startCounter("counter", 5);

    assertEquals("asked", send("canceler", "cancel", "counter"));

    env.awaitDescription("counter", "canceled", d -> d.status() == WorkflowStatus.CANCELED);
    List<String> types = env.eventTypes("canceler");
    assertTrue(types.contains("RequestCancelExternalWorkflowExecutionInitiated")
        && types.contains("ExternalWorkflowExecutionCancelRequested"), types.toString());
    assertTrue(env.stub("counter").getHistory().getEvents().stream()
        .anyMatch(e -> e.eventType().equals("WorkflowExecutionCancelRequested")
            && e.attributesJson().contains("requested by workflow 'canceler'")));
    env.assertHistoriesValid();
  }

  @Test
  void aMissingOrClosedWorkflowIsReportedToTheSendersCode() {
    String missing = send("s1", "missing", "nobody");
    assertTrue(missing.startsWith("dev.durable.client.WorkflowNotFoundException: DURABLE-247 the signal to workflow"
        + " 'nobody' was not delivered: no workflow with this id exists"), missing);

    startCounter("done", 0);
    assertEquals("got []", env.result("done", String.class));
    String closed = send("s2", "missing", "done");
    assertTrue(closed.contains("DURABLE-247") && closed.contains("its latest run (" + env.describe("done").runId()
        + ") is closed"), closed);
    assertTrue(env.eventTypes("s2").contains("SignalExternalWorkflowExecutionFailed"));

    // Not caught, the failure fails the workflow, as any failure thrown by workflow code does.
    WorkflowClient.start(env.newWorkflow(Sender.class, "s3")::send, "missing-cancel", "nobody");
    env.awaitDescription("s3", "failed", d -> d.status() == WorkflowStatus.FAILED);
    assertTrue(env.eventTypes("s3").contains("RequestCancelExternalWorkflowExecutionFailed"));
    env.assertHistoriesValid();
  }

  @Test
  void aStubForOneRunSignalsThatRunOnlyAndFailsOnceItIsClosed() {
    startCounter("counter", 0);
    assertEquals("got []", env.result("counter", String.class));
    String first = env.describe("counter").runId();
    startCounter("counter", 1);
    String second = env.describe("counter").runId();

    String refused = send("to-first", "run", "counter|" + first);
    assertEquals("DURABLE-247 the signal to workflow 'counter' was not delivered: its run " + first + " is closed, or"
        + " is not a run of this workflow id. Check the id, or whether the workflow may have finished first.", refused);

    assertEquals("sent to run " + second, send("to-second", "run", "counter|" + second));
    assertEquals("got [r]", env.result("counter", String.class));
    env.assertHistoriesValid();
  }

  @Test
  void onlySignalMethodsOfAnExternalStubCanBeCalled() {
    WorkflowClient.start(env.newWorkflow(Sender.class, "asker")::send, "query", "other");
    env.awaitDescription("asker", "its task failing", d -> d.lastWorkflowTaskFailure() != null
        && d.lastWorkflowTaskFailure().contains("DURABLE-232"));
    String failure = env.describe("asker").lastWorkflowTaskFailure();
    assertTrue(failure.contains("peek of workflow Querying is not a signal method"), failure);
  }

  @Test
  void anExternalStubUsedOutsideWorkflowCodeIsRefused() {
    ExternalWorkflowStub stub = Workflow.newUntypedExternalWorkflowStub("counter");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> stub.signal("add", "a"));
    assertTrue(e.getMessage().startsWith("DURABLE-210 ExternalWorkflowStub.signal can only be called from workflow"
        + " code"), e.getMessage());
  }

  @Test
  void requestsSurviveARestartOfTheServer() {
    startCounter("counter", 3);
    assertEquals("sent to counter", send("before", "typed", "counter"));

    env.restartServer();
    startWorker();

    assertEquals("sent", send("after", "untyped", "counter"));
    assertEquals("got [a, b, u]", env.result("counter", String.class));
    env.assertHistoriesValid();
  }

  @Test
  void replayChecksTheRecordedSignalsAgainstTheCode() {
    startCounter("counter", 2);
    send("sender", "typed", "counter");
    WorkflowHistory history = env.stub("sender").getHistory();

    WorkflowReplayer.replayWorkflowExecution(history, SenderImpl.class);
    NondeterminismError e = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, ReorderedSenderImpl.class));
    assertTrue(e.getMessage().contains("signal 'add' to workflow 'counter'")
        && e.getMessage().contains("signal 'add' to workflow 'elsewhere'"), e.getMessage());
  }
}
