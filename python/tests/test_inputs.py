"""dtypes and layouts: results in the input's float dtype, any layout read in place."""

import numpy as np
import pytest

import lossc
from conftest import log_softmax


@pytest.fixture
def cce():
    return lossc.compile("sparse_cce")


def expected_cce(logits, labels):
    logq = log_softmax(np.asarray(logits, np.float64))
    n = logq.shape[0]
    return -logq[np.arange(n), labels].mean(), (np.exp(logq) - np.eye(logq.shape[1])[labels]) / n


@pytest.mark.parametrize("label_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtypes(cce, rng, dtype, label_dtype):
    logits = rng.normal(size=(50, 4)).astype(dtype)
    labels = rng.integers(0, 4, 50).astype(label_dtype)
    r = cce(pred=logits, target=labels)
    value, grad = expected_cce(logits, labels)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    assert r.value == pytest.approx(value, rel=tol)
    assert r.grads["pred"].dtype == dtype and r.grads["pred"].shape == (50, 4)
    np.testing.assert_allclose(r.grads["pred"], grad, rtol=tol, atol=tol * 1e-2)


def layouts(a):
    """The same values as `a` (2-D) in several memory layouts."""
    yield "C", np.ascontiguousarray(a)
    yield "F", np.asfortranarray(a)
    big = np.zeros((a.shape[0] * 2, a.shape[1] * 3), a.dtype)
    big[::2, ::3] = a
    yield "strided", big[::2, ::3]
    yield "reversed", np.ascontiguousarray(a[::-1, ::-1])[::-1, ::-1]
    yield "transposed", np.ascontiguousarray(a.T).T


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layouts_give_the_same_results(cce, rng, dtype):
    logits = rng.normal(size=(33, 5)).astype(dtype)
    labels = rng.integers(0, 5, 33)
    base = cce(pred=logits, target=labels)
    for name, view in layouts(logits):
        assert np.array_equal(view, logits)
        r = cce(pred=view, target=labels)
        assert r.value == base.value, name
        assert np.array_equal(r.grads["pred"], base.grads["pred"]), name
        assert r.grads["pred"].flags.c_contiguous
    strided_labels = np.repeat(labels, 2)[::2]
    assert cce(pred=logits, target=strided_labels).value == base.value


def test_broadcast_and_readonly_arrays(rng):
    loss = lossc.compile("mse")
    target = np.broadcast_to(np.float64(0.5), (10,))  # zero strides, read-only
    pred = rng.normal(size=10)
    pred.setflags(write=False)
    r = loss(pred=pred, target=target)
    assert r.value == pytest.approx(np.mean((pred - 0.5) ** 2), rel=1e-12)


def test_byte_swapped_and_unaligned_arrays_are_copied(rng):
    loss = lossc.compile("mse")
    pred = rng.normal(size=16)
    target = rng.normal(size=16)
    swapped = pred.astype(pred.dtype.newbyteorder(">"))
    raw = np.zeros(16 * 8 + 1, np.uint8)
    unaligned = raw[1:].view(np.float64)
    unaligned[:] = target
    assert not unaligned.flags.aligned
    r = loss(pred=swapped, target=unaligned)
    assert r.value == pytest.approx(np.mean((pred - target) ** 2), rel=1e-12)
    assert r.grads["pred"].dtype == np.float64 and r.grads["pred"].dtype.isnative


def test_python_lists_and_scalars_are_accepted():
    r = lossc.compile("mse")(pred=[1.0, 2.0], target=[0.0, 2.0])
    assert r.value == 0.5 and r.grads["pred"].dtype == np.float64


def test_bool_mask():
    loss = lossc.compile(
        "input pred: f32[N]\ntarget target: f32[N]\ntarget mask: bool[N]\n"
        "mean(if mask then (pred - target)^2 else 0)"
    )
    pred = np.arange(4, dtype=np.float32)
    mask = np.array([True, False, True, False])
    r = loss(pred=pred, target=np.zeros(4, np.float32), mask=mask)
    assert r.value == pytest.approx((0 + 4) / 4)
    assert r.grads["pred"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert r.grads["pred"].dtype == np.float32


def test_mixed_precision_keeps_each_inputs_dtype(rng):
    # One float64 input makes the kernel float64; the float32 input's
    # gradient still comes back as float32.
    loss = lossc.compile("mse + 1e-2*l2")
    p = rng.normal(size=8).astype(np.float32)
    w = rng.normal(size=3)
    r = loss(pred=p, target=np.zeros(8, np.float32), params=w)
    assert r.engine == "native f64 kernel"
    assert r.grads["pred"].dtype == np.float32 and r.grads["params"].dtype == np.float64
    np.testing.assert_allclose(r.grads["params"], 2e-2 * w, rtol=1e-12)


def test_zero_copy_inputs_are_not_modified(rng):
    p = rng.normal(size=1000)
    before = p.copy()
    lossc.compile("bce")(pred=p, target=np.ones(1000))
    assert np.array_equal(p, before)
