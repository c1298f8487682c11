#!/usr/bin/env bash
# Whole runs of ./reweigh all as a new user's first run: a fresh clone of HEAD each time, so the build
# (first use) and every pretraining are included; Maven's local repository is used as it is.
#   bench/whole-run.sh [RUNS]     default 3; prints each run (wall, user CPU, CPU share, peak RSS, the highest 1-minute
#                                 load seen while it ran, and whether its findings.md is the committed docs/findings.md)
#                                 and the median wall time and peak RSS
#   FINDINGS_TO=FILE bench/whole-run.sh   also keeps the first run's findings.md there (to commit as docs/findings.md)
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
  # The 1-minute load, sampled every 10 s. The run's own is about 3 (two experiments at a time, and replicates side by
  # side inside one); a job beside it shows as a load above that.
  (while sleep 10; do cut -d' ' -f1 /proc/loadavg; done) > "$out/load" &
  sampler=$!
  (cd "$out/clone" && /usr/bin/time -f '%e %M %U %P' -o "$out/time" ./reweigh all -q >/dev/null 2>"$out/err") || { kill "$sampler"; cat "$out/err"; exit 1; }
  kill "$sampler"
  read -r seconds kib user share < "$out/time"
  same=$(cmp -s "$out/clone/runs/findings.md" docs/findings.md && echo "findings.md as committed" || echo "findings.md DIFFERS from docs/findings.md")
  if [ -n "${FINDINGS_TO:-}" ] && [ "$i" = 1 ]; then cp "$out/clone/runs/findings.md" "$FINDINGS_TO"; fi
  if [ -n "${FINDINGS_TO:-}" ] && [ "$i" != 1 ]; then
    same="$same, $(cmp -s "$out/clone/runs/findings.md" "$FINDINGS_TO" && echo "as run 1's" || echo "NOT as run 1's")"
  fi
  echo "run $i: ${seconds} s wall (build included), user ${user} s, CPU ${share}, peak RSS $((kib / 1024)) MiB," \
       "highest load $(sort -g "$out/load" | tail -1), $same"
  echo "$seconds $kib" >> "$out/all"
done
sort -n "$out/all" | awk '{s[NR]=$1; m[NR]=$2} END {i=int((NR+1)/2); printf "median of %d: %s s wall, peak RSS %d MiB (median run)\n", NR, s[i], m[i]/1024}'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
