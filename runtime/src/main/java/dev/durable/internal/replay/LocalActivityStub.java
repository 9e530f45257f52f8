package dev.durable.internal.replay;

import dev.durable.activity.LocalActivityOptions;
import dev.durable.internal.reflect.ActivityInterfaceInfo;
import dev.durable.internal.reflect.Proxies;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;

/** The proxy behind {@code Workflow.newLocalActivityStub}: each call runs a local activity and returns its result. */
public final class LocalActivityStub implements InvocationHandler {
  private final LocalActivityOptions options;

  private LocalActivityStub(LocalActivityOptions options) {
    this.options = options;
  }

  /** Creates a stub for an activity interface. */
  public static <T> T create(Class<T> iface, LocalActivityOptions options) {
    ActivityInterfaceInfo.of(iface);
    if (options == null) {
      throw new IllegalArgumentException("DURABLE-201 Workflow.newLocalActivityStub needs LocalActivityOptions, got null");
    }
    return Proxies.newProxy(iface, new LocalActivityStub(options));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    if (Proxies.isObjectMethod(method)) {
      return Proxies.objectMethod(proxy, method, args,
          "LocalActivityStub[" + proxy.getClass().getInterfaces()[0].getName() + "]");
    }
    WorkflowRun run = ActivityStub.runOf(method, "local activity stubs");
    return run.executeLocalActivity(ActivityInterfaceInfo.typeName(method), options, method,
        args == null ? new Object[0] : args);
  }
}
