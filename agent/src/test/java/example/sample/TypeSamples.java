package example.sample;

import java.time.Instant;
import java.util.Random;
import java.util.function.Supplier;

/** Redirected calls in an interface, a record and an enum. */
public final class TypeSamples {
  private TypeSamples() {}

  /** An interface with a default method and a method reference (its bridge goes into the interface). */
  public interface Stamped {
    default Instant stamp() {
      return Instant.now();
    }

    static Supplier<Instant> clock() {
      return Instant::now;
    }

    static Supplier<Random> random() {
      return Random::new;
    }
  }

  /** Implements {@link Stamped}, nothing else. */
  public static final class Stamp implements Stamped {}

  /** A record made with the current time. */
  public record Event(String name, Instant at) {
    public static Event now(String name) {
      return new Event(name, Instant.now());
    }
  }

  /** An enum whose constants read the clock; its static initializer writes static fields. */
  public enum Phase {
    START,
    END;

    public Instant at() {
      return Instant.now();
    }
  }
}
