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
            known_difference=("PyTorch's BCELoss backward is (p - y) / max(p (1 - p), 1e-12): 0 at "
                              "p = y in {0, 1}, +-1e12 at p = 1 - y, and (p - y) * 1e12 wherever p (1 - p) < 1e-12; "
                              "lossc differentiates max(log p, -100): 0 where the log is clamped, -1/p or 1/(1-p) otherwise",
                              "a clamped log contributes no gradient"))

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
    classification_more(fam)
    return fam


def keras_smooth_binary(y, ls):
    """Keras BinaryCrossentropy / BinaryFocalCrossentropy label smoothing:
    y * (1 - ls) + 0.5 * ls (keras/src/losses/losses.py)."""
    return y * (1.0 - ls) + 0.5 * ls


def keras_squared_hinge(y_true, y_pred):
    """keras.losses.squared_hinge (Keras 3): square(maximum(1 - y_true * y_pred, 0))
    per element after convert_binary_labels_to_hinge (the caller averages)."""
    return torch.square(keras_hinge(y_true, y_pred))


def keras_categorical_hinge(y_true, y_pred):
    """keras.losses.categorical_hinge (Keras 3): pos = sum(y_true * y_pred, -1),
    neg = max((1 - y_true) * y_pred, -1), maximum(neg - pos + 1, 0) per row.
    torch.amax splits the gradient evenly between tied maxima."""
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


def keras_categorical_focal(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0):
    """keras.losses.categorical_focal_crossentropy (Keras 3), per row:
    smooth labels (y * (1 - ls) + ls / C), softmax when from_logits, normalise,
    clip to [1e-7, 1 - 1e-7], sum_c alpha * (1 - q_c)^gamma * -y_c log q_c."""
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=-1)
    output = y_pred / torch.sum(y_pred, dim=-1, keepdim=True)
    output = torch.clip(output, 1e-7, 1.0 - 1e-7)
    cce = -y_true * torch.log(output)
    modulating_factor = torch.pow(1.0 - output, gamma)
    weighting_factor = modulating_factor * alpha
    return torch.sum(weighting_factor * cce, dim=-1)


def poly1_cross_entropy(logits, labels, epsilon):
    """PolyLoss (Leng et al., 2022), the paper's poly1_cross_entropy in torch:
    pt = sum(labels * softmax(logits)), CE = softmax cross-entropy with the
    (possibly smoothed) labels, CE + epsilon * (1 - pt) per row."""
    pt = torch.sum(labels * torch.softmax(logits, dim=-1), dim=-1)
    ce = -torch.sum(labels * F.log_softmax(logits, dim=-1), dim=-1)
    return ce + epsilon * (1.0 - pt)


