#!/usr/bin/env bash
# Training throughput of reweigh's DJL transformer against the same model in PyTorch, on the CPU.
#
#   bench/neural-throughput.sh                      # defaults: d_model=128 heads=4 layers=2 context=128 batch=32 vocab=64
#   bench/neural-throughput.sh d_model=64 batch=16  # any key=value is passed to both sides
#   THREADS="1" bench/neural-throughput.sh          # only one thread (default: "1 2"; 0 = each library's default)
#
# Installs Debian's python3-torch if it is missing and runs it with Debian's /usr/bin/python3,
# where that package lives. Prints each side's median tokens/s over several timed runs and the
# ratio DJL / PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "installing python3-torch (Debian) ..."
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get install -y -q python3-torch >/dev/null
fi

nocolour() { sed "s/\x1b\[[0-9;]*m//g"; }
mvn -B -q -pl neural -am install -DskipTests | nocolour
(cd neural && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt | nocolour)
CP="neural/target/classes:$(cat neural/target/classpath.txt)"
export DJL_OFFLINE=true

median() { grep -o 'median_tokens_per_second=[0-9]*' | cut -d= -f2; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  args: $*"
rows=()
for threads in ${THREADS:-1 2}; do
  out=$(java -cp "$CP" reweigh.neural.bench.Throughput "$@" threads="$threads" 2>/dev/null); echo "$out"
  djl=$(median <<<"$out")
  out=$(/usr/bin/python3 bench/neural_throughput.py "$@" threads="$threads"); echo "$out"
  torch=$(median <<<"$out")
  label=$([ "$threads" = 0 ] && echo default || echo "$threads")
  rows+=("$(printf '%-8s %14s %14s %8s' "$label" "$djl" "$torch" "$(python3 -c "print(f'{$djl / $torch:.2f}')")")")
done
echo "summary (tokens/s, median of runs):"
printf '%-8s %14s %14s %8s\n' threads djl_tok_s torch_tok_s djl/torch
printf '%s\n' "${rows[@]}"
