package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowDescription;
import dev.durable.client.WorkflowStatus;
import dev.durable.common.DurableException;
import dev.durable.failure.ActivityFailure;
import dev.durable.failure.ApplicationFailure;
import dev.durable.internal.model.FailureInfo;
import dev.durable.internal.model.Payload;
import dev.durable.internal.server.Limits;
import dev.durable.internal.service.WorkflowService;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store writes a JSON payload's bytes into its event as they are, so a payload that is not one
 * valid JSON value would make the run unreadable, or add fields to its event. Such payloads are
 * refused with DURABLE-228 wherever they come in: raw from a client (as a remote one sends them),
 * or made by a serializer that writes raw JSON ({@code @JsonRawValue}). What is accepted reads
 * back exactly, numbers included, after a restart.
 */
class InvalidPayloadTest {
  /** Serialized as its text, unchecked: how user code can make a payload that is not JSON. */
  public record Raw(@JsonRawValue String json) {}

  @ActivityInterface
  public interface Sources {
    /** Returns a {@link Raw}; read back as a map. */
    Object raw(String json);

    void failWith(String json);

    BigDecimal decimal(String digits);

    /** Runs on a task queue no worker polls: the test answers it through the service, raw. */
    String manual();
  }

  static final class SourcesImpl implements Sources {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Object raw(String json) {
      calls.incrementAndGet();
      return new Raw(json);
    }

    @Override
    public void failWith(String json) {
      calls.incrementAndGet();
      throw ApplicationFailure.newNonRetryableFailure("it broke", "Broken", new Raw(json));
    }

    @Override
    public BigDecimal decimal(String digits) {
      return new BigDecimal(digits);
    }

    @Override
    public String manual() {
      throw new AssertionError("answered by the test");
    }
  }

  @WorkflowInterface
  public interface Relay {
    @WorkflowMethod
    String run(String mode, String json);

    @SignalMethod
    void go(String text);
  }

