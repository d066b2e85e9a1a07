//! Regression losses (`log_cosh`, `msle`, `mape`, `poisson_nll`,
//! `gaussian_nll`, `quantile`, and `huber`/`smooth_l1`/`mae`/`mse` at
//! extreme errors), the `elastic_net` regulariser and the multi-task
//! uncertainty weighting of `examples/multitask.loss`, end to end: value and
//! gradient against independent float64 formulas written out here (values
//! *and* hand-derived gradients), on random inputs from a seeded RNG (the seed
//! is printed; set `LOSSC_TEST_SEED` to reproduce) and on extreme inputs
//! (errors of 1e30, zero variances, zero targets, logs of zero rates); central
//! finite differences; native kernels against the reference evaluator; and
//! compile errors for invalid options.
//!
//! Tolerances.
//! - Reference comparisons: both sides compute in float64 from the same inputs
//!   (f32 data is rounded to f32 before the reference sees it, as the library
//!   widens it), with algebraically equal formulas; differences come from
//!   summation order and the rounding of different but equivalent expressions
//!   (a few ulp times a small condition number), so values agree to
//!   `1e-10 * |want| + 1e-12` and gradients to `1e-9 * |want| + 1e-12 *
//!   max(1, max|want|)` — as in tests/losses.rs. Any formula error (a sign, a
//!   missing factor, a wrong clamp) is an O(1) relative error.
//! - The near-zero log-cosh check is relative only (`1e-12`): the claim tested
//!   is full relative precision where the tail form would cancel.
//! - Finite differences (`check_fd`): step `1e-6 * max(1, |x|)`, central, so
//!   truncation ~1e-12 and rounding ~2e-10 * |f|; checked at `rtol = 1e-5`,
//!   `atol = 1e-7`, on points at least 0.05 from every kink (as
//!   tests/gradients.rs).
//! - Native kernels: `common::native` (float64 to 1e-11, float32 to 2e-6 in
//!   value and 2e-5 of the gradient scale).

mod common;

use common::native::check_native;
use common::*;
use lossc::OwnedInputs;
use lossc::diag::DiagKind;

const FD_RTOL: f64 = 1e-5;
const FD_ATOL: f64 = 1e-7;

const LN_2: f64 = std::f64::consts::LN_2;
const TWO_PI: f64 = 2.0 * std::f64::consts::PI;

fn pt(fl: Float, shape: &[usize], p: &[f64], y: &[f64]) -> OwnedInputs {
    inputs(vec![
        ("pred", fl.data(shape, p)),
        ("target", fl.data(shape, y)),
    ])
}

// ---- reference formulas -----------------------------------------------------------

/// log(cosh(d)) = log1p(cosh(d) - 1) with cosh(d) - 1 = expm1(|d|)^2 / (2 e^|d|)
/// (no cancellation at small |d|); for |d| >= 30, |d| - ln 2 + e^(-2|d|).
/// d/dd = tanh(d).
fn log_cosh_elem(d: f64) -> (f64, f64) {
    let a = d.abs();
    let l = if a < 30.0 {
        let e = a.exp_m1();
        (e * e / (2.0 * a.exp())).ln_1p()
    } else {
        a - LN_2 + (-2.0 * a).exp()
    };
    (l, d.tanh())
}

/// Keras MSLE with clamping at eps: l = (ln(1 + max(p, eps)) - ln(1 + max(y, eps)))^2;
/// dl/dp = 2 (a - b) / (1 + p) where p > eps, half that at p = eps (a tie of
/// `max`), 0 below.
fn msle_elem(p: f64, y: f64, eps: f64) -> (f64, f64) {
    let a = p.max(eps).ln_1p();
    let b = y.max(eps).ln_1p();
    let full = 2.0 * (a - b) / (1.0 + p.max(eps));
    let d = if p > eps {
        full
    } else if p == eps {
        0.5 * full
    } else {
        0.0
    };
    ((a - b) * (a - b), d)
}

/// Keras MAPE: l = 100 |y - p| / max(|y|, eps); dl/dp = 100 sign(p - y) / max(|y|, eps).
fn mape_elem(p: f64, y: f64, eps: f64) -> (f64, f64) {
    let den = y.abs().max(eps);
    (100.0 * (y - p).abs() / den, 100.0 * sign(p - y) / den)
}

/// log(y!) by Stirling, PyTorch's `full` term: y ln y - y + ln(2 pi y) / 2 for y > 1, else 0.
fn stirling(y: f64) -> f64 {
    if y > 1.0 {
        y * y.ln() - y + 0.5 * (TWO_PI * y).ln()
    } else {
        0.0
    }
}

/// PyTorch PoissonNLLLoss: log_input: exp(p) - y p (d: exp(p) - y); else
/// p - y ln(p + eps) (d: 1 - y / (p + eps)); `full` adds stirling(y).
fn poisson_elem(p: f64, y: f64, log_input: bool, full: bool, eps: f64) -> (f64, f64) {
    let (l, d) = if log_input {
        (p.exp() - y * p, p.exp() - y)
    } else {
        (p - y * (p + eps).ln(), 1.0 - y / (p + eps))
    };
    (if full { l + stirling(y) } else { l }, d)
}

