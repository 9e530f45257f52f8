package dev.durable.internal.replay;

import dev.durable.client.WorkflowExecution;
import dev.durable.internal.reflect.Proxies;
import dev.durable.internal.reflect.WorkflowInterfaceInfo;
import dev.durable.workflow.ChildWorkflowOptions;
import dev.durable.workflow.Promise;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The proxy behind {@code Workflow.newChildWorkflowStub}: calling the workflow method starts the
 * child and waits for its result (or, inside {@code Async.function}, returns its promise). One
 * stub starts one child.
 */
public final class ChildWorkflowStub implements InvocationHandler {
  private final WorkflowInterfaceInfo info;
  private final ChildWorkflowOptions options;
  private final java.util.Map<Method, String> signalNames = new java.util.HashMap<>();
  /** The child this stub started, or null before its workflow method was called. */
  private WorkflowRun.ChildCall call;

  private ChildWorkflowStub(WorkflowInterfaceInfo info, ChildWorkflowOptions options) {
    this.info = info;
    this.options = options;
    info.signals().forEach((name, m) -> signalNames.put(m, name));
  }

  /** Creates a stub for a workflow interface. */
  public static <T> T create(Class<T> iface, ChildWorkflowOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("DURABLE-201 Workflow.newChildWorkflowStub needs options, got null; use"
          + " ChildWorkflowOptions.getDefaultInstance() for the defaults");
    }
    var handler = new ChildWorkflowStub(WorkflowInterfaceInfo.of(iface), options);
    return Proxies.newProxy(iface, handler);
  }

  /** See {@code Workflow.getWorkflowExecution}: the promise of the started child's execution. */
  public static Promise<WorkflowExecution> execution(Object stub) {
    if (stub == null || !Proxy.isProxyClass(stub.getClass())
        || !(Proxy.getInvocationHandler(stub) instanceof ChildWorkflowStub handler)) {
      throw new IllegalArgumentException("DURABLE-231 Workflow.getWorkflowExecution takes a stub made by"
          + " Workflow.newChildWorkflowStub, got " + (stub == null ? "null" : stub.getClass().getName()));
    }
    if (handler.call == null) {
      throw new IllegalStateException("DURABLE-231 child workflow stub of " + handler.info.workflowType() + " has not"
          + " started a child yet; call its workflow method first (Async.function(child::run, args) to not wait)");
    }
    return handler.call.started;
  }

  /**
   * Asks the child that {@code stub} started to cancel, without ending the wait for it (the
   * child's outcome, usually canceled, settles it). Canceling the child's cancellation scope does
   * more: it also ends the wait at once. Not API; does nothing once the child's outcome is known.
   */
  public static void requestCancel(Object stub) {
    if (stub == null || !Proxy.isProxyClass(stub.getClass())
        || !(Proxy.getInvocationHandler(stub) instanceof ChildWorkflowStub handler) || handler.call == null) {
      throw new IllegalArgumentException("DURABLE-231 only a child workflow stub whose workflow method was called"
          + " can be canceled, got " + (stub == null ? "null" : stub.getClass().getName()));
    }
    WorkflowRun run = WorkflowRun.current();
    if (run == null) {
      throw new IllegalStateException("DURABLE-210 a child workflow can only be canceled from workflow code");
    }
    run.requestCancelChild(handler.call);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    if (Proxies.isObjectMethod(method)) {
      return Proxies.objectMethod(proxy, method, args, "ChildWorkflowStub[" + info.workflowType() + "]");
    }
    WorkflowRun run = WorkflowRun.current();
    if (run == null) {
      throw new IllegalStateException("DURABLE-210 child workflow stubs can only be called from workflow code; "
          + method.getName() + " was called on thread " + Thread.currentThread().getName());
    }
    String signal = signalNames.get(method);
    if (signal != null) {
      if (call == null) {
        throw new IllegalStateException("DURABLE-231 signal '" + signal + "' to child workflow " + info.workflowType()
            + " was sent before the child was started; call its workflow method first (Async.function(child::run,"
            + " args) to not wait)");
      }
      run.signalChild(call, signal, args == null ? new Object[0] : args);
      return null;
    }
    if (!method.equals(info.workflowMethod())) {
      boolean update = method.isAnnotationPresent(dev.durable.workflow.UpdateMethod.class)
          || method.isAnnotationPresent(dev.durable.workflow.UpdateValidatorMethod.class);
      String kind = update ? "an update method" : "a query method";
      String instead = update ? "Update the child from an activity with a WorkflowClient" : "Query the child from an activity with a WorkflowClient";
      throw new IllegalStateException("DURABLE-232 " + method.getName() + " of child workflow "
          + info.workflowType() + " is " + kind + "; a parent can start, signal and cancel a child and wait for"
          + " its result. " + instead + " (its workflow id is in Workflow.getWorkflowExecution(stub)).");
    }
    if (call != null) {
      throw new IllegalStateException("DURABLE-231 this child workflow stub of " + info.workflowType() + " already"
          + " started a child; make one stub per child with Workflow.newChildWorkflowStub");
    }
    Object[] actual = args == null ? new Object[0] : args;
    Promises.Capture capture = Promises.capturing();
    if (capture != null && capture.promise != null) {
      throw new IllegalStateException("DURABLE-230 the function passed to Async started a second child workflow ("
          + info.workflowType() + "); pass a method reference stub::method, which makes exactly one call");
    }
    call = run.startChild(info.workflowType(), options, method, actual);
    if (capture == null) {
      return run.executeChild(call);
    }
    capture.promise = call.result;
    return Proxies.zeroOf(method.getReturnType());
  }
}
