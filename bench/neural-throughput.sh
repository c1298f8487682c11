#!/usr/bin/env bash
# Training throughput of reweigh's DJL transformer against the same model in PyTorch with an optimised BLAS, on the CPU,
# and both against what the machine's matrix products can do at all.
#
#   bench/neural-throughput.sh            # 5 rounds; each round runs DJL then PyTorch (A B A B ...), medians over rounds
#   ROUNDS=7 THREADS="1" bench/neural-throughput.sh
#
# The peer is Debian's python3-torch (1.13) on OpenBLAS: Debian's libtorch links the generic libblas.so.3, so this
# installs libopenblas0-pthread and selects it with update-alternatives (the reference BLAS, libblas3, is kept for one
# footnote row). Which BLAS each process used is read from its own /proc/self/maps, not assumed. Shapes: the default
# model (d_model 64, 2 layers, 4 heads, context 31, batch 128, vocabulary 30, as NeuralSettings.DEFAULTS pretrains), then
# d_model 128 and 256 at the same context and batch; 1 and 2 threads.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-5}"
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || [ ! -d /usr/lib/x86_64-linux-gnu/openblas-pthread ] \
    || [ ! -e /usr/lib/x86_64-linux-gnu/blas/libblas.so.3 ]; then
  echo "installing python3-torch, libopenblas0-pthread and libblas3 (Debian) ..."
  $SUDO apt-get install -y -q python3-torch libopenblas0-pthread libblas3 >/dev/null
fi
ALT=libblas.so.3-x86_64-linux-gnu
OPENBLAS=/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
REFERENCE=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3
select_blas() { $SUDO update-alternatives --set "$ALT" "$1" >/dev/null; }
trap 'select_blas "$OPENBLAS"' EXIT

nocolour() { sed "s/\x1b\[[0-9;]*m//g"; }
mvn -B -q -pl neural -am install -DskipTests | nocolour
(cd neural && mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt | nocolour)
CP="neural/target/classes:$(cat neural/target/classpath.txt)"
export DJL_OFFLINE=true

value() { grep -o "$1=[^ ]*" | tail -1 | cut -d= -f2; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
djl() { java -cp "$CP" reweigh.neural.bench.Throughput "$@" 2>/dev/null; }
# OpenBLAS runs its own thread pool, which torch.set_num_threads does not reach: pin it to the same count.
torch() { local t; t=$(printf '%s\n' "$@" | sed -n 's/^threads=//p'); OPENBLAS_NUM_THREADS="${t:-1}" /usr/bin/python3 bench/neural_throughput.py "$@"; }
# Training FLOPs per predicted token, as executed: per layer 24·d² (Q, K, V, O and the 4d MLP, 2 FLOPs a multiply-add)
# and 4·T·d (scores and weighted values over all T positions: the causal mask does not skip them), plus 2·d·V for the
# unembedding; a backward pass costs twice its forward, so training is 3× the forward.
flops() { python3 -c "d, L, T, V = $1, $2, $3, $4; print(3 * (L * (24 * d * d + 4 * T * d) + 2 * d * V))"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD), $rounds rounds"
select_blas "$OPENBLAS"

declare -A peak
echo "== matrix-product peak: 2048 x 2048 float32, median of $rounds rounds (GFLOP/s)"
printf '%-8s %12s %16s\n' threads djl_libtorch torch_openblas
for threads in ${THREADS:-1 2}; do
  a=() b=()
  for r in $(seq "$rounds"); do
    a+=("$(djl matmul=2048 runs=1 threads="$threads" | value median_gflops)")
    out=$(torch matmul=2048 runs=1 threads="$threads"); b+=("$(value median_gflops <<<"$out")")
  done
  peak[$threads]=$(printf '%s\n' "${a[@]}" "${b[@]}" | sort -g | tail -1)
  printf '%-8s %12s %16s   (%s)\n' "$threads" "$(echo "${a[*]}" | median)" "$(echo "${b[*]}" | median)" "$(value blas <<<"$out")"
done

echo "== training: tokens/s, median of $rounds rounds of 10 timed steps after 5 warm-up steps"
printf '%-8s %-8s %12s %14s %9s %12s %12s\n' d_model threads djl_tok_s torch_tok_s djl/torch djl_gflops djl_mfu
for d in 64 128 256; do
  shape=(d_model="$d" heads=4 layers=2 context=31 batch=128 vocab=30 steps=10 runs=1)
  per_token=$(flops "$d" 2 31 30)
  for threads in ${THREADS:-1 2}; do
    a=() b=()
    for r in $(seq "$rounds"); do
      a+=("$(djl "${shape[@]}" threads="$threads" | value median_tokens_per_second)")
      out=$(torch "${shape[@]}" threads="$threads"); b+=("$(value median_tokens_per_second <<<"$out")")
    done
    ma=$(echo "${a[*]}" | median) mb=$(echo "${b[*]}" | median)
    python3 -c "a, b, f, p = $ma, $mb, $per_token, ${peak[$threads]}
print(f'{$d:<8} {$threads:<8} {a:12.0f} {b:14.0f} {a / b:9.2f} {a * f / 1e9:12.1f} {a * f / 1e9 / p:12.0%}')"
  done
done
echo "torch BLAS: $(value blas <<<"$out"); DJL: $(djl matmul=64 runs=1 threads=1 | value blas)"

echo "== footnote: PyTorch on the reference BLAS (libblas3), default model, 1 thread, one round"
select_blas "$REFERENCE"
out=$(torch d_model=64 heads=4 layers=2 context=31 batch=128 vocab=30 steps=5 runs=1 threads=1)
echo "reference BLAS: $(value median_tokens_per_second <<<"$out") tokens/s ($(value blas <<<"$out"))"
