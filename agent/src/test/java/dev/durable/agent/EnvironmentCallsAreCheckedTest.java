package dev.durable.agent;

import static dev.durable.agent.Bytecode.code;
import static dev.durable.agent.Bytecode.rewritten;
import static org.junit.jupiter.api.Assertions.assertEquals;

import example.sample.EnvironmentSamples;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentCallsAreCheckedTest {
  private static final String CALL_SITE = "Guards.callSite(Ljava/lang/String;Ljava/lang/String;)V";
  private static final String STATIC_WRITE = "Guards.staticWrite(Ljava/lang/String;Ljava/lang/String;)V";

  private final byte[] after = rewritten(EnvironmentSamples.class);

  @Test
  void threadSleepBecomesTheSleepShim() {
    assertEquals(List.of("Shims.nanoTime()J", "Shims.sleep(J)V", "Shims.nanoTime()J"), code(after, "sleepFiveMillis"));
  }

  @Test
  void getenvIsCheckedBeforeTheCall() {
    assertEquals(List.of("\"X\"", "\"env.getenv\"", "\"java.lang.System.getenv\"", CALL_SITE,
        "java/lang/System.getenv(Ljava/lang/String;)Ljava/lang/String;"), code(after, "getenv"));
  }

  @Test
  void getPropertyIsCheckedBeforeTheCall() {
    assertEquals(List.of("\"x\"", "\"env.get-property\"", "\"java.lang.System.getProperty\"", CALL_SITE,
        "java/lang/System.getProperty(Ljava/lang/String;)Ljava/lang/String;"), code(after, "getProperty"));
  }

  @Test
  void aStaticWriteInAMethodIsCheckedFirst() {
    assertEquals(List.of("\"global.static-write\"", "\"example.sample.EnvironmentSamples.counter\"", STATIC_WRITE,
        "PUTSTATIC example/sample/EnvironmentSamples.counter"), code(after, "bumpCounter"));
  }

  @Test
  void staticWritesInTheStaticInitializerAreNotChecked() {
    assertEquals(List.of("\"hello\"", "PUTSTATIC example/sample/EnvironmentSamples.GREETING",
        "PUTSTATIC example/sample/EnvironmentSamples.counter"), code(after, "<clinit>"));
  }
}
