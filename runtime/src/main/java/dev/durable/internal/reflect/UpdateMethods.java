package dev.durable.internal.reflect;

import dev.durable.workflow.UpdateMethod;
import dev.durable.workflow.UpdateValidatorMethod;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The update handlers and validators a workflow interface declares, by update name. Validation
 * errors carry DURABLE-202 like the rest of the interface's.
 *
 * @param handlers {@code @UpdateMethod}s by update name
 * @param validators {@code @UpdateValidatorMethod}s by the name of the update they validate
 */
public record UpdateMethods(Map<String, Method> handlers, Map<String, Method> validators) {
  private static final Map<Class<?>, UpdateMethods> CACHE = new ConcurrentHashMap<>();

  /** Reads (once) the update methods of a workflow interface. */
  public static UpdateMethods of(Class<?> iface) {
    return CACHE.computeIfAbsent(iface, UpdateMethods::read);
  }

  /** Whether {@code m} is an update handler or validator. */
  static boolean isUpdateMethod(Method m) {
    return m.isAnnotationPresent(UpdateMethod.class) || m.isAnnotationPresent(UpdateValidatorMethod.class);
  }

  private static UpdateMethods read(Class<?> iface) {
    Map<String, Method> handlers = new LinkedHashMap<>();
    Map<String, Method> validators = new LinkedHashMap<>();
    for (Method m : iface.getMethods()) {
      UpdateMethod um = m.getAnnotation(UpdateMethod.class);
      UpdateValidatorMethod vm = m.getAnnotation(UpdateValidatorMethod.class);
      if (um != null && vm != null) {
        throw invalid(iface, m.getName() + " has both @UpdateMethod and @UpdateValidatorMethod");
      }
      if (um != null) {
        String name = um.name().isEmpty() ? m.getName() : um.name();
        if (handlers.put(name, m) != null) {
          throw invalid(iface, "declares two update methods named '" + name + "'");
        }
      } else if (vm != null) {
        if (m.getReturnType() != void.class) {
          throw invalid(iface, m.getName() + " is an @UpdateValidatorMethod and must return void (it throws to reject)");
        }
        if (validators.put(vm.updateName(), m) != null) {
          throw invalid(iface, "declares two validators for update '" + vm.updateName() + "'");
        }
      }
    }
    for (Map.Entry<String, Method> v : validators.entrySet()) {
      Method handler = handlers.get(v.getKey());
      if (handler == null) {
        throw invalid(iface, v.getValue().getName() + " validates update '" + v.getKey() + "', but no @UpdateMethod has"
            + " that name; known updates: " + handlers.keySet());
      }
      if (!Arrays.equals(handler.getParameterTypes(), v.getValue().getParameterTypes())) {
        throw invalid(iface, "validator " + v.getValue().getName() + " must take the same parameters as update method "
            + handler.getName() + " " + Arrays.toString(handler.getParameterTypes()));
      }
    }
    handlers.values().forEach(m -> m.setAccessible(true));
    validators.values().forEach(m -> m.setAccessible(true));
    return new UpdateMethods(Map.copyOf(handlers), Map.copyOf(validators));
  }

  private static IllegalArgumentException invalid(Class<?> iface, String message) {
    return new IllegalArgumentException("DURABLE-202 invalid workflow: " + iface.getName() + " " + message + ".");
  }
}
