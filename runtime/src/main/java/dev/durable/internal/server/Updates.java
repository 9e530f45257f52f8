package dev.durable.internal.server;

import dev.durable.client.WorkflowUpdateException;
import dev.durable.common.DurableException;
import dev.durable.internal.model.Command;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.service.WorkflowService.UpdateOutcome;
import dev.durable.internal.service.WorkflowService.UpdateValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's in-memory side of updates: validations waiting for a worker's answer, and clients
 * waiting for an accepted update's outcome. What is durable (which updates were accepted, and
 * their outcomes) lives in the run's state and history; after a restart a client asks again with
 * the same update id and finds it there.
 */
final class Updates {
  private final Map<Long, CompletableFuture<UpdateValidation>> validations = new ConcurrentHashMap<>();
  private final Map<String, List<CompletableFuture<UpdateOutcome>>> waiters = new ConcurrentHashMap<>();

  /** A validation about to be dispatched to a worker. */
  CompletableFuture<UpdateValidation> newValidation(long validationId) {
    CompletableFuture<UpdateValidation> f = new CompletableFuture<>();
    validations.put(validationId, f);
    return f;
  }

  void forgetValidation(long validationId) {
    validations.remove(validationId);
  }

  /** A worker's answer. */
  void validated(UpdateValidation v) {
    CompletableFuture<UpdateValidation> f = validations.get(v.validationId());
    if (f != null) {
      f.complete(v);
    }
  }

  boolean hasPendingValidations() {
    return !validations.isEmpty();
  }

  /** Waits for the outcome of an accepted update. Call with the run's lock held. */
  CompletableFuture<UpdateOutcome> waitFor(String runId, String updateId) {
    CompletableFuture<UpdateOutcome> f = new CompletableFuture<>();
    waiters.compute(key(runId, updateId), (k, list) -> {
      List<CompletableFuture<UpdateOutcome>> out = list == null ? new ArrayList<>() : list;
      out.add(f);
      return out;
    });
    return f;
  }

  void stopWaiting(String runId, String updateId, CompletableFuture<UpdateOutcome> f) {
    waiters.computeIfPresent(key(runId, updateId), (k, list) -> {
      list.remove(f);
      return list.isEmpty() ? null : list;
    });
  }

  /**
   * A workflow task completed an update (event {@code eventId}): recorded in the state now, and
   * its waiters told once the write succeeded ({@code after}).
   */
  void completed(ExecutionState s, Command.CompleteUpdate u, long eventId, List<Runnable> after) {
    s.updates.put(u.updateId(), eventId);
    String key = key(s.runId, u.updateId());
    UpdateOutcome outcome = new UpdateOutcome(u.result(), u.failure());
    after.add(() -> {
      List<CompletableFuture<UpdateOutcome>> list = waiters.remove(key);
      if (list != null) {
        list.forEach(f -> f.complete(outcome));
      }
    });
  }

  /** The run closed: updates whose handler did not finish never will. Call with the run's lock held. */
  void runClosed(ExecutionState s) {
    s.updates.forEach((updateId, completedBy) -> {
      if (completedBy == 0) {
        List<CompletableFuture<UpdateOutcome>> list = waiters.remove(key(s.runId, updateId));
        if (list != null) {
          list.forEach(f -> f.completeExceptionally(closedBeforeCompletion(s, updateId)));
        }
      }
    });
  }

  static WorkflowUpdateException closedBeforeCompletion(ExecutionState s, String updateId) {
    return new WorkflowUpdateException("DURABLE-242", s.workflowId, null, updateId, "workflow '" + s.workflowId
        + "' (run " + s.runId + ") closed as " + s.status + " before the handler of update '" + updateId
        + "' finished; it has no result. Let update handlers finish before the workflow method returns (for example"
        + " Workflow.await until they are done).", null);
  }

  /** The outcome recorded by a WorkflowUpdateCompleted event. */
  static UpdateOutcome outcomeOf(HistoryEvent e) {
    var done = (EventAttributes.WorkflowUpdateCompleted) e.attributes();
    return new UpdateOutcome(done.result(), done.failure());
  }

  /** The server stops: everyone waiting learns it. */
  void closeAll(String why) {
    DurableException closed = new DurableException("DURABLE-213", why + " before the update finished; start a server"
        + " on the same data dir and send the update again with the same update id to get its outcome.");
    List<CompletableFuture<?>> all = new ArrayList<>(validations.values());
    for (String key : List.copyOf(waiters.keySet())) {
      List<CompletableFuture<UpdateOutcome>> list = waiters.remove(key);
      if (list != null) {
        all.addAll(list);
      }
    }
    // Completed outside the maps: a waiter that wakes removes itself from them.
    all.forEach(f -> f.completeExceptionally(closed));
  }

  private static String key(String runId, String updateId) {
    return runId + '\n' + updateId;
  }
}
