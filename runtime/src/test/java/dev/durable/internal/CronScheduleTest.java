package dev.durable.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @Test
  void aMinuteAndAnHourFireOnceADay() {
    assertEquals(List.of("2026-01-01T09:30:00Z", "2026-01-02T09:30:00Z"),
        firings("30 9 * * *", "2026-01-01T00:00:00Z", 2));
    assertEquals(List.of("2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z"), firings("* * * * *", "2026-01-01T00:00:00Z", 2));
  }

  @Test
  void rangesStepsAndListsSelectTheirValues() {
    assertEquals(List.of("2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z"),
        firings("*/15 * * * *", "2026-01-01T00:07:00Z", 4));
    assertEquals(List.of("2026-01-01T00:07:00Z", "2026-01-01T00:09:00Z", "2026-01-01T01:05:00Z"),
        firings("5-10/2 * * * *", "2026-01-01T00:06:00Z", 3));
    // a/n runs from a to the field's last value
    assertEquals(List.of("2026-01-01T00:50:00Z", "2026-01-01T00:55:00Z", "2026-01-01T01:50:00Z"),
        firings("50/5 * * * *", "2026-01-01T00:00:00Z", 3));
    assertEquals(List.of("2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z", "2026-01-01T00:46:00Z", "2026-01-01T01:00:00Z"),
        firings("0,30,45-46 * * * *", "2026-01-01T00:00:00Z", 4));
    assertEquals(List.of("2026-01-01T09:00:00Z", "2026-01-01T13:00:00Z", "2026-01-01T17:00:00Z", "2026-01-02T09:00:00Z"),
        firings("0 9-17/4 * * *", "2026-01-01T00:00:00Z", 4));
    assertEquals(List.of("2026-01-11T00:00:00Z", "2026-01-21T00:00:00Z", "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z"),
        firings("0 0 1-31/10 * *", "2026-01-01T00:00:00Z", 4));
    assertEquals(List.of("2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z"),
        firings("0 0 1 */3 *", "2026-01-01T00:00:00Z", 4));
    // 2026-01-01 is a Thursday; */2 is Sunday, Tuesday, Thursday and Saturday
    assertEquals(List.of("2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-06T00:00:00Z", "2026-01-08T00:00:00Z"),
        firings("0 0 * * */2", "2026-01-01T00:00:00Z", 4));
    assertEquals(firings("* * * * *", "2026-01-01T00:00:00Z", 3), firings("*/1 * * * *", "2026-01-01T00:00:00Z", 3));
  }

  @Test
  void monthAndDayNamesAreCaseInsensitiveAndWorkInRangesAndSteps() {
    assertEquals(List.of("2026-07-01T12:00:00Z", "2027-01-01T12:00:00Z"),
        firings("0 12 1 jan,Jul *", "2026-01-01T12:00:00Z", 2));
    assertEquals(List.of("2026-01-05T08:00:00Z", "2026-01-06T08:00:00Z"), firings("0 8 * * mon-FRI", "2026-01-02T08:00:00Z", 2));
    assertEquals(List.of("2026-03-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-11-01T00:00:00Z", "2027-03-01T00:00:00Z"),
        firings("0 0 1 MAR/4 *", "2026-01-01T00:00:00Z", 4));
  }

  @Test
  void dayOfWeekSevenIsSundayLikeZero() {
    List<String> sundays = List.of("2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z");
    assertEquals(sundays, firings("0 0 * * 7", "2026-01-01T00:00:00Z", 2));
    assertEquals(sundays, firings("0 0 * * 0", "2026-01-01T00:00:00Z", 2));
    assertEquals(sundays, firings("0 0 * * sun", "2026-01-01T00:00:00Z", 2));
    assertEquals(List.of("2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-09T00:00:00Z"),
        firings("0 0 * * 5-7", "2026-01-01T00:00:00Z", 4));
    assertEquals(firings("0 0 * * *", "2026-01-01T00:00:00Z", 8), firings("0 0 * * 0-7", "2026-01-01T00:00:00Z", 8));
  }

  @Test
  void aRestrictedDayOfMonthAndDayOfWeekFireOnEitherAndAStarLeavesOnlyTheOther() {
    // April 2026: Fridays are the 10th, 17th and 24th; the 13th is a Monday
    assertEquals(List.of("2026-04-10T00:00:00Z", "2026-04-13T00:00:00Z", "2026-04-17T00:00:00Z"),
        firings("0 0 13 * FRI", "2026-04-09T00:00:00Z", 3));
    assertEquals(List.of("2026-04-13T00:00:00Z", "2026-05-13T00:00:00Z"), firings("0 0 13 * *", "2026-04-09T00:00:00Z", 2));
    assertEquals(List.of("2026-04-10T00:00:00Z", "2026-04-17T00:00:00Z"), firings("0 0 * * FRI", "2026-04-09T00:00:00Z", 2));
    // */10 (days 1, 11, 21, 31) restricts too, as in robfig/cron: Mondays are added to it
    assertEquals(List.of("2026-04-11T00:00:00Z", "2026-04-13T00:00:00Z", "2026-04-20T00:00:00Z", "2026-04-21T00:00:00Z",
        "2026-04-27T00:00:00Z", "2026-05-01T00:00:00Z", "2026-05-04T00:00:00Z"),
        firings("0 0 */10 * MON", "2026-04-09T00:00:00Z", 7));
    // February 30th never comes, but February's Mondays do, so the schedule is accepted
    assertEquals(List.of("2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z", "2026-02-16T00:00:00Z", "2026-02-23T00:00:00Z",
        "2027-02-01T00:00:00Z"), firings("0 0 30 2 MON", "2026-01-31T00:00:00Z", 5));
  }

  @Test
  void monthsAndYearsRollOverAndShortMonthsAreSkipped() {
    assertEquals(List.of("2027-01-01T00:00:00Z"), firings("0 0 1 * *", "2026-12-15T00:00:00Z", 1));
    assertEquals(List.of("2027-12-31T23:59:00Z"), firings("59 23 31 12 *", "2026-12-31T23:59:00Z", 1));
    assertEquals(List.of("2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z"),
        firings("0 0 31 * *", "2026-03-31T00:00:00Z", 3));
    assertEquals(List.of("2026-03-31T00:00:00Z", "2027-03-31T00:00:00Z"), firings("0 0 31 2,3 *", "2026-01-01T00:00:00Z", 2));
    assertEquals(List.of("2026-01-01T00:00:00Z"), firings("0 0 * * *", "2025-12-31T23:59:30Z", 1));
  }

  @Test
  void february29thFiresOnlyInLeapYearsEvenWhenTheyAreEightYearsApart() {
    assertEquals(List.of("2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"), firings("0 0 29 2 *", "2027-03-01T00:00:00Z", 2));
    // 2100 is not a leap year
    assertEquals(List.of("2104-02-29T00:00:00Z"), firings("0 0 29 2 *", "2096-02-29T00:00:00Z", 1));
    assertEquals(List.of("2096-02-29T12:00:00Z", "2104-02-29T12:00:00Z"),
        firings("0 12 29-31 2 *", "2095-01-01T00:00:00Z", 2));
  }

  @Test
  void macrosFireLikeTheFieldsTheyStandFor() {
    String after = "2026-06-10T10:30:00Z";
    assertEquals(List.of("2027-01-01T00:00:00Z"), firings("@yearly", after, 1));
    assertEquals(List.of("2027-01-01T00:00:00Z"), firings("@annually", after, 1));
    assertEquals(List.of("2026-07-01T00:00:00Z"), firings("@monthly", after, 1));
    assertEquals(List.of("2026-06-14T00:00:00Z"), firings("@weekly", after, 1)); // a Sunday
    assertEquals(List.of("2026-06-11T00:00:00Z"), firings("@daily", after, 1));
    assertEquals(List.of("2026-06-11T00:00:00Z"), firings("@midnight", after, 1));
    assertEquals(List.of("2026-06-10T11:00:00Z"), firings("@hourly", after, 1));
    assertEquals(List.of("2026-06-10T11:00:00Z"), firings("@HOURLY", after, 1));
    assertEquals(List.of("2026-06-10T22:00:00Z"), firings("CRON_TZ=Europe/Paris @daily", after, 1));
  }

  @Test
  void everyFiresAtMultiplesOfItsDurationCountedFromTheEpoch() {
    assertEquals(List.of("2026-01-01T10:15:00Z", "2026-01-01T10:30:00Z", "2026-01-01T10:45:00Z", "2026-01-01T11:00:00Z"),
        firings("@every 15m", "2026-01-01T10:07:31.500Z", 4));
    // 2026-01-01T00:00Z is 327264 times 90 minutes after the epoch
    assertEquals(List.of("2026-01-01T01:30:00Z", "2026-01-01T03:00:00Z", "2026-01-01T04:30:00Z"),
        firings("@every 1h30m", "2026-01-01T00:00:00Z", 3));
    assertEquals(firings("@every 1h30m", "2026-01-01T00:00:00Z", 3), firings("@every 90m", "2026-01-01T00:00:00Z", 3));
    assertEquals(List.of("2026-01-01T10:00:30Z", "2026-01-01T10:01:00Z"), firings("@every 30s", "2026-01-01T10:00:10Z", 2));
    assertEquals(List.of("2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"), firings("@every 1d", "2026-01-01T12:00:00Z", 2));
    assertEquals(List.of("1970-01-01T00:07:00Z"), firings("@every 7m", "1970-01-01T00:00:00Z", 1));
    assertEquals(List.of("1970-01-02T02:03:04Z"), firings("@every 1d2h3m4s", "1970-01-01T00:00:00Z", 1));
    assertEquals(List.of("1970-01-01T00:00:00Z"), firings("@every 15m", "1969-12-31T23:59:00Z", 1));
    assertEquals(List.of("2026-01-01T02:00:00Z"), firings("@EVERY 2h", "2026-01-01T00:00:00Z", 1));
  }

  @Test
  void nextIsStrictlyAfterTheGivenInstant() {
    CronSchedule daily = CronSchedule.parse("0 9 * * *");
    assertEquals(Instant.parse("2026-01-02T09:00:00Z"), daily.next(Instant.parse("2026-01-01T09:00:00Z")));
    assertEquals(Instant.parse("2026-01-01T09:00:00Z"), daily.next(Instant.parse("2026-01-01T08:59:59.999999999Z")));
    assertEquals(Instant.parse("2026-01-02T09:00:00Z"), daily.next(Instant.parse("2026-01-01T09:00:00.000000001Z")));
    CronSchedule every = CronSchedule.parse("@every 15m");
    assertEquals(Instant.parse("2026-01-01T10:30:00Z"), every.next(Instant.parse("2026-01-01T10:15:00Z")));
    assertEquals(Instant.parse("2026-01-01T10:15:00Z"), every.next(Instant.parse("2026-01-01T10:14:59.999999999Z")));
  }

  @Test
  void cronTzMatchesTheFieldsInThatZonesLocalTime() {
    // Paris is UTC+1 in winter and UTC+2 in summer; 2026-01-01 is a Thursday
    assertEquals(List.of("2026-01-01T08:00:00Z", "2026-01-02T08:00:00Z", "2026-01-05T08:00:00Z"),
        firings("CRON_TZ=Europe/Paris 0 9 * * MON-FRI", "2026-01-01T00:00:00Z", 3));
    assertEquals(List.of("2026-07-01T07:00:00Z"), firings("CRON_TZ=Europe/Paris 0 9 * * MON-FRI", "2026-07-01T00:00:00Z", 1));
    assertEquals(List.of("2026-01-01T05:00:00Z"), firings("CRON_TZ=America/New_York 0 0 * * *", "2026-01-01T00:00:00Z", 1));
    assertEquals(List.of("2026-01-01T18:30:00Z"), firings("CRON_TZ=Asia/Kolkata\t0 0 * * *", "2026-01-01T00:00:00Z", 1));
    assertEquals(List.of("2026-01-01T00:00:00Z"), firings("CRON_TZ=UTC 0 0 * * *", "2025-12-31T12:00:00Z", 1));
  }

  @Test
  void inASpringForwardGapALocalTimeThatDoesNotExistIsSkipped() {
    // On 2026-03-29 Paris clocks go from 02:00 (UTC+1) straight to 03:00 (UTC+2)
    assertEquals(List.of("2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z"),
        firings("CRON_TZ=Europe/Paris 30 2 * * *", "2026-03-27T12:00:00Z", 2));
    assertEquals(List.of("2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z"),
        firings("CRON_TZ=Europe/Paris */30 * * * *", "2026-03-29T00:00:00Z", 3));
  }

  @Test
  void inAFallBackOverlapARepeatedLocalTimeFiresOnceAtTheEarlierOffset() {
    // On 2026-10-25 Paris clocks go from 03:00 (UTC+2) back to 02:00 (UTC+1): 02:00-02:59 happens twice
    assertEquals(List.of("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"),
        firings("CRON_TZ=Europe/Paris 30 2 * * *", "2026-10-24T12:00:00Z", 2));
    assertEquals(List.of("2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z"),
        firings("CRON_TZ=Europe/Paris */30 * * * *", "2026-10-24T23:45:00Z", 4));
    // from inside the second 02:00-02:59, today's 02:30 has already fired
    assertEquals(List.of("2026-10-26T01:30:00Z"), firings("CRON_TZ=Europe/Paris 30 2 * * *", "2026-10-25T01:10:00Z", 1));
  }

  @Test
  void theExpressionIsTrimmedAndEqualityFollowsIt() {
    CronSchedule schedule = CronSchedule.parse(" \t0 9 * * MON-FRI\t ");
    assertEquals("0 9 * * MON-FRI", schedule.expression());
    assertEquals("0 9 * * MON-FRI", schedule.toString());
    assertEquals(CronSchedule.parse("0 9 * * MON-FRI"), schedule);
    assertEquals(CronSchedule.parse("0 9 * * MON-FRI").hashCode(), schedule.hashCode());
    assertNotEquals(CronSchedule.parse("0 9 * * 1-5"), schedule);
    assertEquals(firings("0 9 * * 1-5", "2026-01-01T00:00:00Z", 5),
        firings("0\t9   *\t \t* 1-5", "2026-01-01T00:00:00Z", 5));
  }

  @Test
  void theEndsOfInstantsRangeGiveNullOrTheFirstFiringWithoutThrowing() {
    assertNull(CronSchedule.parse("0 0 * * *").next(Instant.MAX));
    assertNull(CronSchedule.parse("@every 1s").next(Instant.MAX));
    long last = Instant.MAX.getEpochSecond();
    assertEquals(Instant.ofEpochSecond(last), CronSchedule.parse("@every 1s").next(Instant.ofEpochSecond(last - 1)));
    assertEquals(Instant.parse("-999999999-01-03T00:00:00Z"), CronSchedule.parse("0 0 * * *").next(Instant.MIN));
    assertThrows(NullPointerException.class, () -> CronSchedule.parse("0 0 * * *").next(null));
  }

  @Test
  void nullOrBlankIsRefused() {
    assertEquals("DURABLE-201 cronSchedule must be a non-empty string, got null", rejection(null));
    assertEquals("DURABLE-201 cronSchedule must be a non-empty string, got \"  \"", rejection("  "));
  }

  @Test
  void aWrongNumberOfFieldsIsRefused() {
    assertEquals("DURABLE-201 cronSchedule \"0 0 * *\" is invalid: it has 4 fields, but a cron expression has 5"
        + " (minute hour day-of-month month day-of-week, as in \"0 9 * * MON-FRI\") or is a macro such as @daily or"
        + " @every 15m", rejection(" 0 0 * * "));
    assertEquals("DURABLE-201 cronSchedule \"0 0 0 * * *\" is invalid: it has 6 fields, but a cron expression has 5"
        + " (minute hour day-of-month month day-of-week, as in \"0 9 * * MON-FRI\") or is a macro such as @daily or"
        + " @every 15m; seconds and year fields are not supported", rejection("0 0 0 * * *"));
  }

  @Test
  void aValueOutOfItsFieldsRangeIsRefusedNamingTheField() {
    assertEquals("DURABLE-201 cronSchedule \"0 25 * * *\" is invalid: the hour field '25' is out of range 0-23",
        rejection("0 25 * * *"));
    assertRejected("60 * * * *", "the minute field '60' is out of range 0-59");
    assertRejected("0 0 1,32 * *", "the day-of-month field '1,32': '32' is out of range 1-31");
    assertRejected("0 0 0 * *", "the day-of-month field '0' is out of range 1-31");
    assertRejected("0 0 * 0-13 *", "the month field '0-13': '0' is out of range 1-12");
    assertRejected("0 0 * * 8", "the day-of-week field '8' is out of range 0-7");
    assertRejected("0 0-24 * * *", "the hour field '0-24': '24' is out of range 0-23");
    assertRejected("99999999999 * * * *", "the minute field '99999999999' is out of range 0-59");
    assertRejected("CRON_TZ=Europe/Paris 0 25 * * *", "the hour field '25' is out of range 0-23");
  }

  @Test
  void anUnknownValueOrNameIsRefusedSayingWhatTheFieldTakes() {
    assertRejected("x 0 * * *", "the minute field 'x' is not a number in 0-59");
    assertRejected("0 MON * * *", "the hour field 'MON' is not a number in 0-23");
    assertRejected("0 0 ? * MON", "the day-of-month field '?' is not a number in 1-31");
    assertRejected("0 0 * JAM *", "the month field 'JAM' is not a number in 1-12 or a month name JAN-DEC");
    assertRejected("0 0 * * MONDAY", "the day-of-week field 'MONDAY' is not a number in 0-7 or a day name SUN-SAT");
    assertRejected("0 0 * * -1", "the day-of-week field '-1' is missing a value");
    assertRejected("0 0 * * 1-", "the day-of-week field '1-' is missing a value");
  }

  @Test
  void reversedOrMalformedRangesAreRefused() {
    assertRejected("5-1 * * * *", "the minute field '5-1' is a reversed range; write the smaller value first, as in 1-5");
    assertRejected("0 0 * * FRI-MON",
        "the day-of-week field 'FRI-MON' is a reversed range; write the smaller value first, as in MON-FRI");
    assertRejected("0 0 * * FRI-SUN",
        "the day-of-week field 'FRI-SUN' is a reversed range; write the smaller value first, as in 5-7 (7 is Sunday too)");
    assertRejected("0 0 1,20-10/2 * *", "the day-of-month field '1,20-10/2': '20-10' is a reversed range; write the"
        + " smaller value first, as in 10-20");
    assertRejected("1-2-3 * * * *", "the minute field '1-2-3' is not a range; a range is two values joined by '-', as in 1-5");
  }

  @Test
  void aStepOfZeroTooLargeOrMissingIsRefused() {
    assertRejected("*/0 * * * *", "the minute field '*/0' has step '0'; a step must be a whole number from 1 to 59");
    assertRejected("*/60 * * * *", "the minute field '*/60' has step '60'; a step must be a whole number from 1 to 59");
    assertRejected("0 */x * * *", "the hour field '*/x' has step 'x'; a step must be a whole number from 1 to 23");
    assertRejected("0 0 * * */7", "the day-of-week field '*/7' has step '7'; a step must be a whole number from 1 to 6");
    assertRejected("0 0 * 1,*/2/3 *",
        "the month field '1,*/2/3': '*/2/3' has step '2/3'; a step must be a whole number from 1 to 11");
    assertRejected("0 0 1-10/ * *", "the day-of-month field '1-10/' is missing a step after '/', as in */5");
    assertRejected("/5 * * * *", "the minute field '/5' is missing a value");
  }

  @Test
  void anEmptyListElementIsRefused() {
    assertRejected("1,,2 * * * *", "the minute field '1,,2' has an empty list element");
    assertRejected("0 0 * * MON,", "the day-of-week field 'MON,' has an empty list element");
    assertRejected("0 , * * *", "the hour field ',' has an empty list element");
  }

  @Test
  void aScheduleThatCanNeverFireIsRefused() {
    assertEquals("DURABLE-201 cronSchedule \"0 0 30 2 *\" is invalid: it can never fire: no month of the month field"
        + " '2' has a day of the day-of-month field '30' (the longest of those months has 29 days)",
        rejection("0 0 30 2 *"));
    assertRejected("0 0 31 2,4,6,9,11 *", "it can never fire: no month of the month field '2,4,6,9,11' has a day of"
        + " the day-of-month field '31' (the longest of those months has 30 days)");
    assertRejected("0 0 30,31 FEB *", "it can never fire: no month of the month field 'FEB' has a day of"
        + " the day-of-month field '30,31' (the longest of those months has 29 days)");
  }

  @Test
  void anUnknownOrMisusedMacroIsRefused() {
    assertRejected("@weekdays", "'@weekdays' is not a known macro; use @yearly, @annually, @monthly, @weekly, @daily,"
        + " @midnight, @hourly or @every <duration>");
    assertRejected("@daily 5", "@daily must be the whole schedule, got '5' after it");
  }

  @Test
  void aMissingMalformedOrTooShortEveryDurationIsRefused() {
    String format = "; write whole numbers (of at most 9 digits) with the units d, h, m and s in that order, as in 30s,"
        + " 15m, 1h30m or 1d";
    assertRejected("@every", "@every takes one duration, without spaces, as in @every 15m or @every 1h30m");
    assertRejected("@every 1h 30m", "@every takes one duration, without spaces, as in @every 15m or @every 1h30m");
    assertRejected("@every 10x", "the duration '10x' of @every is not understood" + format);
    assertRejected("@every 500ms", "the duration '500ms' of @every is not understood" + format);
    assertRejected("@every 30m1h", "the duration '30m1h' of @every is not understood" + format);
    assertRejected("@every 1.5h", "the duration '1.5h' of @every is not understood" + format);
    assertRejected("@every 0s", "the duration '0s' of @every must be at least 1s");
    assertRejected("@every 0h0m", "the duration '0h0m' of @every must be at least 1s");
  }

  @Test
  void anUnknownOrMisusedTimeZoneIsRefused() {
    assertRejected("CRON_TZ=Mars/Olympus 0 9 * * *", "the time zone 'Mars/Olympus' of CRON_TZ is unknown; use a zone id"
        + " such as Europe/Paris, America/New_York or UTC");
    assertRejected("CRON_TZ= 0 9 * * *", "CRON_TZ= must name a time zone, as in CRON_TZ=Europe/Paris 0 9 * * MON-FRI");
    assertRejected("CRON_TZ=Europe/Paris", "CRON_TZ=Europe/Paris must be followed by a schedule, as in"
        + " CRON_TZ=Europe/Paris 0 9 * * MON-FRI");
    assertRejected("CRON_TZ=Europe/Paris @every 1h", "@every counts from the Unix epoch in no time zone, so CRON_TZ"
        + " cannot be used with it; remove CRON_TZ, or use five fields such as \"CRON_TZ=Europe/Paris 0 * * * *\"");
  }

  @Test
  void jumpingFieldByFieldFindsWhatAMinuteByMinuteScanFinds() {
    String from = "2026-01-01T00:00:00Z";
    String to = "2026-05-01T00:00:00Z";
    sweep("*/7 3-5 * * *", ZoneOffset.UTC, t -> t.getMinute() % 7 == 0 && t.getHour() >= 3 && t.getHour() <= 5, from, to);
    sweep("0 0 13 * FRI", ZoneOffset.UTC, t -> midnight(t) && (t.getDayOfMonth() == 13
        || t.getDayOfWeek() == DayOfWeek.FRIDAY), from, to);
    sweep("5,35 */6 1-7 * MON", ZoneOffset.UTC, t -> (t.getMinute() == 5 || t.getMinute() == 35) && t.getHour() % 6 == 0
        && (t.getDayOfMonth() <= 7 || t.getDayOfWeek() == DayOfWeek.MONDAY), from, to);
    sweep("0 12 */10 * *", ZoneOffset.UTC, t -> t.getMinute() == 0 && t.getHour() == 12
        && t.getDayOfMonth() % 10 == 1, from, to);
    sweep("30 23 31 * *", ZoneOffset.UTC, t -> t.getMinute() == 30 && t.getHour() == 23 && t.getDayOfMonth() == 31,
        from, to);
    sweep("15 9 * 1,3,5 TUE-THU", ZoneOffset.UTC, t -> t.getMinute() == 15 && t.getHour() == 9
        && t.getMonthValue() % 2 == 1 && t.getDayOfWeek().getValue() >= 2 && t.getDayOfWeek().getValue() <= 4, from, to);
    sweep("0 0 29 2 *", ZoneOffset.UTC, t -> midnight(t) && t.getMonthValue() == 2 && t.getDayOfMonth() == 29,
        "2027-06-01T00:00:00Z", "2028-06-01T00:00:00Z");
    for (String[] window : new String[][] {{"2026-03-20T00:00:00Z", "2026-04-05T00:00:00Z"},
        {"2026-10-20T00:00:00Z", "2026-11-05T00:00:00Z"}}) {
      sweep("CRON_TZ=Europe/Paris 0,30 1-3 * * *", PARIS, t -> t.getMinute() % 30 == 0 && t.getHour() >= 1
          && t.getHour() <= 3, window[0], window[1]);
      sweep("CRON_TZ=Europe/Paris */20 * * * SUN", PARIS, t -> t.getMinute() % 20 == 0
          && t.getDayOfWeek() == DayOfWeek.SUNDAY, window[0], window[1]);
    }
    // Lord Howe Island moves its clocks by half an hour: a gap at 02:00 in October, an overlap at 02:00 in April
    ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
    for (String[] window : new String[][] {{"2026-04-01T00:00:00Z", "2026-04-10T00:00:00Z"},
        {"2026-10-01T00:00:00Z", "2026-10-10T00:00:00Z"}}) {
      sweep("CRON_TZ=Australia/Lord_Howe */15 1-2 * * *", lordHowe, t -> t.getMinute() % 15 == 0
          && (t.getHour() == 1 || t.getHour() == 2), window[0], window[1]);
    }
  }

  private static boolean midnight(LocalDateTime t) {
    return t.getMinute() == 0 && t.getHour() == 0;
  }

  /**
   * Checks {@code expression} against {@code matches}, a plain statement of its meaning in local
   * time: every instant from {@code from} to {@code to}, minute by minute, whose local time
   * matches (at its first occurrence, for a local time that occurs twice) must be the next firing
   * after the one before, and after a few hundred seeded instants in between as well.
   */
  private static void sweep(String expression, ZoneId zone, Predicate<LocalDateTime> matches, String from, String to) {
    Instant start = Instant.parse(from);
    Instant end = Instant.parse(to);
    List<Instant> expected = new ArrayList<>();
    for (Instant t = start.plusSeconds(60); t.isBefore(end); t = t.plusSeconds(60)) {
      ZonedDateTime local = t.atZone(zone);
      if (matches.test(local.toLocalDateTime()) && local.equals(local.withEarlierOffsetAtOverlap())) {
        expected.add(t);
      }
    }
    assertFalse(expected.isEmpty(), expression + " fires in the window");
    CronSchedule schedule = CronSchedule.parse(expression);
    List<Instant> actual = new ArrayList<>();
    for (Instant t = schedule.next(start); t.isBefore(end); t = schedule.next(t)) {
      actual.add(t);
    }
    assertEquals(expected, actual, expression);
    Random random = new Random(expression.hashCode());
    long span = end.getEpochSecond() - start.getEpochSecond();
    for (int i = 0; i < 300; i++) {
      Instant after = start.plusSeconds((long) (random.nextDouble() * span)).plusNanos(random.nextInt(1_000_000_000));
      int at = Collections.binarySearch(expected, after);
      int following = at >= 0 ? at + 1 : -at - 1;
      if (following < expected.size()) {
        assertEquals(expected.get(following), schedule.next(after), expression + " after " + after);
      }
    }
  }

  /** The first {@code count} firings of {@code expression} after {@code after}, as ISO instants. */
  private static List<String> firings(String expression, String after, int count) {
    CronSchedule schedule = CronSchedule.parse(expression);
    List<String> firings = new ArrayList<>();
    Instant t = Instant.parse(after);
    for (int i = 0; i < count; i++) {
      t = schedule.next(t);
      firings.add(t.toString());
    }
    return firings;
  }

  private static void assertRejected(String expression, String problem) {
    assertEquals("DURABLE-201 cronSchedule \"" + expression + "\" is invalid: " + problem, rejection(expression));
  }

  private static String rejection(String expression) {
    return assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(expression)).getMessage();
  }
}
