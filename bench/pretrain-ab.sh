#!/usr/bin/env bash
# A default base's pretraining time at this checkout against another commit's, side by side: the two builds alternate
# (A B A B ...), one process each, one PyTorch thread, and the medians are printed.
#   bench/pretrain-ab.sh REF [STEPS] [ROUNDS]     e.g. bench/pretrain-ab.sh a0ff7e5 200 5
# REF is built in a worktree under /tmp (tests skipped). Both run bench/PretrainSteps.java from this checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
ref="$1" steps="${2:-200}" rounds="${3:-5}"
other="/tmp/reweigh-ab-$(git rev-parse --short "$ref")"
[ -d "$other" ] || git worktree add -q --detach "$other" "$ref"
for tree in . "$other"; do (cd "$tree" && mvn -B -q -Dmaven.test.skip=true -pl lab -am package) >/dev/null; done
export DJL_OFFLINE=true
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
: > /tmp/ab-this; : > /tmp/ab-other
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); this $(git rev-parse --short HEAD), other $(git -C "$other" rev-parse --short HEAD); $steps steps"
for i in $(seq "$rounds"); do
  for tree in . "$other"; do
    line=$(java -cp "$tree/lab/target/reweigh.jar" bench/PretrainSteps.java "$steps" 2>/dev/null | grep seconds=)
    echo "round $i $( [ "$tree" = . ] && echo this || echo other): $line"
    echo "$line" | sed 's/seconds=\([^ ]*\).*/\1/' >> "$( [ "$tree" = . ] && echo /tmp/ab-this || echo /tmp/ab-other)"
  done
done
echo "median seconds: this $(median < /tmp/ab-this), other $(median < /tmp/ab-other)"
