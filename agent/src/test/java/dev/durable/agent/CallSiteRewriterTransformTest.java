package dev.durable.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import example.sample.TimeSamples;
import org.junit.jupiter.api.Test;

/** Which classes the transformer touches at all. */
class CallSiteRewriterTransformTest {
  private final CallSiteRewriter rewriter = Bytecode.DEFAULT_REWRITER;
  private final ClassLoader app = getClass().getClassLoader();
  private final byte[] sample = Bytecode.original(TimeSamples.class);

  @Test
  void userClassesAreRewritten() {
    assertNotNull(rewriter.transform(app, "example/sample/TimeSamples", null, null, sample));
  }

  @Test
  void passedThroughJdkAndBootstrapClassesAreNot() {
    // The same bytes under other names: the name alone decides.
    assertNull(rewriter.transform(app, "dev/durable/internal/replay/WorkflowRun", null, null, sample));
    assertNull(rewriter.transform(app, "org/slf4j/Logger", null, null, sample));
    assertNull(rewriter.transform(app, "java/util/Foo", null, null, sample));
    assertNull(rewriter.transform(app, "jdk/internal/Foo", null, null, sample));
    assertNull(rewriter.transform(null, "example/sample/TimeSamples", null, null, sample));
  }

  @Test
  void retransformedClassesAreNot() {
    assertNull(rewriter.transform(app, "example/sample/TimeSamples", TimeSamples.class, null, sample));
  }

  @Test
  void aClassThatCannotBeReadIsLeftUnchanged() {
    assertNull(rewriter.transform(app, "example/sample/Broken", null, null, new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2}));
  }
}
