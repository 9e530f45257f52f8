package dev.durable.bench;

import dev.durable.server.Durability;

/** chain10: 500 workflows of 10 activities in sequence, at most 200 in flight. */
final class Chain10Bench {
  static final int N = Integer.getInteger("bench.n", 500);
  static final int STEPS = 10;

  private Chain10Bench() {}

  static void run(Durability durability, boolean remote) throws Exception {
    try (Engine e = Engine.fresh(durability, remote)) {
      Load.Timing t = Load.measure("chain10", N, HelloBench.IN_FLIGHT,
          (prefix, i) -> e.newStub(Workflows.Chain.class, prefix + i).count(STEPS),
          i -> STEPS);
      Report.of(remote ? "chain10-remote" : "chain10").throughput(N, STEPS, Report.seconds(t.nanos())).durable(durability)
          .notes(Load.cpuNote(N) + "; " + HelloBench.IN_FLIGHT + " client threads, each starting a workflow and waiting for its result; "
              + t.note(N, STEPS) + "; " + Engine.settings(remote))
          .print();
    }
  }
}
