#!/usr/bin/env bash
# The exact engine against NumPy peers, side by side, on one problem (8 algorithms x 1000 contexts):
#   the kl-rl sweep: R_a, then w*(beta) for 100 betas (KlRlSweep.sweep under JMH; bench/klrl_numpy.py, checked to agree);
#   a batch-32 k1 REINFORCE step (ReinforceStep.steps; bench/reinforce_numpy.py, its mean gradient checked against the
#   exact expectation). ROUNDS rounds alternate JMH and NumPy for each; prints each round and the medians.
#   bench/exact-peer.sh            # 5 rounds
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-5}"
/usr/bin/python3 -c 'import numpy' 2>/dev/null || { SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo); $SUDO apt-get install -y -q python3-numpy >/dev/null; }
mvn -B -q -Pbench -pl bench -am package -DskipTests | sed "s/\x1b\[[0-9;]*m//g"
tables="$(mktemp)"
trap 'rm -f "$tables"' EXIT
java -cp bench/target/benchmarks.jar reweigh.bench.KlRlTables "$tables"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD), $rounds rounds"
java_rates=() numpy_rates=() java_steps=() numpy_steps=()
for r in $(seq "$rounds"); do
  j=$(java -jar bench/target/benchmarks.jar 'KlRlSweep.sweep$' -f 1 -wi 3 -w 1 -i 5 -r 1 2>/dev/null \
      | awk '/^KlRlSweep.sweep / {print $(NF-3)}' | tr -d ,)
  out=$(OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/klrl_numpy.py "$tables" 2000)
  n=$(grep -o 'sweeps_per_second=[0-9.]*' <<<"$out" | cut -d= -f2)
  echo "round $r: kl-rl sweep: exact engine (JMH) $j sweeps/s, NumPy $n sweeps/s ($(head -1 <<<"$out"))"
  java_rates+=("$j") numpy_rates+=("$n")
  j=$(java -jar bench/target/benchmarks.jar 'ReinforceStep.steps$' -p algorithms=8 -p contexts=1000 -f 1 -wi 3 -w 1 -i 5 -r 1 2>/dev/null \
      | awk '/^ReinforceStep.steps / {print $(NF-3)}' | tr -d ,)
  out=$(cd bench && OPENBLAS_NUM_THREADS=1 /usr/bin/python3 reinforce_numpy.py "$tables" 1000 5)
  n=$(grep -o 'steps_per_second=[0-9.]*' <<<"$out" | cut -d= -f2)
  echo "round $r: REINFORCE step: exact engine (JMH) $j steps/s, NumPy $n steps/s ($(head -1 <<<"$out"))"
  java_steps+=("$j") numpy_steps+=("$n")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
mj=$(median "${java_rates[@]}") mn=$(median "${numpy_rates[@]}")
echo "median kl-rl sweep: exact engine $mj sweeps/s, NumPy $mn sweeps/s, ratio $(python3 -c "print(f'{$mj / $mn:.1f}')")"
mj=$(median "${java_steps[@]}") mn=$(median "${numpy_steps[@]}")
echo "median REINFORCE step: exact engine $mj steps/s, NumPy $mn steps/s, ratio $(python3 -c "print(f'{$mj / $mn:.1f}')")"
