package dev.durable.it;

import dev.durable.activity.Activity;
import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.client.ConnectionOptions;
import dev.durable.client.WorkflowClient;
import dev.durable.common.RetryOptions;
import dev.durable.worker.Worker;
import dev.durable.workflow.Async;
import dev.durable.workflow.Promise;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker process of {@link StandaloneServerTest}: connects to the server at {@code args[0]} with
 * token {@code args[1]}, polls task queue {@value #TASK_QUEUE} with one activity slot, and runs
 * until killed. Its activities hold until the file {@code args[2]}/release exists, heartbeating,
 * and return {@code index@pid}, so a result tells which process ran each activity.
 */
public final class RemoteWorkerChild {
  static final String TASK_QUEUE = "remote-queue";

  @ActivityInterface
  public interface Hold {
    /** Waits for the release file and returns {@code index@pid}. */
    String hold(int index);
  }

  @WorkflowInterface
  public interface Spread {
    /** Runs {@code n} holds at once and returns their results in order. */
    @WorkflowMethod
    List<String> run(int n);
  }

  public static final class SpreadImpl implements Spread {
    private final Hold hold = Workflow.newActivityStub(Hold.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        // A killed worker stops heartbeating: its attempt times out after this and is retried elsewhere.
        .setHeartbeatTimeout(Duration.ofSeconds(2))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(100)).setMaximumAttempts(0).build())
        .build());

    @Override
    public List<String> run(int n) {
      List<Promise<String>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(Async.function(hold::hold, i));
      }
      List<String> out = new ArrayList<>();
      for (Promise<String> p : results) {
        out.add(p.get());
      }
      return out;
    }
  }

  static final class HoldImpl implements Hold {
    private final Path release;

    HoldImpl(Path gateDir) {
      this.release = gateDir.resolve("release");
    }

    @Override
    public String hold(int index) {
      long pid = ProcessHandle.current().pid();
      System.out.println("holding " + index + " in " + pid);
      while (!Files.exists(release)) {
        Activity.getExecutionContext().heartbeat(index);
        try {
          Thread.sleep(50); // polling the release file, the condition this activity waits for
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while holding " + index, e);
        }
      }
      return index + "@" + pid;
    }
  }

  public static void main(String[] args) throws Exception {
    WorkflowClient client = WorkflowClient.connect(ConnectionOptions.newBuilder().setAddress(args[0]).setToken(args[1]).build());
    Worker worker = Worker.newBuilder(client, TASK_QUEUE)
        .registerWorkflowImplementationTypes(SpreadImpl.class)
        .registerActivitiesImplementations(new HoldImpl(Path.of(args[2])))
        .setMaxConcurrentActivityTasks(1)
        .build();
    worker.start();
    System.out.println("worker ready " + ProcessHandle.current().pid());
    Thread.currentThread().join(); // until killed
  }
}
