package dev.durable.bench;

import dev.durable.server.Durability;
import java.util.ArrayList;
import java.util.List;

/**
 * replay: one workflow with 10000 completed activity steps; a new worker (empty cache) answers a
 * query, which replays the whole history. Closed runs are never cached, so every query replays.
 */
final class ReplayBench {
  static final int STEPS = 10_000;
  static final int QUERIES = 3;

  private ReplayBench() {}

  static void run() {
    try (Engine e = Engine.fresh(Durability.SYNC)) {
      long t0 = System.nanoTime();
      Main.check(STEPS, e.newStub(Workflows.Steps.class, "replay").run(STEPS), "the workflow of " + STEPS + " steps");
      long buildNanos = System.nanoTime() - t0;
      var stub = e.client.newUntypedWorkflowStub("replay");
      long events = stub.describe().orElseThrow().historyLength();

      e.startWorker();
      List<Double> queryMs = new ArrayList<>();
      for (int i = 0; i < QUERIES; i++) {
        long q0 = System.nanoTime();
        Integer done = stub.query("done", Integer.class);
        queryMs.add(Report.round(Report.millis(System.nanoTime() - q0)));
        Main.check(STEPS, done, "query result after replay");
      }
      Report.of("replay").set("n", STEPS).set("seconds", Report.seconds(buildNanos))
          .set("steps_per_s", STEPS / Report.seconds(buildNanos)).durable(Durability.SYNC)
          .set("replay_ms", queryMs.get(0))
          .notes("history of " + events + " events built in 'seconds' by one workflow (steps_per_s = its sequential step rate);"
              + " worker closed and a new one started, then " + QUERIES + " queries on the closed run, each a full replay: "
              + queryMs + " ms (replay_ms = the first); " + Engine.WORKER_SETTINGS)
          .print();
    }
  }
}
