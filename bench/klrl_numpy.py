"""The exact engine's kl-rl sweep in NumPy, the peer of reweigh.bench.KlRlSweep.sweep: R_a = E_x E_{y~pi_a} r(x, y)
over 8 algorithms x 1000 contexts, then w*(beta) ∝ w0 exp(R / beta) for 100 betas, vectorised.

    python3 bench/klrl_numpy.py TABLES [REPEATS]    (TABLES from reweigh.bench.KlRlTables)

Checks the result against the exact engine's w*(beta) in TABLES (largest absolute difference) and prints the median
time of one sweep over REPEATS (default 2000) as sweeps per second, JMH's unit for KlRlSweep.sweep.
"""
import statistics
import sys
import time

import numpy as np


def read(path):
    blocks, name, dims, values = {}, None, None, []
    for line in open(path):
        head = line.split()
        if head[0].isidentifier():
            if name:
                blocks[name] = np.array(values).reshape(dims)
            name, dims, values = head[0], [int(d) for d in head[1:]], []
        else:
            values.append(float(head[0]))
    blocks[name] = np.array(values).reshape(dims)
    return blocks


def sweep(w0, p, pi, reward, betas):
    returns = np.einsum("axr,xr,x->a", pi, reward, p)  # R_a
    live = w0 > 0
    theta = np.where(live, np.log(np.where(live, w0, 1.0)), -np.inf)[None, :] \
        + np.where(live, returns - returns[live].max(), 0.0)[None, :] / betas[:, None]
    theta -= theta.max(axis=1, keepdims=True)
    w = np.exp(theta)
    return w / w.sum(axis=1, keepdims=True)


def main(path, repeats=2000):
    t = read(path)
    args = (t["w0"], t["p"], t["pi"], t["reward"], t["beta"])
    optimum = sweep(*args)
    print(f"numpy={np.__version__} max_abs_difference={np.abs(optimum - t['optimum']).max():.3g}")
    times = []
    for _ in range(int(repeats)):
        start = time.perf_counter()
        sweep(*args)
        times.append(time.perf_counter() - start)
    print(f"median_seconds={statistics.median(times):.3g} sweeps_per_second={1 / statistics.median(times):.1f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
