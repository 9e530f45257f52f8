package dev.durable.it;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityInfo;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.common.RetryOptions;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of {@link CrashRecoveryTest}: runs an embedded server and a worker on a data
 * dir, starts the workflows {@code chain-0..chain-19} unless an earlier run started them, and
 * exits 0 once all of them have a result. Each workflow runs {@value #STEPS} steps in sequence;
 * each step appends one line to the ledger file as it runs:
 *
 * <pre>{@code chain-3:7 run=2 exec=41 attempt=1 ok}</pre>
 *
 * that is {@code workflowId:step}, the number of this child run (given by the test), a counter
 * that makes the line unique within the run, the attempt, and {@code ok} (or {@code fail} for an
 * attempt that {@link TortureChild} makes fail). The step returns the same line, so the history's
 * {@code ActivityTaskCompleted} names exactly which execution's result it recorded. The ledger's
 * rules are in {@link CrashHarness}.
 *
 * <p>Usage: {@code CrashChild dataDir ledgerFile runNumber}.
 */
public final class CrashChild {
  static final int WORKFLOWS = 20;
  static final int STEPS = 10;
  static final String TASK_QUEUE = "crash-test";

  private CrashChild() {}

  static String workflowId(int i) {
    return "chain-" + i;
  }

  /** Runs {@code steps} steps one after the other and returns their ledger lines. */
  @WorkflowInterface
  public interface Chain {
    /** Runs steps {@code 0..steps-1} and returns the ledger line of each, in order. */
    @WorkflowMethod
    List<String> run(int steps);
  }

  /** One step: appends a line to the ledger and returns it. */
  @ActivityInterface
  public interface Steps {
    /** Runs step {@code step} of the calling workflow and returns its ledger line. */
    String step(int step);
  }

  /** The workflow: one step after the other, nothing else. */
  public static class ChainImpl implements Chain {
    // The start-to-close timeout is far above the test's run time, so within one child run a step
    // is dispatched again only after a failed attempt (which only TortureTest injects): every
    // other duplicate in the ledger comes from a kill. Failed attempts are retried quickly.
    private final Steps steps = Workflow.newActivityStub(Steps.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(20))
            .setBackoffCoefficient(1.0).build())
        .build());

    @Override
    public List<String> run(int count) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        lines.add(steps.step(i));
      }
      return lines;
    }
  }

  /** Which step attempts fail on purpose. */
  @FunctionalInterface
  interface FailurePlan {
    boolean fails(String workflowId, int step, int attempt);
  }

  /** The activity: writes a unique ledger line for each execution, then fails if the plan says so. */
  static final class LedgerSteps implements Steps {
    private final FileChannel ledger;
    private final int run;
    private final FailurePlan plan;
    private final AtomicInteger executions = new AtomicInteger();

    LedgerSteps(FileChannel ledger, int run, FailurePlan plan) {
      this.ledger = ledger;
      this.run = run;
      this.plan = plan;
    }

    @Override
    public String step(int step) {
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      boolean fail = plan.fails(info.workflowId(), step, info.attempt());
      String line = info.workflowId() + ":" + step + " run=" + run + " exec=" + executions.incrementAndGet()
          + " attempt=" + info.attempt() + (fail ? " fail" : " ok");
      try {
        // One unbuffered write per line with O_APPEND: once write returns, the line is in the OS
        // and survives a SIGKILL of this process (force() would only matter for a power cut).
        ledger.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (fail) {
        throw new IllegalStateException("failure planned by the test: " + line);
      }
      return line;
    }
  }

  /**
   * Runs the child.
   *
   * @param args the data dir, the ledger file and the run number
   */
  public static void main(String[] args) throws IOException {
    Path dataDir = Path.of(args[0]);
    Path ledgerFile = Path.of(args[1]);
    int run = Integer.parseInt(args[2]);
    try (FileChannel ledger = FileChannel.open(ledgerFile,
             StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
         DurableServer server = DurableServer.newBuilder().setDataDir(dataDir).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, TASK_QUEUE)
             .registerWorkflowImplementationTypes(ChainImpl.class)
             .registerActivitiesImplementations(new LedgerSteps(ledger, run, (id, step, attempt) -> false))
             .build()) {
      worker.start();
      for (int i = 0; i < WORKFLOWS; i++) {
        String id = workflowId(i);
        if (client.newUntypedWorkflowStub(id).describe().isEmpty()) {
          Chain chain = client.newWorkflowStub(Chain.class,
              WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build());
          WorkflowClient.start(chain::run, STEPS);
          System.err.println("run " + run + ": started " + id);
        }
      }
      for (int i = 0; i < WORKFLOWS; i++) {
        WorkflowStub stub = client.newUntypedWorkflowStub(workflowId(i));
        System.err.println("run " + run + ": " + workflowId(i) + " finished with " + stub.getResult(List.class).size() + " steps");
      }
      System.err.println("run " + run + ": all " + WORKFLOWS + " workflows finished");
    }
  }
}
