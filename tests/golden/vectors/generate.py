#!/usr/bin/env python3
"""Golden vectors for the lossc standard library, from reference code.

Run from the repository root:

    python3 tests/golden/vectors/generate.py

It writes one JSON file per prelude family (`classification.json`, ...) next
to this script; `tests/golden_vectors.rs` reads every JSON file here.

Every case holds a lossc spec (declared inputs and one objective), its input
arrays (float64 / int64), and the reference value and the gradients of every
differentiated input (`input` and `param` roles), computed in float64 by torch
autograd. The reference is `torch.nn.functional` where PyTorch has the loss;
for losses PyTorch lacks (Keras, torchvision, segmentation_models_pytorch,
optax), the library's formula is written out below with torch tensor ops in
float64 (so that autograd differentiates it), citing the source function it
follows. Nothing here goes through lossc.

Deterministic: every family draws from its own numpy Generator with a fixed
seed, torch is used only for arithmetic (no torch RNG), and the JSON is written
with Python's shortest round-trip float repr (read back bit-exactly by
serde_json's `float_roundtrip`). Runs in a few seconds.

Tolerances (per case; `|got - want| <= rtol * |want| + atol` for the value,
`|got - want| <= grad_rtol * |want| + grad_atol * max_j |want_j|` for each
gradient entry). The defaults are rtol = grad_rtol = 1e-10, atol = 0,
grad_atol = 1e-12: both sides compute algebraically equal float64 formulas,
so they differ by summation order and a few ulp per operation times a small
condition number (~1e-14 relative); the gradient's absolute floor, relative to
its largest entry, is for entries that are differences of O(max) terms
(softmax(p) - y), whose relative error is unbounded while their absolute error
is ~1e-16 of the scale. A case that needs more says why in
`tolerance_note`.

Fields a case may carry besides the data:
  known_difference  {description, prelude_quote}: lossc deliberately differs
                    from the reference here, as its prelude doc comment
                    documents; the test checks that `prelude_quote` occurs in
                    the prelude, then reports the case without failing on it.
  open_discrepancy  lossc differs from the reference and the prelude does not
                    (yet) document it; the main test skips the case and an
                    ignored test (`open_discrepancies`) checks it, so it fails
                    until the two agree or the difference is documented.
"""

import json
import math
import os
import platform
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
COMMAND = "python3 tests/golden/vectors/generate.py"
D = torch.float64

DEFAULT_TOL = {"rtol": 1e-10, "atol": 0.0, "grad_rtol": 1e-10, "grad_atol": 1e-12}

# Logits that saturate or overflow a naive formula; PyTorch's stable forms stay
# finite on all of them.
EXTREME_LOGITS = [1e4, -1e4, 50.0, -50.0, 700.0, -700.0, 36.0, -36.0, 0.0, 40.0, -40.0, 800.0]


def role_of(spec):
    """Roles of the declared inputs of a spec: {name: role}."""
    roles = {}
    for line in spec.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("input", "target", "param"):
            roles[parts[1].rstrip(":")] = parts[0]
    return roles


