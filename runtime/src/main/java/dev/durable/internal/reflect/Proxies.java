package dev.durable.internal.reflect;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;

/** What the engine's dynamic proxies (workflow and activity stubs) share. */
public final class Proxies {
  /**
   * The constructor of each interface's proxy class (null if it cannot be called directly). A stub
   * is made per workflow run (activity stubs) or per start (typed stubs), and
   * {@link Proxy#newProxyInstance} finds the constructor again on each call (the caller's class,
   * two cache lookups), which showed in a short workflow's cost while the JIT is cold.
   */
  private static final ClassValue<Constructor<?>> CONSTRUCTORS = new ClassValue<>() {
    @Override
    protected Constructor<?> computeValue(Class<?> iface) {
      try {
        Class<?> proxyClass = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
            (proxy, method, args) -> null).getClass();
        Constructor<?> ctor = proxyClass.getConstructor(InvocationHandler.class);
        if (!Modifier.isPublic(proxyClass.getModifiers())) {
          ctor.setAccessible(true);
        }
        return ctor;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // newProxy goes through Proxy, which reports what is wrong
      }
    }
  };

  private Proxies() {}

  /** Returns a proxy of {@code iface} calling {@code handler}, as {@link Proxy#newProxyInstance} with the interface's loader. */
  public static <T> T newProxy(Class<T> iface, InvocationHandler handler) {
    Constructor<?> ctor = handler == null ? null : CONSTRUCTORS.get(iface);
    if (ctor != null) {
      try {
        return iface.cast(ctor.newInstance(handler));
      } catch (ReflectiveOperationException e) {
        // below: Proxy says what is wrong
      }
    }
    return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, handler));
  }

  /** Whether {@link #newProxy} makes proxies of {@code iface} without going through {@link Proxy}. */
  static boolean hasDirectConstructor(Class<?> iface) {
    return CONSTRUCTORS.get(iface) != null;
  }

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