/// Pinball: d = y - p, l = max(tau d, (tau - 1) d); dl/dp = -tau (d > 0),
/// 1 - tau (d < 0), 0.5 - tau at d = 0 (the two arms tie and split).
fn quantile_elem(p: f64, y: f64, tau: f64) -> (f64, f64) {
    let d = y - p;
    let l = (tau * d).max((tau - 1.0) * d);
    let g = if d > 0.0 {
        -tau
    } else if d < 0.0 {
        1.0 - tau
    } else {
        0.5 - tau
    };
    (l, g)
}

// ---- log_cosh, msle, mape, poisson_nll, quantile: random -------------------------------

/// One loss over random shapes, both float widths and both reductions.
fn random_elementwise(
    test: &str,
    trials: usize,
    make: &mut dyn FnMut(
        &mut Rng,
        usize,
    ) -> (
        String,
        Vec<f64>,
        Vec<f64>,
        Box<dyn Fn(f64, f64) -> (f64, f64)>,
    ),
) {
    let mut rng = rng(test);
    for trial in 0..trials {
        for fl in FLOATS {
            let (shape, n) = random_shape(&mut rng);
            let red = rng.pick(&["mean", "sum"]);
            let (args, p, y, f) = make(&mut rng, n);
            let (p, y) = (fl.round(p), fl.round(y));
            let sep = if args.is_empty() { "" } else { ", " };
            let text = format!("{test}({args}{sep}reduction = \"{red}\")");
            let parts: Vec<_> = p.iter().zip(&y).map(|(&a, &b)| f(a, b)).collect();
            let (v, g) = reduce(&parts, red);
            check(
                &text,
                &pt(fl, &shape, &p, &y),
                v,
                &[("pred", &g)],
                &format!("trial {trial} {} {shape:?}", fl.name()),
            );
        }
    }
}

#[test]
fn log_cosh_random() {
    random_elementwise("log_cosh", 12, &mut |rng, n| {
        // errors from 1e-6 to 60, both sides of the |d| = 1 branch point
        let p: Vec<f64> = rng.normals(n, 2.0);
        let y: Vec<f64> = p
            .iter()
            .map(|&x| x - rng.pick(&[1e-6, 0.3, 0.99, 1.0, 1.01, 3.0, 60.0]) * rng.normal())
            .collect();
        (String::new(), p, y, Box::new(|a, b| log_cosh_elem(a - b)))
    });
}

#[test]
fn msle_random() {
    random_elementwise("msle", 12, &mut |rng, n| {
        // half the predictions and some targets negative (clamped at eps)
        let p = rng.normals(n, 3.0);
        let y: Vec<f64> = (0..n)
            .map(|_| {
                if rng.bool(0.2) {
                    -rng.unit()
                } else {
                    5.0 * rng.unit()
                }
            })
            .collect();
        let eps = rng.pick(&[None, Some(1e-3), Some(0.0)]);
        let args = eps.map_or(String::new(), |e| format!("eps = {e:?}"));
        let e = eps.unwrap_or(1e-7);
        (args, p, y, Box::new(move |a, b| msle_elem(a, b, e)))
    });
}

#[test]
fn mape_random() {
    random_elementwise("mape", 12, &mut |rng, n| {
        let p = rng.normals(n, 3.0);
        let y: Vec<f64> = (0..n)
            .map(|_| {
                if rng.bool(0.15) {
                    0.0
                } else {
                    3.0 * rng.normal()
                }
            })
            .collect();
        let eps = rng.pick(&[None, Some(1e-2)]);
        let args = eps.map_or(String::new(), |e| format!("eps = {e:?}"));
        let e = eps.unwrap_or(1e-7);
        (args, p, y, Box::new(move |a, b| mape_elem(a, b, e)))
    });
}

#[test]
fn poisson_nll_random() {
    random_elementwise("poisson_nll", 16, &mut |rng, n| {
        let log_input = rng.bool(0.5);
        let full = rng.bool(0.5);
        let eps = rng.pick(&[None, Some(1e-3)]);
        // counts 0..8, and some non-integer targets (PyTorch allows them)
        let y: Vec<f64> = (0..n)
            .map(|_| {
                if rng.bool(0.2) {
                    rng.uniform(0.0, 4.0)
                } else {
                    rng.int(0, 8) as f64
                }
            })
            .collect();
        let p: Vec<f64> = if log_input {
            rng.normals(n, 1.5)
        } else {
            (0..n)
                .map(|_| {
                    if rng.bool(0.15) {
                        0.0
                    } else {
                        rng.uniform(0.0, 6.0)
                    }
                })
                .collect()
        };
        let mut args = Vec::new();
        if !log_input || rng.bool(0.5) {
            args.push(format!("log_input = {log_input}"));
        }
        if full || rng.bool(0.5) {
            args.push(format!("full = {full}"));
        }
        if let Some(e) = eps {
            args.push(format!("eps = {e:?}"));
        }
        let e = eps.unwrap_or(1e-8);
        (
            args.join(", "),
            p,
            y,
            Box::new(move |a, b| poisson_elem(a, b, log_input, full, e)),
        )
    });
}

