package dev.durable.it.sandbox;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * A second java agent, started after the durable agent, that retransforms the JDK classes named in
 * its options, as an APM agent instrumenting them would. Its transformer changes nothing, so the
 * JVM rebuilds each class from the bytes it starts retransformations from: those must hold the
 * durable agent's guards.
 */
public final class RetransformingAgent {
  private RetransformingAgent() {}

  /** {@code -javaagent:<jar>=java.io.FileInputStream,java.lang.Thread}. */
  public static void premain(String classNames, Instrumentation inst) throws Exception {
    inst.addTransformer(new ClassFileTransformer() {}, true);
    List<Class<?>> classes = new ArrayList<>();
    for (String name : classNames.split(",")) {
      classes.add(Class.forName(name));
    }
    inst.retransformClasses(classes.toArray(new Class<?>[0]));
    System.out.println("RETRANSFORMED " + classes.size());
  }
}
