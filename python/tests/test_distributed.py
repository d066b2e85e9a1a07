"""Data-parallel evaluation: shards' partials summed (here with numpy, in
one process; with mpirun and torch.distributed below) give the
single-process result on the concatenated batch."""

import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import lossc
import lossc.distributed

SPEC = """
input pred: {t}[N]
target target: {t}[N]
input logits: {t}[N, C]
target labels: i64[N]
loss main = 0.5 * dice(pred, target) + focal(pred, target, gamma = 2) + sparse_cce(logits, labels)
"""

# Uneven shard boundaries over 301 rows, the second shard empty.
CUTS = [0, 37, 37, 190, 301]

# Relative tolerance of the float32 kernels against the whole batch
# evaluated by the same kernel (measured: about 1e-9 on the value, 0 on the
# gradients; the bound is the Rust tests', tests/distributed.rs).
F32_REL = 2e-5


def batch(rng, n=301, c=5, dtype=np.float64):
    pred = rng.normal(scale=2.0, size=n).astype(dtype)
    target = (rng.random(n) < 0.4).astype(dtype)
    logits = rng.normal(scale=1.5, size=(n, c)).astype(dtype)
    labels = rng.integers(0, c, size=n)
    labels[3::5] = -100
    return {"pred": pred, "target": target, "logits": logits, "labels": labels}


def shards(data, cuts=CUTS):
    return [{k: v[lo:hi] for k, v in data.items()} for lo, hi in zip(cuts, cuts[1:])]