#[test]
fn quantile_random() {
    random_elementwise("quantile", 16, &mut |rng, n| {
        let p = rng.normals(n, 2.0);
        let mut y = rng.normals(n, 2.0);
        // exact zero residuals: the tie subgradient 0.5 - tau
        if rng.bool(0.5) {
            y[0] = p[0];
        }
        let tau = rng.pick(&[None, Some(0.1), Some(0.9), Some(0.0), Some(1.0), Some(0.25)]);
        let args = tau.map_or(String::new(), |t| format!("tau = {t:?}"));
        let t = tau.unwrap_or(0.5);
        (args, p, y, Box::new(move |a, b| quantile_elem(a, b, t)))
    });
}

#[test]
fn quantile_per_column_levels() {
    // p [N, Q] against y [N] (one target per row), tau [Q] (one level per column).
    let mut rng = rng("quantile_per_column_levels");
    for trial in 0..6 {
        let (n, q) = (rng.usize(1, 6), rng.usize(1, 4));
        let p = rng.normals(n * q, 2.0);
        let y = rng.normals(n, 2.0);
        let tau: Vec<f64> = (0..q).map(|_| rng.unit()).collect();
        let parts: Vec<_> = (0..n * q)
            .map(|i| quantile_elem(p[i], y[i / q], tau[i % q]))
            .collect();
        let (v, g) = reduce(&parts, "mean");
        let ins = inputs(vec![
            ("p", f64_data(&[n, q], &p)),
            ("y", f64_data(&[n], &y)),
            ("tau", f64_data(&[q], &tau)),
        ]);
        check(
            "input p: f64[N, Q]\ntarget y: f64[N]\ntarget tau: f64[Q]\nquantile(p, y, tau = tau)",
            &ins,
            v,
            &[("p", &g)],
            &format!("trial {trial}"),
        );
    }
}

// ---- gaussian_nll ------------------------------------------------------------------------

/// PyTorch GaussianNLLLoss: v = max(var, eps); l = (ln v + (p - y)^2 / v) / 2
/// (+ ln(2 pi) / 2 if full). dl/dp = (p - y) / v; dl/dvar = (1/v - (p - y)^2 / v^2) / 2
/// where var >= eps (clamp passes the gradient at the bound), 0 below.
fn gaussian_elem(p: f64, y: f64, var: f64, full: bool, eps: f64) -> (f64, f64, f64) {
    let v = var.max(eps);
    let d = p - y;
    let mut l = 0.5 * (v.ln() + d * d / v);
    if full {
        l += 0.5 * TWO_PI.ln();
    }
    // PyTorch clamps var under no_grad: the gradient passes straight
    // through the clamp, evaluated at the clamped v.
    let dv = 0.5 * (1.0 / v - d * d / (v * v));
    (l, d / v, dv)
}

/// The PyTorch gradient with respect to var: straight through the clamp.
fn gaussian_dvar_torch(p: f64, y: f64, var: f64, eps: f64) -> f64 {
    gaussian_elem(p, y, var, false, eps).2
}

/// Value and gradients of gaussian_nll where var has shape `[N]` (one per row)
/// against p, y of `[N, D]` (`per_row`), or the same shape as p.
fn gaussian_ref(
    p: &[f64],
    y: &[f64],
    var: &[f64],
    d: usize,
    per_row: bool,
    full: bool,
    eps: f64,
    red: &str,
) -> (f64, Vec<f64>, Vec<f64>) {
    let parts: Vec<_> = (0..p.len())
        .map(|i| gaussian_elem(p[i], y[i], var[if per_row { i / d } else { i }], full, eps))
        .collect();
    let scale = if red == "mean" {
        1.0 / p.len() as f64
    } else {
        1.0
    };
    let v = parts.iter().map(|x| x.0).sum::<f64>() * scale;
    let gp: Vec<f64> = parts.iter().map(|x| x.1 * scale).collect();
    let mut gv = vec![0.0; var.len()];
    for (i, x) in parts.iter().enumerate() {
        gv[if per_row { i / d } else { i }] += x.2 * scale;
    }
    (v, gp, gv)
}

