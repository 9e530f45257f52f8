package dev.durable.internal.store.rocks;

import dev.durable.internal.store.LatestRuns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store knows the latest run of the workflow ids it wrote runs for instead of reading it on
 * every lookup; lookups must answer exactly what the database holds.
 */
class LatestRunsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private int runs;

  private ExecutionState run(String workflowId) {
    ExecutionState s = new ExecutionState();
    s.workflowId = workflowId;
    s.runId = new UUID(1, ++runs).toString();
    s.workflowType = "T";
    s.taskQueue = "q";
    s.startTime = T0.plusSeconds(runs);
    return s;
  }

  private static ExecutionState closed(ExecutionState s, WorkflowStatus status) {
    s.status = status;
    s.closeTime = s.startTime.plusSeconds(1);
    return s;
  }

  @Test
  void lookupsAnswerWhatTheDatabaseHoldsThroughStartsContinuesTerminationsBatchesAndRestarts() {
    Random random = new Random(7);
    List<String> ids = List.of("a", "b", "c", "d", "e", "f");
    Map<String, ExecutionState> latest = new HashMap<>();
    RocksStore store = RocksStore.open(dir, false);
    try {
      for (int i = 0; i < 600; i++) {
        String id = ids.get(random.nextInt(ids.size()));
        ExecutionState current = latest.get(id);
        int op = random.nextInt(10);
        if (op < 3 || current == null) {
          // A start, or a start with TERMINATE_IF_RUNNING: the running run is closed first, in its own write.
          if (current != null && !current.status.isClosed()) {
            store.apply(new Store.Transition(closed(current, WorkflowStatus.TERMINATED), List.of(), false, true));
          }
          ExecutionState next = run(id);
          store.apply(new Store.Transition(next, List.of(), true, true));
          latest.put(id, next);
        } else if (op < 5) {
          // Continue-as-new or a retry: the old run's close and the new run in one write.
          ExecutionState next = run(id);
          store.applyAll(List.of(new Store.Transition(closed(current, WorkflowStatus.CONTINUED_AS_NEW), List.of(),
              false, true), new Store.Transition(next, List.of(), true, true)));
          latest.put(id, next);
        } else if (op < 7) {
          // A parent's transition that starts a child of another id in the same write.
          String childId = ids.get(random.nextInt(ids.size()));
          ExecutionState parent = latest.get(id);
          ExecutionState previous = latest.get(childId);
          List<Store.Transition> batch = new ArrayList<>();
          batch.add(new Store.Transition(parent, List.of(), false, true));
          if (previous != null && !previous.status.isClosed() && !childId.equals(id)) {
            batch.add(new Store.Transition(closed(previous, WorkflowStatus.COMPLETED), List.of(), false, true));
          }
          ExecutionState child = run(childId);
          batch.add(new Store.Transition(child, List.of(), true, true));
          store.applyAll(batch);
          latest.put(childId, child);
        } else if (op < 8) {
          // A transition that starts nothing changes nothing.
          store.apply(new Store.Transition(current, List.of(), false, false));
        } else if (op == 8 && random.nextInt(10) == 0) {
          store.close();
          store = RocksStore.open(dir, false);
          assertEquals(0, store.knownLatestRuns(), "a reopened store knows nothing yet");
        }
        for (String each : ids) {
          Optional<String> expected = Optional.ofNullable(latest.get(each)).map(s -> s.runId);
          assertEquals(expected, store.storedRunId(each), "stored latest run of " + each + " after step " + i);
          assertEquals(expected, store.currentRunId(each), "latest run of " + each + " after step " + i);
        }
      }
      assertTrue(store.knownLatestRuns() > 0, "the lookups of the last steps were answered from memory");
      assertEquals(Optional.empty(), store.currentRunId("never-started"));
    } finally {
      store.close();
    }
  }

  @Test
  void aRestartedStoreReadsTheLatestRunFromTheDatabase() {
    ExecutionState first = run("w");
    ExecutionState second = run("w");
    try (RocksStore store = RocksStore.open(dir, true)) {
      store.apply(new Store.Transition(first, List.of(), true, true));
      store.applyAll(List.of(new Store.Transition(closed(first, WorkflowStatus.CONTINUED_AS_NEW), List.of(), false, true),
          new Store.Transition(second, List.of(), true, true)));
      assertEquals(Optional.of(second.runId), store.currentRunId("w"));
      assertEquals(1, store.knownLatestRuns());
    }
    try (RocksStore store = RocksStore.open(dir, true)) {
      assertEquals(0, store.knownLatestRuns());
      assertEquals(Optional.of(second.runId), store.currentRunId("w"));
      ExecutionState third = run("w");
      store.apply(new Store.Transition(third, List.of(), true, true));
      assertEquals(Optional.of(third.runId), store.currentRunId("w"));
    }
  }

  @Test
  void aLaterRunInOneBatchWinsAFailedWriteIsForgottenAndTheSizeIsBounded() {
    LatestRuns known = new LatestRuns();
    ExecutionState one = run("w");
    ExecutionState two = run("w");
    known.recorded(List.of(new Store.Transition(one, List.of(), true, true),
        new Store.Transition(two, List.of(), true, true)));
    assertEquals(two.runId, known.get("w"));
    known.recorded(List.of(new Store.Transition(closed(two, WorkflowStatus.COMPLETED), List.of(), false, true)));
    assertEquals(two.runId, known.get("w"), "only a transition that starts a run changes the latest run");
    known.forget(List.of(new Store.Transition(run("w"), List.of(), true, true)));
    assertNull(known.get("w"), "after a failed write the store is asked");

    for (int i = 0; i < LatestRuns.MAX_IDS; i++) {
      known.recorded(List.of(new Store.Transition(run("id-" + i), List.of(), true, true)));
    }
    assertEquals(LatestRuns.MAX_IDS, known.size());
    ExecutionState beyond = run("beyond");
    known.recorded(List.of(new Store.Transition(beyond, List.of(), true, true)));
    assertEquals(1, known.size(), "at the limit the map starts again");
    assertEquals(beyond.runId, known.get("beyond"));
    assertNull(known.get("id-0"));
  }
}
