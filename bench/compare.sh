#!/usr/bin/env bash
# Compares builds of the engine on one workload: fresh JVMs of each tree, in a new random order in
# every round, so that the machine's drift falls on all of them alike (docs/performance.md,
# "Comparing two builds"). Each tree must be built already (./mvnw -q -DskipTests package -pl bench -am).
#
#   bench/compare.sh ROUNDS WORKLOAD TREE...      e.g. bench/compare.sh 8 hello ../before .
#
# Prints one line per run (tree, the workload's figure, CPU per workflow in ms, the JIT threads'
# CPU in the measured round in ms, the machine's CPU reference task in ms), then the medians per
# tree. The figure is wf_per_s (hello, chain10 and their variants; chain10's steps/s is ten times
# its wf_per_s), p50_ms for latency, seconds for startup, reopen_s for timers, replay_ms for replay
# and overhead_pct for agent; the CPU and JIT columns are there only for the workloads that report
# them. JAVA selects the java binary; BENCH_JAVA_OPTS adds JVM options to every run (e.g.
# -Dbench.warmup=steady).
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 ROUNDS WORKLOAD TREE..." >&2
  exit 2
fi
rounds=$1
workload=$2
shift 2
java="${JAVA:-java}"
for tree in "$@"; do
  [ -f "$tree/agent/target/durable.jar" ] && [ -d "$tree/bench/target/lib" ] || {
    echo "$tree is not built: run ./mvnw -q -DskipTests package -pl bench -am in it" >&2
    exit 2
  }
done
case "$workload" in
  latency*) figure='"p50_ms":' ;;
  startup) figure='"seconds":' ;;
  timers) figure='"reopen_s":' ;;
  replay) figure='"replay_ms":' ;;
  agent) figure='"overhead_pct":' ;;
  *) figure='"wf_per_s":' ;;
esac
field() { # the number after "$1" in the JSON line on stdin; - if there is none
  local v
  v=$(grep -o "$1[0-9.]*" | head -1 | sed "s/^$1//")
  echo "${v:--}"
}
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$rounds"); do
  for tree in $(printf '%s\n' "$@" | shuf); do
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
    # As run.sh: the agent workload starts its own JVMs with and without the agent.
    agent_flag=(-javaagent:agent/target/durable.jar)
    [ "$workload" = agent ] && agent_flag=()
    line=$(cd "$tree" && "$java" "${agent_flag[@]}" ${BENCH_JAVA_OPTS:-} \
      -Ddurable.agent.jar=agent/target/durable.jar -cp "bench/target/classes:bench/target/lib/*" \
      dev.durable.bench.Main "$workload" 2>/dev/null)
    row="$tree $(field "$figure" <<<"$line") $(field 'process CPU ' <<<"$line") \
$(field 'compiler threads: ' <<<"$line") $(field 'CPU reference task ' <<<"$line")"
    echo "round $round: $row"
    echo "$row" >>"$results"
  done
done
echo "medians over $rounds rounds (tree, ${figure//[\":]/}, CPU ms per workflow, JIT ms in the measured round, CPU reference ms):"
for tree in "$@"; do
  printf '%s' "$tree"
  for column in 2 3 4 5; do
    awk -v t="$tree" -v c="$column" '$1 == t && $c != "-" { print $c }' "$results" | sort -g \
      | awk '{ v[NR] = $1 } END { printf " %s", NR == 0 ? "-" : NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
  done
  echo
done