class Family:
    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.cases = []
        self.names = set()

    # ---- data -------------------------------------------------------------

    def normal(self, shape, scale=1.0):
        return scale * self.rng.standard_normal(shape)

    def uniform(self, shape, lo=0.0, hi=1.0):
        return self.rng.uniform(lo, hi, shape)

    def hard(self, shape):
        return self.rng.integers(0, 2, shape).astype(np.float64)

    def labels(self, shape, classes):
        return self.rng.integers(0, classes, shape).astype(np.int64)

    def simplex(self, n, c, zeros=False):
        v = -np.log(self.rng.uniform(1e-12, 1.0, (n, c)))
        if zeros:
            v[self.rng.uniform(size=(n, c)) < 0.3] = 0.0
            v[:, 0] += 0.1  # no all-zero row
        return v / v.sum(axis=-1, keepdims=True)

    def onehot(self, n, c):
        y = np.zeros((n, c))
        y[np.arange(n), self.rng.integers(0, c, n)] = 1.0
        return y

    # ---- cases ------------------------------------------------------------

    def add(self, name, expr, inputs, ref, reference, tol=None, note=None,
            known_difference=None, open_discrepancy=None):
        """One case.

        name       unique within the family, `loss/what`
        expr       the lossc objective
        inputs     [(role, name, dims, array)]; dims like "N, C"
        ref        function of {name: tensor} -> scalar tensor (the reference)
        reference  the library function the reference follows, in words
        """
        assert name not in self.names, name
        self.names.add(name)
        decls = []
        tensors = {}
        arrays = []
        for role, iname, dims, a in inputs:
            a = np.asarray(a)
            if a.dtype.kind == "f":
                a = a.astype(np.float64)
                dtype, ldtype = "float64", "f64"
                t = torch.tensor(a, dtype=D, requires_grad=role in ("input", "param"))
            else:
                a = a.astype(np.int64)
                dtype, ldtype = "int64", "i64"
                assert role == "target", (name, iname)
                t = torch.tensor(a, dtype=torch.int64)
            decls.append(f"{role} {iname}: {ldtype}[{dims}]")
            tensors[iname] = t
            arrays.append({
                "name": iname,
                "role": role,
                "dtype": dtype,
                "shape": list(a.shape),
                "data": [float(x) if dtype == "float64" else int(x) for x in a.reshape(-1)],
            })
        spec = "\n".join(decls) + "\n" + expr
        assert role_of(spec) == {i[1]: i[0] for i in inputs}
        value = ref(tensors)
        assert value.dim() == 0, name
        diff = [n for n, t in tensors.items() if t.requires_grad]
        grads = torch.autograd.grad(value, [tensors[n] for n in diff], allow_unused=True) if diff else []
        gradients = []
        for n, g in zip(diff, grads):
            if g is None:
                g = torch.zeros_like(tensors[n])
            g = g.detach().numpy()
            assert np.all(np.isfinite(g)), f"{self.name}/{name}: reference gradient d/d{n} is not finite"
            gradients.append({"name": n, "shape": list(g.shape), "data": [float(x) for x in g.reshape(-1)]})
        v = float(value.detach())
        assert math.isfinite(v), f"{self.name}/{name}: reference value {v} is not finite"
        case = {
            "name": name,
            "reference": reference,
            "spec": spec,
            "inputs": arrays,
            "value": v,
            "gradients": gradients,
        }
        case.update(DEFAULT_TOL)
        if tol:
            assert note, f"{name}: a non-default tolerance needs a note"
            case.update(tol)
        if note:
            case["tolerance_note"] = note
        if known_difference:
            description, prelude_quote = known_difference
            case["known_difference"] = {"description": description, "prelude_quote": prelude_quote}
        if open_discrepancy:
            case["open_discrepancy"] = open_discrepancy
        self.cases.append(case)

    def write(self):
        out = {
            "family": self.name,
            "command": COMMAND,
            "generator": "tests/golden/vectors/generate.py",
            "torch_version": torch.__version__,
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
            "tolerance_semantics": "value: |got - want| <= rtol*|want| + atol; gradient entry: "
                                   "|got - want| <= grad_rtol*|want| + grad_atol*max|want|",
            "cases": self.cases,
        }
        path = os.path.join(HERE, f"{self.name}.json")
        with open(path, "w") as f:
            f.write(dumps(out))
        return path, len(self.cases)


def dumps(out):
    """JSON with one line per top-level field and per case field (arrays on one
    line), so that a regenerated file diffs readably."""
    def one(v):
        return json.dumps(v, allow_nan=False)
    lines = ["{"]
    fields = [k for k in out if k != "cases"]
    for k in fields:
        lines.append(f" {one(k)}: {one(out[k])},")
    lines.append(' "cases": [')
    for i, case in enumerate(out["cases"]):
        lines.append("  {")
        keys = list(case)
        for j, k in enumerate(keys):
            sep = "," if j + 1 < len(keys) else ""
            lines.append(f"   {one(k)}: {one(case[k])}{sep}")
        lines.append("  }" + ("," if i + 1 < len(out["cases"]) else ""))
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def reduce(x, reduction):
    """PyTorch's reduction of per-element losses."""
    if reduction == "mean":
        return x.mean()
    if reduction == "sum":
        return x.sum()
    raise ValueError(reduction)


def t64(a):
    return torch.tensor(a, dtype=D)


# =============================================================================
# classification
# =============================================================================


def torchvision_sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.focal_loss.sigmoid_focal_loss (torchvision 0.2x), verbatim."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "none":
        pass
    elif reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    return loss


def keras_categorical_crossentropy(target, output, from_logits=False, label_smoothing=0.0, axis=-1):
    """keras.losses.categorical_crossentropy (Keras 3: keras/src/losses/losses.py,
    label smoothing) -> keras.ops.categorical_crossentropy (keras/src/backend/
    torch/nn.py, from_logits=False): output / sum(output, axis), clip to
    [epsilon, 1 - epsilon] (epsilon = 1e-7), -sum(target * log(output), axis)."""
    if label_smoothing:
        num_classes = target.shape[-1]
        target = target * (1.0 - label_smoothing) + (label_smoothing / num_classes)
    if from_logits:
        log_prob = F.log_softmax(output, dim=axis)
    else:
        output = output / torch.sum(output, dim=axis, keepdim=True)
        output = torch.clip(output, 1e-7, 1.0 - 1e-7)
        log_prob = torch.log(output)
    return -torch.sum(target * log_prob, dim=axis)


def keras_hinge(y_true, y_pred):
    """keras.losses.hinge (Keras 3, keras/src/losses/losses.py): targets all in
    {0, 1} are converted to {-1, 1} (convert_binary_labels_to_hinge), then
    mean(maximum(1 - y_true * y_pred, 0), axis=-1). Returned per element here
    (before the mean over the last axis), so that the caller reduces."""
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    if is_binary:
        y_true = 2.0 * y_true - 1.0
    return torch.clamp(1.0 - y_true * y_pred, min=0.0)