#[test]
fn gaussian_nll_random() {
    let mut rng = rng("gaussian_nll_random");
    for trial in 0..16 {
        for fl in FLOATS {
            let (n, d) = (rng.usize(1, 5), rng.usize(1, 4));
            let per_row = trial % 3 == 1;
            let p = fl.round(rng.normals(n * d, 2.0));
            let y = fl.round(rng.normals(n * d, 2.0));
            let nv = if per_row { n } else { n * d };
            let mut var: Vec<f64> = (0..nv).map(|_| rng.uniform(0.05, 3.0)).collect();
            let full = rng.bool(0.5);
            let eps = rng.pick(&[None, Some(0.1)]);
            if trial % 4 == 3 {
                // variances at and below the clamp: 0, negative, exactly eps
                var[0] = 0.0;
                if nv > 1 {
                    var[1] = -0.5;
                }
                if nv > 2 {
                    var[2] = eps.unwrap_or(1e-6);
                }
            }
            let var = fl.round(var);
            let red = rng.pick(&["mean", "sum"]);
            let mut args = format!("reduction = \"{red}\"");
            if full {
                args.push_str(", full = true");
            }
            if let Some(e) = eps {
                args.push_str(&format!(", eps = {e:?}"));
            }
            // var is compared with eps in float64: an f32 var at "eps" is just below it
            let e = eps.unwrap_or(1e-6);
            let (v, gp, gv) = gaussian_ref(&p, &y, &var, d, per_row, full, e, red);
            let vshape = if per_row { vec![n] } else { vec![n, d] };
            let ins = inputs(vec![
                ("pred", fl.data(&[n, d], &p)),
                ("target", fl.data(&[n, d], &y)),
                ("v", fl.data(&vshape, &var)),
            ]);
            check(
                &format!("input v: f32\ngaussian_nll(var = v, {args})"),
                &ins,
                v,
                &[("pred", &gp), ("v", &gv)],
                &format!("trial {trial} {} per_row {per_row}", fl.name()),
            );
        }
    }
}

#[test]
fn gaussian_nll_scalar_variance_and_positional_var() {
    // One variance for everything (a scalar param), passed positionally.
    let mut rng = rng("gaussian_nll_scalar_variance_and_positional_var");
    let n = 5;
    let p = rng.normals(n, 2.0);
    let y = rng.normals(n, 2.0);
    let var = rng.uniform(0.2, 2.0);
    let parts: Vec<_> = (0..n)
        .map(|i| gaussian_elem(p[i], y[i], var, false, 1e-6))
        .collect();
    let v = parts.iter().map(|x| x.0).sum::<f64>() / n as f64;
    let gp: Vec<f64> = parts.iter().map(|x| x.1 / n as f64).collect();
    let gv = parts.iter().map(|x| x.2).sum::<f64>() / n as f64;
    let ins = inputs(vec![
        ("m", f64_data(&[n], &p)),
        ("t", f64_data(&[n], &y)),
        ("s", f64_data(&[], &[var])),
    ]);
    check(
        "input m: f64[N]\ntarget t: f64[N]\nparam s: f64[]\ngaussian_nll(m, t, s)",
        &ins,
        v,
        &[("m", &gp), ("s", &[gv])],
        "scalar var",
    );
}

#[test]
fn gaussian_nll_straight_through_variance_gradient() {
    let p = vec![0.5, -1.0, 2.0];
    let y = vec![0.0, 0.0, 0.0];
    let var = vec![0.0, 1e-9, 1.0];
    let want: Vec<f64> = (0..3)
        .map(|i| gaussian_dvar_torch(p[i], y[i], var[i], 1e-6) / 3.0)
        .collect();
    let ins = inputs(vec![
        ("pred", f64_data(&[3], &p)),
        ("target", f64_data(&[3], &y)),
        ("v", f64_data(&[3], &var)),
    ]);
    let r = eval("input v: f64[N]\ngaussian_nll(var = v)", None, &ins);
    assert_all_close(&grad(&r, "v"), &want, G_RTOL, G_ATOL, "d/dvar");
}

// ---- extremes ----------------------------------------------------------------------------

#[test]
fn regression_extreme_errors() {
    // Errors of 1e30 (and 1e300 for the losses linear in the error), zero
    // errors, tiny errors: finite, accurate values and gradients in float64.
    let p = vec![1e30, -1e30, 0.0, 3.0, 1e-300, 1e300, 2.5];
    let y = vec![-1e30, 1e30, 0.0, 3.0, 0.0, -1e300, 2.5 + 1e-9];
    let ins = pt(Float::F64, &[7], &p, &y);
    let huber = |k: f64| {
        move |a: f64, b: f64| {
            let d = a - b;
            if d.abs() < k {
                (0.5 * d * d, d)
            } else {
                (k * (d.abs() - 0.5 * k), k * sign(d))
            }
        }
    };
    let cases: Vec<(&str, Box<dyn Fn(f64, f64) -> (f64, f64)>)> = vec![
        ("huber", Box::new(huber(1.0))),
        ("huber(delta = 0.5)", Box::new(huber(0.5))),
        (
            "smooth_l1(beta = 2.0)",
            Box::new(|a: f64, b: f64| {
                let (l, d) = huber(2.0)(a, b);
                (l / 2.0, d / 2.0)
            }),
        ),
        (
            "mae",
            Box::new(|a: f64, b: f64| ((a - b).abs(), sign(a - b))),
        ),
        ("log_cosh", Box::new(|a: f64, b: f64| log_cosh_elem(a - b))),
        ("quantile", Box::new(|a, b| quantile_elem(a, b, 0.5))),
        (
            "quantile(tau = 0.9)",
            Box::new(|a, b| quantile_elem(a, b, 0.9)),
        ),
        (
            "quantile(tau = 0.0)",
            Box::new(|a, b| quantile_elem(a, b, 0.0)),
        ),
    ];
    for (text, f) in &cases {
        for red in ["mean", "sum"] {
            let parts: Vec<_> = p.iter().zip(&y).map(|(&a, &b)| f(a, b)).collect();
            let (v, g) = reduce(&parts, red);
            assert!(v.is_finite(), "{text}: reference {v}");
            let text = if text.ends_with(')') {
                format!("{}, reduction = \"{red}\")", &text[..text.len() - 1])
            } else {
                format!("{text}(reduction = \"{red}\")")
            };
            check(&text, &ins, v, &[("pred", &g)], "extreme");
        }
    }
    // mse at errors of 1e30 (squares of 4e60, finite).
    let p2 = vec![1e30, -1e30, 0.0];
    let y2 = vec![-1e30, 1e30, 1.0];
    let v = (4e60 + 4e60 + 1.0) / 3.0;
    let g = vec![4e30 / 3.0, -4e30 / 3.0, -2.0 / 3.0];
    check(
        "mse",
        &pt(Float::F64, &[3], &p2, &y2),
        v,
        &[("pred", &g)],
        "extreme",
    );
}

