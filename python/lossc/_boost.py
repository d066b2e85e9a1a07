"""What the gradient-boosting adapters share: one spec as a per-row
objective of raw margins.

The spec's differentiated input (role ``input``; ``pred`` by default)
receives the raw margins (``[N]``, or ``[N, C]`` for multi-class), ``target``
the labels, and a declared ``target weight: f32[N]`` the sample weights.
Boosters want, per row, the first and second derivative of the *summed*
loss. The built-in losses are means over rows, so with ``reduction="mean"``
(the default) the gradient and Hessian diagonal are those of ``N`` times the
spec (``N`` the number of rows, the margins' leading dimension), computed so
by the kernel itself (``scale_by``: no extra pass; ``N · (1/N)`` is folded
in float64, which a float32 kernel rounds to exactly 1, so for the float32
margins the boosters pass ``bce`` gives ``sigmoid(x) - y`` to the last bit);
write ``reduction="sum"`` for a spec that already sums. The value is not
computed for derivatives (``value=False``): boosters never read it.

Sample weights: a spec that declares ``weight`` gets them as that input
(``bce(weight = weight)``); otherwise each row's derivatives are multiplied
by its weight, as the boosters' built-in objectives do. Either way the
result equals the built-in weighted objective for the same loss.

Hessian policy (``hessian=``): ``"exact"`` returns the exact diagonal,
``"clip"`` floors the (row-count scaled) diagonal at 1e-16 (as XGBoost's
built-ins do),
``"constant"`` returns 1 per row (times the row's weight; as LightGBM's
built-in L1 and quantile objectives do: use it for piecewise-linear losses
such as ``mae`` or ``quantile`` whose exact second derivative is 0 almost
everywhere).
"""

import numpy as np

from . import Loss, compile as _compile
from ._errors import Error

POLICIES = ("exact", "clip", "constant")
REDUCTIONS = ("mean", "sum")


class Objective:
    """A spec compiled as a per-row boosting objective (see the module docs)."""

    def __init__(self, spec, hessian="exact", loss=None, reduction="mean"):
        if hessian not in POLICIES:
            raise Error(f"hessian must be one of {', '.join(POLICIES)}, not {hessian!r}")
        if reduction not in REDUCTIONS:
            raise Error(f"reduction must be mean or sum, not {reduction!r}")
        self.loss = spec if isinstance(spec, Loss) else _compile(spec, loss)
        self.policy = hessian
        self.reduction = reduction
        inputs = {i.name: i for i in self.loss.inputs}
        margins = [i.name for i in self.loss.inputs if i.role == "input"]
        if len(margins) != 1 or any(i.role == "param" for i in self.loss.inputs):
            raise Error(
                "a boosting objective needs exactly one differentiated input (the margins) "
                f"and no params; `{self.loss.name}` reads "
                + ", ".join(f"{i.name} ({i.role})" for i in self.loss.inputs)
            )
        self.margin = margins[0]
        self.label = "target" if "target" in inputs else None
        self.label_dtype = _NUMPY[inputs["target"].dtype] if self.label else None
        self.weighted = "weight" in inputs and inputs["weight"].role == "target"
        # The margins' leading (row) dimension: the one a mean divides by.
        self.rows = _leading_dim(inputs[self.margin].shape)

    def arrays(self, margins, labels, weights):
        """The spec's inputs for one call (weights: ``None`` or one per row)."""
        arrays = {self.margin: margins}
        if self.label:
            labels = np.asarray(labels)
            if labels.dtype != self.label_dtype and self.label_dtype.kind in "ib":
                # Boosters keep labels as floats; class indices and masks are
                # integers in the spec.
                labels = labels.astype(self.label_dtype)
            arrays[self.label] = labels
        if self.weighted:
            n = margins.shape[0]
            arrays["weight"] = (
                np.ones(n, margins.dtype) if weights is None else np.asarray(weights, margins.dtype)
            )
        return arrays

    def grad_hess(self, margins, labels, weights=None):
        """Per-row gradient and Hessian diagonal of the summed loss, shaped
        like ``margins`` (weights applied as the built-in objectives do)."""
        margins = np.asarray(margins)
        if weights is not None and len(weights) == 0:
            weights = None
        arrays = self.arrays(margins, labels, weights)
        if self.reduction == "mean" and self.rows is not None:
            r = self.loss(**arrays, hessian=self.policy, scale_by=self.rows, value=False)
            g, h = r.grads[self.margin], r.hess[self.margin]
        else:
            r = self.loss(**arrays, hessian=self.policy, value=False)
            g, h = r.grads[self.margin], r.hess[self.margin]
            if self.reduction == "mean":
                # A fixed leading size (`pred: f32[1000]`): a constant factor.
                s = margins.shape[0]
                g *= s
                if self.policy != "constant":
                    h *= s
        if weights is not None and not self.weighted:
            w = np.asarray(weights, g.dtype).reshape((-1,) + (1,) * (g.ndim - 1))
            g *= w
            h *= w
        return g, h

    def value(self, margins, labels, weights=None):
        """The spec's value (a mean over rows for the built-ins); weights
        reach it only through a declared ``weight`` input."""
        margins = np.asarray(margins)
        if weights is not None and len(weights) == 0:
            weights = None
        return self.loss(**self.arrays(margins, labels, weights)).value


def _leading_dim(shape):
    """The name of the first dimension of a shape as ``Input.shape`` prints
    it (``"[N, C]"`` -> ``"N"``), or None for a fixed size or a scalar."""
    first = shape.strip("[]").split(",")[0].strip()
    return first if first.isidentifier() else None


_NUMPY = {
    "f32": np.dtype(np.float32),
    "f64": np.dtype(np.float64),
    "i32": np.dtype(np.int32),
    "i64": np.dtype(np.int64),
    "bool": np.dtype(np.bool_),
}