def classification():
    fam = Family("classification", 1)
    r = fam

    # ---- bce -------------------------------------------------------------
    BCEL = "torch.nn.functional.binary_cross_entropy_with_logits"
    x, y = r.normal(13, 3), r.hard(13)
    fam.add("bce/random_hard", "bce(x, y)",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: F.binary_cross_entropy_with_logits(t["x"], t["y"]), BCEL)
    x, y = r.normal((5, 4), 2), r.uniform((5, 4))
    fam.add("bce/soft_pos_weight_sum", "bce(x, y, pos_weight = 2.5, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.binary_cross_entropy_with_logits(t["x"], t["y"], pos_weight=t64(2.5), reduction="sum"),
            BCEL + "(pos_weight=2.5, reduction='sum')")
    x, y, m = r.normal((3, 2, 4), 2), r.hard((3, 2, 4)), r.uniform((3, 2, 4))
    fam.add("bce/none_weighted_rank3", "sum(m * bce(x, y, pos_weight = 0.3, reduction = \"none\"))",
            [("input", "x", "N, D, C", x), ("target", "y", "N, D, C", y), ("target", "m", "N, D, C", m)],
            lambda t: (t["m"] * F.binary_cross_entropy_with_logits(t["x"], t["y"], pos_weight=t64(0.3),
                                                                    reduction="none")).sum(),
            BCEL + "(pos_weight=0.3, reduction='none'), weighted sum")
    x = np.array(EXTREME_LOGITS * 2)
    y = np.array([0.0] * 12 + [1.0] * 12)
    fam.add("bce/extreme_logits", "bce(x, y, pos_weight = 3.0)",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: F.binary_cross_entropy_with_logits(t["x"], t["y"], pos_weight=t64(3.0)),
            BCEL + "(pos_weight=3.0) on logits up to +-1e4")
    p, y = r.uniform(17, 0.01, 0.99), r.uniform(17)
    fam.add("bce/probabilities_random", "bce(p, y, from_logits = false)",
            [("input", "p", "N", p), ("target", "y", "N", y)],
            lambda t: F.binary_cross_entropy(t["p"], t["y"]),
            "torch.nn.functional.binary_cross_entropy")
    p, y = r.uniform((4, 3), 0.001, 0.999), r.hard((4, 3))
    fam.add("bce/probabilities_pos_weight_sum", "bce(p, y, pos_weight = 1.7, from_logits = false, reduction = \"sum\")",
            [("input", "p", "N, C", p), ("target", "y", "N, C", y)],
            # BCELoss has no pos_weight: the formula lossc documents, in torch ops, with
            # BCELoss's clamp of each log at -100.
            lambda t: -(1.7 * t["y"] * torch.clamp(torch.log(t["p"]), min=-100)
                        + (1 - t["y"]) * torch.clamp(torch.log(1 - t["p"]), min=-100)).sum(),
            "torch.nn.functional.binary_cross_entropy with pos_weight = 1.7 on the positive term "
            "(the logits loss's pos_weight carried over; BCELoss has none), logs clamped at -100")
    # Probabilities at the boundary: the values (logs clamped at -100) are finite
    # and agree; PyTorch's BCELoss gradient is (p - y) / max(p (1 - p), 1e-12), a
    # convention that differs from the derivative of the clamped formula.
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-300, 1.0 - 1e-16, 0.5, 1e-20])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    fam.add("bce/probabilities_boundary_value", "bce(p, y, from_logits = false)",
            [("target", "p", "N", p), ("target", "y", "N", y)],
            lambda t: F.binary_cross_entropy(t["p"], t["y"]),
            "torch.nn.functional.binary_cross_entropy at p in {0, 1} (value only: p is a target here)")
    fam.add("bce/probabilities_boundary_gradient", "bce(p, y, from_logits = false)",
            [("input", "p", "N", p), ("target", "y", "N", y)],
            lambda t: F.binary_cross_entropy(t["p"], t["y"]),
            "torch.nn.functional.binary_cross_entropy at p in {0, 1}",
            open_discrepancy="PyTorch's BCELoss backward is (p - y) / max(p (1 - p), 1e-12): 0 at "
            "p = y in {0, 1}, +-1e12 at p = 1 - y, and (p - y) * 1e12 wherever p (1 - p) < 1e-12; "
            "lossc differentiates max(log p, -100): 0 where the log is clamped, -1/p or 1/(1-p) otherwise")

    # ---- cce -------------------------------------------------------------
    CE = "torch.nn.functional.cross_entropy"
    x, y = r.normal((6, 5), 2), r.simplex(6, 5)
    fam.add("cce/random_soft", "cce(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.cross_entropy(t["x"], t["y"]), CE + " with probability targets")
    x, y = r.normal((7, 4), 2), r.onehot(7, 4)
    fam.add("cce/label_smoothing_sum", "cce(x, y, label_smoothing = 0.1, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.cross_entropy(t["x"], t["y"], label_smoothing=0.1, reduction="sum"),
            CE + "(label_smoothing=0.1, reduction='sum') with one-hot targets")
    x, y = r.normal((3, 2, 4), 2), r.simplex(6, 4).reshape(3, 2, 4)
    fam.add("cce/rank3_label_smoothing", "cce(x, y, label_smoothing = 0.25)",
            [("input", "x", "N, D, C", x), ("target", "y", "N, D, C", y)],
            lambda t: F.cross_entropy(t["x"].permute(0, 2, 1), t["y"].permute(0, 2, 1), label_smoothing=0.25),
            CE + "(label_smoothing=0.25), class axis last (permuted to dim 1 for torch)")
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [50.0, -50.0, 700.0], [0.0, 1e4, -1e4]])
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.2, 0.3, 0.5], [0.0, 1.0, 0.0]])
    fam.add("cce/extreme_logits", "cce(x, y, label_smoothing = 0.2)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.cross_entropy(t["x"], t["y"], label_smoothing=0.2),
            CE + "(label_smoothing=0.2) on logits up to +-1e4")
    p, y = r.uniform((5, 4), 0.05, 2.0), r.simplex(5, 4)
    fam.add("cce/probabilities_unnormalised", "cce(p, y, from_logits = false, label_smoothing = 0.1)",
            [("input", "p", "N, C", p), ("target", "y", "N, C", y)],
            lambda t: keras_categorical_crossentropy(t["y"], t["p"], label_smoothing=0.1).mean(),
            "keras.losses.categorical_crossentropy(from_logits=False, label_smoothing=0.1): "
            "normalise, clip to [1e-7, 1 - 1e-7], mean over rows")
    p = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.3, 0.0, 0.7], [1e-9, 0.5, 0.5]])
    y = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.0, 0.5], [1.0, 0.0, 0.0]])
    fam.add("cce/probabilities_boundary", "cce(p, y, from_logits = false)",
            [("input", "p", "N, C", p), ("target", "y", "N, C", y)],
            lambda t: keras_categorical_crossentropy(t["y"], t["p"]).mean(),
            "keras.losses.categorical_crossentropy(from_logits=False) with probabilities 0 and 1 "
            "(clipped to [1e-7, 1 - 1e-7]; torch.clip's gradient passes inside the closed interval)")

    # ---- sparse_cce ------------------------------------------------------
    x, yl = r.normal((9, 5), 2), r.labels(9, 5)
    fam.add("sparse_cce/random", "sparse_cce(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: F.cross_entropy(t["x"], t["y"]), CE + " with class indices")
    x, yl, w = r.normal((8, 4), 2), r.labels(8, 4), r.uniform(4, 0.2, 3.0)
    fam.add("sparse_cce/weight", "sparse_cce(x, y, weight = w)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.cross_entropy(t["x"], t["y"], weight=t["w"]), CE + "(weight=w)")
    yl = np.array([2, 0, 2, 1, 3, 2, 3, 0, 2, 1])
    x, w = r.normal((10, 4), 2), r.uniform(4, 0.2, 3.0)
    fam.add("sparse_cce/weight_ignore_index", "sparse_cce(x, y, weight = w, ignore_index = 2)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.cross_entropy(t["x"], t["y"], weight=t["w"], ignore_index=2),
            CE + "(weight=w, ignore_index=2)")
    x, yl = r.normal((7, 6), 2), r.labels(7, 6)
    fam.add("sparse_cce/label_smoothing", "sparse_cce(x, y, label_smoothing = 0.15)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: F.cross_entropy(t["x"], t["y"], label_smoothing=0.15),
            CE + "(label_smoothing=0.15)")
    yl = np.array([1, 1, 0, 3, 2, 1, 0, 3, 1])
    x, w = r.normal((9, 4), 2), r.uniform(4, 0.2, 3.0)
    fam.add("sparse_cce/weight_ignore_index_label_smoothing",
            "sparse_cce(x, y, weight = w, ignore_index = 1, label_smoothing = 0.3)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.cross_entropy(t["x"], t["y"], weight=t["w"], ignore_index=1, label_smoothing=0.3),
            CE + "(weight=w, ignore_index=1, label_smoothing=0.3)")
    yl = np.array([-1, 0, 2, -1, 1, 2])
    x = r.normal((6, 3), 2)
    fam.add("sparse_cce/negative_ignore_index", "sparse_cce(x, y, ignore_index = -1)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: F.cross_entropy(t["x"], t["y"], ignore_index=-1), CE + "(ignore_index=-1)")
    x, yl, w = r.normal((3, 4, 5), 2), r.labels((3, 4), 5), r.uniform(5, 0.2, 3.0)
    yl[0, 1] = 4
    yl[2, 3] = 4
    fam.add("sparse_cce/rank3_weight_ignore_smoothing",
            "sparse_cce(x, y, weight = w, ignore_index = 4, label_smoothing = 0.1)",
            [("input", "x", "N, D, C", x), ("target", "y", "N, D", yl), ("target", "w", "C", w)],
            lambda t: F.cross_entropy(t["x"].permute(0, 2, 1), t["y"], weight=t["w"], ignore_index=4,
                                      label_smoothing=0.1),
            CE + "(weight=w, ignore_index=4, label_smoothing=0.1), class axis last (permuted for torch)")
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [50.0, -50.0, 700.0], [0.0, 1e4, -1e4],
                  [-800.0, 800.0, 0.0]])
    yl = np.array([1, 0, 1, 1, 0])
    w = np.array([0.5, 2.0, 1.0])
    fam.add("sparse_cce/extreme_logits", "sparse_cce(x, y, weight = w, label_smoothing = 0.1)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.cross_entropy(t["x"], t["y"], weight=t["w"], label_smoothing=0.1),
            CE + "(weight=w, label_smoothing=0.1) on logits up to +-1e4")
    p, yl, w = r.simplex(8, 4), r.labels(8, 4), r.uniform(4, 0.2, 3.0)
    yl[3] = 0
    yl[5] = 0
    fam.add("sparse_cce/probabilities_weight_ignore", "sparse_cce(p, y, weight = w, ignore_index = 0, from_logits = false)",
            [("input", "p", "N, C", p), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.nll_loss(torch.log(t["p"]), t["y"], weight=t["w"], ignore_index=0),
            "torch.nn.functional.nll_loss(log(p), weight=w, ignore_index=0)")

    # ---- hinge -----------------------------------------------------------
    H = "keras.losses.hinge (Keras 3), mean over all elements"
    x, s = r.normal((6, 3), 2), 2 * r.hard((6, 3)) - 1
    fam.add("hinge/pm1_targets", "hinge(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", s)],
            lambda t: keras_hinge(t["y"], t["x"]).mean(), H)
    x, y = r.normal(11, 2), r.hard(11)
    fam.add("hinge/01_targets", "hinge(x, y)",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: keras_hinge(t["y"], t["x"]).mean(), H + ", {0, 1} targets mapped to {-1, 1}")
    x, y = r.normal(9, 2), np.array([-1.0, 0.0, 1.0, 1.0, 0.0, -1.0, 0.5, 1.0, 0.0])
    fam.add("hinge/mixed_targets_sum", "hinge(x, y, reduction = \"sum\")",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: keras_hinge(t["y"], t["x"]).sum(),
            "keras.losses.hinge's elementwise term, summed (PyTorch-style reduction='sum'); "
            "targets not all in {0, 1} are used as they are")
    x = np.array([1e4, -1e4, 1e4, -1e4, 1.0, -1.0, 0.0, 1e30, -1e30])
    s = np.array([1.0, -1.0, -1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0])
    fam.add("hinge/extreme_and_kinks", "hinge(x, y)",
            [("input", "x", "N", x), ("target", "y", "N", s)],
            lambda t: keras_hinge(t["y"], t["x"]).mean(),
            H + "; margins exactly 1 (kink: gradient 0, as torch.clamp/relu at 0) and logits up to 1e30")

    # ---- focal -----------------------------------------------------------
    TV = "torchvision.ops.sigmoid_focal_loss"
    x, y = r.normal(12, 3), r.hard(12)
    fam.add("focal/gamma2_no_alpha", "focal(x, y)",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: torchvision_sigmoid_focal_loss(t["x"], t["y"], alpha=-1, gamma=2.0, reduction="mean"),
            TV + "(alpha=-1, gamma=2, reduction='mean')")
    x, y = r.normal((4, 5), 3), r.uniform((4, 5))
    fam.add("focal/alpha_soft_targets", "focal(x, y, alpha = 0.25)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: torchvision_sigmoid_focal_loss(t["x"], t["y"], alpha=0.25, gamma=2.0, reduction="mean"),
            TV + "(alpha=0.25, gamma=2, reduction='mean') with soft targets")
    x, y = r.normal(15, 2.5), r.hard(15)
    fam.add("focal/gamma_half", "focal(x, y, gamma = 0.5, alpha = 0.25)",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: torchvision_sigmoid_focal_loss(t["x"], t["y"], alpha=0.25, gamma=0.5, reduction="mean"),
            TV + "(alpha=0.25, gamma=0.5) on moderate logits",
            tol={"rtol": 1e-9, "grad_rtol": 1e-9},
            note="gamma < 1: lossc computes (1 - p_t)^gamma as exp(gamma * log(1 - p_t)) with a "
                 "stable log, torchvision as (1 - p_t)**gamma after the subtraction 1 - p_t, which "
                 "loses ~1e-16 / (1 - p_t) relative; logits here stay below |8| (1 - p_t >= 3e-4)")
    x, y = r.normal((3, 4), 3), r.hard((3, 4))
    fam.add("focal/gamma0_alpha_sum", "focal(x, y, gamma = 0.0, alpha = 0.75, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: torchvision_sigmoid_focal_loss(t["x"], t["y"], alpha=0.75, gamma=0.0, reduction="sum"),
            TV + "(alpha=0.75, gamma=0, reduction='sum'): alpha-weighted BCE")
    x, y = r.normal(10, 3), r.uniform(10)
    fam.add("focal/gamma3_soft", "focal(x, y, gamma = 3.0)",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: torchvision_sigmoid_focal_loss(t["x"], t["y"], alpha=-1, gamma=3.0, reduction="mean"),
            TV + "(alpha=-1, gamma=3) with soft targets")
    x, y = r.normal(8, 2), r.hard(8)
    m = r.uniform(8)
    fam.add("focal/none_weighted", "sum(m * focal(x, y, gamma = 1.5, alpha = 0.4, reduction = \"none\"))",
            [("input", "x", "N", x), ("target", "y", "N", y), ("target", "m", "N", m)],
            lambda t: (t["m"] * torchvision_sigmoid_focal_loss(t["x"], t["y"], alpha=0.4, gamma=1.5)).sum(),
            TV + "(alpha=0.4, gamma=1.5, reduction='none'), weighted sum")
    x = np.array([1e4, -1e4, 50.0, -50.0, 700.0, -700.0, 0.0, 1e4, -1e4, 50.0, -50.0, 0.0])
    y = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    fam.add("focal/extreme_logits", "focal(x, y, gamma = 2.0, alpha = 0.25)",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: torchvision_sigmoid_focal_loss(t["x"], t["y"], alpha=0.25, gamma=2.0, reduction="mean"),
            TV + "(alpha=0.25, gamma=2) on logits up to +-1e4 (saturated: p_t is exactly 0 or 1 in float64)")
    return fam


