package dev.durable.internal.reflect;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityMethod;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The activity types an {@link ActivityInterface} declares, by type name. Validation errors
 * carry DURABLE-203 and name the interface.
 *
 * @param iface the interface
 * @param methods its methods by activity type name
 */
public record ActivityInterfaceInfo(Class<?> iface, Map<String, Method> methods) {
  private static final Map<Class<?>, ActivityInterfaceInfo> CACHE = new ConcurrentHashMap<>();
  private static final Map<Method, String> TYPE_NAMES = new ConcurrentHashMap<>();

  /** Reads and validates an activity interface. */
  public static ActivityInterfaceInfo of(Class<?> iface) {
    return CACHE.computeIfAbsent(iface, ActivityInterfaceInfo::read);
  }

  /** Returns the activity type name of one of its methods. */
  public static String typeName(Method m) {
    // Asked on every activity call: reading the annotation and building the name each time cost
    // more than the lookup while the JIT is cold.
    String name = TYPE_NAMES.get(m);
    if (name == null) {
      name = readTypeName(m);
      TYPE_NAMES.put(m, name);
    }
    return name;
  }

  private static String readTypeName(Method m) {
    ActivityMethod am = m.getAnnotation(ActivityMethod.class);
    if (am != null && !am.name().isEmpty()) {
      return am.name();
    }
    return Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1);
  }

  /** Finds every activity interface an implementation object implements. */
  public static List<ActivityInterfaceInfo> forImplementation(Object impl) {
    List<ActivityInterfaceInfo> out = new ArrayList<>();
    for (Class<?> c = impl.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      collect(c, out);
    }
    if (out.isEmpty()) {
      throw invalid(impl.getClass().getName() + " implements no interface annotated with @ActivityInterface");
    }
    return out;
  }

  private static void collect(Class<?> c, List<ActivityInterfaceInfo> out) {
    for (Class<?> i : c.getInterfaces()) {
      if (i.isAnnotationPresent(ActivityInterface.class)) {
        ActivityInterfaceInfo info = of(i);
        if (!out.contains(info)) {
          out.add(info);
        }
      }
      collect(i, out);
    }
  }

  private static ActivityInterfaceInfo read(Class<?> iface) {
    if (!iface.isInterface() || !iface.isAnnotationPresent(ActivityInterface.class)) {
      throw invalid(iface.getName() + " is not an interface annotated with @ActivityInterface");
    }
    Map<String, Method> methods = new LinkedHashMap<>();
    for (Method m : iface.getMethods()) {
      if (m.isDefault() || Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method prev = methods.put(typeName(m), m);
      if (prev != null) {
        throw invalid(iface.getName() + " has two methods with activity type '" + typeName(m)
            + "'; overloads need distinct names via @ActivityMethod(name = ...)");
      }
      m.setAccessible(true);
    }
    return new ActivityInterfaceInfo(iface, Map.copyOf(methods));
  }

  private static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException("DURABLE-203 invalid activity: " + message + ".");
  }
}
