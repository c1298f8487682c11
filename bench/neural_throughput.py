"""Training throughput of the same transformer in PyTorch, to compare with reweigh.neural.bench.Throughput.

Same architecture as reweigh.neural.LanguageModel (pre-LayerNorm, learned token and position
embeddings, separate Q/K/V/O projections with biases, causal softmax attention with an additive
-inf mask, exact GELU MLP with ratio 4, final LayerNorm, untied unembedding), the same loss
(masked mean next-token cross-entropy), AdamW (0.9, 0.95, 1e-8, decay 0.1 on matrices) and
global-norm clipping at 1. Tokens per second = steps * batch * context / seconds.

    python3 bench/neural_throughput.py d_model=128 heads=4 layers=2 context=128 batch=32 vocab=64 threads=0
"""
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c, h, m):
        super().__init__()
        self.h = h
        self.ln1 = nn.LayerNorm(c)
        self.q, self.k, self.v, self.o = (nn.Linear(c, c) for _ in range(4))
        self.ln2 = nn.LayerNorm(c)
        self.fc_in = nn.Linear(c, m)
        self.fc_out = nn.Linear(m, c)

    def forward(self, x, mask):
        b, t, c = x.shape
        d = c // self.h
        y = self.ln1(x)
        q = self.q(y).view(b, t, self.h, d).transpose(1, 2)  # (B, H, T, D)
        k = self.k(y).view(b, t, self.h, d).transpose(1, 2)
        v = self.v(y).view(b, t, self.h, d).transpose(1, 2)
        pattern = (q @ k.transpose(-2, -1) / math.sqrt(d) + mask[:t, :t]).softmax(-1)  # (B, H, T, T)
        z = (pattern @ v).transpose(1, 2).reshape(b, t, c)
        x = x + self.o(z)
        return x + self.fc_out(F.gelu(self.fc_in(self.ln2(x))))


class LanguageModel(nn.Module):
    def __init__(self, vocab, context, c, h, layers):
        super().__init__()
        self.embed = nn.Embedding(vocab, c)
        self.pos = nn.Parameter(torch.randn(context, c) * 0.02)
        self.blocks = nn.ModuleList(Block(c, h, 4 * c) for _ in range(layers))
        self.ln_final = nn.LayerNorm(c)
        self.unembed = nn.Linear(c, vocab)
        mask = torch.full((context, context), float("-inf")).triu(1)
        self.register_buffer("mask", mask)

    def forward(self, tokens):  # (B, T) -> (B, T, V)
        x = self.embed(tokens) + self.pos[: tokens.shape[1]]
        for block in self.blocks:
            x = block(x, self.mask)
        return self.unembed(self.ln_final(x))


def main(argv):
    o = dict(d_model=128, heads=4, layers=2, context=128, batch=32, vocab=64, threads=0, warmup=5, steps=20, runs=5, matmul=0)
    for arg in argv:
        key, _, value = arg.partition("=")
        if key not in o or not value:
            raise SystemExit(f"unknown option {arg!r}; allowed key=value with keys {list(o)}")
        o[key] = int(value)
    if o["threads"] > 0:
        torch.set_num_threads(o["threads"])
    torch.manual_seed(1)
    if o["matmul"]:
        return matmul(o["matmul"], o["runs"])
    model = LanguageModel(o["vocab"], o["context"], o["d_model"], o["heads"], o["layers"])
    decayed = [p for p in model.parameters() if p.dim() >= 2]
    plain = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decayed, "weight_decay": 0.1}, {"params": plain, "weight_decay": 0.0}],
                                  lr=1e-4, betas=(0.9, 0.95), eps=1e-8)
    print(f"torch={torch.__version__} config={o} threads={torch.get_num_threads()}")
    b, t, v = o["batch"], o["context"] + 1, o["vocab"]

    def step(tokens):
        inputs, targets = tokens[:, :-1], tokens[:, 1:]
        weights = torch.ones(targets.shape)
        log_probs = model(inputs).log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        loss = -(log_probs * weights).sum() / weights.sum()
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    for _ in range(o["warmup"]):
        step(torch.randint(v, (b, t)))
    rates = []
    for run in range(o["runs"]):
        batches = [torch.randint(v, (b, t)) for _ in range(o["steps"])]
        start = time.perf_counter()
        for tokens in batches:
            step(tokens)
        seconds = time.perf_counter() - start
        rates.append(o["steps"] * b * (t - 1) / seconds)
        print(f"run={run} tokens_per_second={rates[-1]:.0f} ms_per_step={1000 * seconds / o['steps']:.1f}")
    print(f"median_tokens_per_second={statistics.median(rates):.0f}")
    print(f"blas={blas()}")


def matmul(n, runs):
    """An n x n by n x n float32 product (2n^3 FLOPs), repeated for about a second a run: the machine's limit."""
    a, b = torch.rand(n, n) * 2 - 1, torch.rand(n, n) * 2 - 1
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    a @ b
    reps = max(1, int(1 / max(1e-9, time.perf_counter() - start)))
    gflops = []
    for run in range(runs):
        start = time.perf_counter()
        for _ in range(reps):
            a @ b
        gflops.append(2 * n ** 3 * reps / (time.perf_counter() - start) / 1e9)
        print(f"run={run} gflops={gflops[-1]:.1f}")
    print(f"median_gflops={statistics.median(gflops):.1f} threads={torch.get_num_threads()} n={n}")
    print(f"blas={blas()}")


def blas():
    """The BLAS libraries this process has mapped (/proc/self/maps): which one Debian's alternatives selected."""
    with open("/proc/self/maps") as f:
        libs = sorted({line.rsplit("/", 1)[-1].strip() for line in f if "/" in line and any(k in line.lower() for k in ("blas", "mkl", "blis"))})
    return ",".join(libs) or "none mapped"


if __name__ == "__main__":
    main(sys.argv[1:])
