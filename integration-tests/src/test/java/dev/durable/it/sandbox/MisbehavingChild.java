package dev.durable.it.sandbox;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.client.WorkflowStub;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import dev.durable.workflow.DeterminismViolation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The child JVM of {@link ViolationTest}: runs one {@link Misbehaving} workflow per category, all
 * at once, starting those an earlier run did not start. For each it waits until the workflow
 * completes or a workflow task fails, and prints {@code OUTCOME <category> RESULT <result>} or
 * {@code OUTCOME <category> TASK_FAILURE <message>}, then the run's status
 * ({@code STATUS <category> <status>}) and what the worker's violation listener saw first:
 * {@code LISTENER <category> <code> <rule> <api> <workflow id>}. Then it exits: a failed task would
 * only be retried with backoff.
 *
 * <p>Usage: {@code MisbehavingChild dataDir file port category...}, with
 * {@code -Ddurable.it.misbehave=true} to switch the offending code on.
 */
public final class MisbehavingChild {
  private static final String TASK_QUEUE = "misbehaving";

  private MisbehavingChild() {}

  static String workflowId(String category) {
    return "misbehave-" + category;
  }

  /**
   * Runs the child.
   *
   * @param args the data dir, a file and a port for the workflows, then the categories
   */
  public static void main(String[] args) {
    String file = args[1];
    int port = Integer.parseInt(args[2]);
    List<String> categories = Arrays.asList(args).subList(3, args.length);
    Map<String, DeterminismViolation> firstViolation = new ConcurrentHashMap<>();
    try (DurableServer server = DurableServer.newBuilder().setDataDir(Path.of(args[0])).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server);
         Worker worker = Worker.newBuilder(client, TASK_QUEUE)
             .registerWorkflowImplementationTypes(Misbehaving.Impl.class)
             .setViolationListener(v -> firstViolation.putIfAbsent(v.getWorkflowId(), v))
             .build()) {
      Map<String, Integer> failedBefore = new HashMap<>();
      for (String category : categories) {
        failedBefore.put(category, Await.failedAttempt(client.newUntypedWorkflowStub(workflowId(category))));
      }
      worker.start();
      for (String category : categories) {
        if (client.newUntypedWorkflowStub(workflowId(category)).describe().isEmpty()) {
          Misbehaving workflow = client.newWorkflowStub(Misbehaving.class,
              WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId(category)).build());
          WorkflowClient.start(workflow::run, category, file, port);
        }
      }
      for (String category : categories) {
        WorkflowStub stub = client.newUntypedWorkflowStub(workflowId(category));
        System.out.println("OUTCOME " + category + " " + Await.outcome(stub, failedBefore.get(category)).line());
        System.out.println("STATUS " + category + " " + stub.describe().orElseThrow().status());
        DeterminismViolation v = firstViolation.get(workflowId(category));
        if (v != null) {
          System.out.println("LISTENER " + category + " " + v.getCode() + " " + v.getRuleId() + " " + v.getApi() + " "
              + v.getWorkflowId());
        }
      }
    }
  }
}
