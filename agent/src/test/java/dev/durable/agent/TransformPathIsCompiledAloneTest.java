package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.agent.jit.DontInline;
import java.lang.reflect.Executable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every method and constructor on the transform's path carries {@link DontInline}, so that the JIT
 * compiles each alone (the jar turns the annotation into the JDK's; see its Javadoc). A method
 * added there without it would be inlined into its callers again, and in the end into the JDK's
 * transformer loop. Lambdas and other synthetic methods are javac's, not ours.
 */
class TransformPathIsCompiledAloneTest {
  @Test
  void everyMethodOfTheTransformPathIsMarked() throws Exception {
    List<String> unmarked = new ArrayList<>();
    for (Class<?> c : List.of(CallSiteRewriter.class, CallSiteScan.class, ClassFile.class, DirectRewriter.class,
        Class.forName(DirectRewriter.class.getName() + "$Bytes"), PoolRewriter.class,
        Class.forName(PoolRewriter.class.getName() + "$Appended"))) {
      Stream.concat(Stream.of(c.getDeclaredMethods()), Stream.of(c.getDeclaredConstructors()))
          .filter(m -> !m.isSynthetic())
          .filter(m -> !m.isAnnotationPresent(DontInline.class))
          .map(Executable::toString)
          .forEach(unmarked::add);
    }
    assertEquals(List.of(), unmarked, "methods of the transform path without @DontInline");
  }
}