# =============================================================================
# segmentation
# =============================================================================


def smp_binary_dice(y_pred, y_true, smooth=0.0, eps=1e-7, from_logits=True):
    """segmentation_models_pytorch.losses.DiceLoss(mode="binary") forward
    (smp 0.3.x, losses/dice.py + losses/_functional.py soft_dice_score):
    sigmoid via logsigmoid().exp(), flatten to [bs, 1, -1], sums over dims
    (0, 2), score = (2 * intersection + smooth) / (cardinality + smooth)
    .clamp_min(eps), loss = 1 - score, zeroed when the mask is empty
    (`mask = y_true.sum(dims) > 0`), mean."""
    if from_logits:
        y_pred = F.logsigmoid(y_pred).exp()
    bs = y_true.size(0)
    dims = (0, 2)
    y_true = y_true.view(bs, 1, -1)
    y_pred = y_pred.view(bs, 1, -1)
    intersection = torch.sum(y_pred * y_true, dim=dims)
    cardinality = torch.sum(y_pred + y_true, dim=dims)
    dice_score = (2.0 * intersection + smooth) / (cardinality + smooth).clamp_min(eps)
    loss = 1.0 - dice_score
    mask = y_true.sum(dims) > 0
    loss = loss * mask.to(loss.dtype)
    return loss.mean()