#[test]
fn log_cosh_tiny_errors_keep_relative_precision() {
    // log(cosh(d)) = d^2/2 - d^4/12 + ...: |d| + softplus(-2|d|) - log 2 would
    // return 0 or rounding noise here.
    for d in [1e-8f64, -3e-5, 1e-3, 0.2, -0.9, 1e-150] {
        let want = d * d / 2.0 - d.powi(4) / 12.0 + d.powi(6) / 45.0;
        let ins = pt(Float::F64, &[1], &[d], &[0.0]);
        let r = eval("log_cosh(reduction = \"sum\")", None, &ins);
        if d.abs() < 1e-2 {
            assert_close(r.value, want, 1e-12, 0.0, &format!("log_cosh({d:e})"));
        }
        let (l, g) = log_cosh_elem(d);
        assert_close(
            r.value,
            l,
            1e-12,
            0.0,
            &format!("log_cosh({d:e}) vs reference"),
        );
        assert_close(grad(&r, "pred")[0], g, 1e-12, 0.0, &format!("tanh({d:e})"));
    }
}

#[test]
fn msle_mape_extreme() {
    // Huge, negative, zero predictions and targets; predictions exactly at eps
    // (the tie of `max`: half the gradient).
    let p = vec![1e30, -1e30, 0.0, 1e-7, 5.0, 1e300, -3.0];
    let y = vec![0.0, 1e30, 0.0, 2.0, -1e30, 1e300, -2.0];
    let ins = pt(Float::F64, &[7], &p, &y);
    let parts: Vec<_> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| msle_elem(a, b, 1e-7))
        .collect();
    let (v, g) = reduce(&parts, "mean");
    assert!(v.is_finite());
    check("msle", &ins, v, &[("pred", &g)], "extreme msle");
    // mape: zero targets divide by eps; errors of 1e30 against 1e-7 give 1e39.
    let p = vec![1e30, -1e30, 0.0, 1e-7, 5.0, 3.0];
    let y = vec![0.0, 1e30, 0.0, 2.0, -1e30, 3.0];
    let ins = pt(Float::F64, &[6], &p, &y);
    let parts: Vec<_> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| mape_elem(a, b, 1e-7))
        .collect();
    let (v, g) = reduce(&parts, "mean");
    assert!(v.is_finite());
    check("mape", &ins, v, &[("pred", &g)], "extreme mape");
}

#[test]
fn poisson_gaussian_extreme() {
    // log rates of -1e4 (rate 0), +700 (rate e^700, finite); rate 0 with
    // log_input = false (log(eps)); huge counts with the Stirling term.
    let p = vec![-1e4, 700.0, 0.0, -50.0];
    let y = vec![3.0, 1e30, 0.0, 1.0];
    let ins = pt(Float::F64, &[4], &p, &y);
    for full in [false, true] {
        let parts: Vec<_> = p
            .iter()
            .zip(&y)
            .map(|(&a, &b)| poisson_elem(a, b, true, full, 1e-8))
            .collect();
        let (v, g) = reduce(&parts, "mean");
        assert!(v.is_finite());
        check(
            &format!("poisson_nll(full = {full})"),
            &ins,
            v,
            &[("pred", &g)],
            "extreme log input",
        );
    }
    let p = vec![0.0, 0.0, 1e30, 1e-300];
    let y = vec![5.0, 0.0, 1e30, 2.0];
    let ins = pt(Float::F64, &[4], &p, &y);
    let parts: Vec<_> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| poisson_elem(a, b, false, true, 1e-8))
        .collect();
    let (v, g) = reduce(&parts, "sum");
    check(
        "poisson_nll(log_input = false, full = true, reduction = \"sum\")",
        &ins,
        v,
        &[("pred", &g)],
        "extreme rates",
    );
    // gaussian: zero and negative variances, errors of 1e30, variance 1e300.
    let p = vec![1e30, 0.0, 1.0, 1e30];
    let y = vec![0.0, 0.0, -1e30, 0.0];
    let var = vec![1.0, 0.0, -2.0, 1e300];
    let (v, gp, gv) = gaussian_ref(&p, &y, &var, 1, false, true, 1e-6, "mean");
    assert!(v.is_finite());
    let ins = inputs(vec![
        ("pred", f64_data(&[4], &p)),
        ("target", f64_data(&[4], &y)),
        ("v", f64_data(&[4], &var)),
    ]);
    check(
        "input v: f64[N]\ngaussian_nll(var = v, full = true)",
        &ins,
        v,
        &[("pred", &gp), ("v", &gv)],
        "extreme gaussian",
    );
}

