package dev.durable.internal.replay;

import dev.durable.activity.ActivityOptions;
import dev.durable.internal.reflect.ActivityInterfaceInfo;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/** The proxy behind {@code Workflow.newActivityStub}: each call schedules an activity and waits for it. */
public final class ActivityStub implements InvocationHandler {
  private final ActivityOptions options;

  private ActivityStub(ActivityOptions options) {
    this.options = options;
  }

  /** Creates a stub for an activity interface. */
  public static <T> T create(Class<T> iface, ActivityOptions options) {
    ActivityInterfaceInfo.of(iface);
    Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, new ActivityStub(options));
    return iface.cast(proxy);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> "ActivityStub[" + proxy.getClass().getInterfaces()[0].getName() + "]";
      };
    }
    WorkflowRun run = WorkflowRun.current();
    if (run == null) {
      throw new IllegalStateException("DURABLE-210 activity stubs can only be called from workflow code; "
          + method.getName() + " was called on thread " + Thread.currentThread().getName());
    }
    return run.executeActivity(ActivityInterfaceInfo.typeName(method), options, method, args == null ? new Object[0] : args);
  }
}
