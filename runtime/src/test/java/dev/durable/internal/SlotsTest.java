package dev.durable.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlotsTest {
  @Test
  void whatIsGivenBackIsTakenAgainAndAnEmptyPoolGivesNothing() {
    Slots<Object> slots = new Slots<>(8);
    assertNull(slots.take());
    Object kept = new Object();
    slots.give(kept);
    assertEquals(1, slots.count());
    assertSame(kept, slots.take());
    assertNull(slots.take());
    assertEquals(0, slots.count());
  }

  @Test
  void aThreadKeepsAtMostTheSlotsItLooksAtAndClearDropsEverything() {
    Slots<Object> slots = new Slots<>(16);
    for (int i = 0; i < 100; i++) {
      slots.give(new Object());
    }
    assertTrue(slots.count() <= 4, "kept " + slots.count());
    slots.clear();
    assertEquals(0, slots.count());
  }

  @Test
  void aSizeThatIsNotAPowerOfTwoOfAtLeastFourIsRefused() {
    for (int size : new int[] {0, 2, 6, 12}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Slots<>(size));
      assertEquals("a pool's size must be a power of two of at least 4, got " + size, e.getMessage());
    }
  }
}
