"""Data-parallel lossc over MPI: every rank holds its own rows of a batch
and gets the loss of the *whole* batch and its rows of that loss's gradient.

    mpirun -n 3 python examples/distributed_mpi.py [--dtype float32]

(as root, add --allow-run-as-root; more ranks than cores, --oversubscribe).
Needs mpi4py and the lossc package. The batch is uneven across the ranks
(rank 1 has no rows when there are three or more); every rank checks its
result against a single-process evaluation of the concatenated batch,
prints one JSON line, and exits with status 1 if they differ.
"""

import argparse
import json
import sys

import numpy as np
from mpi4py import MPI

import lossc
import lossc.distributed

SPEC = """
input pred: {t}[N]
target target: {t}[N]
input logits: {t}[N, C]
target labels: i64[N]
loss main = 0.5 * dice(pred, target) + focal(pred, target, gamma = 2) + sparse_cce(logits, labels)
"""

# Relative tolerance against the single-process evaluation (measured
# worst cases are printed as "err"; README.md, "Data-parallel training").
TOLERANCE = {"float64": 1e-12, "float32": 2e-5}


def batch(n, c, dtype):
    """The global batch; every rank builds the same one."""
    rng = np.random.default_rng(7)
    pred = rng.normal(scale=2.0, size=n).astype(dtype)
    target = (rng.random(n) < 0.4).astype(dtype)
    logits = rng.normal(scale=1.5, size=(n, c)).astype(dtype)
    labels = rng.integers(0, c, size=n)
    labels[::5] = -100  # ignored rows: the mean is over the others of all ranks
    return {"pred": pred, "target": target, "logits": logits, "labels": labels}


def bounds(n, ranks):
    """Uneven row ranges, the second rank's empty when there are three or more."""
    weights = np.array([0 if (r == 1 and ranks > 2) else r + 2 for r in range(ranks)], float)
    cuts = np.concatenate([[0], np.round(np.cumsum(weights) / weights.sum() * n)]).astype(int)
    return [(int(cuts[r]), int(cuts[r + 1])) for r in range(ranks)]


def rel_err(a, b):
    """Largest |a - b| relative to max(|a|, |b|) (+1e-3 absolute floor)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / (np.maximum(np.abs(a), np.abs(b)) + 1e-3)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    ap.add_argument("--rows", type=int, default=301)
    ap.add_argument("--classes", type=int, default=5)
    args = ap.parse_args()

    comm = MPI.COMM_WORLD
    loss = lossc.compile(SPEC.format(t="f64" if args.dtype == "float64" else "f32"))
    data = batch(args.rows, args.classes, args.dtype)
    lo, hi = bounds(args.rows, comm.size)[comm.rank]
    mine = {k: v[lo:hi] for k, v in data.items()}

    evaluate = lossc.distributed.mpi(loss, comm)
    r = evaluate(**mine)  # a collective: every rank calls it

    # The reference: one process, the whole batch, this rank's rows.
    whole = loss(**data)
    err = {"value": rel_err(r.value, whole.value)}
    for name in r.grads:
        err[name] = rel_err(r.grads[name], whole.grads[name][lo:hi])
    ok = max(err.values()) <= TOLERANCE[args.dtype] and set(r.grads) == {"pred", "logits"}
    print(
        json.dumps(
            {
                "rank": comm.rank,
                "rows": [lo, hi],
                "value": r.value,
                "single_process_value": whole.value,
                "err": err,
                "ok": ok,
            }
        ),
        flush=True,
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
