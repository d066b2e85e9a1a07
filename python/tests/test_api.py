"""Values and gradients against float64 numpy formulas, the API's shape."""

import numpy as np
import pytest

import lossc
from conftest import finite_difference, log_softmax, sigmoid, softplus


def binary(rng, n=257, dtype=np.float64):
    pred = rng.normal(0.0, 3.0, n).astype(dtype)
    target = (rng.random(n) > 0.4).astype(dtype)
    return pred, target


# (spec, value formula, gradient formula) on binary logits and labels.
BINARY = {
    "bce": (
        lambda p, y: np.mean(y * softplus(-p) + (1 - y) * softplus(p)),
        lambda p, y: (sigmoid(p) - y) / p.size,
    ),
    "mse": (
        lambda p, y: np.mean((p - y) ** 2),
        lambda p, y: 2 * (p - y) / p.size,
    ),
    "huber(delta=0.5)": (
        lambda p, y: np.mean(
            np.where(np.abs(p - y) < 0.5, 0.5 * (p - y) ** 2, 0.5 * (np.abs(p - y) - 0.25))
        ),
        lambda p, y: np.clip(p - y, -0.5, 0.5) / p.size,
    ),
    "focal(gamma=2)": (
        lambda p, y: np.mean(
            (1 - (sigmoid(p) * y + (1 - sigmoid(p)) * (1 - y))) ** 2
            * (y * softplus(-p) + (1 - y) * softplus(p))
        ),
        None,  # finite differences
    ),
}


@pytest.mark.parametrize("spec", sorted(BINARY))
@pytest.mark.parametrize("engine", ["auto", "reference"])
def test_binary_losses_match_numpy(rng, spec, engine):
    value, grad = BINARY[spec]
    p, y = binary(rng)
    r = lossc.compile(spec)(pred=p, target=y, engine=engine)
    assert r.value == pytest.approx(value(p, y), rel=1e-12)
    if grad:
        np.testing.assert_allclose(r.grads["pred"], grad(p, y), rtol=1e-9, atol=1e-15)
    else:
        fd = finite_difference(lambda x: value(x, y), p, h=1e-5)
        np.testing.assert_allclose(r.grads["pred"], fd, rtol=1e-5, atol=1e-9)
    assert r.grads["pred"].dtype == np.float64 and r.grads["pred"].shape == p.shape


def test_sparse_cce_matches_numpy(rng):
    logits = rng.normal(0, 2, (64, 7))
    labels = rng.integers(0, 7, 64)
    r = lossc.compile("sparse_cce")(pred=logits, target=labels)
    logq = log_softmax(logits)
    assert r.value == pytest.approx(-logq[np.arange(64), labels].mean(), rel=1e-12)
    onehot = np.eye(7)[labels]
    np.testing.assert_allclose(r.grads["pred"], (np.exp(logq) - onehot) / 64, atol=1e-14)


def test_terms_value_and_several_gradients(rng):
    p, y = binary(rng)
    w = rng.normal(size=10)
    loss = lossc.compile("0.7*focal(gamma=2) + 0.3*dice + 1e-4*l2")
    r = loss(pred=p, target=y, params=w)
    assert list(r.terms) == ["0.7*focal(gamma=2)", "0.3*dice", "1e-4*l2"] == loss.terms
    assert r.value == pytest.approx(sum(r.terms.values()), rel=1e-12)
    assert r.terms["1e-4*l2"] == pytest.approx(1e-4 * np.sum(w**2), rel=1e-12)
    np.testing.assert_allclose(r.grads["params"], 2e-4 * w, rtol=1e-12)
    assert set(r.grads) == {"pred", "params"} == set(loss.differentiated)
    assert r.hess == {}


def test_dice_gradient_against_finite_differences(rng):
    p, y = binary(rng, n=40)
    loss = lossc.compile("dice")
    r = loss(pred=p, target=y)
    fd = finite_difference(lambda x: loss(pred=x, target=y).value, p)
    np.testing.assert_allclose(r.grads["pred"], fd, rtol=1e-5, atol=1e-9)


def test_load_a_spec_file_and_pick_an_objective(repo, rng):
    loss = lossc.load(repo / "examples" / "segmentation.loss", loss="main")
    assert loss.name == "main"
    assert [(i.name, i.role, i.dtype, i.shape, i.declared) for i in loss.inputs] == [
        ("pred", "input", "f32", "[N]", True),
        ("target", "target", "f32", "[N]", True),
        ("params", "param", "f32", "[K]", True),
    ]
    p, y = binary(rng, dtype=np.float32)
    r = loss(pred=p, target=y, params=np.zeros(3, np.float32))
    assert r.engine == "native f32 kernel"
    assert r.grads["pred"].dtype == np.float32


def test_several_objectives():
    loss = lossc.compile("loss a = mse\nloss b = 2 * mse", loss="b")
    assert loss.objectives == ["a", "b"] and loss.name == "b"
    r = loss(pred=np.array([1.0]), target=np.array([0.0]))
    assert r.value == 2.0


def test_derive_prints_the_derivative():
    text = lossc.compile("mse").derive(wrt="pred")
    assert "d main / d pred" in text
    with pytest.raises(lossc.Error, match="no gradient with respect to `target`"):
        lossc.compile("mse").derive(wrt="target")


