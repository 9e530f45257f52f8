package dev.durable.agent;

import static dev.durable.agent.Bytecode.code;
import static dev.durable.agent.Bytecode.original;
import static dev.durable.agent.Bytecode.rewritten;
import static org.junit.jupiter.api.Assertions.assertEquals;

import example.sample.RandomSamples;
import example.sample.SubRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomCallsAreRedirectedTest {
  private final byte[] after = rewritten(RandomSamples.class);

  @Test
  void aNewRandomWithoutSeedIsPassedThroughTheRandomShim() {
    assertEquals(List.of("NEW java/util/Random", "DUP", "java/util/Random.<init>()V",
        "Shims.random(Ljava/util/Random;)Ljava/util/Random;"), code(after, "newRandom"));
  }

  @Test
  void aSeededRandomIsUntouched() {
    assertEquals(code(original(RandomSamples.class), "seededRandom"), code(after, "seededRandom"));
  }

  @Test
  void aSubclassCallingSuperIsAdjustedAfterItsSuperCall() {
    assertEquals(List.of("java/util/Random.<init>()V", "Shims.afterSuper(Ljava/lang/Object;)V"),
        code(rewritten(SubRandom.class), "<init>"));
    // The new expression of the subclass is left alone: its constructor does the work.
    assertEquals(List.of("NEW example/sample/SubRandom", "DUP", "example/sample/SubRandom.<init>()V"),
        code(after, "subclassOfRandom"));
  }

  @Test
  void mathRandomGoesToItsShim() {
    assertEquals(List.of("Shims.mathRandom()D"), code(after, "mathRandom"));
  }

  @Test
  void threadLocalRandomCallsGoToShimsTakingTheReceiverFirst() {
    assertEquals(List.of("java/util/concurrent/ThreadLocalRandom.current()Ljava/util/concurrent/ThreadLocalRandom;",
        "Shims.tlrNextInt(Ljava/util/concurrent/ThreadLocalRandom;I)I"), code(after, "threadLocalRandomNextInt"));
    assertEquals(List.of("java/util/concurrent/ThreadLocalRandom.current()Ljava/util/concurrent/ThreadLocalRandom;",
        "Shims.tlrNextFloat(Ljava/util/concurrent/ThreadLocalRandom;F)F"), code(after, "threadLocalRandomNextFloat"));
  }

  @Test
  void randomUuidGoesToItsShim() {
    assertEquals(List.of("Shims.randomUUID()Ljava/util/UUID;"), code(after, "randomUuid"));
  }
}
