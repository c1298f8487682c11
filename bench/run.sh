#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar and runs the JMH benchmarks of the exact engine (about 3 minutes
# on 2 cores). Results go to bench/results/<UTC time>/: jmh.json, jmh.txt (JMH's own report),
# machine.txt (where and from what they were measured) and table.md (the table printed at the end).
#
# Usage: bench/run.sh [JMH options and benchmark regexps]
#   bench/run.sh                       # everything, with the iterations the classes declare
#   bench/run.sh KlRlSweep             # one class
#   bench/run.sh -p algorithms=8 ReinforceStep
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -Pbench -pl bench -am package -DskipTests

out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
{
    echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD)$([ -z "$(git status --porcelain -- core bench)" ] || echo ' (with uncommitted changes)')"
    echo "cpus:   $(nproc) x $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
    echo "jdk:    $(java -version 2>&1 | head -1)"
    echo "args:   ${*:-(none)}"
    echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the run"
} > "$out/machine.txt"
cat "$out/machine.txt"

java -jar bench/target/benchmarks.jar -rf json -rff "$out/jmh.json" "$@" | tee "$out/jmh.txt"
# Other work on the machine shows up as load above the one benchmark thread, and as wide errors.
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) after the run" | tee -a "$out/machine.txt"

# One row per benchmark and parameter set. score ± error is JMH's (99.9% interval over the measured
# iterations); median, min and max are over the same iterations, from rawData.
jq -r '
  def unit: if (.benchmark | endswith("ReinforceStep.steps")) then "steps/s"
            elif (.benchmark | endswith(".table")) then "tables/s"
            else "sweeps/s" end;
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def fmt: if . >= 100 then (. | round | tostring) else ((. * 100 | round) / 100 | tostring) end;
  "| benchmark | params | median | score ± error | min .. max | unit |",
  "|---|---|---:|---:|---:|---|",
  (.[] | (.primaryMetric.rawData | flatten) as $raw
       | "| \(.benchmark | sub("^reweigh\\.bench\\."; "")) "
       + "| \((.params // {}) | to_entries | map("\(.key)=\(.value)") | join(" ")) "
       + "| \($raw | median | fmt) "
       + "| \(.primaryMetric.score | fmt) ± \(.primaryMetric.scoreError | fmt) "
       + "| \($raw | min | fmt) .. \($raw | max | fmt) "
       + "| \(unit) |")
' "$out/jmh.json" | tee "$out/table.md"
echo "results: $out"
