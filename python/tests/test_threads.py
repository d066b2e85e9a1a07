"""Threads: one compiled loss from 8 Python threads, compiles racing, the GIL released."""

import threading
import time

import numpy as np

import lossc


def test_eight_threads_identical_results(rng):
    loss = lossc.compile("0.7*focal(gamma=2) + 0.3*dice + 1e-4*l2")
    arrays = {
        "pred": rng.normal(size=200_000).astype(np.float32),
        "target": (rng.random(200_000) > 0.5).astype(np.float32),
        "params": rng.normal(size=100).astype(np.float32),
    }
    expected = loss(**arrays)
    results, errors = [], []
    start = threading.Barrier(8)

    def work():
        try:
            start.wait()
            for _ in range(5):
                results.append(loss(**arrays))
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 40
    for r in results:
        assert r.value == expected.value
        assert r.terms == expected.terms
        for name, g in expected.grads.items():
            assert np.array_equal(r.grads[name], g)


def test_threads_compile_concurrently_for_different_signatures(rng):
    loss = lossc.compile("sparse_cce")
    out = {}

    def work(k):
        dtype = np.float32 if k % 2 else np.float64
        logits = np.full((10, 3), 0.5, dtype)
        out[k] = loss(pred=logits, target=np.zeros(10, np.int64)).value

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 8
    assert all(abs(v - np.log(3)) < 1e-6 for v in out.values())


def test_the_gil_is_released_while_a_kernel_runs(rng):
    # The main thread counts while a worker evaluates (the reference
    # evaluator on 2M elements: a long call). Holding the GIL, the call would
    # let the counter advance for at most one switch interval (5 ms) of it;
    # released, the counter runs through most of the call.
    loss = lossc.compile("focal(gamma=2)")
    p = rng.normal(size=2_000_000)
    y = (rng.random(2_000_000) > 0.5).astype(np.float64)
    loss(pred=p[:10], target=y[:10], engine="reference")  # compiled before timing
    done = threading.Event()
    counter = [0]
    during = []

    def evaluate():
        before, start = counter[0], time.perf_counter()
        loss(pred=p, target=y, engine="reference")
        during.append((counter[0] - before, time.perf_counter() - start))
        done.set()

    worker = threading.Thread(target=evaluate)
    worker.start()
    start = time.perf_counter()
    while not done.is_set():
        counter[0] += 1
    elapsed = time.perf_counter() - start
    worker.join()
    ticks, seconds = during[0]
    rate = counter[0] / elapsed  # ticks per second while counting
    assert seconds > 0.05, "the call is too short to tell"
    assert ticks > rate * max(0.25 * seconds, 0.02)
