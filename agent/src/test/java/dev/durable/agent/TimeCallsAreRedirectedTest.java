package dev.durable.agent;

import static dev.durable.agent.Bytecode.code;
import static dev.durable.agent.Bytecode.original;
import static dev.durable.agent.Bytecode.rewritten;
import static org.junit.jupiter.api.Assertions.assertEquals;

import example.sample.TimeSamples;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeCallsAreRedirectedTest {
  private final byte[] after = rewritten(TimeSamples.class);
  private final byte[] before = original(TimeSamples.class);

  @Test
  void instantNowGoesToTheInstantShim() {
    assertEquals(List.of("Shims.instantNow()Ljava/time/Instant;"), code(after, "instantNow"));
  }

  @Test
  void nowWithAZoneReadsTheClockOfThatZoneShim() {
    assertEquals(List.of("Shims.clockOf(Ljava/time/ZoneId;)Ljava/time/Clock;",
        "java/time/LocalDate.now(Ljava/time/Clock;)Ljava/time/LocalDate;"), code(after, "localDateNow"));
  }

  @Test
  void nowWithAClockPassesTheClockThroughTheClockShim() {
    assertEquals(List.of("Shims.clock(Ljava/time/Clock;)Ljava/time/Clock;",
        "java/time/LocalDateTime.now(Ljava/time/Clock;)Ljava/time/LocalDateTime;"), code(after, "localDateTimeNow"));
  }

  @Test
  void systemClocksComeFromShims() {
    assertEquals(List.of("Shims.clockUTC()Ljava/time/Clock;"), code(after, "systemUtc"));
  }

  @Test
  void systemTimeCallsGoToShims() {
    assertEquals(List.of("Shims.currentTimeMillis()J"), code(after, "currentTimeMillis"));
    assertEquals(List.of("Shims.nanoTime()J"), code(after, "nanoTime"));
  }

  @Test
  void aNewDateIsPassedThroughTheDateShim() {
    assertEquals(List.of("NEW java/util/Date", "DUP", "java/util/Date.<init>()V", "Shims.date(Ljava/util/Date;)Ljava/util/Date;"),
        code(after, "newDate"));
  }

  @Test
  void aNewDateNestedInAnotherNewExpressionIsShimmedOnce() {
    assertEquals(List.of("NEW java/lang/StringBuilder", "DUP", "NEW java/util/Date", "DUP", "java/util/Date.<init>()V",
        "Shims.date(Ljava/util/Date;)Ljava/util/Date;", "java/util/Date.toString()Ljava/lang/String;",
        "java/lang/StringBuilder.<init>(Ljava/lang/String;)V", "java/lang/StringBuilder.reverse()Ljava/lang/StringBuilder;",
        "java/lang/StringBuilder.toString()Ljava/lang/String;"), code(after, "nestedNewDate"));
  }

  @Test
  void aDateOfGivenMillisIsUntouched() {
    assertEquals(code(before, "dateAt123"), code(after, "dateAt123"));
    assertEquals(List.of("NEW java/util/Date", "DUP", "java/util/Date.<init>(J)V"), code(after, "dateAt123"));
  }

  @Test
  void calendarGetInstanceIsPassedThroughTheCalendarShim() {
    assertEquals(List.of("java/util/Calendar.getInstance()Ljava/util/Calendar;",
        "Shims.calendar(Ljava/util/Calendar;)Ljava/util/Calendar;"), code(after, "calendar"));
  }
}
