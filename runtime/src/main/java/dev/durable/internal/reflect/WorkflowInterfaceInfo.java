package dev.durable.internal.reflect;

import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a {@link WorkflowInterface} declares: its workflow method and type name, and its signal
 * and query methods by name. Validation errors carry DURABLE-202 and name the interface.
 *
 * @param iface the interface
 * @param workflowType the workflow type name
 * @param workflowMethod the single workflow method
 * @param signals signal methods by signal name
 * @param queries query methods by query name
 */
public record WorkflowInterfaceInfo(
    Class<?> iface, String workflowType, Method workflowMethod, Map<String, Method> signals,
    Map<String, Method> queries) {

  private static final Map<Class<?>, WorkflowInterfaceInfo> CACHE = new ConcurrentHashMap<>();

  /** Reads and validates a workflow interface. */
  public static WorkflowInterfaceInfo of(Class<?> iface) {
    return CACHE.computeIfAbsent(iface, WorkflowInterfaceInfo::read);
  }

  /** Finds the workflow interface a workflow implementation class implements. */
  public static WorkflowInterfaceInfo forImplementation(Class<?> impl) {
    if (impl.isInterface() || Modifier.isAbstract(impl.getModifiers())) {
      throw invalid(impl.getName() + " is " + (impl.isInterface() ? "an interface" : "abstract")
          + "; register the class that implements the workflow interface");
    }
    List<Class<?>> found = new ArrayList<>();
    for (Class<?> c = impl; c != null && c != Object.class; c = c.getSuperclass()) {
      collectWorkflowInterfaces(c, found);
    }
    if (found.size() != 1) {
      throw invalid(impl.getName() + " must implement exactly one interface annotated with @WorkflowInterface, found "
          + (found.isEmpty() ? "none" : found.stream().map(Class::getName).toList()));
    }
    try {
      impl.getDeclaredConstructor();
    } catch (NoSuchMethodException e) {
      throw invalid(impl.getName() + " needs a constructor without parameters: a new instance is created for each run");
    }
    return of(found.get(0));
  }

  private static void collectWorkflowInterfaces(Class<?> c, List<Class<?>> out) {
    for (Class<?> i : c.getInterfaces()) {
      if (i.isAnnotationPresent(WorkflowInterface.class)) {
        if (!out.contains(i)) {
          out.add(i);
        }
      } else {
        collectWorkflowInterfaces(i, out);
      }
    }
  }

  private static WorkflowInterfaceInfo read(Class<?> iface) {
    if (!iface.isInterface() || !iface.isAnnotationPresent(WorkflowInterface.class)) {
      throw invalid(iface.getName() + " is not an interface annotated with @WorkflowInterface");
    }
    Method workflowMethod = null;
    String type = null;
    Map<String, Method> signals = new LinkedHashMap<>();
    Map<String, Method> queries = new LinkedHashMap<>();
    for (Method m : iface.getMethods()) {
      WorkflowMethod wm = m.getAnnotation(WorkflowMethod.class);
      SignalMethod sm = m.getAnnotation(SignalMethod.class);
      QueryMethod qm = m.getAnnotation(QueryMethod.class);
      int marks = (wm != null ? 1 : 0) + (sm != null ? 1 : 0) + (qm != null ? 1 : 0);
      if (marks > 1) {
        throw invalid(iface.getName() + "." + m.getName() + " has more than one of @WorkflowMethod, @SignalMethod, @QueryMethod");
      }
      if (wm != null) {
        if (workflowMethod != null) {
          throw invalid(iface.getName() + " declares more than one @WorkflowMethod (" + workflowMethod.getName() + " and "
              + m.getName() + "); a workflow interface has exactly one");
        }
        workflowMethod = m;
        type = wm.name().isEmpty() ? iface.getSimpleName() : wm.name();
      } else if (sm != null) {
        if (m.getReturnType() != void.class) {
          throw invalid(iface.getName() + "." + m.getName() + " is a @SignalMethod and must return void");
        }
        put(signals, sm.name().isEmpty() ? m.getName() : sm.name(), m, iface, "signal");
      } else if (qm != null) {
        if (m.getReturnType() == void.class) {
          throw invalid(iface.getName() + "." + m.getName() + " is a @QueryMethod and must return a value");
        }
        put(queries, qm.name().isEmpty() ? m.getName() : qm.name(), m, iface, "query");
      } else if (UpdateMethods.isUpdateMethod(m)) {
        if (marks > 0) {
          throw invalid(iface.getName() + "." + m.getName() + " has an update annotation and one of @WorkflowMethod,"
              + " @SignalMethod, @QueryMethod");
        }
      } else if (!m.isDefault() && !Modifier.isStatic(m.getModifiers())) {
        throw invalid(iface.getName() + "." + m.getName() + " has no @WorkflowMethod, @SignalMethod or @QueryMethod annotation");
      }
    }
    if (workflowMethod == null) {
      throw invalid(iface.getName() + " has no @WorkflowMethod; a workflow interface has exactly one");
    }
    for (Method m : List.of(workflowMethod)) {
      m.setAccessible(true);
    }
    signals.values().forEach(m -> m.setAccessible(true));
    queries.values().forEach(m -> m.setAccessible(true));
    UpdateMethods.of(iface); // validated with the rest of the interface
    return new WorkflowInterfaceInfo(iface, type, workflowMethod, Map.copyOf(signals), Map.copyOf(queries));
  }

  private static void put(Map<String, Method> map, String name, Method m, Class<?> iface, String kind) {
    Method prev = map.put(name, m);
    if (prev != null) {
      throw invalid(iface.getName() + " declares two " + kind + " methods named '" + name + "'");
    }
  }

  private static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException("DURABLE-202 invalid workflow: " + message + ".");
  }
}
