package example.sample;

import java.util.Date;
import java.util.Random;
import java.util.function.Function;

/** Nothing here needs rewriting: deterministic constructors, static writes only in {@code <clinit>}. */
public final class UnchangedSample {
  static final Date EPOCH_PLUS_123;
  static int initialised;

  static {
    EPOCH_PLUS_123 = new Date(123L);
    initialised = 1;
  }

  private UnchangedSample() {}

  public static String describe(int n) {
    Random seeded = new Random(7L);
    Function<Integer, String> f = i -> "n=" + i + ", draw=" + seeded.nextInt(10);
    return f.apply(n) + " at " + new Date(123L).getTime() + " " + EPOCH_PLUS_123.getTime();
  }
}
