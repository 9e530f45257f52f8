package dev.durable.internal.client;

import dev.durable.client.WorkflowExecution;
import dev.durable.internal.reflect.Proxies;
import dev.durable.internal.reflect.WorkflowInterfaceInfo;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The proxy behind typed workflow stubs: the workflow method starts the workflow and waits for
 * its result (or only starts it inside {@code WorkflowClient.start}), signal methods signal and
 * query methods query.
 */
public final class TypedStub implements InvocationHandler {
  private static final ThreadLocal<WorkflowExecution[]> START_ONLY = new ThreadLocal<>();

  private final WorkflowInterfaceInfo info;
  private final UntypedStub stub;
  private final Map<Method, String> signalNames;
  private final Map<Method, String> queryNames;
  private final Map<Method, String> updateNames;

  /**
   * The signal, query and update names of an interface's methods, built once per interface: a
   * client often makes a stub per workflow, and building them each time showed in a lone
   * workflow's latency while the JIT is cold.
   */
  private record MethodNames(Map<Method, String> signals, Map<Method, String> queries, Map<Method, String> updates) {}

  private static final ClassValue<MethodNames> NAMES = new ClassValue<>() {
    @Override
    protected MethodNames computeValue(Class<?> iface) {
      WorkflowInterfaceInfo info = WorkflowInterfaceInfo.of(iface);
      return new MethodNames(invert(info.signals()), invert(info.queries()),
          invert(dev.durable.internal.reflect.UpdateMethods.of(iface).handlers()));
    }
  };

  private TypedStub(WorkflowInterfaceInfo info, UntypedStub stub) {
    this.info = info;
    this.stub = stub;
    MethodNames names = NAMES.get(info.iface());
    this.signalNames = names.signals();
    this.queryNames = names.queries();
    this.updateNames = names.updates();
  }

  private static Map<Method, String> invert(Map<String, Method> byName) {
    var out = new java.util.HashMap<Method, String>();
    byName.forEach((name, m) -> out.put(m, name));
    return Map.copyOf(out);
  }

  /** Creates a typed stub for {@code iface} on top of an untyped one. */
  public static <T> T create(Class<T> iface, UntypedStub stub) {
    var handler = new TypedStub(WorkflowInterfaceInfo.of(iface), stub);
    return Proxies.newProxy(iface, handler);
  }

  /**
   * Runs {@code call}, which must call the workflow method of a typed stub, in start-only mode.
   * Returns the started execution, or null if no stub's workflow method was called.
   */
  public static WorkflowExecution captureStart(Runnable call) {
    WorkflowExecution[] slot = new WorkflowExecution[1];
    START_ONLY.set(slot);
    try {
      call.run();
    } finally {
      START_ONLY.remove();
    }
    return slot[0];
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    if (Proxies.isObjectMethod(method)) {
      return Proxies.objectMethod(proxy, method, args, "WorkflowStub[" + info.workflowType() + ", " + stub.getWorkflowId() + "]");
    }
    Object[] a = args == null ? new Object[0] : args;
    String signal = signalNames.get(method);
    if (signal != null) {
      stub.signal(signal, a);
      return null;
    }
    String query = queryNames.get(method);
    if (query != null) {
      return stub.query(query, method.getReturnType(), method.getGenericReturnType(), a);
    }
    String update = updateNames.get(method);
    if (update != null) {
      return stub.update(java.util.UUID.randomUUID().toString(), update, method.getReturnType(),
          method.getGenericReturnType(), a);
    }
    if (method.equals(info.workflowMethod())) {
      WorkflowExecution[] startOnly = START_ONLY.get();
      if (startOnly != null) {
        START_ONLY.remove();
        startOnly[0] = stub.start(a);
        return Proxies.zeroOf(method.getReturnType());
      }
      if (stub.canStart()) {
        stub.startForResult(a);
      }
      return stub.getResult(method.getReturnType(), method.getGenericReturnType());
    }
    throw new IllegalArgumentException("DURABLE-217 " + method + " is not a workflow, signal, query or update method");
  }

}
