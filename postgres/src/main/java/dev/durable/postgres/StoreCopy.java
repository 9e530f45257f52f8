package dev.durable.postgres;

import dev.durable.common.DurableException;
import dev.durable.internal.model.ExecutionState;
import dev.durable.internal.model.HistoryEvent;
import dev.durable.internal.model.VisibilityQuery;
import dev.durable.internal.store.Store;
import dev.durable.internal.store.Store.Transition;
import dev.durable.internal.store.rocks.RocksStore;
import dev.durable.server.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies every run (its state, its whole history, its listing entries and its workflow id's
 * latest run) from a RocksDB data dir into an empty PostgreSQL schema, or back: how a deployment
 * moves from one store to the other. Neither may be in use by a server while it runs (each is
 * locked as a server locks it, DURABLE-301 and DURABLE-311); the target must hold no runs
 * (DURABLE-314). The source is only read. {@code durable server copy} runs it from the command
 * line.
 *
 * <pre>{@code
 * StoreCopy.Result r = StoreCopy.copy(Path.of("/var/lib/durable"), PostgresStorage.newBuilder()...build());
 * }</pre>
 */
public final class StoreCopy {
  /** Runs written per transaction of the target. */
  private static final int CHUNK = 100;

  private StoreCopy() {}

  /**
   * What was copied.
   *
   * @param runs the runs, open and closed
   * @param events their history events
   */
  public record Result(long runs, long events) {}

  /** Copies a data dir's runs into an empty PostgreSQL schema. */
  public static Result copy(Path fromDataDir, PostgresStorage to) {
    try (Store source = RocksStore.open(fromDataDir, true); Store target = to.open(Durability.SYNC)) {
      return copy(source, target, fromDataDir.toString(), to.describe());
    }
  }

  /** Copies a PostgreSQL schema's runs into a data dir that holds no runs (created if missing). */
  public static Result copy(PostgresStorage from, Path toDataDir) {
    try (Store source = from.open(Durability.SYNC); Store target = RocksStore.open(toDataDir, true)) {
      return copy(source, target, from.describe(), toDataDir.toString());
    }
  }

  static Result copy(Store source, Store target, String from, String to) {
    VisibilityQuery all = new VisibilityQuery(List.of(), null, null, null, null, null, null, List.of(), 1, null);
    long present = target.countRuns(all);
    if (present > 0) {
      throw new DurableException("DURABLE-314", to + " already holds " + present + " runs, so nothing was copied"
          + " from " + from + ": a copy goes into an empty store only, to keep every workflow id's runs whole."
          + " Give an empty data dir or a new schema.");
    }
    List<Transition> chunk = new ArrayList<>();
    long[] counts = new long[2];
    // Runs come in run id order, which is the order they were started in: a later run of a workflow id
    // is written after an earlier one, so the id's latest run ends up the source's.
    source.forEachExecution(s -> {
      List<HistoryEvent> history = source.readHistory(s.runId, 1);
      chunk.add(new Transition(s, history, latest(source, s), false));
      counts[0]++;
      counts[1] += history.size();
      if (chunk.size() == CHUNK) {
        target.applyAll(chunk);
        chunk.clear();
      }
    });
    if (!chunk.isEmpty()) {
      target.applyAll(chunk);
    }
    target.awaitSynced(target.syncMark(), Duration.ZERO);
    long copied = target.countRuns(all);
    if (copied != counts[0]) {
      throw new DurableException("DURABLE-314", "copying from " + from + " to " + to + " wrote " + counts[0]
          + " runs but the target lists " + copied + "; do not use the target, and report this");
    }
    return new Result(counts[0], counts[1]);
  }

  /**
   * Whether the run is its workflow id's latest, or open: a transition that starts a run records it
   * as the id's latest, and the data dir lists a run as open only from such a transition.
   */
  private static boolean latest(Store source, ExecutionState s) {
    return !s.status.isClosed() || source.currentRunId(s.workflowId).map(s.runId::equals).orElse(false);
  }
}
