package dev.durable.it.sandbox;

import dev.durable.activity.ActivityInterface;
import dev.durable.activity.ActivityOptions;
import dev.durable.workflow.QueryMethod;
import dev.durable.workflow.SignalMethod;
import dev.durable.workflow.Workflow;
import dev.durable.workflow.WorkflowInterface;
import dev.durable.workflow.WorkflowMethod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.HijrahDate;
import java.time.chrono.JapaneseDate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * A workflow that reads the clock and draws random numbers with plain Java, before an activity,
 * and sleeps with {@link Thread#sleep} and {@link TimeUnit#sleep}. With the agent every one of
 * these calls is redirected, so a replay computes the same values; {@link RedirectTest} checks
 * that value by value.
 */
@WorkflowInterface
public interface PlainJavaValues {
  /** The name of the value that tells the workflow reached its final wait. */
  String PHASE = "phase";
  /** The value of {@link #PHASE} once the workflow waits for {@link #finish()}. */
  String WAITING = "waiting for finish";
  /** The instant of a fixed clock the workflow reads: it must not become workflow time. */
  String FIXED = "2001-02-03T04:05:06Z";
  /** How long the workflow sleeps with {@code Thread.sleep}. */
  long SLEEP_MILLIS = 50;

  /** Computes the values, calls an activity, sleeps, then waits for {@link #finish()}. */
  @WorkflowMethod
  String run();

  /** Returns every value computed so far, one {@code name=value} line each, in order. */
  @QueryMethod
  String values();

  /** Lets the workflow complete. */
  @SignalMethod
  void finish();

  /** An activity the workflow calls after computing the values, so that they come before a recorded event. */
  @ActivityInterface
  interface Echo {
    /** Returns its argument. */
    String echo(String text);
  }

  /** The activity implementation. */
  final class EchoImpl implements Echo {
    @Override
    public String echo(String text) {
      return text;
    }
  }

  /** The workflow implementation: plain Java, with the redirected calls in every kind of class body. */
  class Impl implements PlainJavaValues {
    private final Echo echo = Workflow.newActivityStub(Echo.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    private final Map<String, String> values = new LinkedHashMap<>();
    private boolean finished;

    @Override
    public String run() {
      put("workflowTime", Workflow.now());
      put("Instant.now()", Instant.now());
      put("LocalDate.now()", LocalDate.now());
      put("LocalDateTime.now(Europe/Paris)", LocalDateTime.now(ZoneId.of("Europe/Paris")));
      put("ZonedDateTime.now(Clock.systemUTC())", ZonedDateTime.now(Clock.systemUTC()));
      put("OffsetDateTime.now()", OffsetDateTime.now());
      put("Year.now()", Year.now());
      put("LocalTime.now()", LocalTime.now());
      put("OffsetTime.now()", OffsetTime.now());
      put("YearMonth.now()", YearMonth.now());
      put("MonthDay.now(Clock.system(Asia/Tokyo))", MonthDay.now(Clock.system(ZoneId.of("Asia/Tokyo"))));
      put("Clock.systemDefaultZone().millis()", Clock.systemDefaultZone().millis());
      put("System.currentTimeMillis()", System.currentTimeMillis());
      put("System.nanoTime()", System.nanoTime());
      put("new Date()", new Date().getTime());
      put("Calendar.getInstance()", Calendar.getInstance().getTimeInMillis());
      put("Calendar.getInstance(UTC)", Calendar.getInstance(TimeZone.getTimeZone("UTC")).getTimeInMillis());
      put("new Random().nextLong()", new Random().nextLong());
      put("new Dice().nextLong() (a subclass of Random)", new Dice().nextLong());
      put("Math.random()", Math.random());
      put("ThreadLocalRandom.current().nextInt()", ThreadLocalRandom.current().nextInt());
      put("ThreadLocalRandom.current().nextDouble(1, 2)", ThreadLocalRandom.current().nextDouble(1, 2));
      put("UUID.randomUUID()", UUID.randomUUID());
      put("InstantSource.system().instant()", InstantSource.system().instant());
      put("Clock.tickSeconds(UTC).instant()", Clock.tickSeconds(ZoneOffset.UTC).instant());
      put("new GregorianCalendar()", new GregorianCalendar().getTimeInMillis());
      put("new GregorianCalendar(UTC)", new GregorianCalendar(TimeZone.getTimeZone("UTC")).getTimeInMillis());
      put("JapaneseDate.now()", JapaneseDate.now());
      put("HijrahDate.now(Asia/Tokyo)", HijrahDate.now(ZoneId.of("Asia/Tokyo")));
      put("new SplittableRandom().nextLong()", new SplittableRandom().nextLong());
      put("RandomGenerator.getDefault().nextLong()", RandomGenerator.getDefault().nextLong());
      put("RandomGenerator.of(L64X128MixRandom).nextLong()", RandomGenerator.of("L64X128MixRandom").nextLong());
      put("RandomGeneratorFactory.of(Xoroshiro128PlusPlus).create().nextInt()",
          RandomGeneratorFactory.of("Xoroshiro128PlusPlus").create().nextInt());
      List<Integer> shuffled = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
      Collections.shuffle(shuffled);
      put("Collections.shuffle(list)", shuffled);
      put("ThreadLocalRandom.current().ints(4, 0, 1000)",
          ThreadLocalRandom.current().ints(4, 0, 1000).boxed().toList());
      put("ThreadLocalRandom.current().nextExponential()", ThreadLocalRandom.current().nextExponential());
      // Not redirected: a seeded generator and a clock that is not the system's keep their values.
      put("new Random(42).nextLong()", new Random(42).nextLong());
      put("Instant.now(Clock.fixed(...))", Instant.now(Clock.fixed(Instant.parse(FIXED), ZoneOffset.UTC)));

      Supplier<Instant> instantNow = Instant::now;
      Supplier<UUID> randomUuid = UUID::randomUUID;
      Supplier<Random> newRandom = Random::new;
      put("Instant::now", instantNow.get());
      put("UUID::randomUUID", randomUuid.get());
      put("Random::new", newRandom.get().nextLong());

      Supplier<Instant> lambdaNow = () -> Instant.now();
      Supplier<Long> lambdaRandom = () -> new Random().nextLong();
      put("lambda Instant.now()", lambdaNow.get());
      put("lambda new Random().nextLong()", lambdaRandom.get());

      Supplier<String[]> anonymous = new Supplier<>() {
        @Override
        public String[] get() {
          return new String[] {Instant.now().toString(), UUID.randomUUID().toString()};
        }
      };
      String[] fromAnonymous = anonymous.get();
      put("anonymous class Instant.now()", fromAnonymous[0]);
      put("anonymous class UUID.randomUUID()", fromAnonymous[1]);

      Inner inner = new Inner();
      put("inner class Instant.now()", inner.now());
      put("inner class Math.random()", inner.random());

      Stamp stamp = Stamp.now();
      put("record Instant.now()", stamp.at());
      put("record new Random().nextLong()", stamp.random());

      put("enum Instant.now()", Source.CLOCK.read());
      put("enum UUID.randomUUID()", Source.RANDOM.read());

      put("activity", echo.echo("after the values"));

      put("workflowTime before Thread.sleep", Workflow.now());
      try {
        Thread.sleep(SLEEP_MILLIS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      put("workflowTime after Thread.sleep", Workflow.now());
      put("Instant.now() after Thread.sleep", Instant.now());
      try {
        TimeUnit.MILLISECONDS.sleep(SLEEP_MILLIS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      put("workflowTime after TimeUnit.sleep", Workflow.now());

      put(PHASE, WAITING);
      Workflow.await(() -> finished);
      return "finished";
    }

    private void put(String name, Object value) {
      values.put(name, String.valueOf(value));
    }

    @Override
    public String values() {
      StringBuilder sb = new StringBuilder();
      values.forEach((name, value) -> sb.append(name).append('=').append(value).append('\n'));
      return sb.toString();
    }

    @Override
    public void finish() {
      finished = true;
    }

    /** A non-static inner class: its methods are rewritten like the outer class's. */
    final class Inner {
      Instant now() {
        return Instant.now();
      }

      double random() {
        return Math.random();
      }
    }
  }

  /** A subclass of {@link Random} whose constructor calls {@code super()}, which seeds it from the clock. */
  final class Dice extends Random {
    private static final long serialVersionUID = 1L;

    Dice() {
      super();
    }
  }

  /** A record with a factory method that reads the clock and draws a random number. */
  record Stamp(Instant at, long random) {
    static Stamp now() {
      return new Stamp(Instant.now(), new Random().nextLong());
    }
  }

  /** An enum whose constants have bodies (anonymous subclasses) that read the clock or draw a UUID. */
  enum Source {
    CLOCK {
      @Override
      String read() {
        return Instant.now().toString();
      }
    },
    RANDOM {
      @Override
      String read() {
        return UUID.randomUUID().toString();
      }
    };

    abstract String read();
  }
}