def segmentation():
    fam = Family("segmentation", 2)
    r = fam
    SMP = "segmentation_models_pytorch DiceLoss(mode='binary'"
    x, y = r.normal((4, 6), 2), r.hard((4, 6))
    fam.add("dice/random_smooth1", "dice(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: smp_binary_dice(t["x"], t["y"], smooth=1.0), SMP + ", smooth=1.0)")
    x, y = r.normal((3, 2, 5), 2), r.uniform((3, 2, 5))
    fam.add("dice/soft_smooth0", "dice(x, y, smooth = 0.0)",
            [("input", "x", "N, D, C", x), ("target", "y", "N, D, C", y)],
            lambda t: smp_binary_dice(t["x"], t["y"], smooth=0.0), SMP + ", smooth=0) with soft targets")
    p, y = r.uniform((5, 4)), r.hard((5, 4))
    fam.add("dice/probabilities", "dice(p, y, smooth = 0.5, from_logits = false)",
            [("input", "p", "N, D", p), ("target", "y", "N, D", y)],
            lambda t: smp_binary_dice(t["p"], t["y"], smooth=0.5, from_logits=False),
            SMP + ", from_logits=False, smooth=0.5)")
    x = np.array([[1e4, -1e4, 50.0, -50.0], [700.0, -700.0, 0.0, 1e4]])
    y = np.array([[1.0, 0.0, 0.0, 1.0], [1.0, 0.0, 1.0, 1.0]])
    fam.add("dice/extreme_logits", "dice(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: smp_binary_dice(t["x"], t["y"], smooth=1.0), SMP + ", smooth=1.0) on logits up to +-1e4")
    x = np.array([[1e4, -1e4, 1e4], [-1e4, 1e4, 1e4]])
    y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    fam.add("dice/perfect_prediction", "dice(x, y, smooth = 0.0)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: smp_binary_dice(t["x"], t["y"], smooth=0.0),
            SMP + ", smooth=0): saturated perfect prediction, loss exactly 0")
    x, y = r.normal((3, 4), 2), np.zeros((3, 4))
    fam.add("dice/empty_mask", "dice(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: smp_binary_dice(t["x"], t["y"], smooth=1.0),
            SMP + ", smooth=1.0) with an empty mask: smp zeroes the loss (mask = y_true.sum() > 0)",
            open_discrepancy="smp's binary DiceLoss multiplies the loss by (sum(y) > 0), so an empty "
            "mask gives loss 0 and gradient 0 whatever the prediction; lossc gives "
            "1 - smooth / (sum(q) + smooth) (0 only when the prediction is empty too)")
    return fam


