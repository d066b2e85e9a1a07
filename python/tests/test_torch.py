"""The PyTorch operator (runs where torch is installed)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import lossc  # noqa: E402
import lossc.torch  # noqa: E402


def test_value_and_gradient_match_torch(rng):
    logits = torch.tensor(rng.normal(size=64), requires_grad=True)
    target = torch.tensor((rng.random(64) > 0.5).astype(np.float64))
    value = lossc.torch.loss("bce")(pred=logits, target=target)
    value.backward()
    ref_logits = logits.detach().clone().requires_grad_(True)
    ref = torch.nn.functional.binary_cross_entropy_with_logits(ref_logits, target)
    ref.backward()
    assert value.item() == pytest.approx(ref.item(), rel=1e-12)
    torch.testing.assert_close(logits.grad, ref_logits.grad, rtol=1e-12, atol=1e-15)


def test_float32_multiclass_and_upstream_gradient(rng):
    logits = torch.tensor(rng.normal(size=(16, 5)).astype(np.float32), requires_grad=True)
    labels = torch.tensor(rng.integers(0, 5, 16))
    value = lossc.torch.loss("sparse_cce")(pred=logits, target=labels)
    assert value.dtype == torch.float32
    (3 * value).backward()
    ref_logits = logits.detach().clone().requires_grad_(True)
    (3 * torch.nn.functional.cross_entropy(ref_logits, labels)).backward()
    torch.testing.assert_close(logits.grad, ref_logits.grad, rtol=1e-5, atol=1e-7)


def test_opcheck_and_torch_compile(rng):
    f = lossc.torch.loss("mse")
    pred = torch.tensor(rng.normal(size=8), requires_grad=True)
    target = torch.tensor(rng.normal(size=8))
    torch.library.opcheck(
        torch.ops.lossc.evaluate.default, (f.handle, "pred,target", [pred, target])
    )
    compiled = torch.compile(lambda p, t: f(pred=p, target=t) * 2, fullgraph=True)
    value = compiled(pred, target)
    value.backward()
    torch.testing.assert_close(value, 2 * torch.mean((pred - target) ** 2))
    torch.testing.assert_close(pred.grad, 4 * (pred - target).detach() / 8)
