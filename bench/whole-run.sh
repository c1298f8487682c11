#!/usr/bin/env bash
# Whole runs of ./reweigh all as a new user's first run: a fresh clone of HEAD each time, so the build
# (first use) and every pretraining are included; Maven's local repository is used as it is.
#   bench/whole-run.sh [RUNS]     default 3; prints each run and the median wall time and peak RSS
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
repo="$(pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "commit: $(git rev-parse --short HEAD), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  rm -rf "$out/clone"
  git clone -q "$repo" "$out/clone"
  (cd "$out/clone" && /usr/bin/time -f '%e %M' -o "$out/time" ./reweigh all -q >/dev/null 2>"$out/err") || { cat "$out/err"; exit 1; }
  read -r seconds kib < "$out/time"
  echo "run $i: ${seconds} s wall (build included), peak RSS $((kib / 1024)) MiB"
  echo "$seconds $kib" >> "$out/all"
done
sort -n "$out/all" | awk '{s[NR]=$1; m[NR]=$2} END {i=int((NR+1)/2); printf "median of %d: %s s wall, peak RSS %d MiB (median run)\n", NR, s[i], m[i]/1024}'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
