package dev.durable.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.failure.NondeterminismError;
import dev.durable.testing.TestEnv;
import dev.durable.worker.Worker;
import dev.durable.worker.WorkflowReplayer;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Workflow.sideEffect} and {@code Workflow.mutableSideEffect} run their function when the
 * code runs for the first time, record the value, and return the recorded value on replay
 * without running the function again, in a worker and in the replayer alike. The functions
 * count their calls in static counters, which is how the tests see whether they ran.
 */
class SideEffectsTest {
  @TempDir Path dataDir;
  private TestEnv env;

  @BeforeEach
  void open() {
    env = TestEnv.open(dataDir);
  }

  @AfterEach
  void close() {
    env.close();
  }

  @ActivityInterface
  public interface Notes {
    /** Notes a value; the implementation turns the feature flag on at its second call. */
    String note(String value);
  }

  /** The activity of these tests, with the flag {@link FeatureFlagged} reads. */
  static final class FlagFlippingNotes implements Notes {
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public String note(String value) {
      if (calls.incrementAndGet() == 2) {
        FeatureFlagged.flag.set("on");
      }
      return "noted " + value;
    }
  }

  private static Notes notes() {
    return Workflow.newActivityStub(Notes.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
  }

  /** A receipt that waits to be released. */
  @WorkflowInterface
  public interface Receipt {
    @WorkflowMethod(name = "Receipt")
    String run();

    @SignalMethod
    void release();
  }

  /** Draws a receipt number from a side effect, then waits to be released. */
  public static final class NumberedReceipt implements Receipt {
    static final AtomicInteger draws = new AtomicInteger();
    static final Queue<String> seen = new ConcurrentLinkedQueue<>();
    private boolean released;

    @Override
    public String run() {
      String number = Workflow.sideEffect(String.class, () -> "receipt-" + draws.incrementAndGet());
      seen.add(number);
      Workflow.await(() -> released);
      return notes().note(number);
    }

    @Override
    public void release() {
      released = true;
    }
  }

  @Test
  void sideEffectRunsOnceAndReplayInAWorkerAndInTheReplayerReturnsTheRecordedValue() {
    NumberedReceipt.draws.set(0);
    NumberedReceipt.seen.clear();
    Worker first = deploy(NumberedReceipt.class);
    WorkflowClient.start(env.newWorkflow(Receipt.class, "receipt")::run);
    env.awaitEvent("receipt", "MarkerRecorded");
    // A new worker has no cached run: the next task replays the side effect from history.
    env.closeWorker(first);
    deploy(NumberedReceipt.class);
    env.stub("receipt").signal("release");

    assertEquals("noted receipt-1", env.result("receipt", String.class));
    assertEquals(1, NumberedReceipt.draws.get());
    assertEquals(List.of("receipt-1", "receipt-1"), List.copyOf(NumberedReceipt.seen));

    WorkflowHistory history = env.stub("receipt").getHistory();
    var marker = Histories.attributes(Histories.events(history, "MarkerRecorded").get(0));
    assertEquals("SideEffect", marker.path("markerName").asText());
    assertEquals("receipt-1", marker.path("data").path("json").asText());
    WorkflowReplayer.replayWorkflowExecution(history, NumberedReceipt.class);
    WorkflowReplayer.replayWorkflowExecution(history, NumberedReceipt.class);
    assertEquals(1, NumberedReceipt.draws.get());
    assertEquals(List.of("receipt-1", "receipt-1", "receipt-1", "receipt-1"), List.copyOf(NumberedReceipt.seen));
  }

  /** The receipt code with an audit id drawn from a side effect, and a feature flag read, added after the number. */
  public static final class AuditedReceipt implements Receipt {
    static final AtomicInteger audits = new AtomicInteger();
    private boolean released;

    @Override
    public String run() {
      String number = Workflow.sideEffect(String.class, () -> "receipt-" + audits.incrementAndGet());
      String audit = Workflow.sideEffect(String.class, () -> "audit-" + audits.incrementAndGet()); // line: added-side-effect
      Workflow.await(() -> released);
      return notes().note(number + " " + audit);
    }

    @Override
    public void release() {
      released = true;
    }
  }

  /** The receipt code with a feature flag read added after the number. */
  public static final class FlaggedReceipt implements Receipt {
    static final AtomicInteger reads = new AtomicInteger();
    private boolean released;

    @Override
    public String run() {
      String number = Workflow.sideEffect(String.class, () -> "receipt-" + reads.incrementAndGet());
      String flag = Workflow.mutableSideEffect("flag", String.class, (last, now) -> !last.equals(now), // line: added-flag
          () -> "flag-" + reads.incrementAndGet());
      Workflow.await(() -> released);
      return notes().note(number + " " + flag);
    }

    @Override
    public void release() {
      released = true;
    }
  }

  @Test
  void sideEffectsAddedToTheCodeAreReportedOnReplayWithoutRunningTheirFunctions() {
    deploy(NumberedReceipt.class);
    WorkflowClient.start(env.newWorkflow(Receipt.class, "receipt")::run);
    env.stub("receipt").signal("release");
    env.result("receipt", String.class);
    WorkflowHistory history = env.stub("receipt").getHistory();
    long afterFirstTask = Histories.eventId(history, "MarkerRecorded") + 1;

    AuditedReceipt.audits.set(0);
    var audited = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, AuditedReceipt.class));
    assertEquals(0, AuditedReceipt.audits.get(), "a side effect function ran on replay");
    assertTrue(audited.getMessage().contains(" at history event " + afterFirstTask + ":\n"), audited.getMessage());
    assertTrue(audited.getMessage().contains("  code:    record SideEffect marker '2'  at "
        + SourceMarkers.frame(AuditedReceipt.class, "run", "added-side-effect") + "\n"), audited.getMessage());

