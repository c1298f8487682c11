#!/usr/bin/env bash
# Network cells in a sweep: one at a time (--jobs 1, what sweeps did before network cells ran side by side), two local
# threads, and Spark local[2], alternating; each sweep from an empty database and an empty cache of bases.
#   bench/sweep-network.sh [RUNS] [CELLS]     default 3 runs of each, 6 cells (neural.seed=1..CELLS, one replicate each)
# The cells are lab/src/test/resources/tiny-neural.yaml (a d_model-16 network pretrained for 12 steps): plumbing-sized,
# so the figures weigh the engines' own costs against a second or two of network work per cell. "wall" is the whole
# command; "cells" is from the first cell's start to the last cell's finish as the database records them.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}" n="${2:-6}"
spec=lab/src/test/resources/tiny-neural.yaml
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
./reweigh sweep --help >/dev/null && ./reweigh sweep --engine spark --help >/dev/null   # build both first
seeds=$(seq -s, 1 "$n")

# sweep ENGINE JOBS -> "wall_s cells_s"
sweep() {
  rm -rf "$out/db.duckdb" "$out/db.duckdb.wal" "$out/report" "$out/cache"
  local start end span master=()
  [ "$1" = spark ] && master=(--master "local[$2]")
  start=$(date +%s.%N)
  ./reweigh sweep "$spec" -q --set neural.replicates=1 --grid "neural.seed=$seeds" --engine "$1" --jobs "$2" "${master[@]}" \
      --db "$out/db.duckdb" --out "$out/report" --cache "$out/cache" >/dev/null 2>"$out/err" || { cat "$out/err"; exit 1; }
  end=$(date +%s.%N)
  span=$(./reweigh query --db "$out/db.duckdb" \
      "SELECT epoch(max(finished)) - epoch(min(started)) FROM runs WHERE status = 'complete'" | sed -n 3p)
  echo "$(echo "$end - $start" | bc) $span"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "commit: $(git rev-parse --short HEAD), $n network cells, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  for lane in "threads 1" "threads 2" "spark 2"; do
    read -r wall span <<< "$(sweep $lane)"
    echo "run $i, $lane: wall $wall s, cells $span s"
    echo "$wall" >> "$out/wall-${lane// /-}"; echo "$span" >> "$out/cells-${lane// /-}"
  done
done
for lane in threads-1 threads-2 spark-2; do
  echo "median $lane: wall $(median < "$out/wall-$lane") s, cells $(median < "$out/cells-$lane") s"
done
