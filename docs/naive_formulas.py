"""The README's table of naive formulas at extreme inputs.

For each textbook formula, evaluated at one extreme input: PyTorch eager in
float32 (value and gradient by autograd), lossc's native float32 kernel
(`lossc eval`, which rewrites the formula before differentiating it), and
the truth, the same formula evaluated literally with 50-digit arithmetic
(mpmath; derivatives by mpmath's numerical differentiation at that
precision).

Run from the repository root after `cargo build --release`:

    python3 docs/naive_formulas.py

Needs numpy, torch and mpmath (`pip install torch mpmath`). Prints a Markdown
table.
"""

import json
import os
import subprocess
import tempfile

import mpmath as mp
import numpy as np
import torch

mp.mp.dps = 50
LOSSC = os.path.join("target", "release", "lossc")

# name, lossc spec (inputs declared), torch function of (p, y), mpmath
# function of (p, y) (lists of mpf), p, y
CASES = [
    (
        "BCE, `-(y·log σ(p) + (1-y)·log(1-σ(p)))`",
        "sum(-(y*log(sigmoid(p)) + (1-y)*log(1-sigmoid(p))))",
        lambda p, y: (-(y * torch.log(torch.sigmoid(p)) + (1 - y) * torch.log(1 - torch.sigmoid(p)))).sum(),
        lambda p, y: sum(-(b * mp.log(1 / (1 + mp.exp(-a))) + (1 - b) * mp.log(1 - 1 / (1 + mp.exp(-a)))) for a, b in zip(p, y)),
        [-200.0],
        [1.0],
    ),
    (
        "BCE, same, saturated the other way",
        "sum(-(y*log(sigmoid(p)) + (1-y)*log(1-sigmoid(p))))",
        lambda p, y: (-(y * torch.log(torch.sigmoid(p)) + (1 - y) * torch.log(1 - torch.sigmoid(p)))).sum(),
        lambda p, y: sum(-(b * mp.log(1 / (1 + mp.exp(-a))) + (1 - b) * mp.log(1 - 1 / (1 + mp.exp(-a)))) for a, b in zip(p, y)),
        [40.0],
        [0.0],
    ),
    (
        "softplus, `log(1 + exp(p))`",
        "sum(log(1 + exp(p))) + 0*sum(y)",
        lambda p, y: torch.log(1 + torch.exp(p)).sum(),
        lambda p, y: sum(mp.log(1 + mp.exp(a)) for a in p),
        [100.0],
        [0.0],
    ),
    (
        "cross-entropy, `-Σ y·log(softmax(p))`",
        "sum(-y*log(softmax(p)))",
        lambda p, y: (-y * torch.log(torch.softmax(p, dim=-1))).sum(),
        lambda p, y: -sum(b * (a - mp.log(sum(mp.exp(c) for c in p))) for a, b in zip(p, y)),
        [0.0, 200.0, 0.0],
        [1.0, 0.0, 0.0],
    ),
    (
        "focal term, `(1-σ(p))²·log σ(p)`",
        "sum(-(1-sigmoid(p))^2*log(sigmoid(p))*y)",
        lambda p, y: (-(1 - torch.sigmoid(p)) ** 2 * torch.log(torch.sigmoid(p)) * y).sum(),
        lambda p, y: sum(-(1 - 1 / (1 + mp.exp(-a))) ** 2 * mp.log(1 / (1 + mp.exp(-a))) * b for a, b in zip(p, y)),
        [-200.0],
        [1.0],
    ),
    (
        "log-cosh, `log(cosh(p - y))`",
        "sum(log(cosh(p - y)))",
        lambda p, y: torch.log(torch.cosh(p - y)).sum(),
        lambda p, y: sum(mp.log(mp.cosh(a - b)) for a, b in zip(p, y)),
        [100.0],
        [0.0],
    ),
    (
        "KL with a zero target, `Σ y·log(y / softmax(p))`",
        "sum(y*log(y/softmax(p)))",
        lambda p, y: (y * torch.log(y / torch.softmax(p, dim=-1))).sum(),
        lambda p, y: sum(
            (0 if b == 0 else b * mp.log(b / (mp.exp(a) / sum(mp.exp(c) for c in p)))) for a, b in zip(p, y)
        ),
        [0.0, 0.0],
        [0.0, 1.0],
    ),
    (
        "`exp(p) - 1` at a tiny p",
        "sum(exp(p) - 1) + 0*sum(y)",
        lambda p, y: (torch.exp(p) - 1).sum(),
        lambda p, y: sum(mp.exp(a) - 1 for a in p),
        [1e-9],
        [0.0],
    ),
]


def fmt(x):
    x = float(x)
    if np.isnan(x):
        return "**NaN**"
    if np.isinf(x):
        return "**inf**" if x > 0 else "**-inf**"
    return f"{x:.6g}"


def pair(v, g):
    return f"{fmt(v)} / {', '.join(fmt(x) for x in g)}"


def torch_case(f, p, y):
    pt = torch.tensor(p, dtype=torch.float32, requires_grad=True)
    yt = torch.tensor(y, dtype=torch.float32)
    v = f(pt, yt)
    v.backward()
    return v.item(), pt.grad.numpy().tolist()


def lossc_case(spec, p, y):
    n = len(p)
    decl = "input p: f32[N]\ntarget y: f32[N]\n" if n == 1 else "input p: f32[C]\ntarget y: f32[C]\n"
    with tempfile.TemporaryDirectory() as d:
        np.save(os.path.join(d, "p.npy"), np.array(p, dtype=np.float32))
        np.save(os.path.join(d, "y.npy"), np.array(y, dtype=np.float32))
        out = subprocess.run(
            [LOSSC, "eval", "-e", decl + spec, "--input", f"p={d}/p.npy", "--input", f"y={d}/y.npy",
             "--grad-dir", os.path.join(d, "grads"), "--json"],
            check=True, capture_output=True, text=True,
        )
        value = json.loads(out.stdout)["value"]
        grad = np.load(os.path.join(d, "grads", "p.npy"))
    return value, grad.tolist()


def truth_case(f, p, y):
    pm = [mp.mpf(a) for a in p]
    ym = [mp.mpf(b) for b in y]
    v = f(pm, ym)
    g = []
    for i in range(len(p)):
        def fi(x, i=i):
            q = list(pm)
            q[i] = x
            return f(q, ym)
        g.append(mp.diff(fi, pm[i]))
    return v, g


def main():
    print(f"PyTorch {torch.__version__} eager, float32; lossc native float32 kernel; truth: 50-digit mpmath.\n")
    print("| naive formula | input | PyTorch eager: value / gradient | lossc: value / gradient | float64 truth |")
    print("|---|---|---|---|---|")
    for name, spec, tf, mf, p, y in CASES:
        tv, tg = torch_case(tf, p, y)
        lv, lg = lossc_case(spec, p, y)
        mv, mg = truth_case(mf, p, y)
        inp = f"p = {p if len(p) > 1 else p[0]:}, y = {y if len(y) > 1 else y[0]}"
        print(f"| {name} | {inp} | {pair(tv, tg)} | {pair(lv, lg)} | {pair(mv, mg)} |")


if __name__ == "__main__":
    main()
