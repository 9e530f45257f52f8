#!/usr/bin/env bash
# Runs the benchmark workloads of WORKLOADS.md, each in its own fresh JVM, and prints one JSON line
# per workload on stdout (progress and logs go to stderr).
#
#   bench/run.sh                    every workload
#   bench/run.sh hello latency      the named ones
#   bench/run.sh jmh [JMH args]     the JMH microbenchmarks instead (their own output, not JSON lines)
#   bench/run.sh targets            the seven workloads of the performance targets, 3 runs each (BENCH_RUNS),
#                                   then a table of their medians against the targets on stderr
#
# Workloads: hello hello-async chain10 chain10-async latency latency-async startup timers replay agent scale
# hello-remote chain10-remote latency-remote retention
# (scale: hello at 1..16 activity threads and chains of 10/100/1000 steps, one JSON line per point;
# *-remote: the standalone server in a child JVM, client and worker connected to it over gRPC;
# retention: 20,000 hello runs deleted by a retention, and the data dir's size before and after).
# BENCH_SKIP_BUILD=1 skips the build; JAVA selects the java binary (default: java on the PATH);
# BENCH_RUNS=3 runs each workload three times, each in a fresh JVM (one line per run: take the median);
# BENCH_JAVA_OPTS adds JVM options, e.g. BENCH_JAVA_OPTS=-Dbench.warmup=steady (see docs/performance.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
java="${JAVA:-java}"
all=(hello hello-async chain10 chain10-async latency latency-async startup timers replay agent scale
  hello-remote chain10-remote latency-remote retention)

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  # package, not install: builds what the bench needs (rules, agent, runtime, bench) without publishing snapshots
  (cd "$root" && ./mvnw -q -B -DskipTests package -pl bench -am) >&2
fi
agent="$root/agent/target/durable.jar"
cp="$root/bench/target/classes:$root/bench/target/lib/*"

if [ "${1:-}" = jmh ]; then
  shift
  # Without the agent: the benchmarks call the shims and System.* directly, and the agent would
  # rewrite the System.* baselines into shim calls.
  exec "$java" -cp "$cp" org.openjdk.jmh.Main "$@"
fi

if [ "${1:-}" = targets ]; then
  lines=$(mktemp)
  trap 'rm -f "$lines"' EXIT
  BENCH_SKIP_BUILD=1 BENCH_RUNS="${BENCH_RUNS:-3}" "$0" hello chain10 latency startup timers replay agent | tee "$lines"
  "$java" -cp "$cp" dev.durable.bench.Targets "$lines" >&2
  exit 0
fi

[ $# -gt 0 ] || set -- "${all[@]}"
for workload in "$@"; do
  for run in $(seq "${BENCH_RUNS:-1}"); do
    echo "== $workload (run $run)" >&2
    # The agent workload starts its own JVMs with and without the agent; every other one runs the
    # way users run: with -javaagent:durable.jar.
    agent_flag=("-javaagent:$agent")
    [ "$workload" = agent ] && agent_flag=()
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
    "$java" "${agent_flag[@]}" ${BENCH_JAVA_OPTS:-} -Ddurable.agent.jar="$agent" -cp "$cp" dev.durable.bench.Main "$workload"
  done
done
