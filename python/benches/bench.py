"""Python-side benchmarks of lossc (BENCHMARKS.md, "Python").

    python python/benches/bench.py [--rows 1000000] [--repeat 7]

1. Per-call overhead: one small call (16 float32 elements, mse) through
   `loss(...)`, through the extension directly (`loss._native.evaluate`),
   and the same call with threads=1.
2. One boosting round's objective for N rows, binary (bce) and 10-class
   (sparse_cce): the lossc XGBoost adapter (float32 margins, as XGBoost
   passes them) against a hand-written vectorised numpy objective.
3. One XGBoost round (hist, all cores) with the built-in objective and with
   the lossc objective, on N rows x 10 features.
Prints minimum times.
"""

import argparse
import time

import numpy as np

import lossc
import lossc.xgboost


def best(f, repeat, inner=1):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(inner):
            f()
        times.append((time.perf_counter() - t) / inner)
    return min(times)


def per_call(repeat):
    loss = lossc.compile("mse")
    p = np.linspace(-1, 1, 16, dtype=np.float32)
    t = np.zeros(16, np.float32)
    arrays = {"pred": p, "target": t}
    loss(pred=p, target=t)
    loss(pred=p, target=t, threads=1)
    full = best(lambda: loss(pred=p, target=t), repeat, 20000)
    native = best(lambda: loss._native.evaluate(arrays, None, "auto", None), repeat, 20000)
    one = best(lambda: loss(pred=p, target=t, threads=1), repeat, 20000)
    empty = best(lambda: None, repeat, 20000)
    print("| call (16 float32, mse) | µs |")
    print("|---|---|")
    print(f"| `loss(pred=p, target=t)` | {full * 1e6:.2f} |")
    print(f"| `loss(..., threads=1)` | {one * 1e6:.2f} |")
    print(f"| extension only (`loss._native.evaluate`) | {native * 1e6:.2f} |")
    print(f"| an empty Python call, for scale | {empty * 1e6:.2f} |")
    print()


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def numpy_binary(x, y):
    p = sigmoid(x)
    return p - y, p * (1.0 - p)


def numpy_softmax(x, y):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    g = p.copy()
    g[np.arange(len(y)), y.astype(np.int64)] -= 1.0
    return g, p * (1.0 - p)


def objective_round(rows, repeat):
    rng = np.random.default_rng(0)
    print(f"| objective, {rows} rows | lossc (ms) | numpy (ms) | numpy / lossc |")
    print("|---|---|---|---|")
    cases = [
        ("binary (bce)", "bce", rng.normal(size=rows).astype(np.float32),
         (rng.random(rows) > 0.5).astype(np.float32), numpy_binary),
        ("10-class (sparse_cce)", "sparse_cce", rng.normal(size=(rows, 10)).astype(np.float32),
         rng.integers(0, 10, rows).astype(np.float32), numpy_softmax),
    ]
    for name, spec, margins, labels, by_hand in cases:
        obj = lossc.xgboost.objective(spec)
        g, h = obj.grad_hess(margins, labels)
        g2, h2 = by_hand(margins, labels)
        assert np.allclose(g, g2, atol=1e-5) and np.allclose(h, h2, atol=1e-5)
        ours = best(lambda: obj.grad_hess(margins, labels), repeat)
        theirs = best(lambda: by_hand(margins, labels), repeat)
        print(f"| {name} | {ours * 1e3:.2f} | {theirs * 1e3:.2f} | {theirs / ours:.1f}× |")
    print()


def xgboost_round(rows, repeat):
    import xgboost as xgb

    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, 10)).astype(np.float32)
    logit = X[:, 0] - X[:, 1]
    print(f"| one XGBoost round, {rows} rows x 10 features | built-in (ms) | lossc (ms) |")
    print("|---|---|---|")
    for name, label, builtin, spec, params in [
        ("binary", (logit > 0).astype(np.float32), "binary:logistic", "bce", {}),
        ("10-class", np.digitize(logit, np.linspace(-2, 2, 9)).astype(np.float32),
         "multi:softprob", "sparse_cce", {"num_class": 10}),
    ]:
        dtrain = xgb.DMatrix(X, label=label)
        base = {"tree_method": "hist", "max_depth": 6, **params}
        obj = lossc.xgboost.objective(spec)

        def run(custom):
            if custom:
                xgb.train(base, dtrain, 1, obj=obj)
            else:
                xgb.train({**base, "objective": builtin}, dtrain, 1)

        run(True), run(False)
        ours = best(lambda: run(True), repeat)
        theirs = best(lambda: run(False), repeat)
        print(f"| {name} | {theirs * 1e3:.0f} | {ours * 1e3:.0f} |")
    print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--no-xgboost", action="store_true")
    args = ap.parse_args()
    per_call(args.repeat)
    objective_round(args.rows, args.repeat)
    if not args.no_xgboost:
        xgboost_round(args.rows, max(2, args.repeat // 2))


if __name__ == "__main__":
    main()