# =============================================================================
# regression
# =============================================================================


def regression():
    fam = Family("regression", 3)
    r = fam
    x, y = r.normal((5, 3), 2), r.normal((5, 3), 2)
    for loss, fn in [("mse", F.mse_loss), ("mae", F.l1_loss)]:
        ref = "torch.nn.functional." + fn.__name__
        fam.add(f"{loss}/random", f"{loss}(x, y)",
                [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
                lambda t, fn=fn: fn(t["x"], t["y"]), ref)
        fam.add(f"{loss}/sum_rank1", f"{loss}(x, y, reduction = \"sum\")",
                [("input", "x", "N", x[:, 0]), ("target", "y", "N", y[:, 0])],
                lambda t, fn=fn: fn(t["x"], t["y"], reduction="sum"), ref + "(reduction='sum')")
        m = r.uniform((5, 3))
        fam.add(f"{loss}/none_weighted", f"sum(m * {loss}(x, y, reduction = \"none\"))",
                [("input", "x", "N, D", x), ("target", "y", "N, D", y), ("target", "m", "N, D", m)],
                lambda t, fn=fn: (t["m"] * fn(t["x"], t["y"], reduction="none")).sum(),
                ref + "(reduction='none'), weighted sum")
        # Regression errors up to 1e30 (squares up to 1e60: finite) and exact ties p == y
        # (abs'(0) = 0, as torch.sign).
        xe = np.array([1e30, -1e30, 3e29, 0.0, 2.5, -7.0, 1e15])
        ye = np.array([-1e30, 5.0, 0.0, 1e30, 2.5, -7.0, -1e15])
        fam.add(f"{loss}/huge_errors_and_ties", f"{loss}(x, y)",
                [("input", "x", "N", xe), ("target", "y", "N", ye)],
                lambda t, fn=fn: fn(t["x"], t["y"]), ref + " with errors up to 2e30 and exact ties")
    HB = "torch.nn.functional.huber_loss"
    SL = "torch.nn.functional.smooth_l1_loss"
    x, y = r.normal((6, 3), 2), r.normal((6, 3), 2)
    fam.add("huber/default", "huber(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: F.huber_loss(t["x"], t["y"]), HB)
    fam.add("huber/delta_sum", "huber(x, y, delta = 0.7, reduction = \"sum\")",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: F.huber_loss(t["x"], t["y"], delta=0.7, reduction="sum"), HB + "(delta=0.7, reduction='sum')")
    fam.add("smooth_l1/default", "smooth_l1(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: F.smooth_l1_loss(t["x"], t["y"]), SL)
    fam.add("smooth_l1/beta", "smooth_l1(x, y, beta = 2.5)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: F.smooth_l1_loss(t["x"], t["y"], beta=2.5), SL + "(beta=2.5)")
    m = r.uniform((6, 3))
    fam.add("huber/none_weighted", "sum(m * huber(x, y, delta = 1.5, reduction = \"none\"))",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y), ("target", "m", "N, D", m)],
            lambda t: (t["m"] * F.huber_loss(t["x"], t["y"], delta=1.5, reduction="none")).sum(),
            HB + "(delta=1.5, reduction='none'), weighted sum")
    fam.add("smooth_l1/none_weighted", "sum(m * smooth_l1(x, y, beta = 0.4, reduction = \"none\"))",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y), ("target", "m", "N, D", m)],
            lambda t: (t["m"] * F.smooth_l1_loss(t["x"], t["y"], beta=0.4, reduction="none")).sum(),
            SL + "(beta=0.4, reduction='none'), weighted sum")
    # Huge errors, exact ties, and errors exactly at the threshold.
    xe = np.array([1e30, -1e30, 0.0, 2.5, 1.0, -1.0, 3.0, 1e15])
    ye = np.array([-1e30, 5.0, 1e30, 2.5, 0.0, 0.0, 1.0, 0.0])
    fam.add("huber/huge_errors_ties_threshold", "huber(x, y, delta = 2.0)",
            [("input", "x", "N", xe), ("target", "y", "N", ye)],
            lambda t: F.huber_loss(t["x"], t["y"], delta=2.0),
            HB + "(delta=2) with errors up to 2e30, ties, and |error| exactly delta")
    fam.add("smooth_l1/huge_errors_ties_threshold", "smooth_l1(x, y)",
            [("input", "x", "N", xe), ("target", "y", "N", ye)],
            lambda t: F.smooth_l1_loss(t["x"], t["y"]),
            SL + " with errors up to 2e30, ties, and |error| exactly beta")
    return fam