  public static final class RelayImpl implements Relay {
    private final Sources sources = Workflow.newActivityStub(Sources.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    private final Sources manual = Workflow.newActivityStub(Sources.class, ActivityOptions.newBuilder()
        .setTaskQueue("manual").setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    private String signal;

    @Override
    public String run(String mode, String json) {
      try {
        switch (mode) {
          case "result":
            return "got " + sources.raw(json);
          case "fail":
            sources.failWith(json);
            return "no failure";
          case "manual":
            return "got " + manual.manual();
          case "decimal":
            BigDecimal d = sources.decimal(json);
            Workflow.await(() -> signal != null);
            return d.toPlainString() + " " + signal;
          default:
            return json;
        }
      } catch (ActivityFailure e) {
        ApplicationFailure cause = (ApplicationFailure) e.getCause();
        return cause.getType() + ": " + cause.getOriginalMessage();
      }
    }

    @Override
    public void go(String text) {
      signal = text;
    }
  }

  @WorkflowInterface
  public interface Echo {
    @WorkflowMethod
    Raw echo(String json);
  }

  public static final class EchoImpl implements Echo {
    @Override
    public Raw echo(String json) {
      return new Raw(json);
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final SourcesImpl sources = new SourcesImpl();

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    startWorker();
  }

  private void startWorker() {
    env.startWorker(b -> b.registerWorkflowImplementationTypes(RelayImpl.class, EchoImpl.class)
        .registerActivitiesImplementations(sources));
  }

  @AfterEach
  void close() {
    env.close();
  }

  private DurableException startRaw(String id, byte[] json) {
    WorkflowService service = env.client().workflowService();
    return assertThrows(DurableException.class, () -> service.start(new WorkflowService.StartRequest(id, "Relay",
        TestEnv.TASK_QUEUE, List.of(new Payload(Payload.JSON, utf8("\"echo\"")),
        new Payload(Payload.JSON, json)), Duration.ofSeconds(10))));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final String START_ADVICE = ". The workflow was not started. A payload of encoding json/plain must be"
      + " UTF-8 text holding exactly one JSON value (numbers of at most 1,000 characters, at most 1,000 levels of"
      + " nesting).";

  @Test
  void aStartWhoseInputIsNotOneJsonValueIsRefusedAndNothingIsStored() {
    String prefix = "DURABLE-228 the input of workflow 'bad' (Relay) is not valid JSON: ";
    assertEquals(prefix + "it holds more than one value: another starts at byte 2" + START_ADVICE,
        startRaw("bad", utf8("1 2")).getMessage());
    assertEquals(prefix + "it holds no value, only white space" + START_ADVICE, startRaw("bad", utf8(" ")).getMessage());
    assertEquals(prefix + "it nests arrays and objects deeper than 1,000 levels (at byte 1000)" + START_ADVICE,
        startRaw("bad", utf8("[".repeat(1_001) + "]".repeat(1_001))).getMessage());
    assertEquals(prefix + "it is not valid UTF-8 at byte 1" + START_ADVICE,
        startRaw("bad", new byte[] {'"', (byte) 0xc0, (byte) 0x80, '"'}).getMessage());
    assertEquals(prefix + "it holds a raw control character (0x00) at byte 1; JSON allows only tab, line feed and"
        + " carriage return outside strings, and escapes in them" + START_ADVICE,
        startRaw("bad", utf8("1\0")).getMessage());
    assertEquals(prefix + "it is not valid UTF-8 at byte 1" + START_ADVICE,
        startRaw("bad", new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}).getMessage());
    assertEquals(prefix + "it starts with a byte order mark (EF BB BF); JSON text in a payload must not have one"
        + START_ADVICE, startRaw("bad", new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '1'}).getMessage());
    for (String json : List.of("not json{", "[1, 2", "\"x\"}],\"workflowType\":\"Other\",\"input\":[{\"json\":1",
        "1".repeat(1_001), "{'a': 1}", "NaN", "01", "[1] // comment")) {
      DurableException e = startRaw("bad", utf8(json));
      assertEquals("DURABLE-228", e.getCode(), json);
      assertTrue(e.getMessage().startsWith(prefix) && e.getMessage().endsWith(START_ADVICE), e.getMessage());
    }
    assertTrue(env.stub("bad").describe().isEmpty());

    WorkflowClient.start(env.newWorkflow(Relay.class, "bad")::run, "echo", "fine");
    assertEquals("fine", env.result("bad", String.class));
  }

  @Test
  void aSignalWhoseInputIsNotJsonIsRefusedAndTheHistoryIsUnchanged() {
    WorkflowClient.start(env.newWorkflow(Relay.class, "signal")::run, "decimal", "1.5");
    List<String> waiting = List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "ActivityTaskScheduled",
        "ActivityTaskCompleted", "WorkflowTaskCompleted");
    env.awaitDescription("signal", "the wait for the signal", d -> env.eventTypes("signal").equals(waiting));
    List<String> before = env.eventTypes("signal");

    WorkflowService service = env.client().workflowService();
    DurableException e = assertThrows(DurableException.class,
        () -> service.signal("signal", "go", List.of(new Payload(Payload.JSON, utf8("{\"a\":")))));

    assertTrue(e.getMessage().startsWith("DURABLE-228 the input of signal 'go' to workflow 'signal' is not valid JSON:"
        + " Unexpected end-of-input"), e.getMessage());
    assertEquals(before, env.eventTypes("signal"));
    env.stub("signal").signal("go", "now");
    assertEquals("1.5 now", env.result("signal", String.class));
  }

  /** Starts a workflow whose activity runs on the "manual" queue, and takes that activity's task. */
  private WorkflowService.ActivityTask manualTask(String id) {
    WorkflowClient.start(env.newWorkflow(Relay.class, id)::run, "manual", "");
    WorkflowService service = env.client().workflowService();
    for (int i = 0; i < 100; i++) {
      var task = service.pollActivityTask(new WorkflowService.PollRequest("manual", "test", Duration.ofSeconds(1)));
      if (task.isPresent()) {
        return task.get();
      }
    }
    throw new AssertionError("no activity task for " + id + ": " + env.describe(id));
  }

