package dev.durable.it.sandbox;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowOptions;
import dev.durable.server.DurableServer;
import dev.durable.worker.Worker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A child JVM that runs one {@link StringWorkflow} implementation once, for the mode,
 * passthrough and false-positive tests. It waits until the workflow completes or a workflow task
 * fails and prints:
 *
 * <pre>
 * OUTCOME RESULT &lt;result&gt;            or   OUTCOME TASK_FAILURE &lt;message&gt;
 * VIOLATION &lt;message&gt;                 one line for each violation the worker's listener saw
 * </pre>
 *
 * <p>With {@code check-sandbox-warning} it first builds a worker that requires the sandbox and
 * prints {@code REQUIRE_SANDBOX <build failure>} (or {@code REQUIRE_SANDBOX built}), then builds
 * a second, idle worker, so that a warning meant once per JVM would show twice.
 *
 * <p>With {@code activities=<class>} it also registers a new instance of that class, made with its
 * no-argument constructor, as activities.
 *
 * <p>Usage: {@code WorkflowChild dataDir implementationClass arg [check-sandbox-warning] [activities=<class>]}.
 */
public final class WorkflowChild {
  private static final String TASK_QUEUE = "one-workflow";

  private WorkflowChild() {}

  /**
   * Runs the child.
   *
   * @param args the data dir, the implementation class, the workflow argument, and optionally
   *     {@code check-sandbox-warning} and {@code activities=<class>}
   */
  public static void main(String[] args) throws ReflectiveOperationException {
    Class<?> implementation = Class.forName(args[1]);
    boolean checkSandboxWarning = false;
    List<Object> activities = new ArrayList<>();
    for (String option : Arrays.asList(args).subList(3, args.length)) {
      if (option.equals("check-sandbox-warning")) {
        checkSandboxWarning = true;
      } else if (option.startsWith("activities=")) {
        activities.add(Class.forName(option.substring("activities=".length())).getConstructor().newInstance());
      } else {
        throw new IllegalArgumentException("unknown option " + option);
      }
    }
    Queue<String> violations = new ConcurrentLinkedQueue<>();
    try (DurableServer server = DurableServer.newBuilder().setDataDir(Path.of(args[0])).build().start();
         WorkflowClient client = WorkflowClient.newInstance(server)) {
      if (checkSandboxWarning) {
        try (Worker strict = Worker.newBuilder(client, "requires-sandbox")
            .registerWorkflowImplementationTypes(implementation).setRequireSandbox(true).build()) {
          System.out.println("REQUIRE_SANDBOX built");
        } catch (IllegalStateException e) {
          System.out.println("REQUIRE_SANDBOX " + Await.oneLine(e.getMessage()));
        }
        Worker.newBuilder(client, "idle").registerWorkflowImplementationTypes(implementation).build().close();
      }
      try (Worker worker = Worker.newBuilder(client, TASK_QUEUE)
          .registerWorkflowImplementationTypes(implementation)
          .registerActivitiesImplementations(activities.toArray())
          .setViolationListener(v -> violations.add(v.getMessage()))
          .build()) {
        worker.start();
        StringWorkflow workflow = client.newWorkflowStub(StringWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("one").build());
        WorkflowClient.start(workflow::run, args[2]);
        System.out.println("OUTCOME " + Await.outcome(client.newUntypedWorkflowStub("one"), 0).line());
      }
    }
    violations.forEach(v -> System.out.println("VIOLATION " + Await.oneLine(v)));
  }
}
