package dev.durable.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunIdsTest {
  private static final Instant T0 = Instant.parse("2026-11-26T18:00:00.123Z");

  @Test
  void aRunIdIsAVersion7UuidCarryingItsStartMillisecond() {
    String id = RunIds.next(T0);
    assertEquals(36, id.length());
    UUID uuid = UUID.fromString(id);
    assertEquals(id, uuid.toString(), "lower-case canonical form");
    assertEquals(7, uuid.version());
    assertEquals(2, uuid.variant());
    assertEquals(T0.toEpochMilli(), uuid.getMostSignificantBits() >>> 16);
  }

  @Test
  void idsOfLaterRunsSortAfterThoseOfEarlierOnesAndNoneRepeats() {
    Set<String> seen = new HashSet<>();
    String previous = null;
    for (int i = 0; i < 100_000; i++) {
      String id = RunIds.next(T0.plusMillis(i / 10));
      assertTrue(seen.add(id), "repeated " + id);
      if (i % 10 == 0 && previous != null) {
        assertTrue(id.compareTo(previous) > 0, id + " after " + previous);
      }
      previous = id;
    }
  }
}
