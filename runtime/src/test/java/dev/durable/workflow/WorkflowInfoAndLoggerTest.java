package dev.durable.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowExecution;
import dev.durable.testing.TestEnv;
import dev.durable.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflow.getInfo describes the run the same way on every replay; Workflow.getLogger stays quiet on replay. */
class WorkflowInfoAndLoggerTest {
  @WorkflowInterface
  public interface Chatty {
    @WorkflowMethod
    String run();
  }

  public static final class ChattyImpl implements Chatty {
    private static final System.Logger LOG = Workflow.getLogger(ChattyImpl.class);

    @Override
    public String run() {
      WorkflowInfo before = Workflow.getInfo();
      LOG.log(System.Logger.Level.INFO, "going to sleep in {0}", before.workflowId());
      Workflow.sleep(Duration.ofHours(1));
      LOG.log(System.Logger.Level.INFO, "woke up");
      WorkflowInfo after = Workflow.getInfo();
      // The facts of the run stay the same; only the history length moves on with the run.
      return describe(before).equals(describe(after)) && after.historyLength() > before.historyLength()
          ? describe(after) : "changed: " + before + " / " + after;
    }

    private static String describe(WorkflowInfo i) {
      return String.join(" ", i.workflowId(), i.runId(), i.workflowType(), i.taskQueue(),
          Integer.toString(i.attempt()), i.startTime().toString());
    }
  }

  @TempDir Path dir;
  private TestEnv env;
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Logger julLogger = Logger.getLogger(ChattyImpl.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r.getMessage() + (r.getParameters() == null ? "" : " " + List.of(r.getParameters())));
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  };

  @BeforeEach
  void open() {
    env = TestEnv.open(dir);
    julLogger.addHandler(capture);
  }

  @AfterEach
  void close() {
    julLogger.removeHandler(capture);
    env.close();
  }

  private Worker startWorker() {
    return env.startWorker(b -> b.registerWorkflowImplementationTypes(ChattyImpl.class));
  }

  @Test
  void infoNamesTheRunAndStaysTheSameOnReplayAndLogLinesArePrintedOnce() {
    Worker first = startWorker();
    env.clock().advance(Duration.ofMinutes(7));
    WorkflowExecution e = WorkflowClient.start(env.newWorkflow(Chatty.class, "chatty")::run);
    env.awaitEvent("chatty", "TimerStarted");
    assertEquals(List.of("going to sleep in {0} [chatty]"), logged);

    // A new worker has no cached run: it replays the code from the start of the history.
    env.closeWorker(first);
    startWorker();
    env.clock().advance(Duration.ofHours(1));

    assertEquals("chatty " + e.getRunId() + " Chatty " + TestEnv.TASK_QUEUE + " 1 2030-01-01T00:07:00Z",
        env.result("chatty", String.class));
    assertEquals(List.of("going to sleep in {0} [chatty]", "woke up"), logged);
  }

  @Test
  void loggerOutsideWorkflowCodeLogsLikeAnyLogger() {
    System.Logger log = Workflow.getLogger(ChattyImpl.class);
    log.log(System.Logger.Level.INFO, "from a test thread");
    assertEquals(ChattyImpl.class.getName(), log.getName());
    assertEquals(List.of("from a test thread"), logged);
  }

  @Test
  void getLoggerNeedsAClass() {
    var e = assertThrows(IllegalArgumentException.class, () -> Workflow.getLogger(null));
    assertEquals("DURABLE-201 Workflow.getLogger needs a class to name the logger, got null", e.getMessage());
  }
}
