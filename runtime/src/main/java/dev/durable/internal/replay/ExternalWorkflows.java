package dev.durable.internal.replay;

import dev.durable.client.WorkflowExecution;
import dev.durable.internal.Checks;
import dev.durable.internal.reflect.Proxies;
import dev.durable.internal.reflect.WorkflowInterfaceInfo;
import dev.durable.workflow.ExternalWorkflowStub;
import dev.durable.workflow.Promise;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * The stubs behind {@code Workflow.newUntypedExternalWorkflowStub} and
 * {@code Workflow.newExternalWorkflowStub}: signals and cancel requests to another workflow, sent
 * as commands of the calling run.
 */
public final class ExternalWorkflows {
  private ExternalWorkflows() {}

  /** An untyped stub for {@code workflowId}'s run {@code runId}, or its current run when that is null. */
  public static ExternalWorkflowStub untyped(String workflowId, String runId) {
    return new Untyped(Checks.workflowId(workflowId), runId == null ? null : Checks.name("runId", runId));
  }

  /** A typed stub: its signal methods send signals and wait until they are recorded. */
  public static <T> T typed(Class<T> iface, String workflowId, String runId) {
    return Proxies.newProxy(iface, new Typed(WorkflowInterfaceInfo.of(iface), untyped(workflowId, runId)));
  }

  /** An untyped stub for {@code execution}'s run (its workflow's current run when the run id is null). */
  public static ExternalWorkflowStub untyped(WorkflowExecution execution) {
    return untyped(checked(execution).workflowId(), execution.runId());
  }

  /** A typed stub for {@code execution}'s run (its workflow's current run when the run id is null). */
  public static <T> T typed(Class<T> iface, WorkflowExecution execution) {
    return typed(iface, checked(execution).workflowId(), execution.runId());
  }

  private static WorkflowExecution checked(WorkflowExecution execution) {
    if (execution == null) {
      throw Checks.invalid("an external workflow stub needs a WorkflowExecution, got null");
    }
    return execution;
  }

  /** See {@link ExternalWorkflowStub#fromTyped}. */
  public static ExternalWorkflowStub fromTyped(Object typedStub) {
    if (typedStub == null || !Proxy.isProxyClass(typedStub.getClass())
        || !(Proxy.getInvocationHandler(typedStub) instanceof Typed handler)) {
      throw new IllegalArgumentException("DURABLE-231 ExternalWorkflowStub.fromTyped takes a stub made by"
          + " Workflow.newExternalWorkflowStub, got " + (typedStub == null ? "null" : typedStub.getClass().getName()));
    }
    return handler.stub;
  }


  private record Untyped(String workflowId, String runId) implements ExternalWorkflowStub {
    @Override
    public String getWorkflowId() {
      return workflowId;
    }

    @Override
    public String getRunId() {
      return runId;
    }

    @Override
    public void signal(String signalName, Object... args) {
      signalAsync(signalName, args).get();
    }

    @Override
    public Promise<Void> signalAsync(String signalName, Object... args) {
      Checks.name("signalName", signalName);
      return WorkflowRun.currentOrFail("ExternalWorkflowStub.signal").signalExternal(workflowId, runId,
          signalName, args == null ? new Object[0] : args);
    }

    @Override
    public void cancel() {
      cancelAsync().get();
    }

    @Override
    public Promise<Void> cancelAsync() {
      return WorkflowRun.currentOrFail("ExternalWorkflowStub.cancel").cancelExternal(workflowId, runId);
    }
  }

  private static final class Typed implements InvocationHandler {
    private final WorkflowInterfaceInfo info;
    private final ExternalWorkflowStub stub;
    private final Map<Method, String> signalNames = new HashMap<>();

    Typed(WorkflowInterfaceInfo info, ExternalWorkflowStub stub) {
      this.info = info;
      this.stub = stub;
      info.signals().forEach((name, m) -> signalNames.put(m, name));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      if (Proxies.isObjectMethod(method)) {
        return Proxies.objectMethod(proxy, method, args, "ExternalWorkflowStub[" + info.workflowType() + " '"
            + stub.getWorkflowId() + "']");
      }
      String signal = signalNames.get(method);
      if (signal == null) {
        throw new IllegalStateException("DURABLE-232 " + method.getName() + " of workflow " + info.workflowType()
            + " is not a signal method; a workflow can signal and cancel another workflow (ExternalWorkflowStub"
            + ".fromTyped(stub).cancel()), not start, query or update it. Start it as a child workflow, or query or"
            + " update it from an activity with a WorkflowClient.");
      }
      Object[] actual = args == null ? new Object[0] : args;
      Promises.Capture capture = Promises.capturing();
      if (capture == null) {
        stub.signal(signal, actual);
      } else if (capture.promise != null) {
        throw new IllegalStateException("DURABLE-230 the function passed to Async sent a second signal (" + signal
            + "); pass a method reference stub::method, which makes exactly one call");
      } else {
        capture.promise = stub.signalAsync(signal, actual);
      }
      return null;
    }
  }
}
