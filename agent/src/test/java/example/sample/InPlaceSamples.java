package example.sample;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every member with a rule used here is redirected to a static shim of its own descriptor, so the
 * rewriter changes only the constant pool. Calls of other members of the same classes
 * ({@code System.identityHashCode}, {@code Instant.ofEpochMilli}) stay as they are.
 */
public final class InPlaceSamples {
  private InPlaceSamples() {}

  public static long millis() {
    return System.currentTimeMillis();
  }

  public static long nanos() {
    return System.nanoTime();
  }

  public static Instant now() {
    return Instant.now();
  }

  public static UUID uuid() {
    return UUID.randomUUID();
  }

  public static Clock utc() {
    return Clock.systemUTC();
  }

  /** Method references to the same members: the handles use the same (redirected) method refs. */
  public static List<Object> references() {
    Supplier<Instant> now = Instant::now;
    LongSupplier millis = System::currentTimeMillis;
    DoubleSupplier random = Math::random;
    return List.of(now.get(), millis.getAsLong(), random.getAsDouble());
  }

  /** Calls the rules do not name, of classes they do: left alone. */
  public static List<Object> untouched(Object o) {
    return List.of(System.identityHashCode(o), Instant.ofEpochMilli(123L), Math.max(3, 4));
  }

  /**
   * A static interface method ({@code Comparator.naturalOrder()}, an interface method ref), for a
   * user rule that redirects it to {@link #reversed()}.
   */
  public static final class Sorting {
    private Sorting() {}

    public static List<Integer> sorted(List<Integer> values) {
      List<Integer> out = new java.util.ArrayList<>(values);
      out.sort(java.util.Comparator.naturalOrder());
      return out;
    }
  }

  /** The target of that user rule: the same descriptor as {@code Comparator.naturalOrder()}. */
  public static <T extends Comparable<? super T>> java.util.Comparator<T> reversed() {
    return java.util.Comparator.reverseOrder();
  }

  /** Only a member whose shim has the same name: its name and type entry is shared. */
  public static final class Millis {
    private Millis() {}

    public static long twice() {
      return System.currentTimeMillis() + System.currentTimeMillis();
    }
  }
}
