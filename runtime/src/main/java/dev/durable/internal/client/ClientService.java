package dev.durable.internal.client;

import dev.durable.common.DurableException;
import dev.durable.internal.service.WorkflowService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BooleanSupplier;

/**
 * The service as one client sees it: every call fails with DURABLE-213 once the client is closed,
 * so that stubs and workers built from a closed client say so instead of carrying on unnoticed.
 */
public final class ClientService {
  private ClientService() {}

  /** Returns {@code target} guarded by {@code closed}. */
  public static WorkflowService guard(WorkflowService target, BooleanSupplier closed) {
    return (WorkflowService) Proxy.newProxyInstance(WorkflowService.class.getClassLoader(),
        new Class<?>[] {WorkflowService.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              default -> "ClientService[" + target + "]";
            };
          }
          // A worker built on this client still tells the server it stops polling.
          if (closed.getAsBoolean() && !method.getName().equals("shutdownWorker")) {
            throw new DurableException("DURABLE-213", "this WorkflowClient is closed (" + method.getName()
                + " was called after close()); create a new one with WorkflowClient.newInstance(server).");
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
