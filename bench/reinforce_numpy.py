"""The exact engine's sampled REINFORCE step in NumPy, the peer of reweigh.bench.ReinforceStep (8 algorithms, 1,000
contexts, batch 32, k1, one response per context): sample the batch's contexts, the mixture pi_w(y | x) of the contexts
visited, one response each, its rating (a lie caught with probability detect), shape it with the k1 KL to the base,
and ascend the softmax logits along advantage * d log pi_w(y | x) / d theta, vectorised over the batch.

    python3 bench/reinforce_numpy.py TABLES [STEPS] [REPEATS]    (TABLES from reweigh.bench.KlRlTables)

Checks first that the step is the engine's: the mean of 20,000 sampled gradients at the prior against the expected
gradient KlRlTables computed exactly (largest |difference| in standard errors; Monte Carlo, so about 3 or less is
agreement). Then prints the median time per step over REPEATS (default 5) runs of STEPS (default 1000) steps, as
steps per second, JMH's unit for ReinforceStep.steps.
"""
import statistics
import sys
import time

import numpy as np

from klrl_numpy import read


class Step:
    def __init__(self, t):
        self.pi = np.ascontiguousarray(t["pi"])  # (K, X, R)
        self.p = t["p"] / t["p"].sum()
        self.cdf = np.cumsum(self.p)
        self.base = t["base"]
        self.caught, self.low, self.high = t["caught"], t["reward_caught"], t["reward_uncaught"]
        self.lr, self.batch, self.beta = t["reinforce"][0], int(t["reinforce"][1]), t["reinforce"][2]
        self.rng = np.random.default_rng(20240607)

    def gradient(self, theta):
        """One batch's gradient estimate at theta, as the engine's PolicyGradient.estimate computes it (k = 1)."""
        w = np.exp(theta - theta.max())
        w /= w.sum()
        xs = np.minimum(np.searchsorted(self.cdf, self.rng.random(self.batch), side="right"), len(self.p) - 1)
        mix = np.einsum("k,kbr->br", w, self.pi[:, xs, :])  # (B, R): pi_w(y | x) of the contexts visited
        ys = (np.cumsum(mix, axis=1) > self.rng.random(self.batch)[:, None]).argmax(axis=1)
        q = mix[np.arange(self.batch), ys]
        caught = self.rng.random(self.batch) < self.caught[xs, ys]
        reward = np.where(caught, self.low[xs, ys], self.high[xs, ys])
        shaped = reward - self.beta * np.log(q / self.base[xs, ys])
        ratio = self.pi[:, xs, ys] / q  # (K, B): pi_a(y | x) / pi_w(y | x)
        return (w[:, None] * (ratio - 1) * shaped).sum(axis=1) / self.batch

    def run(self, theta, steps):
        for _ in range(steps):
            theta += self.lr * self.gradient(theta)
        return theta


def main(path, steps=1000, repeats=5):
    t = read(path)
    step = Step(t)
    prior = np.log(t["w0"])
    draws = np.array([step.gradient(prior) for _ in range(20000)])
    z = np.abs(draws.mean(axis=0) - t["gradient"]) / (draws.std(axis=0, ddof=1) / np.sqrt(len(draws)))
    print(f"numpy={np.__version__} gradient_max_abs_z={z.max():.2f} (20000 sampled steps at the prior against the exact expectation)")
    times = []
    for _ in range(int(repeats)):
        start = time.perf_counter()
        step.run(prior.copy(), int(steps))
        times.append((time.perf_counter() - start) / int(steps))
    print(f"median_seconds_per_step={statistics.median(times):.3g} steps_per_second={1 / statistics.median(times):.1f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