  /** A failure with {@code depth} levels, Level0 innermost. */
  private static FailureInfo chain(int depth) {
    FailureInfo chain = null;
    for (int i = 0; i < depth; i++) {
      chain = new FailureInfo(FailureInfo.APPLICATION, "Level" + i, "m", "", null, false, Map.of(), chain);
    }
    return chain;
  }

  private static final String ATTEMPT_ADVICE = ". The attempt fails without retry. A payload of encoding json/plain must"
      + " be UTF-8 text holding exactly one JSON value (numbers of at most 1,000 characters, at most 1,000 levels of"
      + " nesting).";

  @Test
  void anActivityResultSentRawThatIsNotJsonFailsTheAttemptWithoutRetry() {
    var task = manualTask("raw-result");
    env.client().workflowService().completeActivityTask(task.token(), new Payload(Payload.JSON, utf8("1 2")));

    assertEquals("dev.durable.InvalidPayload: DURABLE-228 the result of activity Manual (attempt 1) of workflow"
        + " 'raw-result' is not valid JSON: it holds more than one value: another starts at byte 2" + ATTEMPT_ADVICE,
        env.result("raw-result", String.class));
    env.restartServer();
    assertTrue(env.eventTypes("raw-result").contains("ActivityTaskFailed"));
  }

  @Test
  void anActivityFailureSentRawWithInvalidDetailsOrTooManyCausesFailsTheAttemptAndOneAtTheLimitIsKept() {
    var task = manualTask("raw-details");
    env.client().workflowService().failActivityTask(task.token(), new FailureInfo(FailureInfo.APPLICATION, "Broken",
        "it broke", "", null, false, Map.of(), new FailureInfo(FailureInfo.APPLICATION, "Cause", "below", "",
            new Payload(Payload.JSON, utf8("[1,]")), false, Map.of(), null)));
    assertTrue(env.result("raw-details", String.class).startsWith("dev.durable.InvalidPayload: DURABLE-228 the details"
        + " of the failure of activity Manual (attempt 1) of workflow 'raw-details' (Broken: it broke) is not valid"
        + " JSON: Unexpected character (']'"), env.result("raw-details", String.class));

    // At the limit the failure is kept: the attempt backs off with it as its last failure, stored in
    // the run's state, which a restart reads back.
    var atLimit = manualTask("raw-limit");
    env.client().workflowService().failActivityTask(atLimit.token(), chain(Limits.MAX_FAILURE_DEPTH));
    env.awaitPendingActivity("raw-limit", "the backoff", a -> a.attempt() == 2);
    env.restartServer();
    startWorker();
    assertTrue(env.awaitPendingActivity("raw-limit", "the backoff", a -> a.attempt() == 2).lastFailure()
        .startsWith("Level63: m"), env.describe("raw-limit").toString());

    var deep = manualTask("raw-causes");
    env.client().workflowService().failActivityTask(deep.token(), chain(Limits.MAX_FAILURE_DEPTH + 1));
    assertEquals("dev.durable.InvalidPayload: DURABLE-228 the failure of activity Manual (attempt 1) of workflow"
        + " 'raw-causes' (Level64: m) has a chain of more than 64 causes. The attempt fails without retry. Report the"
        + " failure with fewer causes.", env.result("raw-causes", String.class));
  }

  @Test
  void anActivityFailureSentRawWithAHugeMessageAndStackIsKeptCut() {
    // A remote worker's failure does not go through Failures.toInfo, which cuts a Java worker's.
    var task = manualTask("raw-huge");
    String body = "x".repeat(100_000);
    env.client().workflowService().failActivityTask(task.token(), new FailureInfo(FailureInfo.APPLICATION, "Upstream",
        "HTTP 500: " + body, "at frame\n".repeat(10_000), null, false, Map.of(), null));

    String lastFailure = env.awaitPendingActivity("raw-huge", "the backoff", a -> a.attempt() == 2).lastFailure();
    assertEquals("Upstream: HTTP 500: " + body.substring(0, 32 * 1024 - 10) + "... [cut: the message had 100010"
        + " characters]", lastFailure);
    env.restartServer();
    startWorker();
    assertEquals(lastFailure, env.awaitPendingActivity("raw-huge", "the backoff", a -> a.attempt() == 2).lastFailure());
  }

