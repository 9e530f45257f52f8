package dev.durable.internal.reflect;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

/** What the engine's dynamic proxies (workflow and activity stubs) share. */
public final class Proxies {
  private Proxies() {}

  /** The zero value of a type: 0, false or '\0' for primitives, null for everything else. */
  public static Object zeroOf(Type type) {
    return type instanceof Class<?> c && c.isPrimitive() && c != void.class ? Array.get(Array.newInstance(c, 1), 0) : null;
  }

  /** Whether {@code method} is one of Object's, which a stub answers itself. */
  public static boolean isObjectMethod(Method method) {
    return method.getDeclaringClass() == Object.class;
  }

  /** Answers {@code hashCode}, {@code equals} and {@code toString} of a stub by identity. */
  public static Object objectMethod(Object proxy, Method method, Object[] args, String description) {
    return switch (method.getName()) {
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> description;
    };
  }
}
