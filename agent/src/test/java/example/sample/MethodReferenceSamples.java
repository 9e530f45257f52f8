package example.sample;

import java.time.Instant;
import java.util.Date;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Method references, lambdas and an anonymous class around redirected calls. */
public final class MethodReferenceSamples {
  private MethodReferenceSamples() {}

  public static Supplier<Instant> instantNow() {
    return Instant::now;
  }

  public static Supplier<Random> newRandom() {
    return Random::new;
  }

  public static Supplier<UUID> randomUuid() {
    return UUID::randomUUID;
  }

  public static IntUnaryOperator boundNextInt() {
    return ThreadLocalRandom.current()::nextInt;
  }

  public static BiFunction<ThreadLocalRandom, Integer, Integer> unboundNextInt() {
    return ThreadLocalRandom::nextInt;
  }

  public static Function<String, String> getenv() {
    return System::getenv;
  }

  public static Function<Long, Date> dateOfMillis() {
    return Date::new;
  }

  public static LongSupplier lambdaMillis() {
    return () -> System.currentTimeMillis();
  }

  public static Supplier<UUID> anonymousUuid() {
    return new Supplier<>() {
      @Override
      public UUID get() {
        return UUID.randomUUID();
      }
    };
  }
}
