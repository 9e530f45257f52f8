package dev.durable.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/** Calls static methods of the sample classes as loaded (and verified) by a {@link RewritingClassLoader}. */
final class SampleRunner {
  private final ClassLoader loader = new RewritingClassLoader(Bytecode.DEFAULT_REWRITER);

  Class<?> load(String simpleName) {
    try {
      return Class.forName("example.sample." + simpleName, true, loader);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  /** Calls the static method of that name; an exception it throws is rethrown as is. */
  Object call(String simpleName, String method, Object... args) throws Throwable {
    Method m = Arrays.stream(load(simpleName).getMethods())
        .filter(x -> x.getName().equals(method) && x.getParameterCount() == args.length)
        .findFirst().orElseThrow(() -> new AssertionError("no method " + simpleName + "." + method));
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
