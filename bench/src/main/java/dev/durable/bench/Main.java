package dev.durable.bench;

import dev.durable.server.Durability;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Runs one workload of WORKLOADS.md in this JVM and prints its JSON line: {@code Main <workload>},
 * where a {@code -async} suffix (hello, chain10, latency) selects {@link Durability#ASYNC}, and a
 * {@code -remote} suffix runs the server in a child JVM, with client and worker connected over gRPC. The
 * other names are the parts that run in child JVMs. Exits with 1 if anything failed or a result
 * was wrong.
 */
public final class Main {
  /** The parts of workloads that run in child JVMs; everything they time must stay undisturbed. */
  private static final Set<String> CHILD_PARTS = Set.of("startup-child", "timers-reopen", "agent-load", "remote-server");

  private Main() {}

  public static void main(String[] args) {
    Report.claimStdout();
    try {
      run(args);
    } catch (Throwable t) {
      System.err.println("benchmark " + String.join(" ", args) + " FAILED:");
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0); // pools of finished workloads must not keep the JVM alive
  }

  private static void run(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: Main hello|hello-async|hello-remote|chain10|chain10-async|chain10-remote"
          + "|latency|latency-async|latency-remote|startup|timers|replay|agent|scale|retention");
    }
    if (!CHILD_PARTS.contains(args[0])) {
      Report.probeMachine();
    }
    switch (args[0]) {
      case "hello" -> HelloBench.run(Durability.SYNC, false);
      case "hello-async" -> HelloBench.run(Durability.ASYNC, false);
      case "hello-remote" -> HelloBench.run(Durability.SYNC, true);
      case "chain10" -> Chain10Bench.run(Durability.SYNC, false);
      case "chain10-async" -> Chain10Bench.run(Durability.ASYNC, false);
      case "chain10-remote" -> Chain10Bench.run(Durability.SYNC, true);
      case "latency" -> LatencyBench.run(Durability.SYNC, false);
      case "latency-async" -> LatencyBench.run(Durability.ASYNC, false);
      case "latency-remote" -> LatencyBench.run(Durability.SYNC, true);
      case "remote-server" -> ServerProcess.serve(Path.of(args[1]), Durability.valueOf(args[2]));
      case "startup" -> StartupBench.run();
      case "startup-child" -> StartupBench.child();
      case "timers" -> TimersBench.run();
      case "timers-reopen" -> TimersBench.reopen(Path.of(args[1]), Integer.parseInt(args[2]));
      case "replay" -> ReplayBench.run();
      case "scale" -> ScaleBench.run();
      case "retention" -> RetentionBench.run();
      case "agent" -> AgentBench.run();
      case "agent-load" -> AgentBench.load(Path.of(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("unknown workload '" + args[0] + "'");
    }
  }

  /** Fails the workload unless {@code actual} equals {@code expected}. */
  static void check(Object expected, Object actual, String what) {
    if (!Objects.equals(expected, actual)) {
      throw new IllegalStateException("wrong result for " + what + ": expected " + expected + ", got " + actual);
    }
  }
}
