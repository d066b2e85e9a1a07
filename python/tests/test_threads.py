"""One compiled loss called from 8 Python threads gives identical results."""

import threading

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