def test_engines_agree_and_threads_do_not_change_results(rng):
    p, y = binary(rng, n=100_000, dtype=np.float32)
    loss = lossc.compile("0.5*focal(gamma=2) + 0.5*dice")
    one = loss(pred=p, target=y, threads=1)
    two = loss(pred=p, target=y, threads=2)
    assert one.value == two.value
    assert np.array_equal(one.grads["pred"], two.grads["pred"])
    native = loss(pred=p, target=y, engine="native")
    ref = loss(pred=p, target=y, engine="reference")
    assert native.engine == "native f32 kernel" and ref.engine.startswith("reference")
    assert native.value == pytest.approx(ref.value, rel=1e-5)
    np.testing.assert_allclose(native.grads["pred"], ref.grads["pred"], rtol=1e-4, atol=1e-10)


HESSIANS = {
    "bce": lambda p, y: sigmoid(p) * (1 - sigmoid(p)) / p.size,
    "mse": lambda p, y: np.full_like(p, 2.0 / p.size),
    "poisson_nll": lambda p, y: np.exp(p) / p.size,
    "log_cosh": lambda p, y: (1 - np.tanh(p - y) ** 2) / p.size,
}


@pytest.mark.parametrize("spec", sorted(HESSIANS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hessian_diagonals_match_numpy(rng, spec, dtype):
    p, y = binary(rng, dtype=dtype)
    r = lossc.compile(spec)(pred=p, target=y, hessian=True)
    assert r.hess["pred"].dtype == dtype and r.hess["pred"].shape == p.shape
    expected = HESSIANS[spec](p.astype(np.float64), y.astype(np.float64))
    tol = 1e-5 if dtype == np.float32 else 1e-12
    # float32: an absolute error of a few ulps of the largest entry (the
    # kernels compute 1 - σ and 1 - tanh² in their precision, so tiny
    # entries have a larger relative error).
    atol = 4 * np.finfo(dtype).eps * np.abs(expected).max()
    np.testing.assert_allclose(r.hess["pred"], expected, rtol=tol, atol=atol)
    ref = lossc.compile(spec)(pred=p, target=y, hessian=True, engine="reference")
    np.testing.assert_allclose(r.hess["pred"], ref.hess["pred"], rtol=tol, atol=atol)


def test_softmax_hessian_diagonal(rng):
    logits = rng.normal(size=(30, 4))
    labels = rng.integers(0, 4, 30)
    r = lossc.compile("sparse_cce")(pred=logits, target=labels, hessian=True)
    q = np.exp(log_softmax(logits))
    np.testing.assert_allclose(r.hess["pred"], q * (1 - q) / 30, rtol=1e-12, atol=1e-16)


def test_hessian_policies_and_unsupported_hessians(rng):
    p, y = binary(rng)
    mae = lossc.compile("mae")
    assert np.all(mae(pred=p, target=y, hessian=True).hess["pred"] == 0)
    assert np.all(mae(pred=p, target=y, hessian="clip").hess["pred"] == 1e-16)
    assert np.all(mae(pred=p, target=y, hessian="constant").hess["pred"] == 1)
    with pytest.raises(lossc.Error, match="unknown Hessian policy"):
        mae(pred=p, target=y, hessian="newton")


def test_loss_pickles_and_deep_copies_to_itself(tmp_path):
    import copy
    import pickle

    loss = lossc.compile("loss a = mse\nloss b = 2 * mse", loss="b")
    assert copy.deepcopy(loss) is loss
    again = pickle.loads(pickle.dumps(loss))
    assert again.name == "b" and again(pred=[1.0], target=[0.0]).value == 2.0
    path = tmp_path / "x.loss"
    path.write_text("mse")
    assert pickle.loads(pickle.dumps(lossc.load(path))).name == "main"


@pytest.mark.parametrize("engine", ["native", "reference"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_scale_by_and_value_false(rng, engine, dtype):
    # Derivatives of N times the mean, computed by the kernel; the value
    # stays the mean, and value=False skips it.
    p, y = binary(rng, dtype=dtype)
    loss = lossc.compile("bce")
    plain = loss(pred=p, target=y, hessian=True, engine=engine)
    scaled = loss(pred=p, target=y, hessian=True, engine=engine, scale_by="N")
    assert scaled.value == plain.value
    assert scaled.grads["pred"].dtype == dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    q = sigmoid(p.astype(np.float64))
    np.testing.assert_allclose(scaled.grads["pred"], q - y, rtol=tol, atol=tol)
    np.testing.assert_allclose(scaled.hess["pred"], q * (1 - q), rtol=tol, atol=tol)
    bare = loss(pred=p, target=y, hessian=True, engine=engine, scale_by=("N",), value=False)
    assert np.isnan(bare.value) and bare.terms == {}
    # The same derivatives: natively to the last bits of sigmoid, which a
    # pass that also computes the value's softplus takes from the tile
    # primitives (ARCHITECTURE.md, "Tile calls").
    for key in ("grads", "hess"):
        a, b = getattr(bare, key)["pred"], getattr(scaled, key)["pred"]
        if engine == "reference":
            np.testing.assert_array_equal(a, b)
        else:
            eps = np.finfo(dtype).eps
            np.testing.assert_allclose(a, b, rtol=0, atol=8 * eps * np.abs(b).max())
    with pytest.raises(lossc.Error, match="no dimension `M`"):
        loss(pred=p, target=y, scale_by="M", engine=engine)
