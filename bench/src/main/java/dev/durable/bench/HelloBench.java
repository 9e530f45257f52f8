package dev.durable.bench;

import dev.durable.server.Durability;

/** hello: 2000 workflows of one activity each, at most 200 in flight. */
final class HelloBench {
  static final int N = Integer.getInteger("bench.n", 2000);
  static final int IN_FLIGHT = 200;

  private HelloBench() {}

  static void run(Durability durability, boolean remote) throws Exception {
    try (Engine e = Engine.fresh(durability, remote)) {
      Load.Timing t = Load.measure("hello", N, IN_FLIGHT,
          (prefix, i) -> e.newStub(Workflows.Hello.class, prefix + i).sayHello("n" + i),
          i -> "Hello, n" + i + "!");
      Report.of(remote ? "hello-remote" : "hello").throughput(N, 1, Report.seconds(t.nanos())).durable(durability)
          .notes(Load.cpuNote(N) + "; " + IN_FLIGHT + " client threads, each starting a workflow and waiting for its result (typed stub); "
              + t.note(N, 1) + "; " + Engine.settings(remote))
          .print();
    }
  }
}
