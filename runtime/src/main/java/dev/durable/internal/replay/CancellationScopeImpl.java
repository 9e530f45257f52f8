package dev.durable.internal.replay;

import dev.durable.workflow.CancellationScope;
import dev.durable.workflow.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one {@link CancellationScope} implementation. A scope holds the cancel handlers of what was
 * started in it (a timer to cancel, an activity to request cancellation of) and its child scopes;
 * canceling it runs the handlers in the order they were registered, so the commands they produce
 * are the same on every replay.
 *
 * <p>Hook for other features (child workflows, for example): {@link #current()} returns the scope
 * of the calling workflow code, and {@link #onCancel(Runnable)} registers what to do when it is
 * canceled; remove the registration with {@link Registration#remove()} once the thing has ended.
 * A handler runs on the thread that cancels (a workflow thread, or the driver when a workflow
 * cancel request is delivered), may emit commands through the run, and must not block.
 */
public final class CancellationScopeImpl implements CancellationScope {
  private final WorkflowRun run;
  private final boolean detached;
  private final Runnable body;
  private final List<CancellationScopeImpl> children = new ArrayList<>();
  private final Map<Registration, Runnable> handlers = new LinkedHashMap<>();
  private boolean cancelRequested;
  private String reason;
  private ResultSlot<String> request;

  /** A registered cancel handler. */
  public final class Registration {
    private Registration() {}

    /** Removes the handler; harmless when it already ran or was removed. */
    public void remove() {
      handlers.remove(this);
    }
  }

  private CancellationScopeImpl(WorkflowRun run, CancellationScopeImpl parent, boolean detached, Runnable body) {
    this.run = run;
    this.detached = detached;
    this.body = body;
    if (parent != null && !detached) {
      parent.children.add(this);
      if (parent.cancelRequested) {
        cancelRequested = true;
        reason = parent.reason;
      }
    }
  }

  /** The root scope of a run: the workflow method's, canceled by a workflow cancel request. */
  static CancellationScopeImpl root(WorkflowRun run) {
    return new CancellationScopeImpl(run, null, true, null);
  }

  /** See {@code Workflow.newCancellationScope} and {@code Workflow.newDetachedCancellationScope}. */
  public static CancellationScope create(Runnable body, boolean detached) {
    Objects.requireNonNull(body, "body");
    WorkflowRun run = WorkflowRun.currentOrFail("Workflow.new" + (detached ? "Detached" : "") + "CancellationScope");
    WorkflowThread thread = run.currentThreadOrFail("Workflow.newCancellationScope");
    return new CancellationScopeImpl(run, thread.scope(), detached, body);
  }

  /** Returns the scope of the calling workflow code. */
  public static CancellationScopeImpl current() {
    WorkflowRun run = WorkflowRun.currentOrFail("CancellationScope.current");
    return run.currentThreadOrFail("CancellationScope.current").scope();
  }


  @Override
  public void run() {
    if (body == null) {
      throw new IllegalStateException("DURABLE-210 the root cancellation scope runs the workflow method; it cannot be"
          + " run again");
    }
    WorkflowThread thread = run.currentThreadOrFail("CancellationScope.run");
    CancellationScopeImpl outer = thread.scope();
    thread.setScope(this);
    try {
      body.run();
    } finally {
      thread.setScope(outer);
    }
  }

  @Override
  public void cancel() {
    cancel(null);
  }

  @Override
  public void cancel(String why) {
    if (cancelRequested) {
      return;
    }
    cancelRequested = true;
    reason = why;
    List<Runnable> todo = new ArrayList<>(handlers.values());
    handlers.clear();
    todo.forEach(Runnable::run);
    for (CancellationScopeImpl child : new ArrayList<>(children)) {
      child.cancel(why);
    }
    if (request != null) {
      request.complete(why);
    }
  }

  @Override
  public boolean isCancelRequested() {
    return cancelRequested;
  }

  @Override
  public boolean isDetached() {
    return detached;
  }

  @Override
  public String getCancellationReason() {
    return reason;
  }

  @Override
  public Promise<String> getCancellationRequest() {
    if (request == null) {
      request = new ResultSlot<>(run);
      if (cancelRequested) {
        request.complete(reason);
      }
    }
    return request;
  }

  /**
   * Registers what to do when this scope is canceled. When it already is, the handler runs at
   * once.
   */
  public Registration onCancel(Runnable handler) {
    Registration r = new Registration();
    if (cancelRequested) {
      handler.run();
      return r;
    }
    handlers.put(r, handler);
    return r;
  }

  /** Text for CanceledFailure messages: which scope, and why. */
  String describe(String workflowId) {
    String why = reason == null ? "" : " (" + reason + ")";
    return body == null ? "workflow '" + workflowId + "' was canceled"
        : "a cancellation scope of workflow '" + workflowId + "' was canceled" + why;
  }
}
