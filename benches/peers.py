#!/usr/bin/env python3
"""The lossc reference workloads in PyTorch eager, torch.compile and JAX.

    python3 benches/peers.py [--quick] [--threads 2] [--repeat 20]
                             [--peers torch_eager,torch_compile,jax]
                             [--workloads w1,w2,w3,w4,w5,w6]

Prints one JSON object per line and per (peer, workload):

    {"peer": "jax", "workload": "w1", "eval_ms_median": ..., "eval_ms_min": ...,
     "compile_ms": ..., "value": ..., "threads": 2, ...}

or, for a peer that cannot run here, one line {"peer": ..., "skipped": REASON}
(exit status 0 all the same). Install the peers with

    pip install "jax[cpu]" torch

What is timed, for every peer: one call that returns the loss value and the
gradient of every differentiated input (W4: pred and params), float32 data,
inputs created once and reused, the result synchronised (`block_until_ready`
for JAX; PyTorch eager and compiled CPU code is synchronous). The first call
is timed on its own as `compile_ms` (tracing + compilation + the first run;
for eager it is only the first run, reported as `first_call_ms`). Then two
more warm-up calls and REPEAT timed calls (fewer, but at least 5, where
they would take more than 8 s): median and min; "repeat" says how many.

  torch_eager    loss = f(p, t); torch.autograd.grad(loss, inputs)
  torch_compile  torch.compile(f) (inductor, dynamic=False, fresh cache dir so
                 compile_ms is a cold compile), then torch.autograd.grad: the
                 forward and backward graphs are both compiled by AOTAutograd
  jax            jax.jit(jax.value_and_grad(f, argnums=...))

Each peer runs in its own Python process (`--worker PEER`), so thread pools
of different libraries never compete, with 2 threads: torch.set_num_threads,
OMP_NUM_THREADS, and for JAX XLA_FLAGS="--xla_cpu_multi_thread_eigen=true
intra_op_parallelism_threads=2" and a CPU affinity of `--threads` CPUs.

The workloads are written as their libraries' users write them (the
PyTorch functional losses, torchvision's sigmoid_focal_loss formula,
segmentation_models_pytorch's soft Dice, optax-style JAX), and the data
follows `lossc --random`'s distributions: logits 2*normal, binary targets
Bernoulli(0.3), params 0.1*normal, labels uniform over the classes.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PEERS = ["torch_eager", "torch_compile", "jax"]
WORKLOADS = ["w1", "w2", "w3", "w4", "w5", "w6"]
NAMES = {
    "w1": "mse",
    "w2": "bce",
    "w3": "focal(gamma=2)",
    "w4": "0.7*focal(gamma=2) + 0.3*dice + 1e-4*l2",
    "w5": "sparse_cce",
    "w6": "huber(delta=1)",
}


def sizes(quick):
    """(N for the 1-D workloads, K params, (rows, classes) for W5)."""
    if quick:
        return 1 << 20, 1 << 16, (1024, 1000)
    return 1 << 24, 1 << 20, (8192, 1000)


def make_data(workload, quick, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    n, k, (rows, classes) = sizes(quick)
    if workload == "w5":
        return {
            "logits": (2.0 * rng.standard_normal((rows, classes), dtype=np.float32)).astype(np.float32),
            "labels": rng.integers(0, classes, size=rows, dtype=np.int64),
        }
    data = {
        "pred": (2.0 * rng.standard_normal(n, dtype=np.float32)).astype(np.float32),
        "target": (rng.random(n, dtype=np.float32) < 0.3).astype(np.float32),
    }
    if workload == "w4":
        data["params"] = (0.1 * rng.standard_normal(k, dtype=np.float32)).astype(np.float32)
    return data


# Timed calls stop early once they have taken this long (but never before 5
# calls), so that slow peer/workload pairs (PyTorch eager W3/W4: about a
# second a call on a loaded machine) keep the whole run within minutes.
BUDGET_S = 8.0


def time_calls(call, sync, repeat):
    """First call (compile latency), two warm-ups, then up to `repeat` timed calls."""
    t0 = time.perf_counter()
    out = call()
    sync(out)
    first = (time.perf_counter() - t0) * 1e3
    for _ in range(2):
        t0 = time.perf_counter()
        sync(call())
        warm = time.perf_counter() - t0
    repeat = max(min(repeat, 5), min(repeat, int(BUDGET_S / max(warm, 1e-6))))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = call()
        sync(out)
        times.append((time.perf_counter() - t0) * 1e3)
    return first, statistics.median(times), min(times), out, len(times)


# ---- PyTorch -----------------------------------------------------------------


def torch_losses():
    import torch
    import torch.nn.functional as F

    def focal(x, t, gamma=2.0):
        # torchvision.ops.sigmoid_focal_loss, alpha = -1 (none), reduction = "mean"
        p = torch.sigmoid(x)
        ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
        p_t = p * t + (1 - p) * (1 - t)
        return (ce * ((1 - p_t) ** gamma)).mean()

    def dice(x, t, smooth=1.0, eps=1e-7):
        q = torch.sigmoid(x)
        return 1 - (2 * (q * t).sum() + smooth) / torch.clamp_min(q.sum() + t.sum() + smooth, eps)

    return {
        "w1": (lambda d: F.mse_loss(d["pred"], d["target"]), ["pred"]),
        "w2": (lambda d: F.binary_cross_entropy_with_logits(d["pred"], d["target"]), ["pred"]),
        "w3": (lambda d: focal(d["pred"], d["target"]), ["pred"]),
        "w4": (
            lambda d: 0.7 * focal(d["pred"], d["target"]) + 0.3 * dice(d["pred"], d["target"]) + 1e-4 * (d["params"] ** 2).sum(),
            ["pred", "params"],
        ),
        "w5": (lambda d: F.cross_entropy(d["logits"], d["labels"]), ["logits"]),
        "w6": (lambda d: F.huber_loss(d["pred"], d["target"], delta=1.0), ["pred"]),
    }


def run_torch(compiled, args):
    peer = "torch_compile" if compiled else "torch_eager"
    if compiled:
        # A fresh inductor cache: compile_ms is a cold compile, as a new model's first step is.
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="lossc-bench-inductor-")
    t0 = time.perf_counter()
    try:
        import torch
    except Exception as e:  # noqa: BLE001 - any import failure means "skip"
        emit({"peer": peer, "skipped": f"torch is not importable: {type(e).__name__}: {e}"})
        return
    import_ms = (time.perf_counter() - t0) * 1e3
    torch.set_num_threads(args.threads)
    version = f"torch {torch.__version__}"
    losses = torch_losses()
    for w in args.workloads:
        fn, wrt = losses[w]
        data = {k: torch.from_numpy(v) for k, v in make_data(w, args.quick).items()}
        for k in wrt:
            data[k].requires_grad_(True)
        f = torch.compile(lambda p, f=fn, names=list(data): f(dict(zip(names, p))), dynamic=False) if compiled else None
        names = list(data)
        leaves = [data[k] for k in wrt]

        def call():
            loss = f([data[k] for k in names]) if compiled else fn(data)
            grads = torch.autograd.grad(loss, leaves)
            return loss.detach(), grads

        try:
            first, med, mn, out, reps = time_calls(call, lambda o: None, args.repeat)
        except Exception as e:  # noqa: BLE001
            emit({"peer": peer, "workload": w, "skipped": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"})
            continue
        rec = {
            "peer": peer,
            "engine": version + (" inductor" if compiled else " eager"),
            "workload": w,
            "loss": NAMES[w],
            "threads": torch.get_num_threads(),
            "eval_ms_median": round(med, 4),
            "eval_ms_min": round(mn, 4),
            ("compile_ms" if compiled else "first_call_ms"): round(first, 2),
            "value": float(out[0]),
            "grad_norm": float(sum(float((g.double() ** 2).sum()) for g in out[1]) ** 0.5),
            "elements": int(sum(v.numel() for v in data.values())),
            "repeat": reps,
            "import_ms": round(import_ms, 1),
        }
        emit(rec)
        del data, out


# ---- JAX -----------------------------------------------------------------------


def jax_losses():
    import jax
    import jax.numpy as jnp

    def softplus(x):
        return jnp.maximum(x, 0) + jnp.log1p(jnp.exp(-jnp.abs(x)))

    def bce_elem(x, t):
        # optax.sigmoid_binary_cross_entropy, written out
        return softplus(x) - x * t

    def focal(x, t, gamma=2.0):
        p = jax.nn.sigmoid(x)
        p_t = p * t + (1 - p) * (1 - t)
        return jnp.mean(bce_elem(x, t) * (1 - p_t) ** gamma)

    def dice(x, t, smooth=1.0, eps=1e-7):
        q = jax.nn.sigmoid(x)
        return 1 - (2 * jnp.sum(q * t) + smooth) / jnp.maximum(jnp.sum(q) + jnp.sum(t) + smooth, eps)

    def huber(p, t, delta=1.0):
        d = jnp.abs(p - t)
        return jnp.mean(jnp.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)))

    def sparse_cce(x, y):
        logq = jax.nn.log_softmax(x, axis=-1)
        return -jnp.mean(jnp.take_along_axis(logq, y[:, None], axis=-1))

    return {
        "w1": (lambda p, t: jnp.mean((p - t) ** 2), ["pred", "target"], (0,)),
        "w2": (lambda p, t: jnp.mean(bce_elem(p, t)), ["pred", "target"], (0,)),
        "w3": (lambda p, t: focal(p, t), ["pred", "target"], (0,)),
        "w4": (
            lambda p, t, w: 0.7 * focal(p, t) + 0.3 * dice(p, t) + 1e-4 * jnp.sum(w * w),
            ["pred", "target", "params"],
            (0, 2),
        ),
        "w5": (sparse_cce, ["logits", "labels"], (0,)),
        "w6": (huber, ["pred", "target"], (0,)),
    }


def run_jax(args):
    peer = "jax"
    t0 = time.perf_counter()
    try:
        import jax
    except Exception as e:  # noqa: BLE001
        emit({"peer": peer, "skipped": f"jax is not importable: {type(e).__name__}: {e}"})
        return
    jax.config.update("jax_enable_x64", True)  # int64 labels stay int64; every array here is float32
    import_ms = (time.perf_counter() - t0) * 1e3
    version = f"jax {jax.__version__} jit(value_and_grad)"
    losses = jax_losses()
    for w in args.workloads:
        fn, names, argnums = losses[w]
        host = make_data(w, args.quick)
        arrays = [jax.device_put(host[k]) for k in names]
        vg = jax.jit(jax.value_and_grad(fn, argnums=argnums))

        def call():
            return vg(*arrays)

        try:
            first, med, mn, out, reps = time_calls(call, lambda o: jax.block_until_ready(o), args.repeat)
        except Exception as e:  # noqa: BLE001
            emit({"peer": peer, "workload": w, "skipped": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"})
            continue
        value, grads = out
        emit(
            {
                "peer": peer,
                "engine": version,
                "workload": w,
                "loss": NAMES[w],
                "threads": args.threads,
                "eval_ms_median": round(med, 4),
                "eval_ms_min": round(mn, 4),
                "compile_ms": round(first, 2),
                "value": float(value),
                "grad_norm": float(sum(float((g.astype("float64") ** 2).sum()) for g in grads) ** 0.5),
                "elements": int(sum(a.size for a in arrays)),
                "repeat": reps,
                "import_ms": round(import_ms, 1),
                "dtype": str(arrays[0].dtype),
            }
        )
        del arrays, out, grads


# ---- driver --------------------------------------------------------------------


def emit(rec):
    print(json.dumps(rec), flush=True)


def worker(args):
    try:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[: args.threads])
    except (AttributeError, OSError):
        pass
    if args.worker == "jax":
        run_jax(args)
    else:
        run_torch(args.worker == "torch_compile", args)


def parent(args):
    here = os.path.abspath(__file__)
    for peer in args.peers:
        env = dict(os.environ)
        t = str(args.threads)
        env.update({"OMP_NUM_THREADS": t, "MKL_NUM_THREADS": t})
        if peer == "jax":
            env["XLA_FLAGS"] = (env.get("XLA_FLAGS", "") + f" --xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads={t}").strip()
            env.setdefault("JAX_PLATFORMS", "cpu")
        cmd = [sys.executable, here, "--worker", peer, "--threads", t, "--repeat", str(args.repeat), "--workloads", ",".join(args.workloads)]
        if args.quick:
            cmd.append("--quick")
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            sys.stdout.write(out)
            emit({"peer": peer, "skipped": f"timed out after {args.timeout} s (results above, if any, are complete)"})
            continue
        sys.stdout.write(proc.stdout)
        sys.stdout.flush()
        if proc.returncode != 0:
            tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
            emit({"peer": peer, "skipped": f"worker exited with status {proc.returncode}: {tail}"})
        emit({"peer": peer, "process_s": round(time.perf_counter() - t0, 2)})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="N = 2^20, K = 2^16, W5 1024 x 1000")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--timeout", type=int, default=600, help="seconds per peer process")
    ap.add_argument("--worker", choices=PEERS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.peers = [p for p in args.peers.split(",") if p]
    args.workloads = [w for w in args.workloads.split(",") if w]
    for p in args.peers:
        if p not in PEERS:
            ap.error(f"unknown peer {p!r}; choose from {PEERS}")
    for w in args.workloads:
        if w not in WORKLOADS:
            ap.error(f"unknown workload {w!r}; choose from {WORKLOADS}")
    try:
        import numpy  # noqa: F401
    except ImportError:
        for p in args.peers:
            emit({"peer": p, "skipped": "numpy is not installed (pip install numpy)"})
        return
    if args.worker:
        worker(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
