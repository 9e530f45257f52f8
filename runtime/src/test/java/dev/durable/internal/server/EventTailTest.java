package dev.durable.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.HistoryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The in-memory tail answers only when it holds every asked event, so it can never hand out a wrong history. */
class EventTailTest {
  private static List<HistoryEvent> events(long from, long to) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(id -> new HistoryEvent(id, Instant.EPOCH, new EventAttributes.TimerFired((int) id))).toList();
  }

  @Test
  void servesHeldRangesAndMissesOtherwise() {
    EventTail tail = new EventTail();
    assertNull(tail.slice(1, 2), "empty");
    tail.record(events(1, 2), 1);
    tail.record(events(3, 5), 1);
    assertEquals(events(1, 5), tail.slice(1, 5));
    assertEquals(events(2, 4), tail.slice(2, 4));
    assertNull(tail.slice(1, 6), "event 6 was never recorded");
    assertEquals(List.of(), tail.slice(6, 5));
  }

  @Test
  void dropsWhatTheNextTaskNoLongerNeeds() {
    EventTail tail = new EventTail();
    tail.record(events(1, 5), 1);
    tail.record(events(6, 8), 5);
    assertNull(tail.slice(4, 8), "before the last completed task: read from the store");
    assertEquals(events(5, 8), tail.slice(5, 8));
  }

  @Test
  void aGapStartsAnewSoAnEventWrittenElsewhereIsNeverSkipped() {
    EventTail tail = new EventTail();
    tail.record(events(1, 3), 1);
    tail.record(events(6, 7), 1); // events 4 and 5 were written without being recorded here
    assertNull(tail.slice(1, 7));
    assertNull(tail.slice(3, 7));
    assertEquals(events(6, 7), tail.slice(6, 7));
  }

  @Test
  void aFloodOfEventsIsLeftToTheStore() {
    EventTail tail = new EventTail();
    List<HistoryEvent> many = new ArrayList<>(events(1, EventTail.MAX_EVENTS + 1));
    tail.record(many, 1);
    assertNull(tail.slice(1, 1));
    tail.record(events(EventTail.MAX_EVENTS + 2, EventTail.MAX_EVENTS + 2), 1);
    assertEquals(events(EventTail.MAX_EVENTS + 2, EventTail.MAX_EVENTS + 2),
        tail.slice(EventTail.MAX_EVENTS + 2, EventTail.MAX_EVENTS + 2));
  }
}
