package dev.durable.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.common.DurableException;
import dev.durable.internal.service.WorkflowService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ClientServiceTest {
  private final List<String> calls = new ArrayList<>();
  private final List<Object[]> arguments = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final WorkflowService guarded = ClientService.guard(recordingTarget(), closed::get);

  @Test
  void forwardsEveryCallOfTheServiceDefaultOnesIncludedWithItsArguments() throws Exception {
    for (Method m : serviceMethods()) {
      Object[] args = sampleArguments(m);
      calls.clear();
      arguments.clear();
      m.invoke(guarded, args);
      assertEquals(List.of(m.getName()), calls, m + " must reach the server, not a default of the interface");
      assertArrayEquals(args, arguments.get(0), m.toString());
    }
  }

  @Test
  void everyCallButAWorkersLeavingFailsWithDurable213OnceClosed() throws Exception {
    closed.set(true);
    for (Method m : serviceMethods()) {
      calls.clear();
      if (m.getName().equals("shutdownWorker") || m.getName().equals("removeLocalWorker")) {
        m.invoke(guarded, sampleArguments(m));
        assertEquals(List.of(m.getName()), calls, "a worker still says it stops polling and leaves");
        continue;
      }
      var e = assertThrows(InvocationTargetException.class, () -> m.invoke(guarded, sampleArguments(m)));
      var d = assertInstanceOf(DurableException.class, e.getCause(), m.toString());
      assertEquals("DURABLE-213", d.getCode());
      assertTrue(d.getMessage().contains("(" + m.getName() + " was called after close())"), d.getMessage());
      assertEquals(List.of(), calls, m + " reached the server after close");
    }
  }

  private static List<Method> serviceMethods() {
    List<Method> out = new ArrayList<>();
    for (Method m : WorkflowService.class.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers())) {
        out.add(m);
      }
    }
    assertTrue(out.size() > 20, "found " + out.size());
    return out;
  }

  private static Object[] sampleArguments(Method m) {
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      if (types[i] == String.class) {
        args[i] = "arg" + i;
      } else if (types[i] == boolean.class) {
        args[i] = Boolean.TRUE;
      } else if (types[i] == int.class) {
        args[i] = Integer.valueOf(7 + i);
      } else if (types[i] == long.class) {
        args[i] = Long.valueOf(70L + i);
      }
    }
    return args;
  }

  private WorkflowService recordingTarget() {
    return (WorkflowService) Proxy.newProxyInstance(WorkflowService.class.getClassLoader(),
        new Class<?>[] {WorkflowService.class}, (proxy, method, args) -> {
          calls.add(method.getName());
          arguments.add(args == null ? new Object[0] : args);
          Class<?> r = method.getReturnType();
          if (r == boolean.class) {
            return Boolean.FALSE;
          }
          return r == long.class ? Long.valueOf(0) : null;
        });
  }
}
