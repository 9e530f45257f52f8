package example.sample;

/** Workflow-style code that sleeps, reads the environment and writes a mutable global. */
public final class EnvironmentSamples {
  static int counter;
  static final String GREETING;

  static {
    GREETING = "hello"; // in <clinit>: runs once per JVM, not checked
    counter = 1;
  }

  private EnvironmentSamples() {}

  public static long sleepFiveMillis() throws InterruptedException {
    long start = System.nanoTime();
    Thread.sleep(5);
    return System.nanoTime() - start;
  }

  public static String getenv() {
    return System.getenv("X");
  }

  public static String getProperty() {
    return System.getProperty("x");
  }

  public static int bumpCounter() {
    counter = counter + 1;
    return counter;
  }
}
