package dev.durable.internal.server;

import static dev.durable.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.durable.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Timer entries fire in due order once the clock reaches them; cancelled ones never fire. */
class TimerServiceTest {
  private final ManualClock clock = new ManualClock();
  private final List<String> fired = new CopyOnWriteArrayList<>();
  private TimerService timers;

  @BeforeEach
  void start() {
    timers = new TimerService(clock);
    timers.start();
  }

  @AfterEach
  void close() {
    timers.close();
  }

  private TimerService.Armed at(int seconds, String name) {
    return timers.schedule(clock.instant().plusSeconds(seconds), () -> fired.add(name));
  }

  @Test
  void deadlinesBeyondWhatMillisecondsHoldAreNeverDueAndThoseLongPastAreDueNow() {
    // Stored by versions that did not cap deadlines: arming one used to throw, and the server did not start.
    assertEquals(Long.MAX_VALUE, TimerService.dueMillis(Instant.MAX));
    assertEquals(Long.MAX_VALUE, TimerService.dueMillis(dev.durable.internal.Deadlines.NEVER));
    assertEquals(Long.MAX_VALUE - 1, TimerService.dueMillis(Instant.ofEpochMilli(Long.MAX_VALUE - 1)));
    assertEquals(Long.MAX_VALUE - 1, TimerService.dueMillis(Instant.ofEpochMilli(Long.MAX_VALUE - 2).plusNanos(1)));
    assertEquals(Long.MIN_VALUE, TimerService.dueMillis(Instant.MIN));
    timers.schedule(Instant.MAX, () -> fired.add("never"));
    at(1, "soon");
    clock.advance(Duration.ofSeconds(1));
    eventually("the entry due to fire", () -> fired.equals(List.of("soon")));
    assertEquals(dev.durable.internal.Deadlines.NEVER, timers.nextDue());
    timers.schedule(Instant.MIN, () -> fired.add("long past"));
    eventually("the entry long past to fire", () -> fired.equals(List.of("soon", "long past")));
  }

  @Test
  void cancelledEntriesNeitherFireNorCountAsNextDue() {
    Instant start = clock.instant();
    TimerService.Armed first = at(1, "first");
    at(2, "second");
    TimerService.Armed third = at(3, "third");
    first.cancel();
    third.cancel();
    third.cancel(); // twice is harmless
    assertEquals(start.plusSeconds(2), timers.nextDue());

    clock.advance(Duration.ofSeconds(5));
    eventually("the second entry to fire", () -> fired.equals(List.of("second")));
    assertNull(timers.nextDue());
    assertEquals(List.of("second"), fired);
  }

  @Test
  void onlyAnEntryDueBeforeTheOneTheThreadWaitsForWakesIt() {
    Instant start = clock.instant();
    TimerService.Armed timeout = at(60, "timeout");
    eventually("the timer thread to wait for the first entry", () -> start.plusSeconds(60).equals(timers.waitsUntil()));
    long wakeUps = timers.wakeUps();

    // A timeout cancelled and the next one armed, as for every workflow task: the thread sleeps on.
    timeout.cancel();
    at(120, "later");
    assertEquals(wakeUps, timers.wakeUps());
    assertEquals(start.plusSeconds(60), timers.waitsUntil());

    at(30, "sooner");
    assertEquals(wakeUps + 1, timers.wakeUps());
    eventually("the timer thread to wait for the sooner entry", () -> start.plusSeconds(30).equals(timers.waitsUntil()));

    clock.advance(Duration.ofSeconds(200));
    eventually("both live entries to fire", () -> fired.size() == 2);
    assertEquals(List.of("sooner", "later"), fired);
  }

  @Test
  void aBatchEndFollowsEveryRunOfDueEntriesAndAtMostBatchEntries() {
    List<Integer> batchEnds = new CopyOnWriteArrayList<>();
    timers.onBatchEnd(() -> batchEnds.add(fired.size()));
    Instant start = clock.instant();
    int n = 2 * TimerService.BATCH + 88;
    for (int i = 0; i < n; i++) {
      at(1, "due-" + i);
    }
    eventually("the timer thread to wait for the entries", () -> start.plusSeconds(1).equals(timers.waitsUntil()));
    assertEquals(List.of(), batchEnds); // nothing fired: no batch end

    clock.advance(Duration.ofSeconds(1));
    eventually("the last batch to end", () -> batchEnds.contains(n));
    assertEquals(List.of(TimerService.BATCH, 2 * TimerService.BATCH, n), batchEnds);
    assertEquals("due-" + (n - 1), fired.get(n - 1)); // still in the order they were armed

    at(5, "later");
    clock.advance(Duration.ofSeconds(5));
    eventually("the later entry's batch to end", () -> batchEnds.size() == 4);
    assertEquals(n + 1, batchEnds.get(3));
  }

  @Test
  void manyCancelledEntriesArePurgedAndTheRestStillFireInOrder() {
    Instant start = clock.instant();
    List<TimerService.Armed> stale = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      stale.add(at(10 + i % 50, "stale-" + i));
      if (i % 1000 == 0) {
        at(100 + i / 1000, "kept-" + i / 1000);
      }
    }
    stale.forEach(TimerService.Armed::cancel);
    assertEquals(start.plusSeconds(100), timers.nextDue());

    clock.advance(Duration.ofSeconds(200));
    eventually("the kept entries to fire", () -> fired.size() == 5);
    assertEquals(List.of("kept-0", "kept-1", "kept-2", "kept-3", "kept-4"), fired);
  }
}
