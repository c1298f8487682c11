"""Where a `./reweigh all` spends its CPU: a Java Flight Recorder profile's samples, put in phases.

    REWEIGH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/all.jfr,settings=profile" ./reweigh all
    jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 64 /tmp/all.jfr | python3 bench/profile-phases.py

Java samples (jdk.ExecutionSample) and samples of threads inside native code (jdk.NativeMethodSample, where
libtorch's kernels run) both count. A sample counts when its stack holds a reweigh frame; it goes to the first
phase below whose classes its stack holds, so a measurement made while pretraining counts as pretraining and the
exact response distributions a faithfulness table reads count as that table. Reads jfr's text on standard input a
line at a time (a cold run's samples are gigabytes of text) and prints a Markdown table.
"""
import collections
import re
import sys

# (phase, the frames that put a sample in it), first match wins
PHASES = [
    ("pretraining the bases", ("reweigh.neural.pretrain.Pretraining",)),
    ("probes, patching, ablation", ("reweigh.neural.probe.",)),
    ("measurement: faithfulness tables", ("reweigh.neural.measure.Faithfulness",)),
    ("tuning: rollouts (sampling)", ("reweigh.neural.finetune.Rollouts",)),
    ("measurement: snapshots while tuning", None),  # reweigh.neural.measure under Tuning, decided below
    ("measurement: many-shot curves; bases, tuned networks, other contexts", ("reweigh.neural.measure.",)),
    ("tuning: updates (scoring samples, forward, backward, AdamW)",
     ("reweigh.neural.finetune.", "reweigh.neural.Trainer", "reweigh.neural.AdamW")),
    ("results database, report, exact engine, other", ("reweigh.",)),
]
MANY_SHOT = "reweigh.experiment.ManyShot"


FRAME = re.compile(r"^\s+([\w.$]+)\.[\w$<>]+\(")


def stacks(lines):
    """Each sample's classes, innermost first, from jfr print's text."""
    stack = None
    for line in lines:
        if line.startswith("jdk.ExecutionSample {") or line.startswith("jdk.NativeMethodSample {"):
            stack = []
        elif stack is not None and line.startswith("}"):
            yield stack
            stack = None
        elif stack is not None:
            m = FRAME.match(line)
            if m:
                stack.append(m.group(1))


def phase(stack):
    for name, prefixes in PHASES:
        if prefixes is None:
            if any(c.startswith("reweigh.neural.measure.") for c in stack) and any(
                    c == "reweigh.neural.finetune.Tuning" for c in stack):
                return name
            continue
        if any(c.startswith(p) for c in stack for p in prefixes):
            return name
    return None


def main(lines):
    counts = collections.Counter()
    many_shot_base = 0
    for stack in stacks(lines):
        p = phase(stack)
        if p is None:
            continue
        counts[p] += 1
        if p == PHASES[0][0] and MANY_SHOT in stack:
            many_shot_base += 1
    total = sum(counts.values())
    print(f"{total} samples in reweigh code\n")
    print("| phase | share of samples |\n|---|---:|")
    for name, _ in PHASES:
        print(f"| {name} | {100 * counts[name] / total:.1f}% |")
        if name == PHASES[0][0]:
            print(f"| (of which many-shot's base) | ({100 * many_shot_base / total:.1f}%) |")


if __name__ == "__main__":
    main(sys.stdin)
