package example.sample;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Redirected and forbidden calls among branches, switches, loops, exception handlers, local
 * variables and objects under construction: every offset after an inserted instruction moves.
 */
public final class ControlFlowSamples {
  static final long LOADED = System.currentTimeMillis();
  static final Instant CREATED = Instant.now();
  static final Supplier<Instant> CLOCK = Instant::now;
  static String last;

  private ControlFlowSamples() {}

  public static long loop(int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      if (i % 3 == 0) {
        sum += System.nanoTime() > 0 ? 1 : 0;
      } else {
        sum += Instant.now().getEpochSecond() > 0 ? 2 : 0;
      }
    }
    return sum;
  }

  public static String tableSwitch(int k) {
    String s;
    switch (k) {
      case 0 -> s = "zero" + System.currentTimeMillis();
      case 1 -> s = "one" + Instant.now();
      case 2 -> s = "two";
      case 3 -> s = "three" + LocalDate.now(ZoneId.of("UTC"));
      default -> s = "many";
    }
    return s;
  }

  public static String lookupSwitch(int k) {
    Instant before = Instant.now();
    String s = switch (k) {
      case 10 -> "ten";
      case 1000 -> "thousand" + UUID.randomUUID();
      case 100000 -> "lakh" + Math.random();
      default -> "other";
    };
    return before + s;
  }

  public static String tryCatch(String key) {
    try {
      long t = System.currentTimeMillis();
      if (t > 0) {
        return System.getProperty(key, "none");
      }
      return "never";
    } catch (RuntimeException e) {
      return "failed " + Instant.now();
    } finally {
      last = key; // a static write outside <clinit>
    }
  }

  public static List<String> underConstruction(boolean flag) {
    // A branch between NEW and its constructor: frames name the uninitialized object by its offset.
    List<String> out = new ArrayList<>(flag ? (int) (System.nanoTime() & 1) + 1 : 2);
    out.add(new StringBuilder(flag ? "a" + Instant.now() : "b").toString());
    out.add(String.valueOf(ThreadLocalRandom.current().nextInt(10) >= 0));
    return out;
  }

  /** Method references to static members: bridged, one bridge per member and line. */
  public static List<Object> references() {
    Supplier<Instant> now = Instant::now;
    LongSupplier millis = System::currentTimeMillis;
    Supplier<UUID> uuid = UUID::randomUUID;
    Supplier<Instant> nowAgain =
        Instant::now;
    Function<String, String> env = System::getenv;
    Supplier<String> lambda = () -> "x" + millis.getAsLong();
    return List.of(now.get(), millis.getAsLong(), uuid.get(), nowAgain.get(), env, lambda.get(), CLOCK.get());
  }

  public static int nested(int a, int b) {
    int total = 0;
    outer:
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) {
        if (j > 5) {
          continue outer;
        }
        total += (int) (System.currentTimeMillis() & 1);
        if (total > 100) {
          break outer;
        }
      }
    }
    return total;
  }
}
