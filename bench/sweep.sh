#!/usr/bin/env bash
# Sweep throughput: cells per second of an exact sweep on local threads and on Spark local[N], side by side,
# and how sweep time grows with the number of cells. Each sweep starts from an empty results database.
#   bench/sweep.sh [RUNS] [JOBS]     default 3 runs of each, 2 jobs; prints every run and the medians
#   NETWORK=6 bench/sweep.sh 3       also 6 network cells on one lane, two threads and Spark local[2]
# Two times per sweep: "wall" is the whole command (JVM, planning, Spark's start, report); "cells" is from
# the first cell's start to the last cell's finish as the database records them, i.e. the engine at work.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
jobs="${2:-2}"
spec=lab/src/test/resources/sweep-exact.yaml   # odds-ratio on the exact engine, a few ms of work per cell
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
./reweigh sweep --help >/dev/null && ./reweigh sweep --engine spark --help >/dev/null   # build both first

# n evenly spaced values of evaluator.detect in [0, 1]: one knob, n cells
grid() { awk -v n="$1" 'BEGIN {for (i = 0; i < n; i++) printf "%s%.4f", (i ? "," : ""), (n > 1 ? i / (n - 1) : 0)}'; }

# sweep ENGINE CELLS [JOBS [SPEC GRID [more options]]] -> "wall_s cells_s"; by default the exact spec, evaluator.detect over CELLS
sweep() {
  local engine="$1" n="$2" lanes="${3:-$jobs}" what="${4:-$spec}" knob="${5:-evaluator.detect=$(grid "$2")}"
  shift $(( $# < 5 ? $# : 5 ))
  rm -rf "$out/db.duckdb" "$out/db.duckdb.wal" "$out/report" "$out/cache"
  local start end span master=()
  [ "$engine" = spark ] && master=(--master "local[$lanes]")
  start=$(date +%s.%N)
  ./reweigh sweep "$what" -q --engine "$engine" --jobs "$lanes" "${master[@]}" --grid "$knob" "$@" \
      --db "$out/db.duckdb" --out "$out/report" --cache "$out/cache" >/dev/null 2>"$out/err" || { cat "$out/err"; exit 1; }
  end=$(date +%s.%N)
  span=$(./reweigh query --db "$out/db.duckdb" \
      "SELECT epoch(max(finished)) - epoch(min(started)) FROM runs WHERE status = 'complete'" | sed -n 3p)
  echo "$(echo "$end - $start" | bc) $span"
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "commit: $(git rev-parse --short HEAD), jobs: $jobs, load before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== threads vs spark local[$jobs], 100 cells, alternating"
for i in $(seq "$runs"); do
  for engine in threads spark; do
    read -r wall span <<< "$(sweep "$engine" 100)"
    echo "$engine run $i: wall ${wall} s, cells ${span} s, $(echo "scale=1; 100 / $span" | bc) cells/s" | tee -a "$out/log"
    echo "$wall" >> "$out/$engine.wall"
    echo "$span" >> "$out/$engine.span"
  done
done
for engine in threads spark; do
  w=$(median < "$out/$engine.wall")
  s=$(median < "$out/$engine.span")
  echo "$engine median: wall $w s, cells $s s, $(echo "scale=1; 100 / $s" | bc) cells/s"
done
echo "spark / threads (cells time): $(echo "scale=2; $(median < "$out/spark.span") / $(median < "$out/threads.span")" | bc)"

echo "== threads, growing sweeps"
for n in 10 30 100 300; do
  : > "$out/n.wall"
  : > "$out/n.span"
  for i in $(seq "$runs"); do
    read -r wall span <<< "$(sweep threads "$n")"
    echo "$wall" >> "$out/n.wall"
    echo "$span" >> "$out/n.span"
  done
  s=$(median < "$out/n.span")
  echo "$n cells: median wall $(median < "$out/n.wall") s, cells $s s, $(echo "scale=1; $n / $s" | bc) cells/s"
done
[ -n "${NETWORK:-}" ] && {
  # Network cells: lab/src/test/resources/tiny-neural.yaml (a d_model-16 network pretrained for 12 steps), one replicate
  # each, neural.seed=1..NETWORK; one lane (what sweeps did before network cells ran side by side), two threads, Spark.
  echo "== $NETWORK network cells: threads --jobs 1, threads --jobs 2, spark local[2], alternating; an empty cache each"
  for i in $(seq "$runs"); do
    for lane in "threads 1" "threads 2" "spark 2"; do
      read -r wall span <<< "$(sweep ${lane% *} "$NETWORK" ${lane#* } lab/src/test/resources/tiny-neural.yaml \
          "neural.seed=$(seq -s, 1 "$NETWORK")" --set neural.replicates=1)"
      echo "$lane run $i: wall $wall s, cells $span s"
      echo "$wall" >> "$out/net-${lane// /-}.wall"; echo "$span" >> "$out/net-${lane// /-}.span"
    done
  done
  for lane in threads-1 threads-2 spark-2; do
    echo "$lane median: wall $(median < "$out/net-$lane.wall") s, cells $(median < "$out/net-$lane.span") s"
  done
}
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
