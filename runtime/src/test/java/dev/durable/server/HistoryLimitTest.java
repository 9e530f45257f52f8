package dev.durable.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowFailedException;
import dev.durable.client.WorkflowStatus;
import dev.durable.failure.TerminatedFailure;
import dev.durable.testing.LogCapture;
import dev.durable.testing.TestEnv;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history that grows without end is reported once at a fifth of the limit (DURABLE-225) and
 * the run is terminated when it reaches the limit (DURABLE-224), with everything recorded before
 * kept. The limit is 30 events here; each round of the loop below adds 3.
 */
class HistoryLimitTest {
  @ActivityInterface
  public interface Ping {
    String ping();
  }

  @WorkflowInterface
  public interface Chatty {
    @WorkflowMethod
    String run();
  }

  /** Calls an activity forever: a bug that would grow the history without end. */
  public static final class ChattyImpl implements Chatty {
    private final Ping ping = Workflow.newActivityStub(Ping.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

    @Override
    public String run() {
      while (true) {
        ping.ping();
      }
    }
  }

  private static final String SERVER_LOG = "dev.durable.internal.server.ServerCore";

  @TempDir Path dir;
  private TestEnv env;
  private LogCapture log;

  @BeforeEach
  void open() {
    log = LogCapture.of(SERVER_LOG);
    env = TestEnv.open(dir, b -> b.setMaxHistoryLength(30));
    env.startWorker(b -> b.registerWorkflowImplementationTypes(ChattyImpl.class)
        .registerActivitiesImplementations((Ping) () -> "pong"));
  }

  @AfterEach
  void close() {
    env.close();
    log.close();
  }

  @Test
  void runWhoseHistoryReachesTheLimitIsTerminatedNamingTheLimitAndKeepsItsHistory() {
    WorkflowClient.start(env.newWorkflow(Chatty.class, "chatty")::run);

    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> env.result("chatty", String.class));
    assertEquals(WorkflowStatus.TERMINATED, env.describe("chatty").status());
    TerminatedFailure cause = assertInstanceOf(TerminatedFailure.class, e.getCause());
    assertEquals("DURABLE-224 workflow 'chatty' (Chatty) was terminated: its history reached 30 events, the limit is"
        + " 30. Use Workflow.continueAsNew to carry on in a fresh run before the limit, split long work into several"
        + " workflows, or raise the limit with DurableServer.Builder.setMaxHistoryLength.", cause.getOriginalMessage());
    List<String> types = env.eventTypes("chatty");
    assertEquals(31, types.size());
    assertEquals("WorkflowExecutionTerminated", types.get(30));
    assertEquals(10, types.stream().filter("ActivityTaskScheduled"::equals).count());
    assertTrue(env.client().verifyHistory("chatty").isValid());
  }

  @Test
  void historyThatReachesAFifthOfTheLimitIsReportedOnceInTheLog() {
    WorkflowClient.start(env.newWorkflow(Chatty.class, "chatty")::run);
    assertThrows(WorkflowFailedException.class, () -> env.result("chatty", String.class));

    List<String> warnings = log.startingWith("DURABLE-225");
    assertEquals(List.of("DURABLE-225 the history of workflow 'chatty' (Chatty, run " + env.describe("chatty").runId()
        + ") has reached 6 events; at 30 the run is terminated (DURABLE-224). Every replay reads the whole history:"
        + " use Workflow.continueAsNew to carry on in a fresh run with an empty history, or split long work into"
        + " several workflows."), warnings);
  }
}
