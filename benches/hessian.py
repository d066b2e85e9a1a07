"""Value + gradient + Hessian diagonal: lossc against itself without the
Hessian and against the hand-written numpy objective a boosting user writes.

    python3 benches/hessian.py [--quick] [--threads 2] [--repeat 10]

Needs numpy (`pip install numpy`) and a built `target/release/lossc`.
For each workload (bce and focal(gamma=2) on N logits, sparse_cce on
N x C logits) it runs, alternating to share the machine's noise:
  lossc bench (value + gradient), lossc bench --hessian, and numpy
(grad and hess in float32, vectorised, single call as an objective does).
It prints one markdown table of minimum times and the two ratios of issue
12: hessian / gradient-only (target <= 1.3) and numpy / lossc (target >= 5).
"""

import argparse
import json
import subprocess
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LOSSC = ROOT / "target" / "release" / "lossc"


def lossc_ms(spec, size, threads, repeat, hessian):
    cmd = [str(LOSSC), "bench", str(spec), *size, "--threads", str(threads),
           "--repeat", str(repeat), "--json"]
    if hessian:
        cmd.append("--hessian")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["eval_ms_min"]


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def bce_numpy(x, y):
    p = sigmoid(x)
    return (p - y) / x.size, p * (1.0 - p) / x.size


def focal_numpy(x, y):
    # focal(gamma = 2): p_t = y p + (1 - y)(1 - p), loss = -(1 - p_t)^2 log p_t;
    # derivatives through s = (2y - 1) x, p_t = sigmoid(s), ds/dx = 2y - 1.
    sgn = 2.0 * y - 1.0
    s = sgn * x
    pt = sigmoid(s)
    q = 1.0 - pt
    logpt = -np.logaddexp(0.0, -s)
    # d/ds [-(q^2) log pt] with dq/ds = -pt q, dlogpt/ds = q
    d1 = 2.0 * q * q * pt * logpt - q ** 3
    # second derivative in s
    d2 = (2.0 * pt * q * (q * (1 - 2 * pt) * logpt - pt * q * logpt + q * q)
          + 3.0 * q * q * pt * q)
    n = x.size
    return sgn * d1 / n, d2 / n


def sparse_cce_numpy(z, labels):
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    p = e / e.sum(axis=1, keepdims=True)
    g = p.copy()
    g[np.arange(z.shape[0]), labels] -= 1.0
    n = z.shape[0]
    return g / n, p * (1.0 - p) / n


def numpy_ms(fn, args, repeat):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(*args)
        best = min(best, (time.perf_counter() - t) * 1e3)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    n = 1 << (20 if a.quick else 24)
    rows, classes = (1024 if a.quick else 8192), 1000
    rng = np.random.default_rng(0)
    x = rng.standard_normal(n, dtype=np.float32) * 2
    y = (rng.random(n) < 0.3).astype(np.float32)
    z = rng.standard_normal((rows, classes), dtype=np.float32)
    labels = rng.integers(0, classes, rows)
    w = ROOT / "benches" / "workloads"
    cases = [
        ("bce", w / "w2_bce.loss", ["--random", str(n)], bce_numpy, (x, y)),
        ("focal(gamma=2)", w / "w3_focal.loss", ["--random", str(n)], focal_numpy, (x, y)),
        ("sparse_cce", w / "w5_sparse_cce.loss",
         ["--random", str(rows), "--dim", f"C={classes}"], sparse_cce_numpy, (z, labels)),
    ]
    print(f"| loss | size | lossc grad (ms) | lossc grad + hess (ms) | hess / grad | numpy grad + hess (ms) | numpy / lossc |")
    print("|---|---|---|---|---|---|---|")
    for name, spec, size, fn, args in cases:
        grad, hess, npy = [], [], []
        for _ in range(3):
            grad.append(lossc_ms(spec, size, a.threads, a.repeat, False))
            hess.append(lossc_ms(spec, size, a.threads, a.repeat, True))
            npy.append(numpy_ms(fn, args, max(2, a.repeat // 3)))
        g, h, p = min(grad), min(hess), min(npy)
        shape = f"{rows}x{classes}" if name == "sparse_cce" else str(n)
        print(f"| {name} | {shape} | {g:.2f} | {h:.2f} | {h / g:.2f} | {p:.2f} | {p / h:.1f} |")


if __name__ == "__main__":
    main()
