package dev.durable.replay;

import static dev.durable.testing.Eventually.eventually;

import dev.durable.client.WorkflowClient;
import dev.durable.client.WorkflowHistory;
import dev.durable.testing.TestEnv;
import dev.durable.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs {@link Order} workflows on an embedded server with a test clock and exports their
 * histories, the way a user exports histories of real runs to replay them in CI.
 */
final class Recorder implements AutoCloseable {
  private final TestEnv env;

  private Recorder(TestEnv env) {
    this.env = env;
  }

  /** Opens a server on {@code dataDir}. */
  static Recorder open(Path dataDir) {
    return new Recorder(TestEnv.open(dataDir));
  }

  /** The server, client and clock the orders run on. */
  TestEnv env() {
    return env;
  }

  /**
   * Runs an order on {@code implementation} until it waits for approval (after its two
   * activities before the approval) and returns the history so far; the run stays open.
   */
  WorkflowHistory orderWaitingForApproval(Class<? extends Order> implementation, String workflowId) {
    Worker worker = deploy(implementation);
    try {
      startAndAwaitApprovalWait(workflowId);
      return env.stub(workflowId).getHistory();
    } finally {
      env.closeWorker(worker);
    }
  }

  /** Runs an order on {@code implementation} to completion: approves it when it waits and lets its hour pass. */
  WorkflowHistory completedOrder(Class<? extends Order> implementation, String workflowId) {
    Worker worker = deploy(implementation);
    try {
      startAndAwaitApprovalWait(workflowId);
      env.stub(workflowId).signal("approve");
      env.awaitEvent(workflowId, "TimerStarted");
      env.clock().advance(Duration.ofHours(1));
      env.result(workflowId, String.class);
      return env.stub(workflowId).getHistory();
    } finally {
      env.closeWorker(worker);
    }
  }

  /**
   * Runs an order until it waits for approval, then sends it a signal its code has no handler for
   * (a misspelled name), which the worker drops; returns the history once that is recorded.
   */
  WorkflowHistory orderThatGotAnUnknownSignal(Class<? extends Order> implementation, String workflowId) {
    Worker worker = deploy(implementation);
    try {
      startAndAwaitApprovalWait(workflowId);
      env.stub(workflowId).signal("aprove");
      eventually("the dropped signal recorded in the history of " + workflowId,
          () -> env.stub(workflowId).getHistory().toJson(), json -> json.contains("SignalDropped"));
      return env.stub(workflowId).getHistory();
    } finally {
      env.closeWorker(worker);
    }
  }

  private Worker deploy(Class<? extends Order> implementation) {
    return env.startWorker(b -> b.registerWorkflowImplementationTypes(implementation)
        .registerActivitiesImplementations(new Shop.Impl()));
  }

  private void startAndAwaitApprovalWait(String workflowId) {
    WorkflowClient.start(env.newWorkflow(Order.class, workflowId)::run, workflowId);
    eventually("the order to wait for approval: two activities done and the task after them completed",
        () -> env.eventTypes(workflowId),
        types -> types.stream().filter("ActivityTaskCompleted"::equals).count() == 2
            && types.get(types.size() - 1).equals("WorkflowTaskCompleted"));
  }

  @Override
  public void close() {
    env.close();
  }

  /** The event types of a history, in order (for assertion messages). */
  static List<String> eventTypes(WorkflowHistory history) {
    return history.getEvents().stream().map(WorkflowHistory.Event::eventType).toList();
  }
}