// ---- finite differences ------------------------------------------------------------------

#[test]
fn regression_finite_differences() {
    let mut rng = rng("regression_finite_differences");
    let n = 6;
    for trial in 0..3 {
        // errors away from the kinks (0 and +-1 branch points, +-0.5 for delta 0.5)
        let y = rng.normals(n, 2.0);
        let d = away(&mut rng, n, &[0.0, 1.0, -1.0, 0.5, -0.5]);
        let p: Vec<f64> = y.iter().zip(&d).map(|(a, b)| a + b).collect();
        let ins = pt(Float::F64, &[n], &p, &y);
        for text in [
            "log_cosh",
            "huber(delta = 0.5)",
            "quantile(tau = 0.3)",
            "mape",
            "msle(reduction = \"sum\")",
            "poisson_nll(full = true)",
        ] {
            let _ = check_fd(text, None, &ins, FD_RTOL, FD_ATOL);
        }
        // poisson on rates: p > 0
        let rates: Vec<f64> = (0..n).map(|_| rng.uniform(0.2, 4.0)).collect();
        let counts: Vec<f64> = (0..n).map(|_| rng.int(0, 6) as f64).collect();
        let ins = pt(Float::F64, &[n], &rates, &counts);
        let _ = check_fd(
            "poisson_nll(log_input = false)",
            None,
            &ins,
            FD_RTOL,
            FD_ATOL,
        );
        // gaussian: var away from eps, differentiated with p
        let var: Vec<f64> = (0..n).map(|_| rng.uniform(0.2, 3.0)).collect();
        let mut ins = pt(Float::F64, &[n], &p, &y);
        ins.insert("v".into(), f64_data(&[n], &var));
        let _ = check_fd(
            "input v: f64[N]\ngaussian_nll(var = v, full = true)",
            None,
            &ins,
            FD_RTOL,
            FD_ATOL,
        );
        let _ = trial;
    }
}

// ---- native kernels ------------------------------------------------------------------------

#[test]
fn regression_native_kernels() {
    let mut rng = rng("regression_native_kernels");
    for src in [
        "log_cosh",
        "log_cosh(reduction = \"sum\")",
        "msle",
        "mape",
        "quantile(tau = 0.8)",
        "poisson_nll",
        "poisson_nll(full = true, reduction = \"sum\")",
        "input r: f32[N]\ntarget c: f32[N]\npoisson_nll(softplus(r), 3 * c, log_input = false, full = true)",
        "input m: f32[N, D]\ntarget t: f32[N, D]\ninput v: f32[N]\ngaussian_nll(m, t, softplus(v), full = true)",
        "input m: f32[N]\ntarget t: f32[N]\ninput v: f32[N]\ngaussian_nll(m, t, v)",
        "huber(delta = 0.5)",
        "input p: f32[N, Q]\ntarget y: f32[N]\ntarget tau: f32[Q]\nquantile(p, y, tau = tau)",
        "elastic_net(l1_ratio = 0.3)",
    ] {
        check_native(src, rng.next_u64());
    }
}

#[test]
fn multitask_example_native() {
    let mut rng = rng("multitask_example_native");
    check_native(&multitask_source(), rng.next_u64());
}

// ---- reductions and invalid options --------------------------------------------------------

const REDUCIBLE: [&str; 6] = [
    "log_cosh",
    "msle",
    "mape",
    "poisson_nll",
    "quantile",
    "input v: f64[N, C]\ngaussian_nll(var = v",
];

fn with_reduction(loss: &str, reduction: &str) -> String {
    if loss.ends_with("var = v") {
        format!("{loss}, reduction = \"{reduction}\")")
    } else {
        format!("{loss}(reduction = \"{reduction}\")")
    }
}

fn reduction_inputs(rng: &mut Rng) -> OwnedInputs {
    let (n, c) = (4, 3);
    let p: Vec<f64> = (0..n * c).map(|_| rng.uniform(0.1, 3.0)).collect();
    let y: Vec<f64> = (0..n * c).map(|_| rng.uniform(0.1, 3.0)).collect();
    let v: Vec<f64> = (0..n * c).map(|_| rng.uniform(0.1, 3.0)).collect();
    inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", f64_data(&[n, c], &y)),
        ("v", f64_data(&[n, c], &v)),
    ])
}

