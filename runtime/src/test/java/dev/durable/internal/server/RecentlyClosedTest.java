package dev.durable.internal.server;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.Payload;
import org.junit.jupiter.api.Test;

/** The last closed runs are kept, the oldest dropped first once the capacity is reached. */
class RecentlyClosedTest {
  private static ExecutionState run(String id) {
    ExecutionState s = new ExecutionState();
    s.runId = id;
    return s;
  }

  @Test
  void keepsTheLastClosedRunsUpToItsCapacity() {
    RecentlyClosed closed = new RecentlyClosed(3);
    ExecutionState a = run("a");
    ExecutionState b = run("b");
    ExecutionState c = run("c");
    ExecutionState d = run("d");
    closed.add(a);
    closed.add(b);
    closed.add(c);
    assertSame(a, closed.get("a"));
    closed.add(d);
    assertNull(closed.get("a"), "the oldest is dropped");
    assertSame(b, closed.get("b"));
    assertSame(c, closed.get("c"));
    assertSame(d, closed.get("d"));
    assertNull(closed.get("never"));
  }

  @Test
  void aStateWithALargeResultIsNotKept() {
    RecentlyClosed closed = new RecentlyClosed(3);
    ExecutionState big = run("big");
    big.result = new Payload(Payload.JSON, new byte[RecentlyClosed.MAX_KEPT_BYTES + 1]);
    ExecutionState small = run("small");
    small.result = new Payload(Payload.JSON, new byte[RecentlyClosed.MAX_KEPT_BYTES]);
    closed.add(big);
    closed.add(small);
    assertNull(closed.get("big"));
    assertSame(small, closed.get("small"));
  }
}