def classification_more(fam):
    r = fam
    BCEL = "torch.nn.functional.binary_cross_entropy_with_logits"
    # ---- bce: weight, per-class pos_weight, label smoothing ----------------
    x, y, w, pw = r.normal((5, 3), 2), r.hard((5, 3)), r.uniform((5, 3), 0.1, 2.0), r.uniform(3, 0.5, 4.0)
    fam.add("bce/weight_per_class_pos_weight", "bce(x, y, pos_weight = pw, weight = w)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y), ("target", "pw", "C", pw),
             ("target", "w", "N, C", w)],
            lambda t: F.binary_cross_entropy_with_logits(t["x"], t["y"], weight=t["w"], pos_weight=t["pw"]),
            BCEL + "(weight=w, pos_weight=pw [C])")
    wr = r.uniform(5, 0.1, 2.0)
    fam.add("bce/weight_label_smoothing_sum", "bce(x, y, weight = w, label_smoothing = 0.2, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y), ("target", "w", "C", wr[:3])],
            lambda t: F.binary_cross_entropy_with_logits(t["x"], keras_smooth_binary(t["y"], 0.2), weight=t["w"],
                                                         reduction="sum"),
            BCEL + "(weight=w [C], reduction='sum') on targets smoothed as Keras BinaryCrossentropy(label_smoothing=0.2)")
    xe = np.array(EXTREME_LOGITS)
    ye = np.array([1.0, 0.0] * 6)
    fam.add("bce/label_smoothing_extreme", "bce(x, y, label_smoothing = 0.1)",
            [("input", "x", "N", xe), ("target", "y", "N", ye)],
            lambda t: F.binary_cross_entropy_with_logits(t["x"], keras_smooth_binary(t["y"], 0.1)),
            BCEL + " on Keras-smoothed targets (0.1), logits up to +-1e4")
    p, y, w = r.uniform(9, 0.01, 0.99), r.uniform(9), r.uniform(9, 0.1, 2.0)
    fam.add("bce/probabilities_weight", "bce(p, y, from_logits = false, weight = w)",
            [("input", "p", "N", p), ("target", "y", "N", y), ("target", "w", "N", w)],
            lambda t: F.binary_cross_entropy(t["p"], t["y"], weight=t["w"]),
            "torch.nn.functional.binary_cross_entropy(weight=w)")

    # ---- cce: weight ---------------------------------------------------------
    CE = "torch.nn.functional.cross_entropy"
    x, y, w = r.normal((6, 4), 2), r.simplex(6, 4), r.uniform(4, 0.2, 3.0)
    fam.add("cce/weight_label_smoothing", "cce(x, y, weight = w, label_smoothing = 0.1)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y), ("target", "w", "C", w)],
            lambda t: F.cross_entropy(t["x"], t["y"], weight=t["w"], label_smoothing=0.1),
            CE + "(weight=w, label_smoothing=0.1) with probability targets (mean over rows)")
    m = r.uniform(6)
    fam.add("cce/weight_none_weighted", "sum(m * cce(x, y, weight = w, reduction = \"none\"))",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y), ("target", "w", "C", w), ("target", "m", "N", m)],
            lambda t: (t["m"] * F.cross_entropy(t["x"], t["y"], weight=t["w"], reduction="none")).sum(),
            CE + "(weight=w, reduction='none'), weighted sum")

    # ---- sparse_cce: reductions, empty, probabilities -------------------------
    x, w = r.normal((8, 4), 2), r.uniform(4, 0.2, 3.0)
    yl = np.array([0, 3, 3, 1, 2, 3, 0, 2])
    fam.add("sparse_cce/reduction_sum", "sparse_cce(x, y, weight = w, ignore_index = 3, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.cross_entropy(t["x"], t["y"], weight=t["w"], ignore_index=3, reduction="sum"),
            CE + "(weight=w, ignore_index=3, reduction='sum')")
    m = r.uniform(8)
    fam.add("sparse_cce/reduction_none_smoothing", "sum(m * sparse_cce(x, y, weight = w, ignore_index = 3, "
            "label_smoothing = 0.2, reduction = \"none\"))",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "w", "C", w), ("target", "m", "N", m)],
            lambda t: (t["m"] * F.cross_entropy(t["x"], t["y"], weight=t["w"], ignore_index=3, label_smoothing=0.2,
                                                reduction="none")).sum(),
            CE + "(weight=w, ignore_index=3, label_smoothing=0.2, reduction='none'), weighted sum")
    fam.add("sparse_cce/empty_zero_not_empty", "sparse_cce(x, y, ignore_index = 3, empty = \"zero\")",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: F.cross_entropy(t["x"], t["y"], ignore_index=3),
            CE + "(ignore_index=3): empty = 'zero' changes nothing when some rows are kept")
    pr = r.simplex(7, 4)
    pr[2, 1] = 1e-60
    pr[2] /= pr[2].sum()
    yl = np.array([1, 0, 1, 3, 2, 2, 0])
    fam.add("sparse_cce/probabilities_tiny_label_prob", "sparse_cce(p, y, from_logits = false)",
            [("input", "p", "N, C", pr), ("target", "y", "N", yl)],
            lambda t: F.nll_loss(torch.clamp(torch.log(t["p"]), min=-100), t["y"]),
            "torch.nn.functional.nll_loss(clamp(log(p), min=-100)) with a label probability of 1e-60 (log "
            "clamped: no gradient)")

    # ---- nll -------------------------------------------------------------------
    NL = "torch.nn.functional.nll_loss"
    lp = F.log_softmax(t64(r.normal((9, 5), 2)), -1).numpy()
    yl, w = r.labels(9, 5), r.uniform(5, 0.2, 3.0)
    yl[[2, 7]] = 4
    fam.add("nll/random", "nll(lp, y)",
            [("input", "lp", "N, C", lp), ("target", "y", "N", yl)],
            lambda t: F.nll_loss(t["lp"], t["y"]), NL)
    fam.add("nll/weight_ignore_index", "nll(lp, y, weight = w, ignore_index = 4)",
            [("input", "lp", "N, C", lp), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.nll_loss(t["lp"], t["y"], weight=t["w"], ignore_index=4), NL + "(weight=w, ignore_index=4)")
    fam.add("nll/weight_sum", "nll(lp, y, weight = w, reduction = \"sum\")",
            [("input", "lp", "N, C", lp), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.nll_loss(t["lp"], t["y"], weight=t["w"], reduction="sum"), NL + "(weight=w, reduction='sum')")
    m = r.uniform(9)
    fam.add("nll/none_weighted", "sum(m * nll(lp, y, ignore_index = 4, reduction = \"none\"))",
            [("input", "lp", "N, C", lp), ("target", "y", "N", yl), ("target", "m", "N", m)],
            lambda t: (t["m"] * F.nll_loss(t["lp"], t["y"], ignore_index=4, reduction="none")).sum(),
            NL + "(ignore_index=4, reduction='none'), weighted sum")

    # ---- squared_hinge -----------------------------------------------------------
    SH = "keras.losses.squared_hinge (Keras 3), mean over all elements"
    x, s = r.normal((5, 3), 2), 2 * r.hard((5, 3)) - 1
    fam.add("squared_hinge/pm1_targets", "squared_hinge(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", s)],
            lambda t: keras_squared_hinge(t["y"], t["x"]).mean(), SH)
    x, y = r.normal(10, 2), r.hard(10)
    fam.add("squared_hinge/01_targets_sum", "squared_hinge(x, y, reduction = \"sum\")",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: keras_squared_hinge(t["y"], t["x"]).sum(),
            "keras.losses.squared_hinge's elementwise term, summed; {0, 1} targets mapped to {-1, 1}")
    xe = np.array([1e4, -1e4, 1e4, -1e4, 1.0, 1e150])
    se = np.array([1.0, -1.0, -1.0, 1.0, 1.0, -1.0])
    fam.add("squared_hinge/extreme", "squared_hinge(x, y)",
            [("input", "x", "N", xe), ("target", "y", "N", se)],
            lambda t: keras_squared_hinge(t["y"], t["x"]).mean(),
            SH + "; scores up to 1e150 (square 1e300, finite) and a margin exactly 1")

    # ---- categorical_hinge --------------------------------------------------------
    CH = "keras.losses.categorical_hinge (Keras 3), mean over rows"
    x, y = r.normal((7, 4), 2), r.onehot(7, 4)
    fam.add("categorical_hinge/random", "categorical_hinge(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: keras_categorical_hinge(t["y"], t["x"]).mean(), CH)
    x = np.array([[0.5, 2.0, 2.0, -1.0], [3.0, -1.0, -2.0, -0.5], [1e4, -1e4, 0.0, 5.0], [-0.3, 0.7, 0.7, 0.7]])
    y = np.array([[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]])
    fam.add("categorical_hinge/ties_and_negative_others_sum", "categorical_hinge(x, y, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: keras_categorical_hinge(t["y"], t["x"]).sum(),
            "keras.losses.categorical_hinge, summed: tied maxima (torch.amax splits the gradient), other "
            "scores all negative (neg = 0 from the target's own entry), logits +-1e4")
    x, y = r.normal((5, 3), 2), r.simplex(5, 3)
    fam.add("categorical_hinge/soft_targets", "categorical_hinge(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: keras_categorical_hinge(t["y"], t["x"]).mean(), CH + " with probability targets")

    # ---- multi_margin ---------------------------------------------------------------
    MM = "torch.nn.functional.multi_margin_loss"
    x, yl, w = r.normal((8, 5), 1.5), r.labels(8, 5), r.uniform(5, 0.2, 3.0)
    fam.add("multi_margin/default", "multi_margin(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: F.multi_margin_loss(t["x"], t["y"]), MM)
    fam.add("multi_margin/p2_margin_weight", "multi_margin(x, y, p_norm = 2, margin = 0.7, weight = w)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.multi_margin_loss(t["x"], t["y"], p=2, margin=0.7, weight=t["w"]),
            MM + "(p=2, margin=0.7, weight=w)")
    fam.add("multi_margin/weight_sum", "multi_margin(x, y, weight = w, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "w", "C", w)],
            lambda t: F.multi_margin_loss(t["x"], t["y"], weight=t["w"], reduction="sum"),
            MM + "(weight=w, reduction='sum')")
    xe = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [0.0, 0.0, 1e4]])
    fam.add("multi_margin/extreme", "multi_margin(x, y, p_norm = 2)",
            [("input", "x", "N, C", xe), ("target", "y", "N", np.array([0, 0, 1]))],
            lambda t: F.multi_margin_loss(t["x"], t["y"], p=2), MM + "(p=2) on scores +-1e4 (squares ~1e8)")

    # ---- focal: label smoothing --------------------------------------------------------
    x, y = r.normal(12, 3), r.hard(12)
    fam.add("focal/label_smoothing_alpha", "focal(x, y, alpha = 0.25, label_smoothing = 0.1)",
            [("input", "x", "N", x), ("target", "y", "N", y)],
            lambda t: torchvision_sigmoid_focal_loss(t["x"], keras_smooth_binary(t["y"], 0.1), alpha=0.25, gamma=2.0,
                                                     reduction="mean"),
            "keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.25, gamma=2, "
            "label_smoothing=0.1, from_logits=True) = torchvision sigmoid_focal_loss on smoothed targets")

    # ---- categorical_focal -------------------------------------------------------------
    KF = "keras.losses.categorical_focal_crossentropy(from_logits=True) with one-hot targets, mean over rows"
    x, yl = r.normal((8, 4), 1.5), r.labels(8, 4)
    oh = lambda t: F.one_hot(t["y"], 4).to(D)
    fam.add("categorical_focal/default", "categorical_focal(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: keras_categorical_focal(oh(t), t["x"], alpha=1.0, gamma=2.0, from_logits=True).mean(),
            KF + ", alpha=1 (lossc's none), gamma=2; logits within |6| so Keras's clip is inactive")
    fam.add("categorical_focal/alpha_gamma_half_smoothing",
            "categorical_focal(x, y, alpha = 0.25, gamma = 0.5, label_smoothing = 0.1)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: keras_categorical_focal(oh(t), t["x"], alpha=0.25, gamma=0.5, from_logits=True,
                                              label_smoothing=0.1).mean(),
            KF + ", alpha=0.25, gamma=0.5, label_smoothing=0.1")
    a = np.array([0.1, 0.4, 0.2, 0.3])
    fam.add("categorical_focal/per_class_alpha_sum", "categorical_focal(x, y, alpha = a, gamma = 3.0, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "a", "C", a)],
            lambda t: keras_categorical_focal(oh(t), t["x"], alpha=t["a"], gamma=3.0, from_logits=True).sum(),
            "keras.losses.categorical_focal_crossentropy(from_logits=True, alpha=[0.1, 0.4, 0.2, 0.3], gamma=3), "
            "summed over rows")
    fam.add("categorical_focal/gamma0_is_cross_entropy", "categorical_focal(x, y, gamma = 0.0)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: F.cross_entropy(t["x"], t["y"]), CE + ": categorical_focal with gamma = 0, no alpha")
    xe = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [50.0, -50.0, 700.0], [0.0, 40.0, -1e4]])
    ye = np.array([0, 2, 1, 0])
    fam.add("categorical_focal/extreme_logits", "categorical_focal(x, y)",
            [("input", "x", "N, 3", xe), ("target", "y", "N", ye)],
            lambda t: keras_categorical_focal(F.one_hot(t["y"], 3).to(D), t["x"], alpha=1.0, gamma=2.0,
                                              from_logits=True).mean(),
            KF + " on logits up to +-1e4 (Keras clips the probabilities)",
            known_difference=("Keras clips probabilities to [1e-7, 1 - 1e-7] before the log; lossc uses the exact "
                              "log-softmax, so saturated rows differ (e.g. a log-probability of -1e4 vs log(1e-7))",
                              "Keras clips probabilities to [1e-7, 1 - 1e-7], this"))

    # ---- poly1 ---------------------------------------------------------------------------
    PL = "PolyLoss poly1_cross_entropy (Leng et al., 2022), mean over rows"
    x, yl = r.normal((7, 5), 2), r.labels(7, 5)
    oh5 = lambda t, ls=0.0: F.one_hot(t["y"], 5).to(D) * (1 - ls) + ls / 5
    fam.add("poly1/default", "poly1(x, y)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: poly1_cross_entropy(t["x"], oh5(t), 1.0).mean(), PL + ", epsilon=1")
    fam.add("poly1/epsilon_smoothing_sum", "poly1(x, y, epsilon = -0.5, label_smoothing = 0.2, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: poly1_cross_entropy(t["x"], oh5(t, 0.2), -0.5).sum(),
            "PolyLoss poly1_cross_entropy with labels smoothed by 0.2, epsilon=-0.5, summed")
    xe = np.array([[1e4, -1e4, 0.0, 1.0, 2.0], [-1e4, -1e4, -1e4, -1e4, -1e4], [50.0, -50.0, 700.0, 0.0, 0.0]])
    fam.add("poly1/extreme_logits", "poly1(x, y, epsilon = 2.0)",
            [("input", "x", "N, C", xe), ("target", "y", "N", np.array([1, 3, 2]))],
            lambda t: poly1_cross_entropy(t["x"], oh5(t), 2.0).mean(), PL + ", epsilon=2, logits up to +-1e4")


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
            known_difference=("smp's binary DiceLoss multiplies the loss by (sum(y) > 0), so an empty "
                              "mask gives loss 0 and gradient 0 whatever the prediction; lossc's default "
                              "empty = \"smooth\" gives 1 - smooth / (sum(q) + smooth); empty = \"zero\" "
                              "is smp's rule (case dice/empty_mask_zero)",
                              'smp\'s behaviour is empty = "zero"'))
    fam.add("dice/empty_mask_zero", "dice(x, y, empty = \"zero\")",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: smp_binary_dice(t["x"], t["y"], smooth=1.0),
            SMP + ", smooth=1.0) with an empty mask: loss 0, gradient 0")
    segmentation_modes(fam)
    return fam


