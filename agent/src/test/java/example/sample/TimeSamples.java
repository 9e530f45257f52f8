package example.sample;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Calendar;
import java.util.Date;

/** Workflow-style code reading the clock; the transform tests rewrite and run it. */
public final class TimeSamples {
  private TimeSamples() {}

  public static Instant instantNow() {
    return Instant.now();
  }

  public static LocalDate localDateNow(ZoneId zone) {
    return LocalDate.now(zone);
  }

  public static LocalDateTime localDateTimeNow(Clock clock) {
    return LocalDateTime.now(clock);
  }

  public static Clock systemUtc() {
    return Clock.systemUTC();
  }

  public static long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  public static long nanoTime() {
    return System.nanoTime();
  }

  public static Date newDate() {
    return new Date();
  }

  public static Date dateAt123() {
    return new Date(123L);
  }

  public static Calendar calendar() {
    return Calendar.getInstance();
  }

  /** A new Date as an argument of another constructor: the NEW/DUP pairs nest. */
  public static String nestedNewDate() {
    return new StringBuilder(new Date().toString()).reverse().toString();
  }
}
