package dev.durable.internal.store.rocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.durable.client.WorkflowStatus;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open runs a restart recovers are read in chunks whose states are decoded on all cores: every
 * open run comes back once, whole, in the order of its key, and closed ones do not.
 */
class OpenRunsReadTest {
  @TempDir Path dir;

  @Test
  void everyOpenRunComesBackInKeyOrderAcrossChunks() {
    int runs = 4_096 + 300; // more than one chunk, and a last chunk decoded in parallel too
    TreeMap<String, String> expected = new TreeMap<>(); // run id -> workflow id, in key order
    try (RocksStore store = RocksStore.open(dir, true)) {
      for (int i = 0; i < runs; i++) {
        ExecutionState s = TestRuns.state("w" + i, new UUID(i % 7, i).toString(), i);
        s.nextEventId = i + 2;
        store.apply(new Store.Transition(s, List.of(), true, false));
        if (i % 10 == 0) {
          s.status = WorkflowStatus.COMPLETED;
          s.closeTime = s.startTime.plusSeconds(1);
          store.apply(new Store.Transition(s, List.of(), false, false));
        } else {
          expected.put(s.runId, s.workflowId);
        }
      }
    }
    try (RocksStore store = RocksStore.open(dir, true)) {
      List<String> runIds = new ArrayList<>();
      store.forEachRunToRecover(s -> {
        runIds.add(s.runId);
        assertEquals(expected.get(s.runId), s.workflowId, s.runId);
        assertEquals(Integer.parseInt(s.workflowId.substring(1)) + 2, s.nextEventId, s.runId);
      });
      assertEquals(new ArrayList<>(expected.keySet()), runIds);
    }
  }
}
