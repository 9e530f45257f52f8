package dev.durable.it.sandbox;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.it.ChildJvm;
import dev.durable.it.StoredHistories;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every redirected call gives the same value when a new JVM replays the history, and the value is
 * workflow time (or comes from the run's random stream): {@link PlainJavaValues} computes them in
 * {@link RedirectChild}, a second child on the same data dir replays and prints them again.
 *
 * <p>Each value is checked on its own, so a failure names the call. The same check run without
 * the agent must fail for every value: that proves the test can catch a missing redirect. The
 * server's clock runs years behind the real one ({@link RedirectChild#CLOCK_SHIFT}), so that even
 * {@code Year.now()} read from the system clock disagrees with workflow time.
 */
class RedirectTest {
  /** Not the system's zone, and not a whole-hour offset, so zone handling shows in the values. */
  private static final ZoneId CHILD_ZONE = ZoneId.of("Asia/Kolkata");
  private static final String WORKFLOW_TIME = "workflowTime";
  private static final String BEFORE_SLEEP = "workflowTime before Thread.sleep";
  private static final String AFTER_SLEEP = "workflowTime after Thread.sleep";
  private static final String AFTER_TIME_UNIT_SLEEP = "workflowTime after TimeUnit.sleep";
  private static final String SEEDED = "new Random(42).nextLong()";
  private static final String FIXED_CLOCK = "Instant.now(Clock.fixed(...))";
  /**
   * Values that are not redirected calls: the references the others are compared to, progress
   * markers, and calls that must keep their plain Java value.
   */
  private static final Set<String> NOT_REDIRECTED =
      Set.of(WORKFLOW_TIME, BEFORE_SLEEP, "activity", PlainJavaValues.PHASE, SEEDED, FIXED_CLOCK);

  /** What a value must be, given the workflow time of its task and of the task after the sleep. */
  private static final Map<String, BiFunction<Instant, Instant, Object>> EXPECTED = Map.ofEntries(
      Map.entry("Instant.now()", (w, after) -> w),
      Map.entry("LocalDate.now()", (w, after) -> LocalDate.ofInstant(w, CHILD_ZONE)),
      Map.entry("LocalDateTime.now(Europe/Paris)", (w, after) -> LocalDateTime.ofInstant(w, ZoneId.of("Europe/Paris"))),
      Map.entry("ZonedDateTime.now(Clock.systemUTC())", (w, after) -> ZonedDateTime.ofInstant(w, ZoneOffset.UTC)),
      Map.entry("OffsetDateTime.now()", (w, after) -> OffsetDateTime.ofInstant(w, CHILD_ZONE)),
      Map.entry("Year.now()", (w, after) -> Year.from(LocalDate.ofInstant(w, CHILD_ZONE))),
      Map.entry("LocalTime.now()", (w, after) -> LocalTime.ofInstant(w, CHILD_ZONE)),
      Map.entry("OffsetTime.now()", (w, after) -> OffsetTime.ofInstant(w, CHILD_ZONE)),
      Map.entry("YearMonth.now()", (w, after) -> YearMonth.from(LocalDate.ofInstant(w, CHILD_ZONE))),
      Map.entry("MonthDay.now(Clock.system(Asia/Tokyo))",
          (w, after) -> MonthDay.from(LocalDate.ofInstant(w, ZoneId.of("Asia/Tokyo")))),
      Map.entry("Clock.systemDefaultZone().millis()", (w, after) -> w.toEpochMilli()),
      Map.entry("System.currentTimeMillis()", (w, after) -> w.toEpochMilli()),
      Map.entry("new Date()", (w, after) -> w.toEpochMilli()),
      Map.entry("Calendar.getInstance()", (w, after) -> w.toEpochMilli()),
      Map.entry("Calendar.getInstance(UTC)", (w, after) -> w.toEpochMilli()),
      Map.entry(SEEDED, (w, after) -> new Random(42).nextLong()),
      Map.entry(FIXED_CLOCK, (w, after) -> PlainJavaValues.FIXED),
      Map.entry("Instant::now", (w, after) -> w),
      Map.entry("lambda Instant.now()", (w, after) -> w),
      Map.entry("anonymous class Instant.now()", (w, after) -> w),
      Map.entry("inner class Instant.now()", (w, after) -> w),
      Map.entry("record Instant.now()", (w, after) -> w),
      Map.entry("enum Instant.now()", (w, after) -> w),
      Map.entry("Instant.now() after Thread.sleep", (w, after) -> after),
      Map.entry("InstantSource.system().instant()", (w, after) -> w),
      Map.entry("Clock.tickSeconds(UTC).instant()", (w, after) -> w.truncatedTo(ChronoUnit.SECONDS)),
      Map.entry("new GregorianCalendar()", (w, after) -> w.toEpochMilli()),
      Map.entry("new GregorianCalendar(UTC)", (w, after) -> w.toEpochMilli()),
      Map.entry("JapaneseDate.now()", (w, after) -> JapaneseDate.from(LocalDate.ofInstant(w, CHILD_ZONE))),
      Map.entry("HijrahDate.now(Asia/Tokyo)",
          (w, after) -> HijrahDate.from(LocalDate.ofInstant(w, ZoneId.of("Asia/Tokyo")))));

  @TempDir Path tmp;

  @AfterEach
  void everyStoredHistoryIsValid() {
    StoredHistories.assertAllValidUnder(tmp);
  }

  @Test
  void everyRedirectedCallGivesTheSameValueWhenANewJvmReplaysTheHistory() throws Exception {
    Runs runs = runTwice("with-agent", true);

    assertEquals(runs.first().keySet(), runs.replay().keySet(), "the replay computed the same values");
    assertTrue(runs.first().size() > 30, "values: " + runs.first());
    assertAll(runs.first().keySet().stream().map(name -> (Executable) () ->
        assertEquals(List.of(), problems(name, runs), name + " is not deterministic")));
    assertEquals(2, runs.events().stream().filter(e -> e.startsWith("TimerStarted ")
            && e.contains("\"duration\":\"PT0.05S\"")).count(),
        "Thread.sleep(" + PlainJavaValues.SLEEP_MILLIS + ") and TimeUnit.MILLISECONDS.sleep("
            + PlainJavaValues.SLEEP_MILLIS + ") each started a durable timer: " + runs.events());
    assertEquals("finished", runs.result());
  }

  @Test
  void withoutTheAgentTheSameCheckFailsForEveryValue() throws Exception {
    Runs runs = runTwice("without-agent", false);

    assertEquals(runs.first().keySet(), runs.replay().keySet());
    Stream<String> checked = runs.first().keySet().stream().filter(name -> !NOT_REDIRECTED.contains(name));
    assertAll(checked.map(name -> (Executable) () -> assertFalse(problems(name, runs).isEmpty(),
        name + " passed the check without the agent (" + runs.first().get(name) + "), so the check cannot tell"
            + " whether the agent redirected it")));
    assertTrue(runs.events().stream().noneMatch(e -> e.startsWith("TimerStarted ")),
        "without the agent Thread.sleep blocks the thread and records nothing: " + runs.events());
  }

  /**
   * Returns what is wrong with one value: empty when the replay computed the same value and it
   * agrees with workflow time.
   */
  private static List<String> problems(String name, Runs runs) {
    List<String> problems = new ArrayList<>();
    String value = runs.first().get(name);
    String replayed = runs.replay().get(name);
    if (!Objects.equals(value, replayed)) {
      problems.add("run 1 computed " + value + ", the replay in a new JVM computed " + replayed);
    }
    Instant workflowTime = Instant.parse(runs.first().get(WORKFLOW_TIME));
    Instant beforeSleep = Instant.parse(runs.first().get(BEFORE_SLEEP));
    Instant afterSleep = Instant.parse(runs.first().get(AFTER_SLEEP));
    if (name.equals(AFTER_SLEEP) && afterSleep.isBefore(beforeSleep.plusMillis(PlainJavaValues.SLEEP_MILLIS))) {
      problems.add("Thread.sleep(" + PlainJavaValues.SLEEP_MILLIS + ") did not advance workflow time: it was "
          + beforeSleep + " before and " + afterSleep + " after");
    }
    if (name.equals(AFTER_TIME_UNIT_SLEEP)
        && Instant.parse(value).isBefore(afterSleep.plusMillis(PlainJavaValues.SLEEP_MILLIS))) {
      problems.add("TimeUnit.MILLISECONDS.sleep(" + PlainJavaValues.SLEEP_MILLIS + ") did not advance workflow time:"
          + " it was " + afterSleep + " before and " + value + " after");
    }
    BiFunction<Instant, Instant, Object> expected = EXPECTED.get(name);
    if (expected != null && !expected.apply(workflowTime, afterSleep).toString().equals(value)) {
      problems.add("expected " + expected.apply(workflowTime, afterSleep) + " from workflow time " + workflowTime
          + " (after the sleep " + afterSleep + ", zone " + CHILD_ZONE + "), got " + value);
    }
    return problems;
  }

  /** What the two child runs printed. */
  private record Runs(Map<String, String> first, Map<String, String> replay, String result, List<String> events) {}

  /** Runs the workflow up to its wait in one child JVM, then replays, finishes it and reads its history in another. */
  private Runs runTwice(String name, boolean agent) throws Exception {
    Path dataDir = tmp.resolve(name);
    Map<String, String> first;
    try (ChildJvm child = start(name + "-1", agent, dataDir)) {
      assertEquals(0, child.awaitExit(), child.report());
      first = values(child);
    }
    try (ChildJvm child = start(name + "-2", agent, dataDir, "finish")) {
      assertEquals(0, child.awaitExit(), child.report());
      List<String> events = child.stdoutValues("EVENT ");
      List<String> results = child.stdoutValues("RESULT ");
      assertEquals(1, results.size(), child.report());
      return new Runs(first, values(child), results.get(0), events);
    }
  }

  private ChildJvm start(String name, boolean agent, Path dataDir, String... more) throws IOException {
    List<Object> args = new ArrayList<>(List.of(dataDir));
    args.addAll(List.of(more));
    ChildJvm.Launcher launcher = ChildJvm.launcher(RedirectChild.class.getName(), args.toArray())
        .jvmOptions("-Duser.timezone=" + CHILD_ZONE.getId());
    if (agent) {
      launcher.agent("");
    }
    return launcher.start(tmp, name);
  }

  private static Map<String, String> values(ChildJvm child) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : child.stdoutValues("VALUE ")) {
      int eq = line.indexOf('=');
      values.put(line.substring(0, eq), line.substring(eq + 1));
    }
    assertFalse(values.isEmpty(), child.report());
    return values;
  }

}
