package dev.durable.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.EventAttributes;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.Store.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store's write queue under many concurrent writers: every transition is written once, in
 * order per run, and no writer waits for a leader that is gone (the test would time out).
 */
class GroupCommitTest {
  private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");

  private static ExecutionState state(int writer, int step) {
    ExecutionState s = new ExecutionState();
    s.workflowId = "w-" + writer;
    s.runId = String.format("00000000-0000-0000-0000-%012d", writer);
    s.workflowType = "T";
    s.taskQueue = "q";
    s.startTime = T0.plusSeconds(writer);
    s.nextEventId = step + 2;
    return s;
  }

  /** Writer {@code writer}'s run at step {@code step}: one event more, the run's state after it. */
  static Transition step(int writer, int step, boolean durable) {
    HistoryEvent e = new HistoryEvent(step + 1, T0.plusMillis(step), new EventAttributes.TimerFired(step));
    return new Transition(state(writer, step), List.of(e), step == 0, durable);
  }

  @AfterEach
  void noStall() {
    PostgresStore.afterQueued = written -> { };
  }

  @Test
  void manyWritersEachGetTheirWritesStoredInOrder() throws Exception {
    // Stalls every writer after it queued its change, until a leader wrote it (or 1 ms passed): the
    // moment a writer whose change is written already must not take the lead.
    PostgresStore.afterQueued = written -> {
      long until = System.nanoTime() + 1_000_000;
      while (!written.getAsBoolean() && System.nanoTime() < until) {
        Thread.yield();
      }
    };
    PostgresCluster cluster = PostgresCluster.get();
    Properties props = new Properties();
    props.setProperty("user", cluster.user());
    int writers = 24;
    int steps = 100;
    // Not closed when the writers hang: closing waits for the write in progress, which would hang too.
    Store store = PostgresStore.open(cluster.jdbcUrl(cluster.createSchema("group")), props, 4, false, false,
        Duration.ofMinutes(1));
    {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          int writer = w;
          done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < steps; i++) {
              // Every third write waits for a later synced one, as a start written with its first task does.
              long mark = store.apply(step(writer, i, i % 3 != 1));
              if (i % 3 == 1) {
                store.awaitSynced(mark, Duration.ofMillis(5));
              }
            }
            return null;
          }));
        }
        go.countDown();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
          for (Future<?> f : done) {
            f.get();
          }
        }, "a writer waited for a leader that never came");
      } finally {
        pool.shutdownNow();
      }
      for (int w = 0; w < writers; w++) {
        String runId = state(w, 0).runId;
        List<HistoryEvent> history = store.readHistory(runId, 1);
        assertEquals(steps, history.size(), "events of writer " + w);
        for (int i = 0; i < steps; i++) {
          assertEquals(i + 1, history.get(i).eventId());
        }
        ExecutionState last = store.readExecution(runId).orElseThrow();
        assertEquals(steps + 1, last.nextEventId, "the last state of writer " + w + " won");
        assertEquals(WorkflowStatus.RUNNING, last.status);
        assertEquals(runId, store.currentRunId("w-" + w).orElseThrow());
        assertTrue(store.verifyIndexes(last).isEmpty(), store.verifyIndexes(last).toString());
      }
    }
    store.close();
  }
}