def close(a, b, rel):
    """|a - b| <= rel * max(|a|, |b|) + rel * 1e-3, elementwise (as tests/distributed.rs)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    assert a.shape == b.shape
    bad = np.abs(a - b) > rel * np.maximum(np.abs(a), np.abs(b)) + rel * 1e-3
    assert not bad.any(), f"{np.count_nonzero(bad)} differ: {a[bad][:5]} vs {b[bad][:5]}"


def simulate(loss, data, cuts=CUTS, **options):
    parts = shards(data, cuts)
    locals_ = [loss.partials(**options, **p) for p in parts]
    merged = np.sum(locals_, axis=0)
    return [loss.finish(merged, **options, **p) for p in parts]


@pytest.mark.parametrize("engine", ["auto", "reference"])
def test_shards_equal_the_whole_batch_f64(rng, engine):
    loss = lossc.compile(SPEC.format(t="f64"))
    data = batch(rng)
    whole = loss(engine=engine, **data)
    results = simulate(loss, data, engine=engine)
    for (lo, hi), r in zip(zip(CUTS, CUTS[1:]), results):
        close(r.value, whole.value, 1e-12)
        assert r.terms.keys() == whole.terms.keys()
        for k in r.terms:
            close(r.terms[k], whole.terms[k], 1e-12)
        assert set(r.grads) == {"pred", "logits"}
        for name, g in r.grads.items():
            assert g.dtype == np.float64 and g.shape == data[name][lo:hi].shape
            close(g, whole.grads[name][lo:hi], 1e-12)


def test_shards_equal_the_whole_batch_f32(rng):
    loss = lossc.compile(SPEC.format(t="f32"))
    data = batch(rng, dtype=np.float32)
    whole = loss(**data)
    results = simulate(loss, data)
    for (lo, hi), r in zip(zip(CUTS, CUTS[1:]), results):
        close(r.value, whole.value, F32_REL)
        for name, g in r.grads.items():
            assert g.dtype == np.float32 and g.shape == data[name][lo:hi].shape
            close(g, whole.grads[name][lo:hi], F32_REL)


def test_hessians_of_the_global_objective(rng):
    loss = lossc.compile(SPEC.format(t="f64"))
    data = batch(rng)
    whole = loss(hessian=True, **data)
    for (lo, hi), r in zip(zip(CUTS, CUTS[1:]), simulate(loss, data, hessian=True)):
        assert set(r.hess) == {"pred", "logits"}
        for name, h in r.hess.items():
            close(h, whole.hess[name][lo:hi], 1e-12)


def test_grad_scale_and_determinism(rng):
    loss = lossc.compile(SPEC.format(t="f64"))
    data = batch(rng)
    a = simulate(loss, data)
    b = simulate(loss, data)
    parts = shards(data)
    merged = np.sum([loss.partials(**p) for p in parts], axis=0)
    scaled = loss.finish(merged, grad_scale=3.0, **parts[0])
    for x, y in zip(a, b):
        assert x.value == y.value
        for name in x.grads:
            assert np.array_equal(x.grads[name], y.grads[name])
    assert scaled.value == a[0].value
    np.testing.assert_array_equal(scaled.grads["pred"], 3.0 * a[0].grads["pred"])



def test_threads_do_not_change_the_results(rng):
    loss = lossc.compile(SPEC.format(t="f64"))
    data = batch(rng, n=50_000)
    one = loss.partials(threads=1, **data)
    assert np.array_equal(one, loss.partials(threads=2, **data))
    a, b = (loss.finish(one, threads=t, **data) for t in (1, 2))
    assert a.value == b.value and np.array_equal(a.grads["logits"], b.grads["logits"])

def test_per_shard_dice_is_not_the_global_dice():
    # README.md's example: Dice of the whole batch vs the mean of the halves'.
    loss = lossc.compile("input pred: f64[N]\ntarget target: f64[N]\ndice(pred, target)")
    pred = np.array([4.0, -4.0, 4.0, 4.0])
    target = np.array([1.0, 0.0, 0.0, 0.0])
    whole = loss(pred=pred, target=target).value
    halves = [loss(pred=pred[s], target=target[s]).value for s in (slice(0, 2), slice(2, 4))]
    merged = loss.partials(pred=pred[:2], target=target[:2]) + loss.partials(pred=pred[2:], target=target[2:])
    assert round(whole, 3) == 0.403 and round(np.mean(halves), 3) == 0.337
    assert loss.finish(merged, pred=pred[2:], target=target[2:]).value == pytest.approx(whole, rel=1e-12)


def test_all_ignored_and_empty_shards(rng):
    loss = lossc.compile(SPEC.format(t="f64"))
    data = batch(rng)
    data["labels"][:40] = -100  # the first shard has no labelled row
    whole = loss(**data)
    for (lo, hi), r in zip(zip(CUTS, CUTS[1:]), simulate(loss, data)):
        close(r.value, whole.value, 1e-12)
        close(r.grads["logits"], whole.grads["logits"][lo:hi], 1e-12)
    assert not np.any(simulate(loss, data)[0].grads["logits"])


def test_layout():
    loss = lossc.compile(SPEC.format(t="f64"))
    layout = loss.partials_layout()
    assert ("N", "[]") in layout
    assert all(isinstance(e, str) and isinstance(s, str) for e, s in layout)
    assert loss.partials_layout(shard="N") == layout
    with pytest.raises(lossc.Error, match="no dimension `M`"):
        loss.partials_layout(shard=("M",))


@pytest.mark.parametrize(
    "spec, says",
    [
        ("input x: f64[N]\nmax(x, axis = -1)", "max"),
        ("input x: f64[N]\nmean((x - mean(x))^2)", "two rounds"),
    ],
)
def test_refusals_are_errors(spec, says):
    loss = lossc.compile(spec)
    x = np.arange(4.0)
    assert np.isfinite(loss(x=x).value)  # the ordinary evaluation is fine
    with pytest.raises(lossc.Error, match=says):
        loss.partials(x=x)
    with pytest.raises(lossc.Error, match=says):
        loss.partials_layout()


def test_wrong_merged_partials_raise(rng):
    loss = lossc.compile(SPEC.format(t="f64"))
    data = batch(rng, n=20)
    local = loss.partials(**data)
    for engine in ("auto", "reference"):
        with pytest.raises(lossc.Error, match="entries|partials"):
            loss.finish(local[:-1], engine=engine, **data)
        with pytest.raises(lossc.Error, match="entries|partials"):
            loss.finish(np.append(local, 1.0), engine=engine, **data)
    with pytest.raises(lossc.Error, match="1-D"):
        loss.finish(local.reshape(1, -1), **data)
    with pytest.raises(lossc.Error, match="at least one dimension"):
        loss.partials(shard=(), **data)


def test_ordinary_and_distributed_evaluators_are_cached_apart(rng):
    loss = lossc.compile(SPEC.format(t="f64"))
    data = batch(rng, n=20)
    before = loss._native._cached()
    loss(**data)
    loss.partials(**data)
    assert loss._native._cached() == before + 2


# ------------------------------------------------------------ real engines

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "distributed_mpi.py")


def mpirun_command(ranks):
    cmd = ["mpirun", "-n", str(ranks), "--oversubscribe"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    return cmd


@pytest.mark.skipif(shutil.which("mpirun") is None, reason="mpirun not installed")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_mpi_three_ranks(dtype):
    pytest.importorskip("mpi4py")
    cmd = mpirun_command(3) + [sys.executable, EXAMPLE, "--dtype", dtype]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    # Ranks' lines may interleave in mpirun's output: find each object.
    ranks = [json.loads(m) for m in re.findall(r'\{"rank".*?"ok": (?:true|false)\}', out.stdout)]
    assert out.returncode == 0, out.stdout + out.stderr
    assert sorted(r["rank"] for r in ranks) == [0, 1, 2], out.stdout + out.stderr
    assert all(r["ok"] for r in ranks)
    assert [1, 1] != ranks[0]["rows"] and any(r["rows"][0] == r["rows"][1] for r in ranks)  # one empty
    assert len({r["value"] for r in ranks}) == 1


def _torch_worker(rank, world, port, dtype, queue):
    import torch.distributed as dist

    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        rng = np.random.default_rng(12345)
        loss = lossc.compile(SPEC.format(t="f64" if dtype == "float64" else "f32"))
        data = batch(rng, dtype=np.dtype(dtype))
        cuts = [0, 37, 37, 301]  # three shards: 37, 0 (rank 1) and 264 rows
        lo, hi = cuts[rank], cuts[rank + 1]
        r = lossc.distributed.torch(loss)(**{k: v[lo:hi] for k, v in data.items()})
        queue.put((rank, lo, hi, r.value, {k: v.copy() for k, v in r.grads.items()}))
    finally:
        dist.destroy_process_group()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_torch_distributed_gloo(rng, dtype):
    pytest.importorskip("torch")
    import socket

    import torch.multiprocessing as mp

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_torch_worker, args=(r, 3, port, dtype, queue)) for r in range(3)]
    for p in procs:
        p.start()
    got = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    loss = lossc.compile(SPEC.format(t="f64" if dtype == "float64" else "f32"))
    data = batch(np.random.default_rng(12345), dtype=np.dtype(dtype))
    whole = loss(**data)
    rel = 1e-12 if dtype == "float64" else F32_REL
    for rank, lo, hi, value, grads in got:
        close(value, whole.value, rel)
        for name, g in grads.items():
            close(g, whole.grads[name][lo:hi], rel)


DDP_CUTS = [0, 37, 37, 120]  # three ranks: 37, 0 and 83 rows


def _ddp_steps(rank, world, port, queue):
    """Three SGD steps of a linear model under DDP whose loss is the global
    Dice (README.md's recipe); rank `world` is the single process."""
    import torch
    import torch.distributed as dist

    torch.manual_seed(0)
    rng = np.random.default_rng(5)
    x = torch.from_numpy(rng.normal(size=(DDP_CUTS[-1], 4)))
    y = (rng.random(DDP_CUTS[-1]) < 0.4).astype(np.float64)
    model = torch.nn.Linear(4, 1).double()
    loss = lossc.compile("input pred: f64[N]\ntarget target: f64[N]\ndice(pred, target)")
    if rank == world:  # one process, the whole batch
        net, lo, hi = model, 0, DDP_CUTS[-1]

        def step(**arrays):
            return loss(**arrays)
    else:
        dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
        net = torch.nn.parallel.DistributedDataParallel(model)
        lo, hi = DDP_CUTS[rank], DDP_CUTS[rank + 1]
        step = lossc.distributed.torch(loss, grad_scale=world)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    params = []
    for _ in range(3):
        opt.zero_grad()
        out = net(x[lo:hi]).reshape(-1)
        r = step(pred=out.detach().numpy(), target=y[lo:hi])
        out.backward(torch.from_numpy(r.grads["pred"]).to(out))
        opt.step()
        params.append([p.detach().numpy().copy() for p in model.parameters()])
    if rank != world:
        dist.destroy_process_group()
    queue.put((rank, params))


def test_torch_ddp_training_matches_the_full_batch():
    pytest.importorskip("torch")
    import socket

    import torch.multiprocessing as mp

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_ddp_steps, args=(r, 3, port, queue)) for r in range(4)]
    for p in procs:
        p.start()
    got = dict(queue.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    single = got.pop(3)
    for rank, params in got.items():
        for step, (mine, ref) in enumerate(zip(params, single)):
            for a, b in zip(mine, ref):
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14, err_msg=f"rank {rank}, step {step}")
    assert not np.allclose(single[0][0], single[-1][0])  # the parameters moved