#[test]
fn reduction_none_gives_the_elements() {
    // sum/mean of the "none" losses are the "sum"/"mean" reductions, value and
    // gradient, and "none" alone is not a scalar objective.
    let mut rng = rng("reduction_none_gives_the_elements");
    for loss in REDUCIBLE {
        let mut ins = reduction_inputs(&mut rng);
        if !loss.contains("var = v") {
            ins.remove("v");
        }
        let none = with_reduction(loss, "none");
        let (decl, none_expr) = match none.split_once('\n') {
            Some((d, e)) => (format!("{d}\n"), e.to_string()),
            None => (String::new(), none.clone()),
        };
        for (wrapped, plain) in [
            (
                format!("{decl}sum({none_expr})"),
                with_reduction(loss, "sum"),
            ),
            (
                format!("{decl}mean({none_expr})"),
                with_reduction(loss, "mean"),
            ),
        ] {
            let a = eval(&wrapped, None, &ins);
            let b = eval(&plain, None, &ins);
            assert_close(a.value, b.value, V_RTOL, V_ATOL, &wrapped);
            assert_all_close(
                &grad(&a, "pred"),
                &grad(&b, "pred"),
                G_RTOL,
                G_ATOL,
                &wrapped,
            );
        }
        let k = compile_error(&none, &ins);
        assert!(
            matches!(k, DiagKind::NonScalarObjective { .. }),
            "`{none}`: {k:?}"
        );
    }
}

#[test]
fn invalid_options_are_compile_errors() {
    let mut rng = rng("invalid_options_are_compile_errors");
    let all = reduction_inputs(&mut rng);
    let mut ins = all.clone();
    ins.remove("v");
    for loss in REDUCIBLE
        .iter()
        .copied()
        .chain(["mse", "mae", "huber", "smooth_l1"])
    {
        let text = with_reduction(loss, "avg");
        let k = compile_error(&text, if loss.contains("var = v") { &all } else { &ins });
        assert!(matches!(k, DiagKind::InvalidArgument(_)), "`{text}`: {k:?}");
    }
    for text in [
        "elastic_net(l1_ratio = 1.5)",
        "elastic_net(l1_ratio = -0.1)",
    ] {
        let ins = inputs(vec![("params", f64_data(&[3], &[1.0, -2.0, 0.5]))]);
        let k = compile_error(text, &ins);
        assert!(
            matches!(&k, DiagKind::InvalidArgument(m) if m.contains("l1_ratio")),
            "`{text}`: {k:?}"
        );
    }
    // var is required
    let k = compile_error("gaussian_nll", &ins);
    assert!(
        matches!(&k, DiagKind::MissingArgument { param, .. } if param == "var"),
        "{k:?}"
    );
}

// ---- elastic_net ---------------------------------------------------------------------------

#[test]
fn elastic_net_random() {
    // l1_ratio * sum|w| + (1 - l1_ratio) * sum w^2; d = l1_ratio sign(w) + 2 (1 - l1_ratio) w.
    let mut rng = rng("elastic_net_random");
    for trial in 0..10 {
        for fl in FLOATS {
            let (shape, n) = random_shape(&mut rng);
            let mut w = fl.round(rng.normals(n, 2.0));
            if trial % 3 == 0 {
                w[0] = 0.0;
            }
            let r = rng.pick(&[None, Some(0.0), Some(1.0), Some(0.3), Some(0.9)]);
            let a = r.unwrap_or(0.5);
            let v = a * w.iter().map(|x| x.abs()).sum::<f64>()
                + (1.0 - a) * w.iter().map(|x| x * x).sum::<f64>();
            let g: Vec<f64> = w
                .iter()
                .map(|&x| a * sign(x) + 2.0 * (1.0 - a) * x)
                .collect();
            let text = r.map_or("elastic_net".to_string(), |r| {
                format!("elastic_net(l1_ratio = {r:?})")
            });
            check(
                &text,
                &inputs(vec![("params", fl.data(&shape, &w))]),
                v,
                &[("params", &g)],
                &format!("trial {trial} {}", fl.name()),
            );
        }
    }
    // An explicit argument and finite differences away from 0.
    let w = away(&mut rng, 7, &[0.0]);
    let ins = inputs(vec![("q", f64_data(&[7], &w))]);
    let _ = check_fd(
        "param q: f64[K]\nelastic_net(q, l1_ratio = 0.25)",
        None,
        &ins,
        FD_RTOL,
        FD_ATOL,
    );
}

// ---- multi-task uncertainty weighting ------------------------------------------------------

fn multitask_source() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/multitask.loss"
    ))
    .expect("examples/multitask.loss")
}

fn multitask_inputs(
    rng: &mut Rng,
    n: usize,
    c: usize,
    s1: f64,
    s2: f64,
) -> (OwnedInputs, Vec<f64>, Vec<f64>, Vec<f64>, Vec<i64>) {
    let dp = rng.normals(n, 2.0);
    let dt = rng.normals(n, 2.0);
    let z = rng.normals(n * c, 2.0);
    let labels: Vec<i64> = (0..n).map(|_| rng.int(0, c as i64 - 1)).collect();
    let ins = inputs(vec![
        ("depth_pred", f64_data(&[n], &dp)),
        ("depth", f64_data(&[n], &dt)),
        ("class_logits", f64_data(&[n, c], &z)),
        ("labels", i64_data(&[n], &labels)),
        ("s1", f64_data(&[], &[s1])),
        ("s2", f64_data(&[], &[s2])),
    ]);
    (ins, dp, dt, z, labels)
}