  @Test
  void anActivityResultSerializedToInvalidJsonFailsTheAttemptWithoutRetry() {
    String result = env.newWorkflow(Relay.class, "result").run("result", "{\"unclosed\": [1");

    // The activity's result is {"json":{"unclosed": [1}: its record around the raw text.
    assertEquals("dev.durable.common.DataConverterException: DURABLE-206 a value of type " + Raw.class.getName()
        + " (result of activity Raw of workflow 'result') was serialized to text that is not valid JSON: Unexpected"
        + " close marker '}': expected ']' (for Array starting at column 22) (at byte 23). Check its custom serializers"
        + " and @JsonRawValue members: they must write one JSON value (numbers of at most 1,000 characters, at most"
        + " 1,000 levels of nesting).", result);
    assertEquals(1, sources.calls.get());
    assertEquals("got {json=[1, {a=2}]}", env.newWorkflow(Relay.class, "valid").run("result", "[1,{\"a\":2}]"));
  }

  @Test
  void anActivityFailureWhoseDetailsSerializeToInvalidJsonIsReportedWithoutThem() {
    String result = env.newWorkflow(Relay.class, "fail").run("fail", "1 2 3");

    assertTrue(result.startsWith("Broken: it broke [its details were not recorded: DURABLE-206 a value of type"), result);
    assertTrue(result.contains(" (details of failure Broken) was serialized to text that is not valid JSON: Unexpected"
        + " character ('2'"), result);
    assertEquals(1, sources.calls.get());
  }

  @Test
  void aWorkflowResultSerializedToInvalidJsonFailsTheWorkflowTaskAndTheRunStaysOpen() {
    WorkflowClient.start(env.client().newWorkflowStub(Echo.class, TestEnv.options("own"))::echo, "{oops");
    WorkflowDescription d = env.awaitDescription("own", "the task failure", x -> x.lastWorkflowTaskFailure() != null);

    assertTrue(d.lastWorkflowTaskFailure().startsWith("DURABLE-216 workflow 'own' (Echo) threw"
        + " dev.durable.common.DataConverterException: DURABLE-206 a value of type " + Raw.class.getName() + " (result of"
        + " workflow 'own' (Echo)) was serialized to text that is not valid JSON: Unexpected character ('o'"),
        d.lastWorkflowTaskFailure());
    assertEquals(WorkflowStatus.RUNNING, d.status());
    assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskFailed"), env.eventTypes("own"));
  }

  @Test
  void aDecimalOfManyDigitsReadsBackExactlyAfterARestart() {
    // More digits than a double holds, and more before the point than the byte reader reads.
    String digits = "123456789012345678901234567890.123456789012345678901234567890";
    WorkflowClient.start(env.newWorkflow(Relay.class, "exact")::run, "decimal", digits);
    env.awaitEvent("exact", "ActivityTaskCompleted");
    env.awaitEvent("exact", "WorkflowTaskCompleted");

    env.restartServer(); // the run's next task replays its history from the store
    startWorker();
    env.stub("exact").signal("go", "after");

    assertEquals(digits + " after", env.result("exact", String.class));
  }

  @Test
  void aNumberOfMoreThan1000DigitsIsRefusedAndOneOf1000ReadsBack() {
    assertTrue(env.newWorkflow(Relay.class, "long").run("result", "9".repeat(1_001)).startsWith(
        "dev.durable.common.DataConverterException: DURABLE-206 a value of type " + Raw.class.getName() + " (result of"
            + " activity Raw of workflow 'long') was serialized to text that is not valid JSON: Number value length"
            + " (1001) exceeds the maximum allowed (1000"));
    assertEquals("got {json=" + "9".repeat(1_000) + "}", env.newWorkflow(Relay.class, "long-ok").run("result", "9".repeat(1_000)));
  }
}
