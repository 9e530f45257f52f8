package dev.durable.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code cronSchedule}: when a cron workflow runs next. Instances are immutable and
 * thread-safe, and equal when their (trimmed) expressions are equal.
 *
 * <p>An expression is one of:
 * <ul>
 *   <li>five fields separated by spaces or tabs: minute (0-59), hour (0-23), day of month (1-31),
 *       month (1-12 or JAN-DEC) and day of week (0-7 or SUN-SAT, where 0 and 7 are both Sunday).
 *       Names are case-insensitive. A field is {@code *}, a value, a range {@code a-b}, a step
 *       <code>*&#47;n</code>, <code>a-b&#47;n</code> or <code>a&#47;n</code> (from a to the field's
 *       last value), or a comma-separated list of those;
 *   <li>a macro: {@code @yearly} and {@code @annually} ({@code 0 0 1 1 *}), {@code @monthly}
 *       ({@code 0 0 1 * *}), {@code @weekly} ({@code 0 0 * * 0}), {@code @daily} and {@code @midnight}
 *       ({@code 0 0 * * *}), {@code @hourly} ({@code 0 * * * *});
 *   <li>{@code @every} and a duration of whole days, hours, minutes and seconds, in that order
 *       ({@code 30s}, {@code 90m}, {@code 1h30m}, {@code 1d}), of at least one second. It fires at
 *       every multiple of the duration since the Unix epoch, so {@code @every 15m} fires at :00,
 *       :15, :30 and :45 UTC, whenever the workflow was started.
 * </ul>
 *
 * <p>When both the day of month and the day of week are restricted, a day matches if either does:
 * {@code 0 0 13 * FRI} fires on every 13th and on every Friday. When one of them is unrestricted,
 * only the other counts. As in robfig/cron (which Temporal's {@code cronSchedule} uses), a field is
 * unrestricted only when written {@code *} (or <code>*&#47;1</code>): {@code 1-31} and
 * <code>*&#47;2</code> restrict.
 *
 * <p>Fields match UTC unless the expression starts with {@code CRON_TZ=<zone id>}, as in
 * {@code CRON_TZ=Europe/Paris 0 9 * * MON-FRI}; then they match that zone's local time. Where
 * daylight saving time moves the clock forward, a local time in the gap does not exist and is
 * skipped: {@code 30 2 * * *} in Paris does not fire on 2026-03-29. Moving it to after the gap
 * would fire at a time nobody wrote, and twice within minutes next to a firing at 03:00. Where the
 * clock moves back, a local time that occurs twice fires once, at its first occurrence (the earlier
 * offset): a daily job must not run twice. So every-30-minutes in Paris on 2026-10-25 fires at
 * 02:00 and 02:30 (UTC+2), then at 03:00 (UTC+1), not again at 02:00 and 02:30 (UTC+1).
 * {@code @every} counts from the epoch in no zone, so {@code CRON_TZ} is refused with it.
 *
 * <p>An expression that can never fire, such as {@code 0 0 30 2 *} (February 30th), is refused by
 * {@link #parse}, so {@link #next} never searches in vain.
 */
public final class CronSchedule {
  private static final String OPTION = "cronSchedule";
  private static final String ZONE_PREFIX = "CRON_TZ=";
  private static final Pattern SEPARATOR = Pattern.compile("[ \t]+");
  private static final Pattern DURATION =
      Pattern.compile("(?:(\\d{1,9})d)?(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?");
  /** The seconds in each unit of {@link #DURATION}, in the order of its groups. */
  private static final long[] DURATION_UNITS = {86_400, 3_600, 60, 1};
  private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
      "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");
  /**
   * How many years past its start {@link #next} looks. A valid schedule fires at least once a
   * year, except one that only February 29th satisfies, and leap years can be 8 years apart (2096
   * and 2104, as 2100 is not one). {@link #parse} refuses the schedules that would never fire.
   */
  private static final int MAX_YEARS = 8;
  /** The last instant whose search stays within the years {@link LocalDateTime} can name. */
  private static final Instant LATEST = LocalDateTime.MAX.minusYears(MAX_YEARS + 1).toInstant(ZoneOffset.UTC);
  /** The first instant every zone's local time can name (offsets reach 18 hours). */
  private static final Instant EARLIEST = LocalDateTime.MIN.plusDays(1).toInstant(ZoneOffset.UTC);

  private final String expression;
  private final Rule rule;

  private CronSchedule(String expression, Rule rule) {
    this.expression = expression;
    this.rule = rule;
  }

  /**
   * Parses {@code expression} (see the class description), ignoring leading and trailing
   * whitespace.
   *
   * @throws IllegalArgumentException (DURABLE-201) naming the part that is wrong and what is
   *     allowed there, if the expression is null, blank, malformed or can never fire
   */
  public static CronSchedule parse(String expression) {
    String trimmed = Checks.notBlank(OPTION, expression).strip();
    return new CronSchedule(trimmed, rule(trimmed));
  }

  /**
   * Returns the first instant strictly after {@code after} at which the schedule fires, with
   * second and nanosecond zero (in any zone whose offset is whole minutes, as every zone's has
   * been since 1972), or null if it does not fire again before the end of {@link Instant}'s range.
   */
  public Instant next(Instant after) {
    return rule.next(Objects.requireNonNull(after, "after"));
  }

  /** Returns the expression as given to {@link #parse}, without leading and trailing whitespace. */
  public String expression() {
    return expression;
  }

  /** Whether {@code o} is a schedule with the same expression (not merely the same firings). */
  @Override
  public boolean equals(Object o) {
    return o instanceof CronSchedule other && expression.equals(other.expression);
  }

  /** The expression's hash code. */
  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  /** Returns the expression, as {@link #expression()} does. */
  @Override
  public String toString() {
    return expression;
  }

  /** Parses a trimmed, non-blank expression: an optional CRON_TZ, then a macro or five fields. */
  private static Rule rule(String expression) {
    ZoneId zone = null;
    String schedule = expression;
    if (expression.startsWith(ZONE_PREFIX)) {
      String[] zoneAndSchedule = SEPARATOR.split(expression, 2);
      zone = zone(expression, zoneAndSchedule[0].substring(ZONE_PREFIX.length()));
      if (zoneAndSchedule.length < 2) {
        throw fail(expression, zoneAndSchedule[0] + " must be followed by a schedule, as in "
            + zoneAndSchedule[0] + " 0 9 * * MON-FRI");
      }
      schedule = zoneAndSchedule[1];
    }
    String[] fields = SEPARATOR.split(schedule);
    if (fields[0].startsWith("@")) {
      String macro = fields[0].toLowerCase(Locale.ROOT);
      if (macro.equals("@every")) {
        return every(expression, fields, zone);
      }
      String expansion = MACROS.get(macro);
      if (expansion == null) {
        throw fail(expression, "'" + fields[0] + "' is not a known macro; use @yearly, @annually, @monthly,"
            + " @weekly, @daily, @midnight, @hourly or @every <duration>");
      }
      if (fields.length > 1) {
        throw fail(expression, fields[0] + " must be the whole schedule, got '" + fields[1] + "' after it");
      }
      fields = SEPARATOR.split(expansion);
    }
    if (fields.length != 5) {
      throw fail(expression, "it has " + fields.length + " fields, but a cron expression has 5 (minute hour"
          + " day-of-month month day-of-week, as in \"0 9 * * MON-FRI\") or is a macro such as @daily or"
          + " @every 15m" + (fields.length > 5 ? "; seconds and year fields are not supported" : ""));
    }
    long minutes = Field.MINUTE.parse(expression, fields[0]).bits();
    long hours = Field.HOUR.parse(expression, fields[1]).bits();
    Selection days = Field.DAY_OF_MONTH.parse(expression, fields[2]);
    Selection months = Field.MONTH.parse(expression, fields[3]);
    Selection weekdays = Field.DAY_OF_WEEK.parse(expression, fields[4]);
    // Any day of the week occurs in every month, so only days of month alone can miss every month.
    if (!days.any() && weekdays.any()) {
      int longest = 0;
      for (int month = 1; month <= 12; month++) {
        longest = (months.bits() >>> month & 1) != 0 ? Math.max(longest, Month.of(month).maxLength()) : longest;
      }
      if (Long.numberOfTrailingZeros(days.bits()) > longest) {
        throw fail(expression, "it can never fire: no month of the month field '" + fields[3] + "' has a day of"
            + " the day-of-month field '" + fields[2] + "' (the longest of those months has " + longest + " days)");
      }
    }
    return new Calendar(minutes, hours, days.bits(), months.bits(), weekdays.bits(), days.any(), weekdays.any(),
        zone == null ? ZoneOffset.UTC : zone);
  }

  /** The zone that {@code CRON_TZ=id} names. */
  private static ZoneId zone(String expression, String id) {
    if (id.isEmpty()) {
      throw fail(expression, ZONE_PREFIX + " must name a time zone, as in CRON_TZ=Europe/Paris 0 9 * * MON-FRI");
    }
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw fail(expression, "the time zone '" + id + "' of CRON_TZ is unknown; use a zone id such as"
          + " Europe/Paris, America/New_York or UTC");
    }
  }

  /** Parses {@code @every <duration>}, given as fields, which {@code zone} (if not null) preceded. */
  private static Rule every(String expression, String[] fields, ZoneId zone) {
    if (zone != null) {
      throw fail(expression, "@every counts from the Unix epoch in no time zone, so CRON_TZ cannot be used with"
          + " it; remove CRON_TZ, or use five fields such as \"CRON_TZ=Europe/Paris 0 * * * *\"");
    }
    if (fields.length != 2) {
      throw fail(expression, "@every takes one duration, without spaces, as in @every 15m or @every 1h30m");
    }
    Matcher duration = DURATION.matcher(fields[1]);
    if (!duration.matches()) {
      throw fail(expression, "the duration '" + fields[1] + "' of @every is not understood; write whole numbers"
          + " (of at most 9 digits) with the units d, h, m and s in that order, as in 30s, 15m, 1h30m or 1d");
    }
    long seconds = 0; // at most 999999999 days and a bit: far from overflowing
    for (int i = 0; i < DURATION_UNITS.length; i++) {
      String amount = duration.group(i + 1);
      seconds += amount == null ? 0 : Long.parseLong(amount) * DURATION_UNITS[i];
    }
    if (seconds < 1) {
      throw fail(expression, "the duration '" + fields[1] + "' of @every must be at least 1s");
    }
    return new Every(seconds);
  }

  /** The DURABLE-201 error for {@code expression}, whose {@code problem} says what is wrong and what is allowed. */
  private static IllegalArgumentException fail(String expression, String problem) {
    return Checks.invalid(OPTION + " \"" + expression + "\" is invalid: " + problem);
  }

  /** The index of the first bit set in {@code bits} at {@code from} or above, or -1 if there is none. */
  private static int nextBit(long bits, int from) {
    long rest = from > 63 ? 0 : bits & (-1L << from);
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }

  /** How a schedule finds its next firing. */
  private sealed interface Rule permits Every, Calendar {
    Instant next(Instant after);
  }

  /** {@code @every}: the multiples of {@code seconds} since the epoch. */
  private record Every(long seconds) implements Rule {
    @Override
    public Instant next(Instant after) {
      // At most about 3.2e16 + 8.6e13 (Instant.MAX's seconds plus the longest duration): no overflow.
      long next = (Math.floorDiv(after.getEpochSecond(), seconds) + 1) * seconds;
      return next > Instant.MAX.getEpochSecond() ? null : Instant.ofEpochSecond(next);
    }
  }

  /**
   * Five fields, as bit sets indexed by value (day of week 0 to 6, Sunday 0). {@code anyDay} and
   * {@code anyWeekday} say that the day-of-month or day-of-week field was written {@code *}.
   */
  private record Calendar(long minutes, long hours, long days, long months, long weekdays, boolean anyDay,
      boolean anyWeekday, ZoneId zone) implements Rule {
    @Override
    public Instant next(Instant after) {
      if (after.isAfter(LATEST)) {
        return null;
      }
      Instant start = after.isBefore(EARLIEST) ? EARLIEST : after;
      LocalDateTime from = LocalDateTime.ofInstant(start, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
      int lastYear = from.getYear() + MAX_YEARS;
      var rules = zone.getRules();
      while (true) {
        LocalDateTime local = nextLocal(from, lastYear);
        if (local == null) {
          return null;
        }
        // A local time in a gap has no offset and is skipped. One in an overlap has two, and the larger is
        // the first pass (ZoneOffset's natural order is descending, hence the comparison of seconds).
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        ZoneOffset first = offsets.stream().max(Comparator.comparingInt(ZoneOffset::getTotalSeconds)).orElse(null);
        Instant at = first == null ? null : local.toInstant(first);
        // Not after "after" when "after" is in an overlap's second pass: the first pass has fired already.
        if (at != null && at.isAfter(after)) {
          return at;
        }
        from = local.plusMinutes(1);
      }
    }

    /**
     * The first matching local time at or after {@code from}, or null if there is none up to the end
     * of {@code lastYear}. Each step jumps to the next matching month, day, hour or minute, restarting
     * the smaller fields at their first value, so a search takes a few steps per month.
     */
    private LocalDateTime nextLocal(LocalDateTime from, int lastYear) {
      int year = from.getYear();
      int month = from.getMonthValue();
      int day = from.getDayOfMonth();
      int hour = from.getHour();
      int minute = from.getMinute();
      while (year <= lastYear) {
        int nextMonth = nextBit(months, month);
        int nextDay = nextMonth == month ? nextDay(year, month, day) : -1;
        if (nextDay < 0) {
          int later = nextBit(months, month + 1);
          year += later < 0 ? 1 : 0;
          month = later < 0 ? nextBit(months, 1) : later;
          day = 1;
          hour = 0;
          minute = 0;
          continue;
        }
        if (nextDay != day) {
          day = nextDay;
          hour = 0;
          minute = 0;
        }
        int nextHour = nextBit(hours, hour);
        if (nextHour < 0) {
          day++; // past the month's end, nextDay finds nothing and the search moves to the next month
          hour = 0;
          minute = 0;
          continue;
        }
        if (nextHour != hour) {
          hour = nextHour;
          minute = 0;
        }
        int nextMinute = nextBit(minutes, minute);
        if (nextMinute < 0) {
          hour++; // hour 24 has no bit: the next pass moves to the next day
          minute = 0;
          continue;
        }
        return LocalDateTime.of(year, month, day, hour, nextMinute);
      }
      return null;
    }

    /** The first day of the month from {@code day} on that matches, or -1 if there is none. */
    private int nextDay(int year, int month, int day) {
      LocalDate first = LocalDate.of(year, month, 1);
      int firstWeekday = first.getDayOfWeek().getValue() % 7;
      for (int d = day; d <= first.lengthOfMonth(); d++) {
        boolean byDay = (days >>> d & 1) != 0;
        boolean byWeekday = (weekdays >>> (firstWeekday + d - 1) % 7 & 1) != 0;
        if (anyDay || anyWeekday ? byDay && byWeekday : byDay || byWeekday) {
          return d;
        }
      }
      return -1;
    }
  }

  /** A field's values as a bit set, and whether it was written {@code *} (which matters for days). */
  private record Selection(long bits, boolean any) {}

  /** The five fields of a cron expression, with what each accepts. */
  private enum Field {
    MINUTE("minute", 0, 59, 59, List.of()),
    HOUR("hour", 0, 23, 23, List.of()),
    DAY_OF_MONTH("day-of-month", 1, 31, 31, List.of()),
    MONTH("month", 1, 12, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC")),
    // 7 is accepted as Sunday, but * and a/n end at 6 so that Sunday is not selected twice.
    DAY_OF_WEEK("day-of-week", 0, 6, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

    private final String label;
    private final int min;
    private final int max;
    private final int top;
    private final List<String> names;

    /**
     * A field named {@code label} in messages, whose {@code *} spans {@code min} to {@code max},
     * which accepts values up to {@code top}, and whose {@code names} stand for min, min + 1, and so on.
     */
    Field(String label, int min, int max, int top, List<String> names) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.top = top;
      this.names = names;
    }

    /** Parses {@code text}, this field of {@code expression}. */
    Selection parse(String expression, String text) {
      long bits = 0;
      boolean any = false;
      for (String part : text.split(",", -1)) {
        if (part.isEmpty()) {
          throw fail(expression, text, text, " has an empty list element");
        }
        int slash = part.indexOf('/');
        String range = slash < 0 ? part : part.substring(0, slash);
        int step = slash < 0 ? 1 : step(expression, text, part, part.substring(slash + 1));
        int first = min;
        int last = max;
        if (range.equals("*")) {
          any |= step == 1;
        } else if (range.indexOf('-') < 0) {
          first = value(expression, text, part, range);
          last = slash < 0 ? first : Math.max(first, max);
        } else {
          String[] ends = range.split("-", -1);
          if (ends.length != 2) {
            throw fail(expression, text, range, " is not a range; a range is two values joined by '-', as in 1-5");
          }
          first = value(expression, text, part, ends[0]);
          last = value(expression, text, part, ends[1]);
          if (first > last) {
            throw fail(expression, text, range, " is a reversed range; write the smaller value first, as in "
                + (this == DAY_OF_WEEK && last == 0 ? first + "-7 (7 is Sunday too)" : ends[1] + "-" + ends[0]));
          }
        }
        for (int v = first; v <= last; v += step) {
          bits |= 1L << v;
        }
      }
      return new Selection(this == DAY_OF_WEEK && (bits & 1L << 7) != 0 ? bits & ~(1L << 7) | 1 : bits, any);
    }

    /** The value that {@code token}, one end or start of {@code part} of the field's {@code text}, names. */
    private int value(String expression, String text, String part, String token) {
      if (token.isEmpty()) {
        throw fail(expression, text, part, " is missing a value");
      }
      if (token.chars().allMatch(c -> c >= '0' && c <= '9')) {
        int value = token.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(token);
        if (value < min || value > top) {
          throw fail(expression, text, token, " is out of range " + min + "-" + top);
        }
        return value;
      }
      int index = names.indexOf(token.toUpperCase(Locale.ROOT));
      if (index < 0) {
        String byName = names.isEmpty() ? "" : " or a " + (this == MONTH ? "month" : "day") + " name "
            + names.get(0) + "-" + names.get(names.size() - 1);
        throw fail(expression, text, token, " is not a number in " + min + "-" + top + byName);
      }
      return min + index;
    }

    /** The step that {@code token}, which follows '/' in {@code part} of the field's {@code text}, names. */
    private int step(String expression, String text, String part, String token) {
      if (token.isEmpty()) {
        throw fail(expression, text, part, " is missing a step after '/', as in */5");
      }
      boolean number = token.length() <= 9 && token.chars().allMatch(c -> c >= '0' && c <= '9');
      int step = number ? Integer.parseInt(token) : 0;
      // A step as long as the field selects its first value alone: "*/60" minutes is a mistaken "hourly".
      if (step < 1 || step > max - min) {
        throw fail(expression, text, part, " has step '" + token + "'; a step must be a whole number from 1 to "
            + (max - min));
      }
      return step;
    }

    /** The error for {@code piece} of this field's {@code text}, shown alone when it is the whole field. */
    private IllegalArgumentException fail(String expression, String text, String piece, String problem) {
      return CronSchedule.fail(expression, "the " + label + " field '" + text + "'"
          + (piece.equals(text) ? "" : ": '" + piece + "'") + problem);
    }
  }
}
