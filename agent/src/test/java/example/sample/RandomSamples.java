package example.sample;

import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Workflow-style code drawing random values. */
public final class RandomSamples {
  private RandomSamples() {}

  public static Random newRandom() {
    return new Random();
  }

  public static Random seededRandom() {
    return new Random(7L);
  }

  public static Random subclassOfRandom() {
    return new SubRandom();
  }

  public static double mathRandom() {
    return Math.random();
  }

  public static int threadLocalRandomNextInt() {
    return ThreadLocalRandom.current().nextInt(5);
  }

  public static float threadLocalRandomNextFloat() {
    return ThreadLocalRandom.current().nextFloat(2f);
  }

  public static UUID randomUuid() {
    return UUID.randomUUID();
  }
}
