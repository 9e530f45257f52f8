package dev.durable.internal.replay;

import dev.durable.activity.ActivityOptions;
import dev.durable.internal.reflect.ActivityInterfaceInfo;
import dev.durable.internal.reflect.Proxies;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;

/** The proxy behind {@code Workflow.newActivityStub}: each call schedules an activity and waits for it. */
public final class ActivityStub implements InvocationHandler {
  private final ActivityOptions options;

  private ActivityStub(ActivityOptions options) {
    this.options = options;
  }

  /** Creates a stub for an activity interface. */
  public static <T> T create(Class<T> iface, ActivityOptions options) {
    ActivityInterfaceInfo.of(iface);
    return Proxies.newProxy(iface, new ActivityStub(options));
  }

  /** The run of the calling workflow code; fails (DURABLE-210) when a stub is called outside it. */
  static WorkflowRun runOf(Method method, String what) {
    WorkflowRun run = WorkflowRun.current();
    if (run == null) {
      throw new IllegalStateException("DURABLE-210 " + what + " can only be called from workflow code; "
          + method.getName() + " was called on thread " + Thread.currentThread().getName());
    }
    return run;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    if (Proxies.isObjectMethod(method)) {
      return Proxies.objectMethod(proxy, method, args, "ActivityStub[" + proxy.getClass().getInterfaces()[0].getName() + "]");
    }
    WorkflowRun run = runOf(method, "activity stubs");
    String type = ActivityInterfaceInfo.typeName(method);
    Object[] actual = args == null ? new Object[0] : args;
    Promises.Capture capture = Promises.capturing();
    if (capture == null) {
      return run.executeActivity(type, options, method, actual);
    }
    if (capture.promise != null) {
      throw new IllegalStateException("DURABLE-230 the function passed to Async called a second activity (" + type
          + "); pass a method reference stub::method, which makes exactly one call");
    }
    capture.promise = run.startActivity(type, options, method, actual);
    return Proxies.zeroOf(method.getReturnType());
  }
}