#[test]
fn multitask_uncertainty_weighting() {
    // total = e^-s1 L1 + s1 + e^-s2 L2 + s2 with L1 = mean (p - t)^2 and
    // L2 = mean_i -log_softmax(z_i)[y_i]:
    // d/ds1 = 1 - e^-s1 L1, d/ds2 = 1 - e^-s2 L2,
    // d/dp = e^-s1 2 (p - t) / N, d/dz_ik = e^-s2 (softmax(z_i)_k - [k = y_i]) / N.
    let src = multitask_source();
    let mut rng = rng("multitask_uncertainty_weighting");
    for trial in 0..6 {
        let (n, c) = (rng.usize(1, 8), rng.usize(2, 5));
        let r1 = rng.normal();
        let s1 = rng.pick(&[0.0, 1.5, -2.0, r1]);
        let r2 = rng.normal();
        let s2 = rng.pick(&[0.0, 0.7, -1.0, r2]);
        let (ins, dp, dt, z, labels) = multitask_inputs(&mut rng, n, c, s1, s2);
        let nf = n as f64;
        let l1 = dp
            .iter()
            .zip(&dt)
            .map(|(a, b)| (a - b).powi(2))
            .sum::<f64>()
            / nf;
        let mut l2 = 0.0;
        let mut gz = Vec::new();
        for (i, row) in z.chunks(c).enumerate() {
            let lq = log_softmax(row);
            l2 -= lq[labels[i] as usize] / nf;
            for (k, l) in lq.iter().enumerate() {
                let hot = if k as i64 == labels[i] { 1.0 } else { 0.0 };
                gz.push((-s2).exp() * (l.exp() - hot) / nf);
            }
        }
        let want = (-s1).exp() * l1 + s1 + (-s2).exp() * l2 + s2;
        let gp: Vec<f64> = dp
            .iter()
            .zip(&dt)
            .map(|(a, b)| (-s1).exp() * 2.0 * (a - b) / nf)
            .collect();
        let g1 = 1.0 - (-s1).exp() * l1;
        let g2 = 1.0 - (-s2).exp() * l2;
        for objective in ["total", "total_helper"] {
            let r = eval(&src, Some(objective), &ins);
            let ctx = format!("trial {trial} {objective}");
            assert_close(r.value, want, V_RTOL, V_ATOL, &ctx);
            for (name, w) in [
                ("s1", vec![g1]),
                ("s2", vec![g2]),
                ("depth_pred", gp.clone()),
                ("class_logits", gz.clone()),
            ] {
                assert_all_close(
                    &grad(&r, name),
                    &w,
                    G_RTOL,
                    G_ATOL,
                    &format!("{ctx} d/d{name}"),
                );
            }
            assert_eq!(r.gradient("s1").unwrap().shape(), &[] as &[usize]);
        }
        // The terms of `total`: each task's weighted loss and each s.
        let r = eval(&src, Some("total"), &ins);
        let terms: Vec<f64> = r.terms.iter().map(|t| t.1).collect();
        assert_all_close(
            &terms,
            &[(-s1).exp() * l1, s1, (-s2).exp() * l2, s2],
            V_RTOL,
            V_ATOL,
            "terms",
        );
        // At s_i = log(L_i) the gradient in s_i vanishes (the optimum).
        let (ins2, ..) = {
            let mut ins2 = ins.clone();
            ins2.insert("s1".into(), f64_data(&[], &[l1.ln()]));
            ins2.insert("s2".into(), f64_data(&[], &[l2.ln()]));
            (ins2, ())
        };
        let r = eval(&src, Some("total"), &ins2);
        assert!(grad(&r, "s1")[0].abs() < 1e-12 && grad(&r, "s2")[0].abs() < 1e-12);
        let _ = check_fd(&src, Some("total"), &ins, FD_RTOL, FD_ATOL);
    }
}

#[test]
fn scalar_param_declared_without_shape_takes_rank_zero_from_data() {
    // `param s: f32` (no shape) takes its rank from the data: a 0-d array is a scalar.
    let ins = inputs(vec![
        ("pred", f64_data(&[3], &[1.0, 2.0, 3.0])),
        ("target", f64_data(&[3], &[0.0, 2.0, 5.0])),
        ("s", f64_data(&[], &[0.5])),
    ]);
    let r = eval("param s: f32\nexp(-s) * mse + s", None, &ins);
    let l = (1.0 + 0.0 + 4.0) / 3.0;
    assert_close(r.value, (-0.5f64).exp() * l + 0.5, V_RTOL, V_ATOL, "value");
    assert_close(
        grad(&r, "s")[0],
        1.0 - (-0.5f64).exp() * l,
        G_RTOL,
        G_ATOL,
        "d/ds",
    );
}