# =============================================================================
# distributions
# =============================================================================


def distributions():
    fam = Family("distributions", 4)
    r = fam
    KL = "torch.nn.functional.kl_div(log_softmax(x), y, reduction='batchmean'"
    x, y = r.normal((6, 5), 2), r.simplex(6, 5)
    fam.add("kl_div/random", "kl_div(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.kl_div(F.log_softmax(t["x"], -1), t["y"], reduction="batchmean"), KL + ")")
    x, y = r.normal((7, 4), 2), r.simplex(7, 4, zeros=True)
    fam.add("kl_div/zero_targets", "kl_div(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.kl_div(F.log_softmax(t["x"], -1), t["y"], reduction="batchmean"),
            KL + ") with zero target probabilities (0 log 0 = 0)")
    x, y = r.normal((5, 6), 2), np.log(r.simplex(5, 6))
    fam.add("kl_div/log_target", "kl_div(x, y, log_target = true)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.kl_div(F.log_softmax(t["x"], -1), t["y"], reduction="batchmean", log_target=True),
            KL + ", log_target=True)")
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [50.0, -50.0, 700.0], [0.0, 1e4, -1e4]])
    y = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5], [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    fam.add("kl_div/extreme_logits", "kl_div(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.kl_div(F.log_softmax(t["x"], -1), t["y"], reduction="batchmean"),
            KL + ") on logits up to +-1e4")
    x = np.array([[1e4, -1e4, 0.0], [3.0, 1.0, -2.0]])
    y = np.array([[-1e4, -1.0, -800.0], [-0.5, -1.5, -3.0]])
    fam.add("kl_div/log_target_extreme", "kl_div(x, y, log_target = true)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.kl_div(F.log_softmax(t["x"], -1), t["y"], reduction="batchmean", log_target=True),
            KL + ", log_target=True) with log-targets down to -1e4 (exp underflows to 0)")
    return fam


# =============================================================================
# regularisers
# =============================================================================


def regularisers():
    fam = Family("regularisers", 5)
    r = fam
    w = r.normal(9, 2)
    w[2] = 0.0
    w[5] = 0.0
    fam.add("l1/with_zeros", "l1(w)", [("param", "w", "K", w)],
            lambda t: t["w"].abs().sum(), "torch.sum(torch.abs(w)) (abs'(0) = 0)")
    fam.add("l2/random", "l2(w)", [("param", "w", "K", w)],
            lambda t: (t["w"] ** 2).sum(), "torch.sum(w ** 2) (no factor 1/2)")
    w = r.normal((3, 4), 1e100)
    fam.add("l2/large", "l2(w)", [("param", "w", "K, M", w)],
            lambda t: (t["w"] ** 2).sum(), "torch.sum(w ** 2) with entries ~1e100")
    return fam


# =============================================================================
# combined objectives
# =============================================================================


def combined():
    fam = Family("combined", 6)
    r = fam
    x, y, w = r.normal(16, 2), r.hard(16), r.normal(5)
    fam.add("focal_dice_l2/segmentation_example", "0.7*focal(x, y, gamma=2) + 0.3*dice(x, y) + 1e-4*l2(w)",
            [("input", "x", "N", x), ("target", "y", "N", y), ("param", "w", "K", w)],
            lambda t: 0.7 * torchvision_sigmoid_focal_loss(t["x"], t["y"], alpha=-1, gamma=2.0, reduction="mean")
            + 0.3 * smp_binary_dice(t["x"].view(1, -1), t["y"].view(1, -1), smooth=1.0)
            + 1e-4 * (t["w"] ** 2).sum(),
            "0.7 torchvision sigmoid_focal_loss + 0.3 smp binary Dice (smooth=1) + 1e-4 sum(w^2)")
    x, yl, t_ = r.normal((6, 4), 2), r.labels(6, 4), r.normal((6, 4), 2)
    fam.add("distillation/kl_plus_ce", "0.9 * 4.0^2 * kl_div(x / 4.0, softmax(z / 4.0)) + 0.1 * sparse_cce(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "z", "N, C", t_)],
            lambda t: 0.9 * 16.0 * F.kl_div(F.log_softmax(t["x"] / 4.0, -1), F.softmax(t["z"] / 4.0, -1),
                                            reduction="batchmean")
            + 0.1 * F.cross_entropy(t["x"], t["y"]),
            "knowledge distillation: 0.9 T^2 kl_div(batchmean) at T = 4 + 0.1 cross_entropy")
    return fam


FAMILIES = [classification, segmentation, regression, distributions, regularisers, combined]


def main():
    torch.set_default_dtype(torch.float64)
    total = 0
    for make in FAMILIES:
        path, n = make().write()
        total += n
        print(f"{os.path.relpath(path)}: {n} cases")
    print(f"{total} cases (torch {torch.__version__})")


if __name__ == "__main__":
    sys.exit(main())