def to_smp(x, batches):
    """lossc's channels-last [N, C] (N = B*P pixels) -> smp's [B, C, P]."""
    n, c = x.shape
    return x.reshape(batches, n // batches, c).permute(0, 2, 1)


def smp_overlap(kind, y_pred, y_true, mode, batches=1, from_logits=True, smooth=0.0, eps=1e-7,
                ignore_index=None, alpha=0.5, beta=0.5, per_class=False):
    """segmentation_models_pytorch DiceLoss / JaccardLoss / TverskyLoss forward
    (smp 0.3.x: losses/dice.py, jaccard.py, tversky.py, _functional.py), on
    lossc's layout (binary: any shape; multilabel: [N, C]; multiclass: logits
    [N, C] and labels [N]), converted to smp's [B, C, H*W] with B = batches.
    Returns the mean over classes of the per-class losses, zeroed for classes
    whose target is empty (smp's mask), or the per-class losses and the mask
    when per_class (for class subsets and weights)."""
    if from_logits:
        if mode == "multiclass":
            y_pred = y_pred.log_softmax(dim=-1).exp()
        else:
            y_pred = F.logsigmoid(y_pred).exp()
    dims = (0, 2)
    if mode == "binary":
        bs = y_true.size(0)
        y_true = y_true.reshape(bs, 1, -1)
        y_pred = y_pred.reshape(bs, 1, -1)
        if ignore_index is not None:
            mask = y_true != ignore_index
            y_pred = y_pred * mask
            y_true = y_true * mask
    elif mode == "multilabel":
        y_true = to_smp(y_true, batches)
        y_pred = to_smp(y_pred, batches)
        if ignore_index is not None:
            mask = y_true != ignore_index
            y_pred = y_pred * mask
            y_true = y_true * mask
    elif mode == "multiclass":
        num_classes = y_pred.size(-1)
        y_pred = to_smp(y_pred, batches)
        y_true = y_true.reshape(batches, -1)
        if ignore_index is not None:
            mask = y_true != ignore_index
            y_pred = y_pred * mask.unsqueeze(1)
            y_true = F.one_hot((y_true * mask).to(torch.long), num_classes)
            y_true = y_true.permute(0, 2, 1) * mask.unsqueeze(1)
        else:
            y_true = F.one_hot(y_true, num_classes).permute(0, 2, 1)
    y_true = y_true.type_as(y_pred)
    output, target = y_pred, y_true
    if kind == "dice":
        intersection = torch.sum(output * target, dim=dims)
        cardinality = torch.sum(output + target, dim=dims)
        score = (2.0 * intersection + smooth) / (cardinality + smooth).clamp_min(eps)
    elif kind == "jaccard":
        intersection = torch.sum(output * target, dim=dims)
        cardinality = torch.sum(output + target, dim=dims)
        union = cardinality - intersection
        score = (intersection + smooth) / (union + smooth).clamp_min(eps)
    elif kind == "tversky":
        intersection = torch.sum(output * target, dim=dims)
        fp = torch.sum(output * (1.0 - target), dim=dims)
        fn = torch.sum((1 - output) * target, dim=dims)
        score = (intersection + smooth) / (intersection + alpha * fp + beta * fn + smooth).clamp_min(eps)
    else:
        raise ValueError(kind)
    loss = 1.0 - score
    present = y_true.sum(dims) > 0
    if per_class:
        return loss, present
    loss = loss * present.to(loss.dtype)
    return loss.mean()


def monai_generalized_dice(y_pred, y_true, mode, batches=1, from_logits=True, smooth=1e-5):
    """MONAI GeneralizedDiceLoss(sigmoid/softmax, to_onehot_y, w_type="square",
    batch=True, smooth_nr=smooth_dr=smooth) forward (monai/losses/dice.py) on
    lossc's layout. MONAI computes the weights from `ground_o.float()` (float32);
    here they stay float64."""
    if mode == "multiclass":
        num_classes = y_pred.size(-1)
        inp = to_smp(torch.softmax(y_pred, -1) if from_logits else y_pred, batches)
        target = F.one_hot(y_true.reshape(batches, -1), num_classes).permute(0, 2, 1).to(D)
    elif mode == "multilabel":
        inp = to_smp(torch.sigmoid(y_pred) if from_logits else y_pred, batches)
        target = to_smp(y_true, batches)
    else:
        inp = (torch.sigmoid(y_pred) if from_logits else y_pred).reshape(1, 1, -1)
        target = y_true.reshape(1, 1, -1)
    reduce_axis = [0, 2]
    intersection = torch.sum(target * inp, reduce_axis)
    ground_o = torch.sum(target, reduce_axis)
    pred_o = torch.sum(inp, reduce_axis)
    denominator = ground_o + pred_o
    w = torch.reciprocal(ground_o * ground_o)
    infs = torch.isinf(w)
    w = torch.where(infs, torch.zeros_like(w), w)
    w = w + infs * torch.max(w)
    numer = 2.0 * (intersection * w).sum(0, keepdim=True) + smooth
    denom = (denominator * w).sum(0, keepdim=True) + smooth
    f = 1.0 - (numer / denom)
    return f.mean()


def segmentation_modes(fam):
    r = fam

    def add_mc(name, expr, inputs, *args, **kw):
        """A multiclass case: its spec declares the class count as a number
        ([N, 4], not [N, C]), since `onehot(y, dim(p))` does not compile with a
        named class dimension (case dice/multiclass_named_class_dim)."""
        c = next(a.shape[-1] for role, _, _, a in inputs if role == "input")
        inputs = [(role, n, dims.replace("C", str(c)), a) for role, n, dims, a in inputs]
        fam.add(name, expr, inputs, *args, **kw)

    def labels_all_present(n, c):
        y = r.labels(n, c)
        y[:c] = np.arange(c)
        r.rng.shuffle(y)
        return y

    # ---- dice ------------------------------------------------------------
    SMP = "segmentation_models_pytorch DiceLoss"
    y = np.where(r.uniform((4, 5)) < 0.2, -1.0, r.hard((4, 5)))
    y[0, 0] = 1.0
    x = r.normal((4, 5), 2)
    fam.add("dice/binary_ignore_index", "dice(x, y, ignore_index = -1, smooth = 0.0)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: smp_overlap("dice", t["x"], t["y"], "binary", ignore_index=-1),
            SMP + "(mode='binary', ignore_index=-1, smooth=0): ignored pixels masked out of q and y")
    x, y = r.normal((10, 3), 2), r.hard((10, 3))
    y[:, 1] = 0.0
    y[0, 1] = 1.0
    fam.add("dice/multilabel", "dice(x, y, mode = \"multilabel\", smooth = 0.5)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: smp_overlap("dice", t["x"], t["y"], "multilabel", batches=2, smooth=0.5),
            SMP + "(mode='multilabel', smooth=0.5) on [B=2, C=3, 5 pixels] (channels-last [10, 3] here)")
    y2 = y.copy()
    y2[:, 2] = 0.0
    fam.add("dice/multilabel_empty_channel_zero", "dice(x, y, mode = \"multilabel\", empty = \"zero\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y2)],
            lambda t: smp_overlap("dice", t["x"], t["y"], "multilabel", batches=2, smooth=1.0),
            SMP + "(mode='multilabel', smooth=1) with an empty channel: its loss is 0, still averaged")
    x, yl = r.normal((12, 4), 2), labels_all_present(12, 4)
    add_mc("dice/multiclass", "dice(x, y, mode = \"multiclass\", smooth = 0.0)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: smp_overlap("dice", t["x"], t["y"], "multiclass", batches=3),
            SMP + "(mode='multiclass', smooth=0 (smp's default)) on [B=3, C=4, 4 pixels], every class present")
    ym = yl.copy()
    ym[ym == 2] = 0
    add_mc("dice/multiclass_missing_class_zero", "dice(x, y, mode = \"multiclass\", empty = \"zero\")",
            [("input", "x", "N, C", x), ("target", "y", "N", ym)],
            lambda t: smp_overlap("dice", t["x"], t["y"], "multiclass", batches=3, smooth=1.0),
            SMP + "(mode='multiclass', smooth=1) with class 2 absent: its loss is 0, still averaged")
    add_mc("dice/multiclass_missing_class_skip", "dice(x, y, mode = \"multiclass\", empty = \"skip\")",
            [("input", "x", "N, C", x), ("target", "y", "N", ym)],
            lambda t: (lambda l, m: (l * m).sum() / m.sum())(
                *smp_overlap("dice", t["x"], t["y"], "multiclass", batches=3, smooth=1.0, per_class=True)),
            SMP + "(mode='multiclass', smooth=1) per-class losses, averaged over the classes present only "
            "(lossc's empty = 'skip'; smp has no such option)")
    yi = labels_all_present(12, 4)
    yi[[1, 5, 6]] = 255
    add_mc("dice/multiclass_ignore_index", "dice(x, y, mode = \"multiclass\", ignore_index = 255, empty = \"zero\")",
            [("input", "x", "N, C", x), ("target", "y", "N", yi)],
            lambda t: smp_overlap("dice", t["x"], t["y"], "multiclass", batches=3, smooth=1.0, ignore_index=255),
            SMP + "(mode='multiclass', smooth=1, ignore_index=255); class 0 only at ignored pixels (absent: loss 0)")
    cw = np.array([1.0, 0.0, 1.0, 0.0])
    add_mc("dice/multiclass_classes_subset", "dice(x, y, mode = \"multiclass\", class_weight = cw)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "cw", "C", cw)],
            lambda t: smp_overlap("dice", t["x"], t["y"], "multiclass", batches=3, smooth=1.0, per_class=True)[0][
                [0, 2]].mean(),
            SMP + "(mode='multiclass', smooth=1, classes=[0, 2]) as 0/1 class weights")
    cw = np.array([0.5, 2.0, 1.0, 0.25])
    add_mc("dice/multiclass_class_weight", "dice(x, y, mode = \"multiclass\", class_weight = cw)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl), ("target", "cw", "C", cw)],
            lambda t: (lambda l, m: (t["cw"] * l).sum() / t["cw"].sum())(
                *smp_overlap("dice", t["x"], t["y"], "multiclass", batches=3, smooth=1.0, per_class=True)),
            SMP + "(mode='multiclass', smooth=1) per-class losses, weighted mean (lossc's class_weight "
            "generalises smp's `classes`)")
    pr = np.exp(x) / np.exp(x).sum(-1, keepdims=True)
    add_mc("dice/multiclass_probabilities", "dice(p, y, mode = \"multiclass\", from_logits = false)",
            [("input", "p", "N, C", pr), ("target", "y", "N", yl)],
            lambda t: smp_overlap("dice", t["p"], t["y"], "multiclass", batches=3, smooth=1.0, from_logits=False),
            SMP + "(mode='multiclass', from_logits=False, smooth=1)")
    xe = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, -1e4], [50.0, -50.0, 700.0], [0.0, 1e4, -1e4],
                   [-800.0, 800.0, 0.0], [1e4, 1e4, -1e4]])
    ye = np.array([0, 1, 2, 1, 0, 2])
    add_mc("dice/multiclass_extreme_logits", "dice(x, y, mode = \"multiclass\")",
            [("input", "x", "N, C", xe), ("target", "y", "N", ye)],
            lambda t: smp_overlap("dice", t["x"], t["y"], "multiclass", batches=2, smooth=1.0),
            SMP + "(mode='multiclass', smooth=1) on logits up to +-1e4")

    fam.add("dice/multiclass_named_class_dim", "dice(x, y, mode = \"multiclass\", smooth = 0.0)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: smp_overlap("dice", t["x"], t["y"], "multiclass", batches=3),
            SMP + "(mode='multiclass', smooth=0), as dice/multiclass with the class axis declared by name")

    # ---- jaccard ---------------------------------------------------------
    SJ = "segmentation_models_pytorch JaccardLoss"
    x, y = r.normal((5, 4), 2), r.hard((5, 4))
    fam.add("jaccard/binary", "jaccard(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: smp_overlap("jaccard", t["x"], t["y"], "binary", smooth=1.0), SJ + "(mode='binary', smooth=1)")
    x, y = r.normal((8, 3), 2), r.uniform((8, 3))
    fam.add("jaccard/multilabel_soft", "jaccard(x, y, mode = \"multilabel\", smooth = 0.0)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: smp_overlap("jaccard", t["x"], t["y"], "multilabel", batches=2),
            SJ + "(mode='multilabel', smooth=0) with soft targets")
    x, yl = r.normal((12, 4), 2), labels_all_present(12, 4)
    yl[yl == 3] = 1
    add_mc("jaccard/multiclass_missing_class_zero", "jaccard(x, y, mode = \"multiclass\", empty = \"zero\")",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: smp_overlap("jaccard", t["x"], t["y"], "multiclass", batches=2, smooth=1.0),
            SJ + "(mode='multiclass', smooth=1) with class 3 absent (loss 0, averaged)")
    yi = yl.copy()
    yi[[0, 4]] = -1
    add_mc("jaccard/multiclass_ignore_index", "jaccard(x, y, mode = \"multiclass\", ignore_index = -1, empty = \"zero\")",
            [("input", "x", "N, C", x), ("target", "y", "N", yi)],
            lambda t: smp_overlap("jaccard", t["x"], t["y"], "multiclass", batches=2, smooth=1.0, ignore_index=-1),
            SJ + "(mode='multiclass', smooth=1) with DiceLoss's ignore_index masking (JaccardLoss itself has "
            "no ignore_index)")

    # ---- tversky ---------------------------------------------------------
    ST = "segmentation_models_pytorch TverskyLoss"
    x, y = r.normal((6, 4), 2), r.hard((6, 4))
    fam.add("tversky/binary", "tversky(x, y, alpha = 0.3, beta = 0.7, smooth = 0.0)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: smp_overlap("tversky", t["x"], t["y"], "binary", alpha=0.3, beta=0.7),
            ST + "(mode='binary', alpha=0.3, beta=0.7, smooth=0, gamma=1)")
    x, yl = r.normal((12, 3), 2), labels_all_present(12, 3)
    add_mc("tversky/multiclass", "tversky(x, y, mode = \"multiclass\", alpha = 0.7, beta = 0.3)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: smp_overlap("tversky", t["x"], t["y"], "multiclass", batches=2, smooth=1.0, alpha=0.7, beta=0.3),
            ST + "(mode='multiclass', alpha=0.7, beta=0.3, smooth=1, gamma=1)")
    x, y = r.normal((8, 3), 2), r.hard((8, 3))
    y[:, 0] = 0.0
    fam.add("tversky/multilabel_empty_zero", "tversky(x, y, mode = \"multilabel\", empty = \"zero\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: smp_overlap("tversky", t["x"], t["y"], "multilabel", batches=2, smooth=1.0),
            ST + "(mode='multilabel', smooth=1) with an empty channel")

    # ---- focal_tversky ---------------------------------------------------
    x, y = r.normal((6, 4), 2), r.hard((6, 4))
    fam.add("focal_tversky/binary", "focal_tversky(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: smp_overlap("tversky", t["x"], t["y"], "binary", smooth=1.0, alpha=0.3, beta=0.7) ** 0.75,
            "Abraham & Khan focal Tversky (their Keras code: pow(1 - tversky, gamma), smooth=1, alpha=0.7 on "
            "false negatives); = smp TverskyLoss(mode='binary', alpha=0.3, beta=0.7, gamma=0.75, smooth=1)")
    x, yl = r.normal((12, 3), 2), labels_all_present(12, 3)
    add_mc("focal_tversky/multiclass", "focal_tversky(x, y, mode = \"multiclass\", gamma = 1.5, alpha = 0.4, beta = 0.6)",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: (smp_overlap("tversky", t["x"], t["y"], "multiclass", batches=2, smooth=1.0, alpha=0.4, beta=0.6,
                                   per_class=True)[0] ** 1.5).mean(),
            "focal Tversky per class, (1 - TI_c)^1.5 averaged over classes (smp's per-class Tversky scores, "
            "alpha=0.4, beta=0.6, smooth=1)")
    x, y = r.normal((8, 3), 2), r.uniform((8, 3))
    fam.add("focal_tversky/multilabel_soft", "focal_tversky(x, y, mode = \"multilabel\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: (smp_overlap("tversky", t["x"], t["y"], "multilabel", batches=2, smooth=1.0, alpha=0.3, beta=0.7,
                                   per_class=True)[0] ** 0.75).mean(),
            "focal Tversky per channel, (1 - TI_c)^0.75 averaged (alpha=0.3, beta=0.7, smooth=1), soft targets")

    # ---- generalized_dice -------------------------------------------------
    MG = "MONAI GeneralizedDiceLoss(w_type='square', batch=True, smooth_nr=smooth_dr=1e-5)"
    x, y = r.normal((5, 4), 2), r.hard((5, 4))
    fam.add("generalized_dice/binary", "generalized_dice(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: monai_generalized_dice(t["x"], t["y"], "binary"), MG + ", sigmoid, one channel")
    x, yl = r.normal((12, 4), 2), labels_all_present(12, 4)
    add_mc("generalized_dice/multiclass", "generalized_dice(x, y, mode = \"multiclass\")",
            [("input", "x", "N, C", x), ("target", "y", "N", yl)],
            lambda t: monai_generalized_dice(t["x"], t["y"], "multiclass", batches=3), MG + ", softmax, to_onehot_y")
    ym = yl.copy()
    ym[ym == 1] = 3
    add_mc("generalized_dice/multiclass_missing_class_max", "generalized_dice(x, y, mode = \"multiclass\")",
            [("input", "x", "N, C", x), ("target", "y", "N", ym)],
            lambda t: monai_generalized_dice(t["x"], t["y"], "multiclass", batches=3),
            MG + ", softmax, class 1 absent: its infinite weight replaced by the largest finite one")
    x, y = r.normal((10, 3), 2), r.hard((10, 3))
    fam.add("generalized_dice/multilabel_smooth", "generalized_dice(x, y, mode = \"multilabel\", smooth = 0.1)",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: monai_generalized_dice(t["x"], t["y"], "multilabel", batches=2, smooth=0.1),
            MG.replace("1e-5", "0.1") + ", sigmoid per channel")


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
    regression_keras_torch(fam)
    return fam


def pinned(value, expr):
    """`expr` with its value replaced by `value` (a float) and its gradient
    kept: for references whose value is computed more accurately elsewhere
    (mpmath) than by the formula autograd differentiates."""
    return expr - expr.detach() + value


def mp_log_cosh_mean(d):
    """mean(log(cosh(d))) at 50 significant digits (mpmath)."""
    import mpmath
    mpmath.mp.dps = 50
    vals = [mpmath.log(mpmath.cosh(mpmath.mpf(float(x)))) for x in np.asarray(d).reshape(-1)]
    return float(mpmath.fsum(vals) / len(vals))


def keras_log_cosh(y_true, y_pred):
    """keras.losses.log_cosh (Keras 3, keras/src/losses/losses.py):
    _logcosh(x) = x + softplus(-2 x) - log(2), mean over the last axis
    (returned per element here; the caller takes the mean)."""
    x = y_pred - y_true
    return x + F.softplus(-2.0 * x) - math.log(2.0)


def keras_msle(y_true, y_pred, epsilon=1e-7):
    """keras.losses.mean_squared_logarithmic_error (Keras 3): per element,
    square(log(maximum(y_pred, eps) + 1) - log(maximum(y_true, eps) + 1))."""
    eps = t64(epsilon)
    first_log = torch.log(torch.maximum(y_pred, eps) + 1.0)
    second_log = torch.log(torch.maximum(y_true, eps) + 1.0)
    return torch.square(first_log - second_log)


def keras_mape(y_true, y_pred, epsilon=1e-7):
    """keras.losses.mean_absolute_percentage_error (Keras 3): per element,
    100 * abs((y_true - y_pred) / maximum(abs(y_true), eps))."""
    diff = torch.abs((y_true - y_pred) / torch.maximum(torch.abs(y_true), t64(epsilon)))
    return 100.0 * diff


def pinball(y_true, y_pred, tau):
    """Pinball loss, tfa.losses.pinball_loss (TensorFlow Addons): delta =
    y_true - y_pred, maximum(tau * delta, (tau - 1) * delta), with
    torch.maximum's subgradient at a tie (half to each arm)."""
    delta = y_true - y_pred
    return torch.maximum(tau * delta, (tau - 1.0) * delta)


def regression_keras_torch(fam):
    r = fam
    # ---- log_cosh --------------------------------------------------------
    LC = "keras.losses.log_cosh (x + softplus(-2x) - log 2, mean)"
    x, y = r.normal((6, 3), 2), r.normal((6, 3), 2)
    d = x - y
    fam.add("log_cosh/random", "log_cosh(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: pinned(mp_log_cosh_mean(d), keras_log_cosh(t["y"], t["x"]).mean()),
            LC + "; value from mpmath log(cosh(d)) at 50 digits (Keras's form cancels for small d)")
    m = r.uniform((6, 3))
    fam.add("log_cosh/none_weighted", "sum(m * log_cosh(x, y, reduction = \"none\"))",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y), ("target", "m", "N, D", m)],
            lambda t: (t["m"] * keras_log_cosh(t["y"], t["x"])).sum(),
            LC + ", per element, weighted sum")
    xe = np.array([1e30, -1e30, 700.0, -800.0, 30.0, 2.5, -1.5, 1e15])
    ye = np.array([0.0, 1e30, 0.0, 0.0, -3.0, 0.5, 0.0, -1e15])
    fam.add("log_cosh/huge_errors_sum", "log_cosh(x, y, reduction = \"sum\")",
            [("input", "x", "N", xe), ("target", "y", "N", ye)],
            lambda t: keras_log_cosh(t["y"], t["x"]).sum(),
            LC + " with errors up to 2e30, reduction sum")
    xt = np.array([1e-8, -3e-6, 1e-3, 0.0, 0.5, 0.999, 1.0, 1.001, -1.0, 2e-200])
    yt = np.zeros(10)
    # Value: mpmath. Gradient: tanh(d) / N, the exact derivative (Keras's form
    # differentiates to 1 - 2 sigmoid(2d), which cancels for tiny d).
    fam.add("log_cosh/tiny_errors", "log_cosh(x, y)",
            [("input", "x", "N", xt), ("target", "y", "N", yt)],
            lambda t: pinned(mp_log_cosh_mean(xt), (torch.tanh(t["x"] - t["y"]).detach() * t["x"]).mean()),
            "log(cosh(d)): value from mpmath at 50 digits, gradient tanh(d)/N; errors from 2e-200 to "
            "1.001 (both sides of lossc's |d| < 1 switch)")

    # ---- msle ------------------------------------------------------------
    MS = "keras.losses.mean_squared_logarithmic_error"
    x, y = r.uniform((5, 4), 0.0, 5.0), r.uniform((5, 4), 0.0, 5.0)
    fam.add("msle/random", "msle(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: keras_msle(t["y"], t["x"]).mean(), MS)
    xb = np.array([-1.0, -1e30, 1e-7, 0.0, 1e30, 3.0, 2.0, 1e-9])
    yb = np.array([2.0, 0.0, 4.0, 1.0, 1.0, 3.0, -5.0, 7.0])
    fam.add("msle/clamped_and_huge_sum", "msle(x, y, reduction = \"sum\")",
            [("input", "x", "N", xb), ("target", "y", "N", yb)],
            lambda t: keras_msle(t["y"], t["x"]).sum(),
            MS + " per element, summed: negative predictions and targets (clamped to eps = 1e-7, no "
            "gradient), p exactly eps (tie: torch.maximum halves the gradient), p = 1e30, p = y")
    # ---- mape ------------------------------------------------------------
    MP = "keras.losses.mean_absolute_percentage_error"
    x, y = r.normal((4, 5), 3), r.normal((4, 5), 3)
    fam.add("mape/random", "mape(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: keras_mape(t["y"], t["x"]).mean(), MP)
    xb = np.array([1.0, -2.0, 3.0, 0.5, 1e30, -4.0, 0.0])
    yb = np.array([0.0, 1e-9, 3.0, -1e-7, 1.0, 2e-7, 0.0])
    fam.add("mape/zero_targets_sum", "mape(x, y, reduction = \"sum\")",
            [("input", "x", "N", xb), ("target", "y", "N", yb)],
            lambda t: keras_mape(t["y"], t["x"]).sum(),
            MP + " per element, summed: targets 0 and below eps (denominator eps = 1e-7), p = y, p = 1e30")

    # ---- poisson_nll -----------------------------------------------------
    PN = "torch.nn.functional.poisson_nll_loss"
    x, y = r.normal((5, 3), 1.5), r.rng.poisson(2.0, (5, 3)).astype(np.float64)
    fam.add("poisson_nll/log_input", "poisson_nll(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: F.poisson_nll_loss(t["x"], t["y"]), PN)
    y = np.array([[0.0, 1.0, 2.0], [5.0, 10.0, 0.5], [1.5, 3.0, 0.0], [40.0, 1.0, 2.0], [7.0, 0.0, 1.0]])
    fam.add("poisson_nll/full_sum", "poisson_nll(x, y, full = true, reduction = \"sum\")",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: F.poisson_nll_loss(t["x"], t["y"], full=True, reduction="sum"),
            PN + "(full=True, reduction='sum'): Stirling term where y > 1")
    xr = r.uniform((5, 3), 0.0, 4.0)
    xr[0, 0] = 0.0
    xr[2, 1] = 0.0
    fam.add("poisson_nll/rate_input_full", "poisson_nll(x, y, log_input = false, full = true)",
            [("input", "x", "N, D", xr), ("target", "y", "N, D", y)],
            lambda t: F.poisson_nll_loss(t["x"], t["y"], log_input=False, full=True),
            PN + "(log_input=False, full=True) with rates exactly 0 (log(0 + eps))")
    xe = np.array([700.0, -1e4, 0.0, 20.0, -700.0, 1e-300])
    ye = np.array([3.0, 0.0, 1.0, 1e6, 2.0, 0.0])
    fam.add("poisson_nll/extreme_log_rates", "poisson_nll(x, y, eps = 1e-6)",
            [("input", "x", "N", xe), ("target", "y", "N", ye)],
            lambda t: F.poisson_nll_loss(t["x"], t["y"], eps=1e-6),
            PN + " on log-rates from -1e4 to 700 (exp(700) ~ 1e304 is finite)")

    # ---- gaussian_nll ----------------------------------------------------
    GN = "torch.nn.functional.gaussian_nll_loss"
    x, y, v = r.normal((5, 3), 2), r.normal((5, 3), 2), r.uniform((5, 3), 0.1, 3.0)
    fam.add("gaussian_nll/random", "gaussian_nll(x, y, var = v)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y), ("input", "v", "N, D", v)],
            lambda t: F.gaussian_nll_loss(t["x"], t["y"], t["v"]), GN + ", var differentiated too")
    vr = r.uniform(5, 0.1, 3.0)
    fam.add("gaussian_nll/per_row_var_full_sum", "gaussian_nll(x, y, var = v, full = true, reduction = \"sum\")",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y), ("input", "v", "N", vr)],
            lambda t: F.gaussian_nll_loss(t["x"], t["y"], t["v"], full=True, reduction="sum"),
            GN + "(full=True, reduction='sum') with one variance per row (var [N] for input [N, D])")
    xe = np.array([1e30, 0.0, 3.0, -2.0])
    ye = np.array([0.0, 1e-20, 3.0, 5.0])
    ve = np.array([1.0, 1e-6, 2.0, 1e10])
    fam.add("gaussian_nll/huge_error_var_at_eps", "gaussian_nll(x, y, var = v)",
            [("input", "x", "N", xe), ("target", "y", "N", ye), ("input", "v", "N", ve)],
            lambda t: F.gaussian_nll_loss(t["x"], t["y"], t["v"]),
            GN + " with an error of 1e30 (squared: 1e60), var exactly eps (the clamp passes the gradient), "
            "a tie p = y, var = 1e10")
    vs = np.array([1e-9, 0.5, 1e-7, 2.0])
    xs = np.array([0.1, 1.0, -0.2, 3.0])
    ys = np.array([0.0, 0.0, 0.0, 0.0])
    fam.add("gaussian_nll/var_below_eps", "gaussian_nll(x, y, var = v)",
            [("input", "x", "N", xs), ("target", "y", "N", ys), ("input", "v", "N", vs)],
            lambda t: F.gaussian_nll_loss(t["x"], t["y"], t["v"]),
            GN + " with var below eps (clamped; PyTorch clamps without recording it for autograd, so "
            "d/dvar passes straight through, as lossc's detach does)")
    fam.add("gaussian_nll/var_below_eps_value", "gaussian_nll(x, y, var = v)",
            [("input", "x", "N", xs), ("target", "y", "N", ys), ("target", "v", "N", vs)],
            lambda t: F.gaussian_nll_loss(t["x"], t["y"], t["v"]),
            GN + " with var below eps, var a target (value and d/dp agree)")

    # ---- quantile --------------------------------------------------------
    PB = "tfa.losses.pinball_loss (TensorFlow Addons) with torch.maximum's tie rule"
    x, y = r.normal((6, 2), 2), r.normal((6, 2), 2)
    x[1, 1] = y[1, 1]
    fam.add("quantile/median", "quantile(x, y)",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: pinball(t["y"], t["x"], 0.5).mean(), PB + ", tau=0.5; one tie p = y")
    fam.add("quantile/tau_sum", "quantile(x, y, tau = 0.9, reduction = \"sum\")",
            [("input", "x", "N, D", x), ("target", "y", "N, D", y)],
            lambda t: pinball(t["y"], t["x"], 0.9).sum(), PB + ", tau=0.9, summed; one tie (subgradient 0.5 - tau)")
    xq, yq, tq = r.normal((5, 3), 2), r.normal(5, 2), np.array([0.1, 0.5, 0.9])
    fam.add("quantile/per_column_levels", "quantile(x, y, tau = tau)",
            [("input", "x", "N, Q", xq), ("target", "y", "N", yq), ("target", "tau", "Q", tq)],
            lambda t: pinball(t["y"].unsqueeze(-1), t["x"], t["tau"]).mean(),
            PB + ", one level per output column (p [N, Q], y [N], tau [Q])")
    xe = np.array([1e30, -1e30, 0.0, 5.0])
    ye = np.array([-1e30, 0.0, 1e30, 5.0])
    fam.add("quantile/huge_errors", "quantile(x, y, tau = 0.25)",
            [("input", "x", "N", xe), ("target", "y", "N", ye)],
            lambda t: pinball(t["y"], t["x"], 0.25).mean(), PB + ", tau=0.25, errors up to 2e30")


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
    distributions_more(fam)
    return fam


# =============================================================================
# regularisers
# =============================================================================


def keras_free_js(p_logits, y):
    """Jensen-Shannon divergence in nats per row, the textbook
    0.5 KL(P || M) + 0.5 KL(y || M), M = (P + y) / 2, P = softmax(p): log M from
    logaddexp(log P, log y) - log 2 so that saturated logits stay finite; terms
    with probability 0 are 0 (torch.where, whose untaken branch gets no
    gradient)."""
    lp = F.log_softmax(p_logits, -1)
    logy = torch.log(y)
    lm = torch.logaddexp(lp, logy) - math.log(2.0)
    t1 = torch.exp(lp) * (lp - lm)
    t2 = torch.where(y > 0, y * (logy - lm), torch.zeros_like(y))
    return 0.5 * (t1 + t2)


def scipy_js_batchmean(x, y):
    """Cross-check of the value: mean over rows of scipy's jensenshannon^2 (base e)."""
    from scipy.spatial.distance import jensenshannon
    q = np.exp(x - x.max(-1, keepdims=True))
    q /= q.sum(-1, keepdims=True)
    return float(np.mean([jensenshannon(a, b) ** 2 for a, b in zip(q, y)]))


def kl_div_mean(x, y):
    """torch.nn.functional.kl_div(log_softmax(x), y, reduction="mean") (its
    deprecation warning silenced)."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return F.kl_div(F.log_softmax(x, -1), y, reduction="mean")


def distributions_more(fam):
    r = fam
    KLF = "torch.nn.functional.kl_div(log_softmax(x), y"
    x, y = r.normal((5, 4), 2), r.simplex(5, 4, zeros=True)
    fam.add("kl_div/reduction_sum", "kl_div(x, y, reduction = \"sum\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: F.kl_div(F.log_softmax(t["x"], -1), t["y"], reduction="sum"), KLF + ", reduction='sum')")
    fam.add("kl_div/reduction_mean", "kl_div(x, y, reduction = \"mean\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: kl_div_mean(t["x"], t["y"]),
            KLF + ", reduction='mean': over all elements)")
    m = r.uniform((5, 4))
    fam.add("kl_div/reduction_none_weighted", "sum(m * kl_div(x, log(y + 0.01), log_target = true, reduction = \"none\"))",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y), ("target", "m", "N, C", m)],
            lambda t: (t["m"] * F.kl_div(F.log_softmax(t["x"], -1), torch.log(t["y"] + 0.01), reduction="none",
                                         log_target=True)).sum(),
            KLF + ", log_target=True, reduction='none'), weighted sum")
    x3, y3 = r.normal((2, 3, 4), 2), r.simplex(6, 4).reshape(2, 3, 4)
    fam.add("kl_div/rank3_batchmean", "kl_div(x, y)",
            [("input", "x", "N, D, C", x3), ("target", "y", "N, D, C", y3)],
            lambda t: F.kl_div(F.log_softmax(t["x"], -1), t["y"], reduction="batchmean"),
            KLF + ", reduction='batchmean') on [2, 3, 4]: PyTorch divides by 2",
            known_difference=("lossc's batchmean divides by the number of rows (6 here), PyTorch's by the size "
                              "of the first axis (2)", "where PyTorch divides by the size of the first axis only"))
    fam.add("kl_div/rank3_sum_over_first_axis", "3 * kl_div(x, y)",
            [("input", "x", "N, D, C", x3), ("target", "y", "N, D, C", y3)],
            lambda t: F.kl_div(F.log_softmax(t["x"], -1), t["y"], reduction="batchmean"),
            KLF + ", reduction='batchmean') on [2, 3, 4], = 3 * lossc's batchmean over 6 rows")

    # ---- js_div ------------------------------------------------------------
    JS = "textbook JS divergence 0.5 KL(P||M) + 0.5 KL(y||M), P = softmax(x) (value cross-checked with scipy jensenshannon^2)"
    cases = [
        ("js_div/random", r.normal((6, 5), 2), r.simplex(6, 5), "batchmean"),
        ("js_div/zero_targets_sum", r.normal((5, 4), 2), r.simplex(5, 4, zeros=True), "sum"),
        ("js_div/extreme_logits", np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [50.0, -50.0, 700.0],
                                            [0.0, 1e4, -1e4]]),
         np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5], [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]), "batchmean"),
    ]
    for name, x, y, red in cases:
        assert abs(float(keras_free_js(t64(x), t64(y)).sum(-1).mean()) - scipy_js_batchmean(x, y)) < 1e-12
        expr = "js_div(x, y)" if red == "batchmean" else f"js_div(x, y, reduction = \"{red}\")"
        fam.add(name, expr,
                [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
                lambda t, red=red: keras_free_js(t["x"], t["y"]).sum(-1).mean() if red == "batchmean"
                else keras_free_js(t["x"], t["y"]).sum(),
                JS + f", reduction {red}")
    x, y = r.normal((4, 3), 2), r.simplex(4, 3)
    fam.add("js_div/reduction_mean", "js_div(x, y, reduction = \"mean\")",
            [("input", "x", "N, C", x), ("target", "y", "N, C", y)],
            lambda t: keras_free_js(t["x"], t["y"]).mean(), JS + ", mean over all elements")

    # ---- cosine_embedding --------------------------------------------------
    CE = "torch.nn.functional.cosine_embedding_loss"
    a, b = r.normal((6, 4)), r.normal((6, 4))
    ys = np.array([1.0, -1.0, 1.0, -1.0, -1.0, 1.0])
    fam.add("cosine_embedding/random_margin", "cosine_embedding(a, b, y, margin = 0.2)",
            [("input", "a", "N, D", a), ("input", "b", "N, D", b), ("target", "y", "N", ys)],
            lambda t: F.cosine_embedding_loss(t["a"], t["b"], t["y"], margin=0.2), CE + "(margin=0.2)")
    yi = np.array([1, -1, -1, 1, -1, -1])
    fam.add("cosine_embedding/int_labels_negative_margin_sum",
            "cosine_embedding(a, b, y, margin = -0.3, reduction = \"sum\")",
            [("input", "a", "N, D", a), ("input", "b", "N, D", b), ("target", "y", "N", yi)],
            lambda t: F.cosine_embedding_loss(t["a"], t["b"], t["y"], margin=-0.3, reduction="sum"),
            CE + "(margin=-0.3, reduction='sum'), int64 labels")
    a2, b2 = a.copy(), b.copy()
    a2[0] = 0.0
    b2[1] = 1e150 * b2[1]
    a2[2] = 1e-150 * a2[2]
    b2[3] = a2[3]
    ys2 = np.array([1.0, -1.0, 1.0, 1.0, 0.0, -1.0])
    fam.add("cosine_embedding/zero_huge_tiny_rows", "cosine_embedding(a, b, y)",
            [("input", "a", "N, D", a2), ("input", "b", "N, D", b2), ("target", "y", "N", ys2)],
            lambda t: F.cosine_embedding_loss(t["a"], t["b"], t["y"]),
            CE + " with a zero row (cos 0), a row scaled by 1e150, one by 1e-150, identical rows (cos 1), "
            "and a label 0 (contributes 0); PyTorch's EPSILON is 1e-12 rounded to float32 (9.99999996e-13), "
            "which on the zero row, whose norm is sqrt(EPSILON), moves the gradient by 2e-9 relative")

    # ---- margin_ranking ----------------------------------------------------
    MR = "torch.nn.functional.margin_ranking_loss"
    a, b, ys = r.normal(9), r.normal(9), np.array([1.0, -1.0] * 4 + [1.0])
    fam.add("margin_ranking/random", "margin_ranking(a, b, y)",
            [("input", "a", "N", a), ("input", "b", "N", b), ("target", "y", "N", ys)],
            lambda t: F.margin_ranking_loss(t["a"], t["b"], t["y"]), MR)
    bt = b.copy()
    bt[0] = a[0]
    fam.add("margin_ranking/hinge_tie", "margin_ranking(a, b, y)",
            [("input", "a", "N", a), ("input", "b", "N", bt), ("target", "y", "N", ys)],
            lambda t: F.margin_ranking_loss(t["a"], t["b"], t["y"]),
            MR + " with one pair exactly at the hinge (-y (a - b) + margin = 0): gradient 0 there, as "
            "PyTorch's clamp_min with a scalar bound now gives (the minimum-norm subgradient, "
            "pytorch/pytorch#184572; installed torch " + torch.__version__ + ")")
    fam.add("margin_ranking/margin_sum", "margin_ranking(a, b, y, margin = 0.5, reduction = \"sum\")",
            [("input", "a", "N", a), ("input", "b", "N", b), ("target", "y", "N", ys)],
            lambda t: F.margin_ranking_loss(t["a"], t["b"], t["y"], margin=0.5, reduction="sum"),
            MR + "(margin=0.5, reduction='sum')")
    ae, be = np.array([1e30, -1e30, 1e4, 0.0]), np.array([-1e30, 1e30, -1e4, 0.0])
    ye = np.array([-1.0, -1.0, 1.0, 1.0])
    fam.add("margin_ranking/huge", "margin_ranking(a, b, y, margin = 1.0)",
            [("input", "a", "N", ae), ("input", "b", "N", be), ("target", "y", "N", ye)],
            lambda t: F.margin_ranking_loss(t["a"], t["b"], t["y"], margin=1.0), MR + "(margin=1) with scores up to 1e30")

    # ---- triplet_margin ----------------------------------------------------
    TM = "torch.nn.functional.triplet_margin_loss"
    an, po, ne = r.normal((6, 4)), r.normal((6, 4)), r.normal((6, 4))
    fam.add("triplet_margin/default", "triplet_margin(a, pos, neg)",
            [("input", "a", "N, D", an), ("input", "pos", "N, D", po), ("input", "neg", "N, D", ne)],
            lambda t: F.triplet_margin_loss(t["a"], t["pos"], t["neg"]), TM + "(margin=1, p=2, eps=1e-6)")
    fam.add("triplet_margin/p1_margin_sum", "triplet_margin(a, pos, neg, margin = 0.5, p = 1, reduction = \"sum\")",
            [("input", "a", "N, D", an), ("input", "pos", "N, D", po), ("input", "neg", "N, D", ne)],
            lambda t: F.triplet_margin_loss(t["a"], t["pos"], t["neg"], margin=0.5, p=1, reduction="sum"),
            TM + "(margin=0.5, p=1, reduction='sum')")
    fam.add("triplet_margin/p3_swap", "triplet_margin(a, pos, neg, p = 3, swap = true, margin = 2.0)",
            [("input", "a", "N, D", an), ("input", "pos", "N, D", po), ("input", "neg", "N, D", ne)],
            lambda t: F.triplet_margin_loss(t["a"], t["pos"], t["neg"], p=3, swap=True, margin=2.0),
            TM + "(p=3, swap=True, margin=2)")
    fam.add("triplet_margin/swap_eps", "triplet_margin(a, pos, neg, swap = true, eps = 0.01)",
            [("input", "a", "N, D", an), ("input", "pos", "N, D", ne), ("input", "neg", "N, D", po)],
            lambda t: F.triplet_margin_loss(t["a"], t["pos"], t["neg"], swap=True, eps=0.01),
            TM + "(swap=True, eps=0.01)")
    a1, p1, n1 = r.normal(5), r.normal(5), r.normal(5)
    fam.add("triplet_margin/single_row", "triplet_margin(a, pos, neg, margin = 3.0)",
            [("input", "a", "D", a1), ("input", "pos", "D", p1), ("input", "neg", "D", n1)],
            lambda t: F.triplet_margin_loss(t["a"], t["pos"], t["neg"], margin=3.0),
            TM + "(margin=3) on unbatched [D] inputs")


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
    w = r.normal((4, 3), 2)
    w[1, 1] = 0.0
    for ratio in [0.5, 0.2, 1.0, 0.0]:
        expr = "elastic_net(w)" if ratio == 0.5 else f"elastic_net(w, l1_ratio = {ratio})"
        fam.add(f"elastic_net/l1_ratio_{ratio}", expr, [("param", "w", "K, M", w)],
                lambda t, ratio=ratio: ratio * torch.sum(torch.abs(t["w"])) + (1 - ratio) * torch.sum(torch.square(t["w"])),
                f"keras.regularizers.L1L2(l1={ratio}, l2={1 - ratio}): l1 * sum(abs(w)) + l2 * sum(square(w)); "
                "one zero weight (abs'(0) = 0)")
    return fam


# =============================================================================
# combined objectives
# =============================================================================


def gan():
    fam = Family("gan", 7)
    r = fam
    BL = F.binary_cross_entropy_with_logits
    refs = {
        "gan_d": (lambda re, fa: BL(re, torch.ones_like(re)) + BL(fa, torch.zeros_like(fa)),
                  "BCEWithLogitsLoss()(real, ones) + BCEWithLogitsLoss()(fake, zeros)"),
        "gan_g": (lambda fa: BL(fa, torch.ones_like(fa)), "BCEWithLogitsLoss()(fake, ones)"),
        "hinge_d": (lambda re, fa: F.relu(1 - re).mean() + F.relu(1 + fa).mean(),
                    "F.relu(1 - real).mean() + F.relu(1 + fake).mean()"),
        "hinge_g": (lambda fa: -fa.mean(), "-fake.mean()"),
        "wgan_d": (lambda re, fa: fa.mean() - re.mean(), "fake.mean() - real.mean()"),
        "wgan_g": (lambda fa: -fa.mean(), "-fake.mean()"),
        "lsgan_d": (lambda re, fa: 0.5 * (F.mse_loss(re, torch.ones_like(re)) + F.mse_loss(fa, torch.zeros_like(fa))),
                    "0.5 * (MSELoss()(real, ones) + MSELoss()(fake, zeros))"),
        "lsgan_g": (lambda fa: 0.5 * F.mse_loss(fa, torch.ones_like(fa)), "0.5 * MSELoss()(fake, ones)"),
    }
    real, fake = r.normal(7, 2), r.normal((3, 2), 2)
    real[0], fake[0, 0] = 1.0, -1.0  # the hinge kinks: relu'(0) = 0
    ereal = np.array([1e4, -1e4, 50.0, -50.0, 700.0, -800.0, 0.0])
    efake = np.array([[1e4, -1e4], [36.0, -36.0], [-700.0, 800.0]])
    for name, (fn, what) in refs.items():
        two = name.endswith("_d")
        for tag, re_, fa_ in [("random", real, fake), ("extreme", ereal, efake)]:
            if name.startswith("lsgan") and tag == "extreme":
                re_, fa_ = ereal * 1e26, efake * 1e26  # squares up to 6.4e61: finite
            inputs = ([("input", "real", "M", re_)] if two else []) + [("input", "fake", "K, J", fa_)]
            expr = f"{name}(real, fake)" if two else f"{name}(fake)"
            fam.add(f"{name}/{tag}", expr, inputs,
                    (lambda t, fn=fn: fn(t["real"], t["fake"])) if two else (lambda t, fn=fn: fn(t["fake"])),
                    f"PyTorch {what}" + (" on outputs up to +-1e4" if tag == "extreme" else "") +
                    ("; real batch [7], fake batch [3, 2]" if two else ""))
    return fam


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


FAMILIES = [classification, segmentation, regression, distributions, regularisers, gan, combined]


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