    FlaggedReceipt.reads.set(0);
    var flagged = assertThrows(NondeterminismError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, FlaggedReceipt.class));
    assertEquals(0, FlaggedReceipt.reads.get(), "a mutable side effect function ran on replay");
    assertTrue(flagged.getMessage().contains("  code:    record MutableSideEffect marker 'flag'  at "
        + SourceMarkers.frame(FlaggedReceipt.class, "run", "added-flag") + "\n"), flagged.getMessage());
  }

  /** Reads a feature flag in rounds and returns the values it read. */
  @WorkflowInterface
  public interface Flagged {
    @WorkflowMethod(name = "Flagged")
    List<String> run(int rounds);
  }

  /** Reads a feature flag once a round, with an activity between rounds. */
  public static final class FeatureFlagged implements Flagged {
    static final AtomicReference<String> flag = new AtomicReference<>("off");
    static final AtomicInteger reads = new AtomicInteger();
    static final Queue<String> seen = new ConcurrentLinkedQueue<>();

    @Override
    public List<String> run(int rounds) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        String value = Workflow.mutableSideEffect("flag", String.class, (last, now) -> !last.equals(now), () -> {
          reads.incrementAndGet();
          return flag.get();
        });
        seen.add(value);
        values.add(value);
        notes().note(value);
      }
      return values;
    }
  }

  @Test
  void mutableSideEffectRecordsOnlyChangedValuesAndReplayReturnsThemWithoutReading() {
    FeatureFlagged.flag.set("off");
    FeatureFlagged.reads.set(0);
    FeatureFlagged.seen.clear();
    deploy(FeatureFlagged.class);

    WorkflowClient.start(env.newWorkflow(Flagged.class, "flagged")::run, 5);
    List<?> values = env.result("flagged", List.class);

    assertEquals(List.of("off", "off", "on", "on", "on"), values);
    assertEquals(5, FeatureFlagged.reads.get());
    WorkflowHistory history = env.stub("flagged").getHistory();
    var markers = Histories.events(history, "MarkerRecorded").stream().map(Histories::attributes).toList();
    assertEquals(List.of("MutableSideEffect", "MutableSideEffect"),
        markers.stream().map(m -> m.path("markerName").asText()).toList());
    assertEquals(List.of("flag", "flag"), markers.stream().map(m -> m.path("markerId").asText()).toList());
    assertEquals(List.of("off", "on"), markers.stream().map(m -> m.path("data").path("json").asText()).toList());

    FeatureFlagged.seen.clear();
    FeatureFlagged.flag.set("something else");
    WorkflowReplayer.replayWorkflowExecution(history, FeatureFlagged.class);
    assertEquals(5, FeatureFlagged.reads.get());
    assertEquals(List.of("off", "off", "on", "on", "on"), List.copyOf(FeatureFlagged.seen));
  }

  /** Draws a token and reads a flag. */
  @WorkflowInterface
  public interface Token {
    @WorkflowMethod(name = "Token")
    String run();
  }

  /** Draws a token and reads the flag, each right after a getVersion call. */
  public static final class TokenWithVersions implements Token {
    static final AtomicInteger draws = new AtomicInteger();
    static final Queue<String> seen = new ConcurrentLinkedQueue<>();

    @Override
    public String run() {
      Workflow.getVersion("token-format", Workflow.DEFAULT_VERSION, 1);
      String token = Workflow.sideEffect(String.class, () -> "token-" + draws.incrementAndGet());
      Workflow.getVersion("flag-check", Workflow.DEFAULT_VERSION, 1);
      String flag = Workflow.mutableSideEffect("flag", String.class, (last, now) -> !last.equals(now),
          () -> "flag-" + draws.incrementAndGet());
      seen.add(token + " " + flag);
      return notes().note(token + " " + flag);
    }
  }

  /** The same code once both getVersion calls were removed. */
  public static final class TokenWithoutVersions implements Token {
    @Override
    public String run() {
      String token = Workflow.sideEffect(String.class, () -> "token-" + TokenWithVersions.draws.incrementAndGet());
      String flag = Workflow.mutableSideEffect("flag", String.class, (last, now) -> !last.equals(now),
          () -> "flag-" + TokenWithVersions.draws.incrementAndGet());
      TokenWithVersions.seen.add(token + " " + flag);
      return notes().note(token + " " + flag);
    }
  }

  @Test
  void sideEffectsRightAfterARemovedGetVersionCallReturnTheirRecordedValues() {
    TokenWithVersions.draws.set(0);
    TokenWithVersions.seen.clear();
    deploy(TokenWithVersions.class);
    WorkflowClient.start(env.newWorkflow(Token.class, "token")::run);
    assertEquals("noted token-1 flag-2", env.result("token", String.class));
    WorkflowHistory history = env.stub("token").getHistory();

    WorkflowReplayer.replayWorkflowExecution(history, TokenWithoutVersions.class);

    assertEquals(2, TokenWithVersions.draws.get(), "a side effect function ran again on replay");
    assertEquals(List.of("token-1 flag-2", "token-1 flag-2"), List.copyOf(TokenWithVersions.seen));
  }

  private Worker deploy(Class<?> workflowImplementation) {
    return env.startWorker(b -> b.registerWorkflowImplementationTypes(workflowImplementation)
        .registerActivitiesImplementations(new FlagFlippingNotes()));
  }
}
