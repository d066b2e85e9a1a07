//! The classification family of the standard library
//! (`src/prelude/classification.loss`): `bce`, `cce`, `sparse_cce`, `nll`,
//! `focal`, `categorical_focal`, `poly1`, `hinge`, `squared_hinge`,
//! `categorical_hinge` and `multi_margin`, with every option and reduction.
//!
//! Each loss is checked, value and gradient, against an independent float64
//! formula written out here (hand-derived gradients; nothing goes through the
//! prelude), on random inputs from a seeded RNG (the seed is printed; set
//! `LOSSC_TEST_SEED` to reproduce), on extreme inputs (logits of ±1e4 and
//! ±800, probabilities of exactly 0 and 1, all rows ignored, all weights 0),
//! against central finite differences, and native kernels against the
//! reference evaluator in float32 and float64. `reduction = "none"` is
//! checked through `sum(c * loss(reduction = "none"))` with random
//! coefficients `c`, which pins every element of the unreduced loss through
//! both the value and the gradient.
//!
//! Tolerances. Library and reference compute in float64 from the same inputs
//! (f32 data is rounded to f32 before the reference sees it, exactly as the
//! library widens it), with algebraically equal formulas. Differences come
//! from summation order and from rounding of different but equivalent
//! expressions (a few ulp each, times a small condition number), so:
//! - values: `|got - want| <= 1e-10 * |want| + 1e-12`;
//! - gradients: `|got - want| <= 1e-9 * |want| + 1e-12 * max(1, max|want|)`.
//!
//! One source of difference is larger but bounded in absolute terms: the
//! library computes `1 - softmax(p)_c` (categorical focal, poly-1) as
//! `-expm1(log_softmax(p)_c)`, whose absolute error is that of the log-softmax
//! (~1e-16 * max|p|), while the reference sums the other classes' exact
//! probabilities. Where `1 - q` is tiny this is a large relative error of a
//! tiny term (its contribution to the loss is `(1 - q)^(gamma+1)`), far below
//! the absolute part of the tolerances above.
//!
//! Finite differences (float64, `h = 1e-6 * max(1, |x|)`, central):
//! `|g - fd| <= 1e-5 * max(|g|, |fd|) + 1e-7 * max(1, |f|)`, three orders of
//! magnitude above truncation (~1e-12) and rounding (~2e-10 * |f|) errors;
//! points are kept at least 0.05 away from every kink (hinge margins, ties of
//! a maximum).
//!
//! Any formula error (a wrong sign, a missing 1/C, a wrong smoothing weight,
//! a weighted mean taken over the wrong total) is an O(1) relative error,
//! many orders of magnitude above these bounds.

mod common;

use common::native::{check_native, compare};
use common::*;
use lossc::diag::DiagKind;
use lossc::native::Precision;
use lossc::{Data, Error, LossSpec, OwnedInputs};

const FD_RTOL: f64 = 1e-5;
const FD_ATOL: f64 = 1e-7;

/// Logits that saturate or overflow a naive formula.
const EXTREME_LOGITS: [f64; 12] = [
    1e4, -1e4, 800.0, -800.0, 50.0, -50.0, 36.0, -36.0, 0.0, 1.0, -3.0, 700.0,
];

// ---- running and comparing ------------------------------------------------------

/// The spec's value must be a compile-time `InvalidArgument` error.
fn assert_invalid(text: &str, ins: &OwnedInputs) {
    let spec = LossSpec::from_str(text).unwrap_or_else(|e| panic!("`{text}`: {e}"));
    match spec.evaluate(None, ins) {
        Err(Error::Compile(e)) => assert!(
            matches!(e.kind(), DiagKind::InvalidArgument(_)),
            "`{text}`: {:?}",
            e.kind()
        ),
        other => panic!("`{text}` should be an InvalidArgument compile error, got {other:?}"),
    }
}

/// Native kernels (float32 and float64) against the reference evaluator on
/// the given inputs.
fn native(src: &str, ins: &OwnedInputs) {
    for p in [Precision::F32, Precision::F64] {
        compare(src, ins, p, 2);
    }
}

// ---- reductions -------------------------------------------------------------------

/// How a loss is reduced in a test: the default (no argument), an explicit
/// `mean` or `sum`, or `none` checked through `sum(c * loss)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Red {
    Default,
    Mean,
    Sum,
    None,
}

const REDS: [Red; 4] = [Red::Default, Red::Mean, Red::Sum, Red::None];

impl Red {
    /// The keyword argument (with a leading comma), if any.
    fn arg(self) -> &'static str {
        match self {
            Red::Default => "",
            Red::Mean => ", reduction = \"mean\"",
            Red::Sum => ", reduction = \"sum\"",
            Red::None => ", reduction = \"none\"",
        }
    }

    /// The objective around a call `call` (which already carries `arg()`).
    fn wrap(self, call: &str) -> String {
        match self {
            Red::None => format!("sum(c * {call})"),
            _ => call.to_string(),
        }
    }
}

/// Reduce per-part losses (one per element or per row) and their gradients
/// (`grads[r * k + j]` is d loss_r / d p over the `k` entries of part r):
/// mean over parts, sum, or `sum(coef * loss)` for `none`.
fn reduce_parts(losses: &[f64], grads: &[f64], red: Red, coef: &[f64]) -> (f64, Vec<f64>) {
    let n = losses.len();
    let k = grads.len() / n;
    let scale: Vec<f64> = match red {
        Red::Default | Red::Mean => vec![1.0 / n as f64; n],
        Red::Sum => vec![1.0; n],
        Red::None => coef.to_vec(),
    };
    let value = losses.iter().zip(&scale).map(|(l, s)| l * s).sum();
    let g = grads
        .iter()
        .enumerate()
        .map(|(i, d)| d * scale[i / k])
        .collect();
    (value, g)
}

/// Random coefficients for `reduction = "none"` (mixed signs, so a wrong
/// element cannot hide behind a sum).
fn coefs(rng: &mut Rng, n: usize) -> Vec<f64> {
    (0..n).map(|_| rng.uniform(-2.0, 2.0)).collect()
}

fn labels_data(rng: &mut Rng, shape: &[usize], labels: &[i64]) -> Data {
    if rng.bool(0.5) {
        i64_data(shape, labels)
    } else {
        i32_data(shape, labels)
    }
}

fn shape_text(shape: &[usize]) -> String {
    let names = match shape.len() {
        1 => vec!["N"],
        2 => vec!["N", "C"],
        _ => vec!["N", "D", "C"],
    };
    names.join(", ")
}

// ---- independent reference math ---------------------------------------------------------

/// `q = softmax(row)` and `m_c = 1 - q_c`, the latter summed from the other
/// classes (no cancellation).
fn softmax_and_rest(row: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let lq = log_softmax(row);
    let q: Vec<f64> = lq.iter().map(|x| x.exp()).collect();
    let m = (0..row.len())
        .map(|c| {
            q.iter()
                .enumerate()
                .filter(|(k, _)| *k != c)
                .map(|(_, v)| v)
                .sum()
        })
        .collect();
    (lq, q, m)
}

/// Keras binary label smoothing towards 1/2.
fn smooth_binary(y: f64, ls: f64) -> f64 {
    y * (1.0 - ls) + 0.5 * ls
}

/// Binary cross-entropy of one element with target t = smooth(y), positive
/// weight `pw` and element weight `w`:
/// logits: l = w (pw t softplus(-p) + (1-t) softplus(p)),
///         dl/dp = w ((1-t) sigmoid(p) - pw t sigmoid(-p));
/// probabilities, logs clamped at -100:
///         l = -w (pw t max(ln p, -100) + (1-t) max(ln(1-p), -100)),
///         dl/dp = -w (pw t [ln p > -100] / p - (1-t) [ln(1-p) > -100] / (1-p)).
fn bce_elem(p: f64, y: f64, pw: f64, w: f64, ls: f64, from_logits: bool) -> (f64, f64) {
    let t = smooth_binary(y, ls);
    if from_logits {
        let l = pw * t * softplus(-p) + (1.0 - t) * softplus(p);
        let d = (1.0 - t) * sigmoid(p) - pw * t * sigmoid(-p);
        (w * l, w * d)
    } else {
        let lp = p.ln().max(-100.0);
        let l1p = (1.0 - p).ln().max(-100.0);
        let l = -(pw * t * lp + (1.0 - t) * l1p);
        let da = if p.ln() > -100.0 { 1.0 / p } else { 0.0 };
        let db = if (1.0 - p).ln() > -100.0 {
            -1.0 / (1.0 - p)
        } else {
            0.0
        };
        (w * l, -w * (pw * t * da + (1.0 - t) * db))
    }
}

/// Categorical cross-entropy of one row against probability targets, class
/// weights ω (1 without), smoothing ys = (1-ls) y + ls/C:
/// logits: l = -Σ ω_c ys_c lq_c, dl/dp_k = q_k Σ_c ω_c ys_c - ω_k ys_k;
/// probabilities (Keras): r = p / Σp, q = clamp(r, 1e-7, 1 - 1e-7),
/// l = -Σ ω_c ys_c ln q_c; with g_c = -ω_c ys_c / q_c where r_c is inside the
/// clamp (else 0): dl/dp_k = (g_k - Σ_c g_c r_c) / Σp.
fn cce_row(p: &[f64], y: &[f64], w: Option<&[f64]>, ls: f64, from_logits: bool) -> (f64, Vec<f64>) {
    let c = p.len();
    let om: Vec<f64> = w.map_or(vec![1.0; c], |w| w.to_vec());
    let ys: Vec<f64> = y.iter().map(|&t| (1.0 - ls) * t + ls / c as f64).collect();
    let wy: Vec<f64> = (0..c).map(|k| om[k] * ys[k]).collect();
    if from_logits {
        let lq = log_softmax(p);
        let l = -(0..c).map(|k| wy[k] * lq[k]).sum::<f64>();
        let s: f64 = wy.iter().sum();
        let g = (0..c).map(|k| lq[k].exp() * s - wy[k]).collect();
        (l, g)
    } else {
        let (lo, hi) = (1e-7, 1.0 - 1e-7);
        let sum: f64 = p.iter().sum();
        let r: Vec<f64> = p.iter().map(|x| x / sum).collect();
        let q: Vec<f64> = r.iter().map(|x| x.clamp(lo, hi)).collect();
        let l = -(0..c).map(|k| wy[k] * q[k].ln()).sum::<f64>();
        let g: Vec<f64> = (0..c)
            .map(|k| {
                if r[k] >= lo && r[k] <= hi {
                    -wy[k] / q[k]
                } else {
                    0.0
                }
            })
            .collect();
        let gr: f64 = g.iter().zip(&r).map(|(a, b)| a * b).sum();
        (l, g.iter().map(|gk| (gk - gr) / sum).collect())
    }
}

/// What the integer-label losses read: logits (softmax), probabilities (log
/// clamped at -100) or log-probabilities (`nll`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scores {
    Logits,
    Probs,
    LogProbs,
}

/// Per-row terms of `sparse_cce` / `nll`: for each row not ignored, with
/// ω the class weights (1 without) and logq the row's log-probabilities,
/// loss = ω_y (1-ls) (-logq_y) + ls Σ_c ω_c (-logq_c) / C and weight ω_y;
/// ignored rows have loss 0 and weight 0. Gradients d loss / d p per row:
/// logits: ω_y (1-ls) (q_k - [k=y]) - ls (ω_k - q_k Σω) / C;
/// probabilities: -(ω_y (1-ls) [k=y] + ls ω_k / C) * [ln p_k > -100] / p_k;
/// log-probabilities: -ω_y [k=y].
struct Rows {
    loss: Vec<f64>,
    weight: Vec<f64>,
    grad: Vec<f64>,
}

fn class_rows(
    p: &[f64],
    labels: &[i64],
    c: usize,
    weight: Option<&[f64]>,
    ignore: i64,
    ls: f64,
    scores: Scores,
) -> Rows {
    let om: Vec<f64> = weight.map_or(vec![1.0; c], |w| w.to_vec());
    let sum_om: f64 = om.iter().sum();
    let cf = c as f64;
    let mut rows = Rows {
        loss: Vec::new(),
        weight: Vec::new(),
        grad: vec![0.0; p.len()],
    };
    for (i, (prow, &y)) in p.chunks(c).zip(labels).enumerate() {
        if y == ignore {
            rows.loss.push(0.0);
            rows.weight.push(0.0);
            continue;
        }
        let y = y as usize;
        let wy = om[y];
        let lq: Vec<f64> = match scores {
            Scores::Logits => log_softmax(prow),
            Scores::Probs => prow.iter().map(|x| x.ln().max(-100.0)).collect(),
            Scores::LogProbs => prow.to_vec(),
        };
        let uniform = -(0..c).map(|k| om[k] * lq[k]).sum::<f64>() / cf;
        rows.loss.push(wy * (1.0 - ls) * -lq[y] + ls * uniform);
        rows.weight.push(wy);
        for k in 0..c {
            let hot = f64::from(u8::from(k == y));
            rows.grad[i * c + k] = match scores {
                Scores::Logits => {
                    let q = lq[k].exp();
                    wy * (1.0 - ls) * (q - hot) - ls * (om[k] - q * sum_om) / cf
                }
                Scores::Probs => {
                    let through = if prow[k].ln() > -100.0 {
                        1.0 / prow[k]
                    } else {
                        0.0
                    };
                    -(wy * (1.0 - ls) * hot + ls * om[k] / cf) * through
                }
                Scores::LogProbs => -wy * hot,
            };
        }
    }
    rows
}

/// PyTorch's reductions of `Rows`: the weighted mean Σ loss / Σ weight
/// (with `empty` deciding 0/0: NaN, or 0 with a zero gradient), the sum, or
/// `sum(coef * loss)` for `none`.
fn reduce_rows(rows: &Rows, red: Red, empty: &str, coef: &[f64]) -> (f64, Vec<f64>) {
    let c = rows.grad.len() / rows.loss.len();
    let total: f64 = rows.loss.iter().sum();
    let w: f64 = rows.weight.iter().sum();
    match red {
        Red::Default | Red::Mean => {
            if w == 0.0 {
                let v = if empty == "zero" { 0.0 } else { f64::NAN };
                (v, vec![0.0; rows.grad.len()])
            } else {
                (total / w, rows.grad.iter().map(|g| g / w).collect())
            }
        }
        Red::Sum => (total, rows.grad.clone()),
        Red::None => (
            rows.loss.iter().zip(coef).map(|(l, k)| l * k).sum(),
            rows.grad
                .iter()
                .enumerate()
                .map(|(i, g)| g * coef[i / c])
                .collect(),
        ),
    }
}

/// torchvision sigmoid focal loss of one element with the target smoothed
/// first (Keras): t = smooth(y), s = sigmoid(p), ce = t softplus(-p) +
/// (1-t) softplus(p), m = 1 - p_t = s (1-t) + sigmoid(-p) t,
/// a = alpha t + (1-alpha)(1-t) (1 without alpha), l = a m^γ ce;
/// dm/dp = s sigmoid(-p) (1 - 2t), dce/dp = s - t,
/// dl/dp = a (γ m^(γ-1) dm/dp ce + m^γ (s - t)) (the first term is 0 where
/// m = 0 or γ = 0: m^(γ-1) dm/dp ~ m^γ).
fn focal_elem(p: f64, y: f64, gamma: f64, alpha: Option<f64>, ls: f64) -> (f64, f64) {
    let t = smooth_binary(y, ls);
    let s = sigmoid(p);
    let sn = sigmoid(-p);
    let ce = t * softplus(-p) + (1.0 - t) * softplus(p);
    let m = s * (1.0 - t) + sn * t;
    let a = alpha.map_or(1.0, |a| a * t + (1.0 - a) * (1.0 - t));
    let l = a * m.powf(gamma) * ce;
    let dm = s * sn * (1.0 - 2.0 * t);
    let first = if gamma == 0.0 || m == 0.0 {
        0.0
    } else {
        gamma * m.powf(gamma - 1.0) * dm * ce
    };
    (l, a * (first + m.powf(gamma) * (s - t)))
}

/// Row weights β_c of the label-smoothed integer target: (1-ls)[c=y] + ls/C.
fn smoothed_onehot(y: usize, c: usize, ls: f64) -> Vec<f64> {
    (0..c)
        .map(|k| (1.0 - ls) * f64::from(u8::from(k == y)) + ls / c as f64)
        .collect()
}

/// Categorical focal loss of one row (Keras CategoricalFocalCrossentropy on
/// logits, integer label y): with q = softmax(p), L_c = -ln q_c,
/// m_c = 1 - q_c, t_c = a_c m_c^γ L_c, the row loss is Σ_c β_c t_c.
/// With e_ck = [k=c] - q_k = m_c r_ck (r_cc = 1, r_ck = -q_k / m_c):
/// dL_c/dp_k = -e_ck, dm_c/dp_k = -q_c e_ck, so
/// dt_c/dp_k = -a_c m_c^γ r_ck (γ q_c L_c + m_c) (r_ck = 0 where m_c = 0,
/// since then q_k = 0 for k ≠ c).
fn cfocal_row(p: &[f64], y: usize, gamma: f64, alpha: &[f64], ls: f64) -> (f64, Vec<f64>) {
    let c = p.len();
    let (lq, q, m) = softmax_and_rest(p);
    let beta = smoothed_onehot(y, c, ls);
    let mut l = 0.0;
    let mut g = vec![0.0; c];
    for cc in 0..c {
        let big_l = -lq[cc];
        let mg = if gamma == 0.0 { 1.0 } else { m[cc].powf(gamma) };
        l += beta[cc] * alpha[cc] * mg * big_l;
        for (k, gk) in g.iter_mut().enumerate() {
            let r = if k == cc {
                1.0
            } else if m[cc] > 0.0 {
                -q[k] / m[cc]
            } else {
                0.0
            };
            *gk -= beta[cc] * alpha[cc] * mg * r * (gamma * q[cc] * big_l + m[cc]);
        }
    }
    (l, g)
}

/// Poly-1 of one row: t_c = -ln q_c + ε (1 - q_c), loss Σ_c β_c t_c;
/// dt_c/dp_k = -e_ck (1 + ε q_c), e_ck = [k=c] - q_k.
fn poly1_row(p: &[f64], y: usize, eps: f64, ls: f64) -> (f64, Vec<f64>) {
    let c = p.len();
    let (lq, q, m) = softmax_and_rest(p);
    let beta = smoothed_onehot(y, c, ls);
    let mut l = 0.0;
    let mut g = vec![0.0; c];
    for cc in 0..c {
        l += beta[cc] * (-lq[cc] + eps * m[cc]);
        for (k, gk) in g.iter_mut().enumerate() {
            let e = if k == cc { m[cc] } else { -q[k] };
            *gk -= beta[cc] * e * (1.0 + eps * q[cc]);
        }
    }
    (l, g)
}

/// Keras hinge target mapping: targets all in {0, 1} become 2y - 1.
fn hinge_signs(y: &[f64]) -> Vec<f64> {
    if y.iter().all(|&t| t == 0.0 || t == 1.0) {
        y.iter().map(|t| 2.0 * t - 1.0).collect()
    } else {
        y.to_vec()
    }
}

/// Hinge (power 1) or squared hinge (power 2) of one element with sign s:
/// z = 1 - s p; l = max(0, z)^k; dl/dp = -s k max(0, z)^(k-1) where z > 0.
fn hinge_elem(p: f64, s: f64, power: i32) -> (f64, f64) {
    let z = 1.0 - s * p;
    if z > 0.0 {
        (z.powi(power), -s * f64::from(power) * z.powi(power - 1))
    } else {
        (0.0, 0.0)
    }
}

/// Keras categorical hinge of one row: pos = Σ y p, x_c = (1 - y_c) p_c,
/// neg = max_c x_c, z = 1 + neg - pos, l = max(0, z); where z > 0,
/// dl/dp_k = (1 - y_k) [x_k = neg] / #ties - y_k, else 0.
fn cat_hinge_row(p: &[f64], y: &[f64]) -> (f64, Vec<f64>) {
    let pos: f64 = p.iter().zip(y).map(|(a, b)| a * b).sum();
    let x: Vec<f64> = p.iter().zip(y).map(|(a, b)| (1.0 - b) * a).collect();
    let neg = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let ties = x.iter().filter(|&&v| v == neg).count() as f64;
    let z = 1.0 + neg - pos;
    if z > 0.0 {
        let g = (0..p.len())
            .map(|k| {
                let at_max = if x[k] == neg { 1.0 / ties } else { 0.0 };
                (1.0 - y[k]) * at_max - y[k]
            })
            .collect();
        (z, g)
    } else {
        (0.0, vec![0.0; p.len()])
    }
}

/// PyTorch MultiMarginLoss of one row: z_c = margin - p_y + p_c,
/// l = w_y Σ_{c≠y} max(0, z_c)^P / C; with h'_c = P max(0, z_c)^(P-1) where
/// z_c > 0 (else 0): dl/dp_c = w_y h'_c / C (c ≠ y), dl/dp_y = -Σ_{c≠y} of those.
fn multi_margin_row(p: &[f64], y: usize, power: i32, margin: f64, wy: f64) -> (f64, Vec<f64>) {
    let c = p.len();
    let cf = c as f64;
    let mut l = 0.0;
    let mut g = vec![0.0; c];
    for k in 0..c {
        if k == y {
            continue;
        }
        let z = margin - p[y] + p[k];
        if z > 0.0 {
            l += z.powi(power);
            let d = wy * f64::from(power) * z.powi(power - 1) / cf;
            g[k] += d;
            g[y] -= d;
        }
    }
    (wy * l / cf, g)
}

// ---- bce ----------------------------------------------------------------------------

/// One random `bce` case: logits or probabilities, `[N]` or `[N, C]`,
/// pos_weight none / scalar / `[C]`, weight none / elementwise / `[C]`,
/// label smoothing, any reduction.
fn bce_case(rng: &mut Rng, fl: Float, from_logits: bool, ctx: &str) {
    let rank2 = rng.bool(0.6);
    let (n, c) = (rng.usize(1, 5), if rank2 { rng.usize(1, 4) } else { 1 });
    let shape: Vec<usize> = if rank2 { vec![n, c] } else { vec![n] };
    let len = n * c;
    let p = fl.round(if from_logits {
        rng.normals(len, 3.0)
    } else {
        rng.uniforms(len, 0.001, 0.999)
    });
    let y = fl.round(if rng.bool(0.5) {
        (0..len)
            .map(|_| f64::from(u8::from(rng.bool(0.5))))
            .collect()
    } else {
        rng.uniforms(len, 0.0, 1.0)
    });
    let pw_kind = rng.usize(0, if rank2 { 2 } else { 1 });
    let pw_scalar = rng.pick(&[0.5, 2.0, 3.5]);
    let pw_vec = fl.round(rng.uniforms(c, 0.2, 4.0));
    let w_kind = rng.usize(0, if rank2 { 2 } else { 1 });
    let w_full = fl.round(rng.uniforms(len, 0.0, 2.0));
    let w_vec = fl.round(rng.uniforms(c, 0.0, 2.0));
    let ls = rng.pick(&[0.0, 0.1, 0.25, 1.0]);
    let red = rng.pick(&REDS);
    let coef = coefs(rng, len);

    let mut args = String::new();
    match pw_kind {
        1 => args.push_str(&format!(", pos_weight = {pw_scalar:?}")),
        2 => args.push_str(", pos_weight = pw"),
        _ => {}
    }
    if !from_logits {
        args.push_str(", from_logits = false");
    }
    match w_kind {
        1 => args.push_str(", weight = w"),
        2 => args.push_str(", weight = wc"),
        _ => {}
    }
    if ls != 0.0 || rng.bool(0.3) {
        args.push_str(&format!(", label_smoothing = {ls:?}"));
    }
    args.push_str(red.arg());
    let st = shape_text(&shape);
    let text = format!(
        "input p: {f}[{st}]\ntarget y: {f}[{st}]\ntarget w: {f}[{st}]\ntarget c: f64[{st}]\n\
         target pw: {f}[C]\ntarget wc: {f}[C]\nloss main = {}",
        red.wrap(&format!("bce(p, y{args})")),
        f = fl.name()
    );
    let parts: Vec<(f64, f64)> = (0..len)
        .map(|i| {
            let pw = match pw_kind {
                1 => pw_scalar,
                2 => pw_vec[i % c],
                _ => 1.0,
            };
            let w = match w_kind {
                1 => w_full[i],
                2 => w_vec[i % c],
                _ => 1.0,
            };
            bce_elem(p[i], y[i], pw, w, ls, from_logits)
        })
        .collect();
    let losses: Vec<f64> = parts.iter().map(|x| x.0).collect();
    let grads: Vec<f64> = parts.iter().map(|x| x.1).collect();
    let (v, g) = reduce_parts(&losses, &grads, red, &coef);
    let ins = used_inputs(
        &text,
        inputs(vec![
            ("p", fl.data(&shape, &p)),
            ("y", fl.data(&shape, &y)),
            ("w", fl.data(&shape, &w_full)),
            ("c", f64_data(&shape, &coef)),
            ("pw", fl.data(&[c], &pw_vec)),
            ("wc", fl.data(&[c], &w_vec)),
        ]),
    );
    check(
        &text,
        &ins,
        v,
        &[("p", &g)],
        &format!("{ctx} {}", fl.name()),
    );
}

/// Only the inputs the compiled spec reads (the others would be rejected as
/// unknown).
fn used_inputs(text: &str, ins: OwnedInputs) -> OwnedInputs {
    let c = spec(text)
        .compile(None, &Default::default())
        .unwrap_or_else(|e| panic!("`{text}`: {e}"));
    ins.into_iter()
        .filter(|(n, _)| c.inputs().iter().any(|i| &i.name == n))
        .collect()
}

#[test]
fn bce_random() {
    let mut rng = rng("bce_random");
    for trial in 0..24 {
        for fl in FLOATS {
            bce_case(&mut rng, fl, trial % 3 != 2, &format!("trial {trial}"));
        }
    }
}

#[test]
fn bce_defaults_are_unchanged() {
    // `bce` with every new option at its default is the plain
    // BCEWithLogitsLoss mean; `weight = 1`, `label_smoothing = 0` agree.
    let mut rng = rng("bce_defaults_are_unchanged");
    let (n, c) = (4, 3);
    let p = rng.normals(n * c, 3.0);
    let y: Vec<f64> = (0..n * c)
        .map(|_| f64::from(u8::from(rng.bool(0.5))))
        .collect();
    let parts: Vec<(f64, f64)> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| bce_elem(a, b, 1.0, 1.0, 0.0, true))
        .collect();
    let (v, g) = reduce_parts(
        &parts.iter().map(|x| x.0).collect::<Vec<_>>(),
        &parts.iter().map(|x| x.1).collect::<Vec<_>>(),
        Red::Mean,
        &[],
    );
    let ins = inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", f64_data(&[n, c], &y)),
    ]);
    for text in [
        "bce",
        "bce(weight = 1.0, label_smoothing = 0.0)",
        "bce(weight = none, label_smoothing = 0)",
    ] {
        check(text, &ins, v, &[("pred", &g)], "defaults");
    }
}

#[test]
fn bce_extreme() {
    // Logits of ±1e4 and ±800 (softplus must not overflow), hard and soft
    // targets, smoothing, positive and element weights.
    let mut p = Vec::new();
    let mut y = Vec::new();
    for &x in &EXTREME_LOGITS {
        for t in [0.0, 1.0, 0.3] {
            p.push(x);
            y.push(t);
        }
    }
    let n = p.len();
    let w: Vec<f64> = (0..n).map(|i| 0.5 + (i % 3) as f64).collect();
    for ls in [0.0, 0.2] {
        for pw in [1.0, 3.0] {
            let text = format!(
                "input p: f64[N]\ntarget y: f64[N]\ntarget w: f64[N]\nloss main = bce(p, y, pos_weight = {pw:?}, weight = w, label_smoothing = {ls:?})"
            );
            let parts: Vec<(f64, f64)> = (0..n)
                .map(|i| bce_elem(p[i], y[i], pw, w[i], ls, true))
                .collect();
            let (v, g) = reduce_parts(
                &parts.iter().map(|x| x.0).collect::<Vec<_>>(),
                &parts.iter().map(|x| x.1).collect::<Vec<_>>(),
                Red::Mean,
                &[],
            );
            assert!(v.is_finite());
            let ins = inputs(vec![
                ("p", f64_data(&[n], &p)),
                ("y", f64_data(&[n], &y)),
                ("w", f64_data(&[n], &w)),
            ]);
            check(&text, &ins, v, &[("p", &g)], "extreme logits");
            native(&text, &ins);
        }
    }
}

#[test]
fn bce_probabilities_at_zero_and_one() {
    // Probabilities of exactly 0 and 1: each log is clamped at -100, so the
    // loss is at most 100 per term and the clamped term has no gradient.
    let probs = [0.0, 1.0, 1e-30, 1e-50, 1.0 - 1e-16, 0.5, 0.25];
    let mut p = Vec::new();
    let mut y = Vec::new();
    for &x in &probs {
        for t in [0.0, 1.0, 0.6] {
            p.push(x);
            y.push(t);
        }
    }
    let n = p.len();
    for ls in [0.0, 0.1] {
        for red in [Red::Mean, Red::Sum] {
            let text = format!(
                "input p: f64[N]\ntarget y: f64[N]\nloss main = bce(p, y, from_logits = false, label_smoothing = {ls:?}{})",
                red.arg()
            );
            let parts: Vec<(f64, f64)> = (0..n)
                .map(|i| bce_elem(p[i], y[i], 1.0, 1.0, ls, false))
                .collect();
            let (v, g) = reduce_parts(
                &parts.iter().map(|x| x.0).collect::<Vec<_>>(),
                &parts.iter().map(|x| x.1).collect::<Vec<_>>(),
                red,
                &[],
            );
            assert!(v.is_finite() && g.iter().all(|x| x.is_finite()));
            let ins = inputs(vec![("p", f64_data(&[n], &p)), ("y", f64_data(&[n], &y))]);
            check(&text, &ins, v, &[("p", &g)], "boundary probabilities");
            native(&text, &ins);
        }
    }
}

// ---- cce ------------------------------------------------------------------------------

#[test]
fn cce_random() {
    let mut rng = rng("cce_random");
    for trial in 0..20 {
        for fl in FLOATS {
            let from_logits = trial % 4 != 3;
            let (n, c) = (rng.usize(1, 5), rng.usize(2, 5));
            let p = fl.round(if from_logits {
                rng.normals(n * c, 3.0)
            } else {
                (0..n)
                    .flat_map(|_| {
                        let s = rng.uniform(0.5, 2.0); // unnormalised rows
                        rng.simplex(c).into_iter().map(move |x| x * s)
                    })
                    .collect()
            });
            let y = fl.round(if rng.bool(0.5) {
                (0..n).flat_map(|_| rng.simplex(c)).collect()
            } else {
                (0..n)
                    .flat_map(|_| {
                        let k = rng.usize(0, c - 1);
                        (0..c).map(move |j| f64::from(u8::from(j == k)))
                    })
                    .collect()
            });
            let w = fl.round(rng.uniforms(c, 0.0, 3.0));
            let weighted = rng.bool(0.6);
            let ls = rng.pick(&[0.0, 0.1, 0.4]);
            let red = rng.pick(&REDS);
            let coef = coefs(&mut rng, n);
            let mut args = String::new();
            if ls != 0.0 || rng.bool(0.3) {
                args.push_str(&format!(", label_smoothing = {ls:?}"));
            }
            if !from_logits {
                args.push_str(", from_logits = false");
            }
            if weighted {
                args.push_str(", weight = w");
            }
            args.push_str(red.arg());
            let text = format!(
                "input p: {f}[N, C]\ntarget y: {f}[N, C]\ntarget w: {f}[C]\ntarget c: f64[N]\nloss main = {}",
                red.wrap(&format!("cce(p, y{args})")),
                f = fl.name()
            );
            let mut losses = Vec::new();
            let mut grads = Vec::new();
            for (prow, yrow) in p.chunks(c).zip(y.chunks(c)) {
                let (l, g) = cce_row(prow, yrow, weighted.then_some(&w[..]), ls, from_logits);
                losses.push(l);
                grads.extend(g);
            }
            let (v, g) = reduce_parts(&losses, &grads, red, &coef);
            let ins = used_inputs(
                &text,
                inputs(vec![
                    ("p", fl.data(&[n, c], &p)),
                    ("y", fl.data(&[n, c], &y)),
                    ("w", fl.data(&[c], &w)),
                    ("c", f64_data(&[n], &coef)),
                ]),
            );
            check(
                &text,
                &ins,
                v,
                &[("p", &g)],
                &format!("trial {trial} {}", fl.name()),
            );
        }
    }
}

#[test]
fn cce_extreme() {
    // Logits of ±1e4 with the target on the smallest logit (loss 2e4), soft
    // targets with zeros, class weights and smoothing.
    let c = 3;
    let p = vec![
        1e4, -1e4, 0.0, -1e4, 1e4, 1e4, 800.0, -800.0, 0.0, 0.0, 0.0, 0.0, 50.0, -50.0, 700.0,
    ];
    let y = vec![
        0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.2, 0.3, 0.5, 0.0, 0.0, 1.0,
    ];
    let w = vec![0.5, 2.0, 1.5];
    let n = p.len() / c;
    for ls in [0.0, 0.1] {
        for weighted in [false, true] {
            let text = format!(
                "input p: f64[N, C]\ntarget y: f64[N, C]\ntarget w: f64[C]\nloss main = cce(p, y, label_smoothing = {ls:?}{})",
                if weighted { ", weight = w" } else { "" }
            );
            let mut losses = Vec::new();
            let mut grads = Vec::new();
            for (prow, yrow) in p.chunks(c).zip(y.chunks(c)) {
                let (l, g) = cce_row(prow, yrow, weighted.then_some(&w[..]), ls, true);
                losses.push(l);
                grads.extend(g);
            }
            let (v, g) = reduce_parts(&losses, &grads, Red::Mean, &[]);
            assert!(v.is_finite());
            let ins = used_inputs(
                &text,
                inputs(vec![
                    ("p", f64_data(&[n, c], &p)),
                    ("y", f64_data(&[n, c], &y)),
                    ("w", f64_data(&[c], &w)),
                ]),
            );
            check(&text, &ins, v, &[("p", &g)], "extreme");
            native(&text, &ins);
        }
    }
}

// ---- sparse_cce and nll ------------------------------------------------------------------

/// One random integer-label case for `sparse_cce` (logits or probabilities)
/// or `nll` (log-probabilities): optional class weights, ignore_index
/// (default -100 or a real class), smoothing (sparse_cce only), any
/// reduction and either `empty`.
fn integer_label_case(rng: &mut Rng, fl: Float, scores: Scores, ctx: &str) {
    let rank3 = rng.bool(0.25);
    let (n, d, c) = (
        rng.usize(1, 6),
        if rank3 { rng.usize(1, 3) } else { 1 },
        rng.usize(2, 5),
    );
    let rows = n * d;
    let p = fl.round(match scores {
        Scores::Logits => rng.normals(rows * c, 3.0),
        Scores::Probs => (0..rows).flat_map(|_| rng.simplex(c)).collect(),
        Scores::LogProbs => (0..rows)
            .flat_map(|_| rng.simplex(c).into_iter().map(f64::ln))
            .collect(),
    });
    let ignore = if rng.bool(0.3) {
        rng.int(0, c as i64 - 1)
    } else {
        -100
    };
    let labels: Vec<i64> = (0..rows)
        .map(|_| {
            if rng.bool(0.25) {
                ignore
            } else {
                rng.int(0, c as i64 - 1)
            }
        })
        .collect();
    let weighted = rng.bool(0.5);
    let w = fl.round(rng.uniforms(c, 0.1, 3.0));
    let ls = if scores == Scores::LogProbs {
        0.0
    } else {
        rng.pick(&[0.0, 0.1, 0.3])
    };
    let red = rng.pick(&REDS);
    let empty = rng.pick(&["nan", "zero"]);
    let coef = coefs(rng, rows);

    let mut args = String::new();
    if weighted {
        args.push_str(", weight = w");
    }
    if ignore != -100 || rng.bool(0.3) {
        args.push_str(&format!(", ignore_index = {ignore}"));
    }
    if ls != 0.0 {
        args.push_str(&format!(", label_smoothing = {ls:?}"));
    }
    if scores == Scores::Probs {
        args.push_str(", from_logits = false");
    }
    if empty != "nan" || rng.bool(0.3) {
        args.push_str(&format!(", empty = \"{empty}\""));
    }
    args.push_str(red.arg());
    let name = if scores == Scores::LogProbs {
        "nll"
    } else {
        "sparse_cce"
    };
    let (ps, ls_shape) = if rank3 {
        ("N, D, C", "N, D")
    } else {
        ("N, C", "N")
    };
    let text = format!(
        "input p: {f}[{ps}]\ntarget y: i64[{ls_shape}]\ntarget w: {f}[C]\ntarget c: f64[{ls_shape}]\nloss main = {}",
        red.wrap(&format!("{name}(p, y{args})")),
        f = fl.name()
    );
    let r = class_rows(
        &p,
        &labels,
        c,
        weighted.then_some(&w[..]),
        ignore,
        ls,
        scores,
    );
    let (v, g) = reduce_rows(&r, red, empty, &coef);
    let (pshape, lshape): (Vec<usize>, Vec<usize>) = if rank3 {
        (vec![n, d, c], vec![n, d])
    } else {
        (vec![n, c], vec![n])
    };
    let lab = labels_data(rng, &lshape, &labels);
    let ins = used_inputs(
        &text,
        inputs(vec![
            ("p", fl.data(&pshape, &p)),
            ("y", lab),
            ("w", fl.data(&[c], &w)),
            ("c", f64_data(&lshape, &coef)),
        ]),
    );
    // Every row ignored with a mean and empty = "nan" gives NaN as PyTorch,
    // with a zero gradient (nothing contributes); `check` expects exactly that.
    let ctx = format!("{ctx} {} labels {labels:?}", fl.name());
    check(&text, &ins, v, &[("p", &g)], &ctx);
}

#[test]
fn sparse_cce_random() {
    let mut rng = rng("sparse_cce_random");
    for trial in 0..24 {
        for fl in FLOATS {
            let scores = if trial % 4 == 3 {
                Scores::Probs
            } else {
                Scores::Logits
            };
            integer_label_case(&mut rng, fl, scores, &format!("trial {trial}"));
        }
    }
}

#[test]
fn nll_random() {
    let mut rng = rng("nll_random");
    for trial in 0..16 {
        for fl in FLOATS {
            integer_label_case(&mut rng, fl, Scores::LogProbs, &format!("trial {trial}"));
        }
    }
}

#[test]
fn nll_of_log_softmax_is_sparse_cce() {
    let mut rng = rng("nll_of_log_softmax_is_sparse_cce");
    let (n, c) = (5, 4);
    let p = rng.normals(n * c, 2.0);
    let labels: Vec<i64> = vec![0, 3, -100, 1, 2];
    let w = rng.uniforms(c, 0.2, 2.0);
    let ins = inputs(vec![
        ("p", f64_data(&[n, c], &p)),
        ("y", i64_data(&[n], &labels)),
        ("w", f64_data(&[c], &w)),
    ]);
    let decl = "input p: f64[N, C]\ntarget y: i64[N]\ntarget w: f64[C]\n";
    let a = eval(
        &format!("{decl}nll(log_softmax(p), y, weight = w)"),
        None,
        &ins,
    );
    let r = class_rows(&p, &labels, c, Some(&w), -100, 0.0, Scores::Logits);
    let (v, g) = reduce_rows(&r, Red::Mean, "nan", &[]);
    assert_close(a.value, v, V_RTOL, V_ATOL, "nll(log_softmax)");
    assert_all_close(
        &grad(&a, "p"),
        &g,
        G_RTOL,
        G_ATOL,
        "nll(log_softmax) gradient",
    );
}

/// Inputs for the empty-batch cases: every label ignored, or weights of 0.
fn empty_case(labels: &[i64], w: &[f64]) -> (OwnedInputs, Vec<f64>) {
    let (n, c) = (labels.len(), w.len());
    let p: Vec<f64> = (0..n * c).map(|i| ((i * 7) % 5) as f64 - 2.0).collect();
    (
        inputs(vec![
            ("p", f64_data(&[n, c], &p)),
            ("y", i64_data(&[n], labels)),
            ("w", f64_data(&[c], w)),
        ]),
        p,
    )
}

#[test]
fn all_ignored_rows() {
    // PyTorch: the mean of nothing is NaN, with a zero gradient. `empty =
    // "zero"` gives 0 and a zero gradient; sum and none give 0 either way.
    let labels = [-100, -100, -100];
    let w = [0.5, 1.0, 2.0];
    let (ins, p) = empty_case(&labels, &w);
    let zero = vec![0.0; p.len()];
    let decl = "input p: f64[N, C]\ntarget y: i64[N]\ntarget w: f64[C]\nloss main = ";
    for loss in ["sparse_cce", "nll"] {
        for opts in [
            "",
            ", weight = w",
            ", label_smoothing = 0.2",
            ", weight = w, label_smoothing = 0.2",
        ] {
            if loss == "nll" && opts.contains("smoothing") {
                continue;
            }
            let nan = format!("{decl}{loss}(p, y{opts})");
            let r = eval(&nan, None, &ins);
            assert!(r.value.is_nan(), "`{nan}`: {} should be NaN", r.value);
            assert_all_close(&grad(&r, "p"), &zero, 0.0, 0.0, &nan);
            let explicit = format!("{decl}{loss}(p, y{opts}, empty = \"nan\")");
            assert!(eval(&explicit, None, &ins).value.is_nan(), "`{explicit}`");
            for text in [
                format!("{decl}{loss}(p, y{opts}, empty = \"zero\")"),
                format!("{decl}{loss}(p, y{opts}, reduction = \"sum\")"),
                format!("{decl}sum({loss}(p, y{opts}, reduction = \"none\"))"),
                format!("{decl}{loss}(p, y{opts}, reduction = \"sum\", empty = \"zero\")"),
            ] {
                check(&text, &ins, 0.0, &[("p", &zero)], "all ignored");
                native(&text, &ins);
            }
        }
    }
}

#[test]
fn all_zero_class_weights() {
    // The labels present all have weight 0: the weighted mean is 0/0. PyTorch
    // returns NaN (value and gradient); `empty = "zero"` returns 0 with a zero
    // gradient.
    let labels = [1, 1, -100, 1];
    let w = [0.7, 0.0, 2.0];
    let (ins, p) = empty_case(&labels, &w);
    let zero = vec![0.0; p.len()];
    let decl = "input p: f64[N, C]\ntarget y: i64[N]\ntarget w: f64[C]\nloss main = ";
    // PyTorch's gradient: NaN on the rows not ignored (their weight 0 over a
    // total of 0), 0 on the ignored row.
    let pattern = |g: &[f64], what: &str| {
        for (i, x) in g.iter().enumerate() {
            if labels[i / 3] == -100 {
                assert_eq!(*x, 0.0, "{what}: d/dp[{i}]");
            } else {
                assert!(x.is_nan(), "{what}: d/dp[{i}] = {x}, want NaN");
            }
        }
    };
    for loss in ["sparse_cce(p, y, weight = w", "nll(p, y, weight = w"] {
        let r = eval(&format!("{decl}{loss})"), None, &ins);
        assert!(r.value.is_nan(), "`{loss})`: {}", r.value);
        pattern(&grad(&r, "p"), loss);
        let text = format!("{decl}{loss}, empty = \"zero\")");
        check(&text, &ins, 0.0, &[("p", &zero)], "zero weights");
        native(&text, &ins);
    }
    // With smoothing the other classes' weights give the smoothing part a
    // nonzero numerator over the total of 0: PyTorch's NaN, not inf.
    let r = eval(
        &format!("{decl}sparse_cce(p, y, weight = w, label_smoothing = 0.2)"),
        None,
        &ins,
    );
    assert!(r.value.is_nan(), "smoothing over a zero total: {}", r.value);
    pattern(&grad(&r, "p"), "smoothing over a zero total");
    let text =
        format!("{decl}sparse_cce(p, y, weight = w, label_smoothing = 0.2, empty = \"zero\")");
    check(
        &text,
        &ins,
        0.0,
        &[("p", &zero)],
        "smoothing over a zero total, zero",
    );
    // With smoothing and every class weight 0, the smoothing term is 0 too.
    let (ins, _) = empty_case(&labels, &[0.0, 0.0, 0.0]);
    let text =
        format!("{decl}sparse_cce(p, y, weight = w, label_smoothing = 0.3, empty = \"zero\")");
    check(
        &text,
        &ins,
        0.0,
        &[("p", &zero)],
        "all weights 0, smoothing",
    );
    let r = eval(
        &format!("{decl}sparse_cce(p, y, weight = w, label_smoothing = 0.3)"),
        None,
        &ins,
    );
    assert!(r.value.is_nan());
    // Sum and none are plain sums of zeros: 0 with a zero gradient.
    let text = format!("{decl}sparse_cce(p, y, weight = w, reduction = \"sum\")");
    check(&text, &ins, 0.0, &[("p", &zero)], "zero weights, sum");
}

#[test]
fn empty_zero_is_the_mean_when_not_empty() {
    // `empty = "zero"` changes nothing when some row has weight.
    let mut rng = rng("empty_zero_is_the_mean_when_not_empty");
    let (n, c) = (6, 3);
    let p = rng.normals(n * c, 2.0);
    let labels = vec![0, -100, 2, 1, -100, 2];
    let w = rng.uniforms(c, 0.2, 2.0);
    let ins = inputs(vec![
        ("p", f64_data(&[n, c], &p)),
        ("y", i64_data(&[n], &labels)),
        ("w", f64_data(&[c], &w)),
    ]);
    let r = class_rows(&p, &labels, c, Some(&w), -100, 0.1, Scores::Logits);
    let (v, g) = reduce_rows(&r, Red::Mean, "zero", &[]);
    let text = "input p: f64[N, C]\ntarget y: i64[N]\ntarget w: f64[C]\nloss main = sparse_cce(p, y, weight = w, label_smoothing = 0.1, empty = \"zero\")";
    check(text, &ins, v, &[("p", &g)], "empty zero, not empty");
    native(text, &ins);
}

#[test]
fn sparse_cce_probabilities_at_zero_and_one() {
    // from_logits = false: probabilities of exactly 0 (log clamped at -100,
    // zero gradient there) and 1, with smoothing and weights.
    let c = 3;
    let p = vec![
        0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.2, 0.3, 0.5, 1e-50, 1.0, 0.0,
    ];
    let labels = vec![0, 0, 2, 1, 0];
    let w = vec![0.5, 2.0, 1.0];
    let n = labels.len();
    for ls in [0.0, 0.2] {
        for weighted in [false, true] {
            for red in [Red::Mean, Red::Sum, Red::None] {
                let coef = vec![1.0, -0.5, 2.0, 0.3, 1.5];
                let text = format!(
                    "input p: f64[N, C]\ntarget y: i64[N]\ntarget w: f64[C]\ntarget c: f64[N]\nloss main = {}",
                    red.wrap(&format!(
                        "sparse_cce(p, y, from_logits = false, label_smoothing = {ls:?}{}{})",
                        if weighted { ", weight = w" } else { "" },
                        red.arg()
                    ))
                );
                let r = class_rows(
                    &p,
                    &labels,
                    c,
                    weighted.then_some(&w[..]),
                    -100,
                    ls,
                    Scores::Probs,
                );
                let (v, g) = reduce_rows(&r, red, "nan", &coef);
                assert!(v.is_finite() && g.iter().all(|x| x.is_finite()));
                let ins = used_inputs(
                    &text,
                    inputs(vec![
                        ("p", f64_data(&[n, c], &p)),
                        ("y", i64_data(&[n], &labels)),
                        ("w", f64_data(&[c], &w)),
                        ("c", f64_data(&[n], &coef)),
                    ]),
                );
                check(&text, &ins, v, &[("p", &g)], "boundary probabilities");
                native(&text, &ins);
            }
        }
    }
}

#[test]
fn sparse_cce_and_nll_extreme() {
    // Logits of ±1e4 (label on the smallest: loss 2e4) with every option.
    let c = 3;
    let p = vec![
        1e4, -1e4, 0.0, 1e4, -1e4, 0.0, 50.0, -50.0, 50.0, -800.0, 800.0, 0.0, 0.0, 0.0, 0.0,
    ];
    let labels = vec![0, 1, 1, 0, -100];
    let w = vec![0.5, 2.0, 1.0];
    let n = labels.len();
    let coef = vec![1.0, -0.5, 2.0, 0.3, 1.5];
    for ls in [0.0, 0.2] {
        for weighted in [false, true] {
            for red in [Red::Mean, Red::Sum, Red::None] {
                let text = format!(
                    "input p: f64[N, C]\ntarget y: i64[N]\ntarget w: f64[C]\ntarget c: f64[N]\nloss main = {}",
                    red.wrap(&format!(
                        "sparse_cce(p, y, label_smoothing = {ls:?}{}{})",
                        if weighted { ", weight = w" } else { "" },
                        red.arg()
                    ))
                );
                let r = class_rows(
                    &p,
                    &labels,
                    c,
                    weighted.then_some(&w[..]),
                    -100,
                    ls,
                    Scores::Logits,
                );
                let (v, g) = reduce_rows(&r, red, "nan", &coef);
                assert!(v.is_finite());
                let ins = used_inputs(
                    &text,
                    inputs(vec![
                        ("p", f64_data(&[n, c], &p)),
                        ("y", i64_data(&[n], &labels)),
                        ("w", f64_data(&[c], &w)),
                        ("c", f64_data(&[n], &coef)),
                    ]),
                );
                check(&text, &ins, v, &[("p", &g)], "extreme");
                native(&text, &ins);
            }
        }
    }
    // nll on log-probabilities of -1e4 (a probability of e^-1e4).
    let lp = vec![0.0, -1e4, -1e4, -1e4, 0.0, -800.0, -0.5, -1.0, -2.0];
    let labels = vec![1, 1, 2];
    let r = class_rows(&lp, &labels, 3, Some(&w), -100, 0.0, Scores::LogProbs);
    let (v, g) = reduce_rows(&r, Red::Mean, "nan", &[]);
    let text =
        "input p: f64[N, C]\ntarget y: i64[N]\ntarget w: f64[C]\nloss main = nll(p, y, weight = w)";
    let ins = inputs(vec![
        ("p", f64_data(&[3, 3], &lp)),
        ("y", i64_data(&[3], &labels)),
        ("w", f64_data(&[3], &w)),
    ]);
    check(text, &ins, v, &[("p", &g)], "nll extreme");
    native(text, &ins);
}

// ---- focal ---------------------------------------------------------------------------

#[test]
fn focal_label_smoothing_random() {
    let mut rng = rng("focal_label_smoothing_random");
    for trial in 0..20 {
        for fl in FLOATS {
            let rank2 = rng.bool(0.5);
            let (n, c) = (rng.usize(1, 5), if rank2 { rng.usize(1, 4) } else { 1 });
            let shape: Vec<usize> = if rank2 { vec![n, c] } else { vec![n] };
            let len = n * c;
            let p = fl.round(rng.normals(len, 3.0));
            let y: Vec<f64> = (0..len)
                .map(|_| f64::from(u8::from(rng.bool(0.5))))
                .collect();
            let gamma = rng.pick(&[0.0, 0.5, 1.0, 1.5, 2.0, 3.0]);
            let alpha = if rng.bool(0.5) {
                None
            } else {
                Some(rng.pick(&[0.25, 0.75]))
            };
            let ls = rng.pick(&[0.0, 0.05, 0.1, 0.3, 1.0]);
            let red = rng.pick(&REDS);
            let coef = coefs(&mut rng, len);
            let alpha_text = alpha.map_or("none".to_string(), |a| format!("{a:?}"));
            let st = shape_text(&shape);
            let text = format!(
                "input p: {f}[{st}]\ntarget y: {f}[{st}]\ntarget c: f64[{st}]\nloss main = {}",
                red.wrap(&format!(
                    "focal(p, y, gamma = {gamma:?}, alpha = {alpha_text}, label_smoothing = {ls:?}{})",
                    red.arg()
                )),
                f = fl.name()
            );
            let parts: Vec<(f64, f64)> = (0..len)
                .map(|i| focal_elem(p[i], y[i], gamma, alpha, ls))
                .collect();
            let (v, g) = reduce_parts(
                &parts.iter().map(|x| x.0).collect::<Vec<_>>(),
                &parts.iter().map(|x| x.1).collect::<Vec<_>>(),
                red,
                &coef,
            );
            let ins = used_inputs(
                &text,
                inputs(vec![
                    ("p", fl.data(&shape, &p)),
                    ("y", fl.data(&shape, &y)),
                    ("c", f64_data(&shape, &coef)),
                ]),
            );
            check(
                &text,
                &ins,
                v,
                &[("p", &g)],
                &format!("trial {trial} {}", fl.name()),
            );
        }
    }
}

#[test]
fn focal_label_smoothing_extreme() {
    // Saturated logits with smoothed targets: 1 - p_t is at least ls/2, so
    // every gamma (including gamma < 1) is finite and smooth.
    let mut p = Vec::new();
    let mut y = Vec::new();
    for &x in &EXTREME_LOGITS {
        for t in [0.0, 1.0] {
            p.push(x);
            y.push(t);
        }
    }
    let n = p.len();
    for gamma in [0.0, 0.5, 1.0, 2.0, 2.5] {
        for alpha in [None, Some(0.25)] {
            for ls in [0.1, 0.01] {
                let alpha_text = alpha.map_or("none".to_string(), |a| format!("{a:?}"));
                let text = format!(
                    "focal(gamma = {gamma:?}, alpha = {alpha_text}, label_smoothing = {ls:?})"
                );
                let parts: Vec<(f64, f64)> = (0..n)
                    .map(|i| focal_elem(p[i], y[i], gamma, alpha, ls))
                    .collect();
                let (v, g) = reduce_parts(
                    &parts.iter().map(|x| x.0).collect::<Vec<_>>(),
                    &parts.iter().map(|x| x.1).collect::<Vec<_>>(),
                    Red::Mean,
                    &[],
                );
                assert!(v.is_finite() && g.iter().all(|x| x.is_finite()));
                let ins = inputs(vec![
                    ("pred", f64_data(&[n], &p)),
                    ("target", f64_data(&[n], &y)),
                ]);
                check(&text, &ins, v, &[("pred", &g)], "extreme");
                native(&text, &ins);
            }
        }
    }
}

#[test]
fn focal_gamma_may_be_a_runtime_input() {
    // As before label smoothing was added: gamma may be an input (a scalar
    // target), evaluated elementwise on both sides of gamma = 1.
    let mut rng = rng("focal_gamma_may_be_a_runtime_input");
    let n = 7;
    let p = rng.normals(n, 3.0);
    let y: Vec<f64> = (0..n).map(|_| f64::from(u8::from(rng.bool(0.5)))).collect();
    for gamma in [0.5, 2.0] {
        let parts: Vec<(f64, f64)> = (0..n)
            .map(|i| focal_elem(p[i], y[i], gamma, Some(0.25), 0.0))
            .collect();
        let (v, g) = reduce_parts(
            &parts.iter().map(|x| x.0).collect::<Vec<_>>(),
            &parts.iter().map(|x| x.1).collect::<Vec<_>>(),
            Red::Mean,
            &[],
        );
        let ins = inputs(vec![
            ("p", f64_data(&[n], &p)),
            ("y", f64_data(&[n], &y)),
            ("g", f64_data(&[], &[gamma])),
        ]);
        let text = "input p: f64[N]\ntarget y: f64[N]\ntarget g: f64\nloss main = focal(p, y, gamma = g, alpha = 0.25)";
        check(
            text,
            &ins,
            v,
            &[("p", &g)],
            &format!("runtime gamma {gamma}"),
        );
    }
}

// ---- categorical_focal ------------------------------------------------------------------

/// One random categorical_focal (or poly1) case with random rank, options
/// and reduction.
fn softmax_label_case(rng: &mut Rng, fl: Float, poly: bool, ctx: &str) {
    let rank3 = rng.bool(0.25);
    let (n, d, c) = (
        rng.usize(1, 5),
        if rank3 { rng.usize(1, 3) } else { 1 },
        rng.usize(1, 5),
    );
    let rows = n * d;
    let p = fl.round(rng.normals(rows * c, 3.0));
    let labels: Vec<i64> = (0..rows).map(|_| rng.int(0, c as i64 - 1)).collect();
    let gamma = rng.pick(&[0.0, 0.5, 1.0, 2.0, 2.5]);
    let alpha_kind = rng.usize(0, 2);
    let alpha_scalar = rng.pick(&[0.25, 1.5]);
    let alpha_vec = fl.round(rng.uniforms(c, 0.1, 2.0));
    let eps = rng.pick(&[1.0, -1.0, 2.5, 0.0]);
    let ls = rng.pick(&[0.0, 0.1, 0.3]);
    let red = rng.pick(&REDS);
    let coef = coefs(rng, rows);
    let mut args = String::new();
    if poly {
        if eps != 1.0 || rng.bool(0.3) {
            args.push_str(&format!(", epsilon = {eps:?}"));
        }
    } else {
        if gamma != 2.0 || rng.bool(0.3) {
            args.push_str(&format!(", gamma = {gamma:?}"));
        }
        match alpha_kind {
            1 => args.push_str(&format!(", alpha = {alpha_scalar:?}")),
            2 => args.push_str(", alpha = a"),
            _ => {}
        }
    }
    if ls != 0.0 || rng.bool(0.3) {
        args.push_str(&format!(", label_smoothing = {ls:?}"));
    }
    args.push_str(red.arg());
    let name = if poly { "poly1" } else { "categorical_focal" };
    let (ps, lsh) = if rank3 {
        ("N, D, C", "N, D")
    } else {
        ("N, C", "N")
    };
    let text = format!(
        "input p: {f}[{ps}]\ntarget y: i64[{lsh}]\ntarget a: {f}[C]\ntarget c: f64[{lsh}]\nloss main = {}",
        red.wrap(&format!("{name}(p, y{args})")),
        f = fl.name()
    );
    let alpha: Vec<f64> = match alpha_kind {
        1 => vec![alpha_scalar; c],
        2 => alpha_vec.clone(),
        _ => vec![1.0; c],
    };
    let mut losses = Vec::new();
    let mut grads = Vec::new();
    for (prow, &y) in p.chunks(c).zip(&labels) {
        let (l, g) = if poly {
            poly1_row(prow, y as usize, eps, ls)
        } else {
            cfocal_row(prow, y as usize, gamma, &alpha, ls)
        };
        losses.push(l);
        grads.extend(g);
    }
    let (v, g) = reduce_parts(&losses, &grads, red, &coef);
    let (pshape, lshape): (Vec<usize>, Vec<usize>) = if rank3 {
        (vec![n, d, c], vec![n, d])
    } else {
        (vec![n, c], vec![n])
    };
    let lab = labels_data(rng, &lshape, &labels);
    let ins = used_inputs(
        &text,
        inputs(vec![
            ("p", fl.data(&pshape, &p)),
            ("y", lab),
            ("a", fl.data(&[c], &alpha_vec)),
            ("c", f64_data(&lshape, &coef)),
        ]),
    );
    check(
        &text,
        &ins,
        v,
        &[("p", &g)],
        &format!("{ctx} {} labels {labels:?}", fl.name()),
    );
}

#[test]
fn categorical_focal_random() {
    let mut rng = rng("categorical_focal_random");
    for trial in 0..24 {
        for fl in FLOATS {
            softmax_label_case(&mut rng, fl, false, &format!("trial {trial}"));
        }
    }
}

#[test]
fn categorical_focal_gamma_zero_is_cross_entropy() {
    // gamma = 0, no alpha: exactly sparse_cce (also with smoothing, whose
    // Keras form Σ_c ys_c (-log q_c) is PyTorch's).
    let mut rng = rng("categorical_focal_gamma_zero_is_cross_entropy");
    let (n, c) = (5, 4);
    let p = rng.normals(n * c, 3.0);
    let labels: Vec<i64> = (0..n).map(|_| rng.int(0, c as i64 - 1)).collect();
    let ins = inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", i64_data(&[n], &labels)),
    ]);
    for ls in [0.0, 0.2] {
        let a = eval(
            &format!("categorical_focal(gamma = 0, label_smoothing = {ls:?})"),
            None,
            &ins,
        );
        let b = eval(&format!("sparse_cce(label_smoothing = {ls:?})"), None, &ins);
        assert_close(a.value, b.value, V_RTOL, V_ATOL, "gamma 0 value");
        assert_all_close(
            &grad(&a, "pred"),
            &grad(&b, "pred"),
            G_RTOL,
            G_ATOL,
            "gamma 0 gradient",
        );
    }
}

/// Rows with saturated, tied and huge logits for the softmax-label losses,
/// each paired with a label (`[N, 3]`).
fn extreme_rows() -> (Vec<f64>, Vec<i64>) {
    let rows: Vec<([f64; 3], i64)> = vec![
        ([1e4, -1e4, 0.0], 0), // certain and right: loss 0
        ([1e4, -1e4, 0.0], 1), // certain and wrong: loss ~2e4
        ([-1e4, 1e4, 1e4], 2), // tie between two huge logits
        ([800.0, -800.0, 0.0], 2),
        ([50.0, 0.0, 0.0], 0),   // 1 - q = 4e-22
        ([0.0, 0.0, 0.0], 1),    // uniform
        ([-1e4, -1e4, -1e4], 0), // uniform at -1e4
        ([3.0, -2.0, 0.5], 2),
        ([0.0, -720.0, -1e4], 0), // 1 - q = e^-720, a subnormal
        ([-1e4, 0.0, -740.0], 1), // 1 - q = e^-740
        ([30.0, 0.0, -1.0], 0),   // 1 - q = 1.3e-13
    ];
    let p = rows.iter().flat_map(|r| r.0).collect();
    let y = rows.iter().map(|r| r.1).collect();
    (p, y)
}

#[test]
fn categorical_focal_and_poly1_extreme() {
    let (p, labels) = extreme_rows();
    let (n, c) = (labels.len(), 3);
    let a = vec![0.25, 2.0, 1.0];
    for poly in [false, true] {
        for gamma in [0.0, 0.5, 1.0, 2.0, 1.5] {
            if poly && gamma != 0.0 {
                continue;
            }
            for ls in [0.0, 0.1] {
                for alpha in [false, true] {
                    if poly && alpha {
                        continue;
                    }
                    let text = if poly {
                        format!(
                            "input p: f64[N, C]\ntarget y: i64[N]\nloss main = poly1(p, y, epsilon = 2.0, label_smoothing = {ls:?})"
                        )
                    } else {
                        format!(
                            "input p: f64[N, C]\ntarget y: i64[N]\ntarget a: f64[C]\nloss main = categorical_focal(p, y, gamma = {gamma:?}, label_smoothing = {ls:?}{})",
                            if alpha { ", alpha = a" } else { "" }
                        )
                    };
                    let alpha_v = if alpha { a.clone() } else { vec![1.0; c] };
                    let mut losses = Vec::new();
                    let mut grads = Vec::new();
                    for (prow, &y) in p.chunks(c).zip(&labels) {
                        let (l, g) = if poly {
                            poly1_row(prow, y as usize, 2.0, ls)
                        } else {
                            cfocal_row(prow, y as usize, gamma, &alpha_v, ls)
                        };
                        losses.push(l);
                        grads.extend(g);
                    }
                    let (v, g) = reduce_parts(&losses, &grads, Red::Mean, &[]);
                    assert!(v.is_finite() && g.iter().all(|x| x.is_finite()));
                    let ins = used_inputs(
                        &text,
                        inputs(vec![
                            ("p", f64_data(&[n, c], &p)),
                            ("y", i64_data(&[n], &labels)),
                            ("a", f64_data(&[c], &a)),
                        ]),
                    );
                    check(&text, &ins, v, &[("p", &g)], "extreme");
                    native(&text, &ins);
                }
            }
        }
    }
}

// ---- poly1 ----------------------------------------------------------------------------

#[test]
fn poly1_random() {
    let mut rng = rng("poly1_random");
    for trial in 0..20 {
        for fl in FLOATS {
            softmax_label_case(&mut rng, fl, true, &format!("trial {trial}"));
        }
    }
}

#[test]
fn poly1_epsilon_zero_is_cross_entropy() {
    let mut rng = rng("poly1_epsilon_zero_is_cross_entropy");
    let (n, c) = (5, 4);
    let p = rng.normals(n * c, 3.0);
    let labels: Vec<i64> = (0..n).map(|_| rng.int(0, c as i64 - 1)).collect();
    let ins = inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", i64_data(&[n], &labels)),
    ]);
    for ls in [0.0, 0.2] {
        let a = eval(
            &format!("poly1(epsilon = 0, label_smoothing = {ls:?})"),
            None,
            &ins,
        );
        let b = eval(&format!("sparse_cce(label_smoothing = {ls:?})"), None, &ins);
        assert_close(a.value, b.value, V_RTOL, V_ATOL, "epsilon 0 value");
        assert_all_close(
            &grad(&a, "pred"),
            &grad(&b, "pred"),
            G_RTOL,
            G_ATOL,
            "epsilon 0 gradient",
        );
    }
}

// ---- hinge family --------------------------------------------------------------------------

#[test]
fn hinge_and_squared_hinge_random() {
    let mut rng = rng("hinge_and_squared_hinge_random");
    for trial in 0..24 {
        for fl in FLOATS {
            let rank2 = rng.bool(0.5);
            let (n, c) = (rng.usize(1, 5), if rank2 { rng.usize(1, 4) } else { 1 });
            let shape: Vec<usize> = if rank2 { vec![n, c] } else { vec![n] };
            let len = n * c;
            let p = fl.round(rng.normals(len, 2.0));
            let y: Vec<f64> = match trial % 3 {
                0 => (0..len).map(|_| rng.pick(&[-1.0, 1.0])).collect(),
                1 => (0..len).map(|_| rng.pick(&[0.0, 1.0])).collect(),
                // a -1 forces "not all 0/1": no mapping, 0 targets give loss 1
                _ => (0..len)
                    .map(|i| {
                        if i == 0 {
                            -1.0
                        } else {
                            rng.pick(&[-1.0, 0.0, 1.0])
                        }
                    })
                    .collect(),
            };
            let power = if rng.bool(0.5) { 1 } else { 2 };
            let red = rng.pick(&REDS);
            let coef = coefs(&mut rng, len);
            let name = if power == 1 { "hinge" } else { "squared_hinge" };
            let st = shape_text(&shape);
            let text = format!(
                "input p: {f}[{st}]\ntarget y: {f}[{st}]\ntarget c: f64[{st}]\nloss main = {}",
                red.wrap(&format!("{name}(p, y{})", red.arg())),
                f = fl.name()
            );
            let s = hinge_signs(&y);
            let parts: Vec<(f64, f64)> = (0..len).map(|i| hinge_elem(p[i], s[i], power)).collect();
            let (v, g) = reduce_parts(
                &parts.iter().map(|x| x.0).collect::<Vec<_>>(),
                &parts.iter().map(|x| x.1).collect::<Vec<_>>(),
                red,
                &coef,
            );
            let ins = used_inputs(
                &text,
                inputs(vec![
                    ("p", fl.data(&shape, &p)),
                    ("y", fl.data(&shape, &y)),
                    ("c", f64_data(&shape, &coef)),
                ]),
            );
            check(
                &text,
                &ins,
                v,
                &[("p", &g)],
                &format!("trial {trial} {} y {y:?}", fl.name()),
            );
        }
    }
}

#[test]
fn squared_hinge_extreme_and_integer_targets() {
    let mut p = Vec::new();
    let mut y = Vec::new();
    for &x in &EXTREME_LOGITS {
        for t in [0i64, 1] {
            p.push(x);
            y.push(t);
        }
    }
    p.push(1.0); // exactly on the kink: gradient 0
    y.push(1);
    let n = p.len();
    let s = hinge_signs(&y.iter().map(|&t| t as f64).collect::<Vec<_>>());
    for (name, power) in [("squared_hinge", 2), ("hinge", 1)] {
        let parts: Vec<(f64, f64)> = (0..n).map(|i| hinge_elem(p[i], s[i], power)).collect();
        let (v, g) = reduce_parts(
            &parts.iter().map(|x| x.0).collect::<Vec<_>>(),
            &parts.iter().map(|x| x.1).collect::<Vec<_>>(),
            Red::Sum,
            &[],
        );
        let text = format!("{name}(reduction = \"sum\")");
        let ins = inputs(vec![
            ("pred", f64_data(&[n], &p)),
            ("target", i64_data(&[n], &y)),
        ]);
        check(&text, &ins, v, &[("pred", &g)], "extreme, i64 targets");
        native(&text, &ins);
    }
}

#[test]
fn categorical_hinge_random() {
    let mut rng = rng("categorical_hinge_random");
    for trial in 0..24 {
        for fl in FLOATS {
            let (n, c) = (rng.usize(1, 5), rng.usize(2, 5));
            let mut p = rng.normals(n * c, 1.5);
            if trial % 4 == 1 {
                // ties for the maximum of (1 - y) * p
                for row in p.chunks_mut(c) {
                    row[c - 1] = row[0];
                }
            }
            let p = fl.round(p);
            let y = fl.round(if trial % 3 == 2 {
                (0..n).flat_map(|_| rng.simplex(c)).collect()
            } else {
                (0..n)
                    .flat_map(|_| {
                        let k = rng.usize(0, c - 1);
                        (0..c).map(move |j| f64::from(u8::from(j == k)))
                    })
                    .collect()
            });
            let red = rng.pick(&REDS);
            let coef = coefs(&mut rng, n);
            let text = format!(
                "input p: {f}[N, C]\ntarget y: {f}[N, C]\ntarget c: f64[N]\nloss main = {}",
                red.wrap(&format!("categorical_hinge(p, y{})", red.arg())),
                f = fl.name()
            );
            let mut losses = Vec::new();
            let mut grads = Vec::new();
            for (prow, yrow) in p.chunks(c).zip(y.chunks(c)) {
                let (l, g) = cat_hinge_row(prow, yrow);
                losses.push(l);
                grads.extend(g);
            }
            let (v, g) = reduce_parts(&losses, &grads, red, &coef);
            let ins = used_inputs(
                &text,
                inputs(vec![
                    ("p", fl.data(&[n, c], &p)),
                    ("y", fl.data(&[n, c], &y)),
                    ("c", f64_data(&[n], &coef)),
                ]),
            );
            check(
                &text,
                &ins,
                v,
                &[("p", &g)],
                &format!("trial {trial} {}", fl.name()),
            );
        }
    }
}

#[test]
fn categorical_hinge_keras_negative_scores() {
    // As Keras: the target's own entry of (1 - y) * p is 0, so when every
    // other score is negative, neg = 0 and the loss is max(0, 1 - p_y).
    let p = [2.5, -3.0, -1.0, 0.4, -3.0, -1.0];
    let y = [0.0, 1.0, 0.0, 1.0, 0.0, 0.0];
    let ins = inputs(vec![
        ("pred", f64_data(&[2, 3], &p)),
        ("target", f64_data(&[2, 3], &y)),
    ]);
    // Row 0: pos = -3, neg = 2.5 -> 6.5. Row 1: pos = 0.4, neg = max(0, -3, -1) = 0 -> 0.6.
    let want = (6.5 + 0.6) / 2.0;
    let g = [0.5, -0.5, 0.0, -0.5, 0.0, 0.0];
    check(
        "categorical_hinge",
        &ins,
        want,
        &[("pred", &g)],
        "negative scores",
    );
}

#[test]
fn categorical_hinge_extreme() {
    let c = 3;
    let p = vec![
        1e4, -1e4, 0.0, -1e4, 1e4, 1e4, 800.0, -800.0, 0.0, 1e4, 1e4, -1e4,
    ];
    let y = vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.5, 0.5, 0.0];
    let n = p.len() / c;
    let mut losses = Vec::new();
    let mut grads = Vec::new();
    for (prow, yrow) in p.chunks(c).zip(y.chunks(c)) {
        let (l, g) = cat_hinge_row(prow, yrow);
        losses.push(l);
        grads.extend(g);
    }
    let (v, g) = reduce_parts(&losses, &grads, Red::Mean, &[]);
    let ins = inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", f64_data(&[n, c], &y)),
    ]);
    check("categorical_hinge", &ins, v, &[("pred", &g)], "extreme");
    native(
        "input pred: f32[N, C]\ntarget target: f32[N, C]\ncategorical_hinge",
        &ins,
    );
}

// ---- multi_margin ---------------------------------------------------------------------------

/// Logits whose hinge arguments margin - p_y + p_c stay 0.05 away from 0.
fn margin_logits(rng: &mut Rng, labels: &[i64], c: usize, margin: f64, scale: f64) -> Vec<f64> {
    let mut p = Vec::new();
    for &y in labels {
        loop {
            let row = rng.normals(c, scale);
            let ok =
                (0..c).all(|k| k == y as usize || (margin - row[y as usize] + row[k]).abs() > 0.05);
            if ok {
                p.extend(row);
                break;
            }
        }
    }
    p
}

#[test]
fn multi_margin_random() {
    let mut rng = rng("multi_margin_random");
    for trial in 0..24 {
        for fl in FLOATS {
            let rank3 = rng.bool(0.25);
            let (n, d, c) = (
                rng.usize(1, 5),
                if rank3 { rng.usize(1, 3) } else { 1 },
                rng.usize(1, 5),
            );
            let rows = n * d;
            let labels: Vec<i64> = (0..rows).map(|_| rng.int(0, c as i64 - 1)).collect();
            let margin = rng.pick(&[1.0, 0.5, 2.0, 0.0]);
            let p = fl.round(margin_logits(&mut rng, &labels, c, margin, 1.5));
            let power = rng.pick(&[1, 2]);
            let weighted = rng.bool(0.5);
            let w = fl.round(rng.uniforms(c, 0.1, 3.0));
            let red = rng.pick(&REDS);
            let coef = coefs(&mut rng, rows);
            let mut args = String::new();
            if power != 1 || rng.bool(0.3) {
                args.push_str(&format!(", p_norm = {power}"));
            }
            if margin != 1.0 || rng.bool(0.3) {
                args.push_str(&format!(", margin = {margin:?}"));
            }
            if weighted {
                args.push_str(", weight = w");
            }
            args.push_str(red.arg());
            let (ps, lsh) = if rank3 {
                ("N, D, C", "N, D")
            } else {
                ("N, C", "N")
            };
            let text = format!(
                "input p: {f}[{ps}]\ntarget y: i64[{lsh}]\ntarget w: {f}[C]\ntarget c: f64[{lsh}]\nloss main = {}",
                red.wrap(&format!("multi_margin(p, y{args})")),
                f = fl.name()
            );
            let mut losses = Vec::new();
            let mut grads = Vec::new();
            for (prow, &y) in p.chunks(c).zip(&labels) {
                let wy = if weighted { w[y as usize] } else { 1.0 };
                let (l, g) = multi_margin_row(prow, y as usize, power, margin, wy);
                losses.push(l);
                grads.extend(g);
            }
            let (v, g) = reduce_parts(&losses, &grads, red, &coef);
            let (pshape, lshape): (Vec<usize>, Vec<usize>) = if rank3 {
                (vec![n, d, c], vec![n, d])
            } else {
                (vec![n, c], vec![n])
            };
            let lab = labels_data(&mut rng, &lshape, &labels);
            let ins = used_inputs(
                &text,
                inputs(vec![
                    ("p", fl.data(&pshape, &p)),
                    ("y", lab),
                    ("w", fl.data(&[c], &w)),
                    ("c", f64_data(&lshape, &coef)),
                ]),
            );
            check(
                &text,
                &ins,
                v,
                &[("p", &g)],
                &format!("trial {trial} {} labels {labels:?}", fl.name()),
            );
        }
    }
}

#[test]
fn multi_margin_extreme() {
    let (p, labels) = extreme_rows();
    let (n, c) = (labels.len(), 3);
    let w = vec![0.5, 2.0, 1.0];
    for power in [1, 2] {
        for weighted in [false, true] {
            let text = format!(
                "input p: f64[N, C]\ntarget y: i64[N]\ntarget w: f64[C]\nloss main = multi_margin(p, y, p_norm = {power}{})",
                if weighted { ", weight = w" } else { "" }
            );
            let mut losses = Vec::new();
            let mut grads = Vec::new();
            for (prow, &y) in p.chunks(c).zip(&labels) {
                let wy = if weighted { w[y as usize] } else { 1.0 };
                let (l, g) = multi_margin_row(prow, y as usize, power, 1.0, wy);
                losses.push(l);
                grads.extend(g);
            }
            let (v, g) = reduce_parts(&losses, &grads, Red::Mean, &[]);
            assert!(v.is_finite());
            let ins = used_inputs(
                &text,
                inputs(vec![
                    ("p", f64_data(&[n, c], &p)),
                    ("y", i64_data(&[n], &labels)),
                    ("w", f64_data(&[c], &w)),
                ]),
            );
            check(&text, &ins, v, &[("p", &g)], "extreme");
            native(&text, &ins);
        }
    }
}

#[test]
fn small_losses_keep_their_relative_accuracy() {
    // One row, summed: the value and every gradient entry must be accurate
    // relative to themselves, not only to the O(1) scale of other rows.
    // multi_margin: the only active hinge is 1e-9 (the others are 0), summed
    // over the classes other than the label (not all classes minus the
    // label's term, which would leave ~1e-16 of the label's margin behind).
    let p = [2.0, 1.0 + 1e-9, -5.0, 1.0 - 1e-3];
    let (l, g) = multi_margin_row(&p, 0, 1, 1.0, 1.0);
    let (l2, g2) = multi_margin_row(&p, 0, 2, 1.0, 1.0);
    let ins = inputs(vec![
        ("pred", f64_data(&[1, 4], &p)),
        ("target", i64_data(&[1], &[0])),
    ]);
    for (text, l, g) in [
        ("multi_margin(reduction = \"sum\")", l, g),
        ("multi_margin(p_norm = 2, reduction = \"sum\")", l2, g2),
    ] {
        let r = eval(text, None, &ins);
        assert_close(r.value, l, 1e-12, 0.0, text);
        assert_all_close(&grad(&r, "pred"), &g, 1e-12, 0.0, text);
    }
    // categorical_focal / poly1 on a confident row (1 - q_y = 6.7e-4): the
    // label's 1 - q_y is summed from the other classes.
    let p = [8.0, 0.0, 0.0];
    let ins = inputs(vec![
        ("pred", f64_data(&[1, 3], &p)),
        ("target", i64_data(&[1], &[0])),
    ]);
    for gamma in [0.5, 1.0, 2.0, 3.0] {
        let (l, g) = cfocal_row(&p, 0, gamma, &[1.0; 3], 0.0);
        let text = format!("categorical_focal(gamma = {gamma:?}, reduction = \"sum\")");
        let r = eval(&text, None, &ins);
        assert_close(r.value, l, 1e-9, 0.0, &text);
        assert_all_close(&grad(&r, "pred"), &g, 1e-8, 0.0, &text);
    }
    let (l, g) = poly1_row(&p, 0, 1.0, 0.0);
    let r = eval("poly1(reduction = \"sum\")", None, &ins);
    assert_close(r.value, l, 1e-9, 0.0, "poly1");
    assert_all_close(&grad(&r, "pred"), &g, 1e-8, 0.0, "poly1");
}

// ---- finite differences ------------------------------------------------------------------

#[test]
fn gradients_match_finite_differences() {
    let mut rng = rng("gradients_match_finite_differences");
    let (n, c) = (4, 3);
    let logits = rng.normals(n * c, 2.0);
    let probs = rng.uniforms(n * c, 0.05, 0.95);
    // Probability rows kept away from 0 (and from cce's clamp at 1e-7): where
    // log(p) is differentiated, step-1e-6 differences lose ~(1e-6/p)^2.
    let rows: Vec<f64> = (0..n)
        .flat_map(|_| rng.simplex(c))
        .map(|p| 0.9 * p + 0.1 / c as f64)
        .collect();
    let log_rows: Vec<f64> = rows.iter().map(|x| x.ln()).collect();
    let ysoft = rng.uniforms(n * c, 0.0, 1.0);
    let y01: Vec<f64> = (0..n * c)
        .map(|_| f64::from(u8::from(rng.bool(0.5))))
        .collect();
    let labels: Vec<i64> = vec![0, 2, -100, 1];
    let labels_all: Vec<i64> = vec![0, 2, 1, 1];
    let w = rng.uniforms(c, 0.2, 2.0);
    let wfull = rng.uniforms(n * c, 0.2, 2.0);
    let coef = coefs(&mut rng, n);
    // hinge: 1 - s p away from 0; categorical hinge: margins and maxima away from kinks.
    let hinge_p: Vec<f64> = (0..n * c)
        .map(|_| {
            rng.uniform(0.1, 0.9) * if rng.bool(0.5) { 1.0 } else { -1.0 }
                + if rng.bool(0.5) { 0.0 } else { 2.0 }
        })
        .collect();
    let mm_p = margin_logits(&mut rng, &labels_all, c, 1.0, 1.5);
    let onehot: Vec<f64> = labels_all
        .iter()
        .flat_map(|&k| (0..c).map(move |j| f64::from(u8::from(j == k as usize))))
        .collect();
    // Rows with a clear maximum among the non-target scores and margins away from 0.
    let ch_p: Vec<f64> = vec![
        2.0, -1.0, 0.5, 0.3, 1.2, -0.4, 0.1, 0.9, 2.2, -0.5, 0.7, 0.1,
    ];

    let d2 = "input p: f64[N, C]\ntarget y: f64[N, C]\ntarget w: f64[C]\ntarget wf: f64[N, C]\ntarget c: f64[N]\n";
    let di = "input p: f64[N, C]\ntarget y: i64[N]\ntarget w: f64[C]\ntarget c: f64[N]\n";
    let two = |p: &[f64], y: &[f64]| {
        inputs(vec![
            ("p", f64_data(&[n, c], p)),
            ("y", f64_data(&[n, c], y)),
            ("w", f64_data(&[c], &w)),
            ("wf", f64_data(&[n, c], &wfull)),
            ("c", f64_data(&[n], &coef)),
        ])
    };
    let int = |p: &[f64], y: &[i64]| {
        inputs(vec![
            ("p", f64_data(&[n, c], p)),
            ("y", i64_data(&[n], y)),
            ("w", f64_data(&[c], &w)),
            ("c", f64_data(&[n], &coef)),
        ])
    };
    let cases: Vec<(String, OwnedInputs)> = vec![
        (
            format!("{d2}bce(p, y, pos_weight = w, weight = wf, label_smoothing = 0.1)"),
            two(&logits, &ysoft),
        ),
        (
            format!(
                "{d2}bce(p, y, from_logits = false, weight = w, label_smoothing = 0.2, reduction = \"sum\")"
            ),
            two(&probs, &ysoft),
        ),
        (
            format!("{d2}cce(p, y, weight = w, label_smoothing = 0.1)"),
            two(&logits, &rows),
        ),
        (
            format!("{d2}cce(p, y, weight = w, from_logits = false)"),
            two(&rows, &rows),
        ),
        (
            format!("{d2}sum(c * cce(p, y, weight = w, reduction = \"none\"))"),
            two(&logits, &rows),
        ),
        (
            format!("{di}sparse_cce(p, y, weight = w, label_smoothing = 0.2, empty = \"zero\")"),
            int(&logits, &labels),
        ),
        (
            format!(
                "{di}sum(c * sparse_cce(p, y, weight = w, label_smoothing = 0.1, reduction = \"none\"))"
            ),
            int(&logits, &labels),
        ),
        (
            format!(
                "{di}sparse_cce(p, y, from_logits = false, weight = w, label_smoothing = 0.1, reduction = \"sum\")"
            ),
            int(&rows, &labels),
        ),
        (
            format!("{di}nll(p, y, weight = w)"),
            int(&log_rows, &labels),
        ),
        (
            format!("{d2}focal(p, y, gamma = 0.5, alpha = 0.25, label_smoothing = 0.1)"),
            two(&logits, &y01),
        ),
        (
            format!("{d2}focal(p, y, gamma = 2, label_smoothing = 0.2, reduction = \"sum\")"),
            two(&logits, &y01),
        ),
        (
            format!("{di}categorical_focal(p, y, gamma = 2, alpha = w)"),
            int(&logits, &labels_all),
        ),
        (
            format!(
                "{di}categorical_focal(p, y, gamma = 0.5, alpha = 0.25, label_smoothing = 0.1)"
            ),
            int(&logits, &labels_all),
        ),
        (
            format!(
                "{di}sum(c * categorical_focal(p, y, gamma = 1.5, label_smoothing = 0.2, reduction = \"none\"))"
            ),
            int(&logits, &labels_all),
        ),
        (format!("{di}poly1(p, y)"), int(&logits, &labels_all)),
        (
            format!("{di}poly1(p, y, epsilon = -0.5, label_smoothing = 0.2, reduction = \"sum\")"),
            int(&logits, &labels_all),
        ),
        (format!("{d2}squared_hinge(p, y)"), two(&hinge_p, &y01)),
        (format!("{d2}categorical_hinge(p, y)"), two(&ch_p, &onehot)),
        (
            format!("{d2}categorical_hinge(p, y, reduction = \"sum\")"),
            two(&ch_p, &rows),
        ),
        (format!("{di}multi_margin(p, y)"), int(&mm_p, &labels_all)),
        (
            format!("{di}multi_margin(p, y, p_norm = 2, margin = 1.0, weight = w)"),
            int(&mm_p, &labels_all),
        ),
    ];
    for (text, ins) in &cases {
        let ins = used_inputs(text, ins.clone());
        let r = check_fd(text, None, &ins, FD_RTOL, FD_ATOL);
        assert!(!r.gradients.is_empty(), "`{text}` has no gradient");
    }
}

// ---- native kernels ----------------------------------------------------------------------

#[test]
fn native_kernels_match_the_reference() {
    // Random data from the library's generator (logits ~ N(0, 4), labels in
    // range, one-hot rows): 1 to 40 000 rows, float32 and float64.
    let mut rng = rng("native_kernels_match_the_reference");
    for src in [
        "input z: f32[N, C]\ntarget t: f32[N, C]\nbce(z, t, label_smoothing = 0.1, pos_weight = 2)",
        "input z: f32[N, C]\ntarget t: f32[N, C]\ncce(z, t, label_smoothing = 0.1)",
        "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y, reduction = \"sum\")",
        "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y, label_smoothing = 0.1, empty = \"zero\")",
        "input z: f32[N, C]\ntarget y: i64[N]\nnll(log_softmax(z), y)",
        "input z: f32[N, C]\ntarget t: f32[N, C]\nfocal(z, t, gamma = 0.5, label_smoothing = 0.1)",
        "input z: f32[N, C]\ntarget y: i64[N]\ncategorical_focal(z, y)",
        "input z: f32[N, C]\ntarget y: i64[N]\ncategorical_focal(z, y, gamma = 0.5, alpha = 0.25, label_smoothing = 0.1)",
        "input z: f32[N, C]\ntarget y: i64[N]\npoly1(z, y)",
        "input z: f32[N, C]\ntarget y: i64[N]\npoly1(z, y, label_smoothing = 0.1)",
        "input z: f32[N, C]\ntarget t: f32[N, C]\nsquared_hinge(z, t)",
        "input z: f32[N, C]\ntarget t: f32[N, C]\ncategorical_hinge(z, t)",
        "input z: f32[N, C]\ntarget y: i64[N]\nmulti_margin(z, y)",
        "input z: f32[N, C]\ntarget y: i64[N]\nmulti_margin(z, y, p_norm = 2, margin = 0.5)",
    ] {
        check_native(src, rng.next_u64());
    }
}

#[test]
fn native_kernels_with_weights_and_ignored_rows() {
    // Class weights in [0.1, 3] and about a quarter of the rows ignored (the
    // library's generator makes neither).
    let mut rng = rng("native_kernels_with_weights_and_ignored_rows");
    for (n, c) in [(1, 3), (9, 5), (1031, 10)] {
        let z = rng.normals(n * c, 2.0);
        let mut labels: Vec<i64> = (0..n).map(|_| rng.int(0, c as i64 - 1)).collect();
        for l in labels.iter_mut().skip(1) {
            if rng.bool(0.25) {
                *l = -100;
            }
        }
        let w = rng.uniforms(c, 0.1, 3.0);
        let wf = rng.uniforms(n * c, 0.0, 2.0);
        let t: Vec<f64> = (0..n).flat_map(|_| rng.simplex(c)).collect();
        let kept: Vec<i64> = labels.iter().map(|&l| l.max(0)).collect();
        let ins = inputs(vec![
            ("z", f64_data(&[n, c], &z)),
            ("y", i64_data(&[n], &labels)),
            ("k", i64_data(&[n], &kept)),
            ("w", f64_data(&[c], &w)),
            ("wf", f64_data(&[n, c], &wf)),
            ("t", f64_data(&[n, c], &t)),
        ]);
        let d = "input z: f32[N, C]\ntarget y: i64[N]\ntarget k: i64[N]\ntarget w: f32[C]\ntarget wf: f32[N, C]\ntarget t: f32[N, C]\n";
        for body in [
            "sparse_cce(z, y, weight = w, label_smoothing = 0.2)",
            "mean(sparse_cce(z, y, weight = w, reduction = \"none\"))",
            "nll(log_softmax(z), y, weight = w, empty = \"zero\")",
            "cce(z, t, weight = w)",
            "bce(z, t, weight = wf, pos_weight = w)",
            // Logits halved: with N(0, 2²) logits a softmax entry can come within
            // 1e-4 of 1, where float32's `1 - p` keeps only a few digits (a
            // relative gradient error of 2^-24 / (1 - p), seen at 7e-5).
            "bce(softmax(z / 2), t, from_logits = false, weight = w, label_smoothing = 0.1)",
            "multi_margin(z, k, weight = w)",
            "categorical_focal(z, k, alpha = w, gamma = 1.5)",
        ] {
            let text = format!("{d}{body}");
            let used = used_inputs(&text, ins.clone());
            native(&text, &used);
        }
    }
}

// ---- invalid options ---------------------------------------------------------------------

#[test]
fn invalid_options_are_compile_errors() {
    let mut rng = rng("invalid_options_are_compile_errors");
    let (n, c) = (3, 4);
    let z = rng.normals(n * c, 1.0);
    let t: Vec<f64> = (0..n).flat_map(|_| rng.simplex(c)).collect();
    let ins = inputs(vec![
        ("z", f64_data(&[n, c], &z)),
        ("y", i64_data(&[n], &[0, 1, 3])),
        ("t", f64_data(&[n, c], &t)),
        ("s", f64_data(&[], &[0.1])),
    ]);
    let d = "input z: f64[N, C]\ntarget y: i64[N]\ntarget t: f64[N, C]\ntarget s: f64\n";
    for body in [
        "bce(z, t, reduction = \"avg\")",
        "bce(z, t, label_smoothing = 1.5)",
        "bce(z, t, label_smoothing = -0.1)",
        "cce(z, t, reduction = \"batchmean\")",
        "cce(z, t, label_smoothing = 2)",
        "sparse_cce(z, y, reduction = \"avg\")",
        "sparse_cce(z, y, empty = \"zeros\")",
        "sparse_cce(z, y, empty = \"nan\", reduction = \"mean \")",
        "sparse_cce(z, y, reduction = \"sum\", empty = \"0\")",
        "sparse_cce(z, y, label_smoothing = 1.01)",
        "nll(z, y, reduction = \"avg\")",
        "nll(z, y, empty = \"none\")",
        "focal(z, t, label_smoothing = 3)",
        "focal(z, t, reduction = \"avg\")",
        "categorical_focal(z, y, gamma = -1)",
        "categorical_focal(z, y, label_smoothing = -0.5)",
        "categorical_focal(z, y, reduction = \"avg\")",
        "poly1(z, y, label_smoothing = 1.5)",
        "poly1(z, y, reduction = \"avg\")",
        "squared_hinge(z, t, reduction = \"avg\")",
        "categorical_hinge(z, t, reduction = \"avg\")",
        "multi_margin(z, y, p_norm = 3)",
        "multi_margin(z, y, p_norm = 1.5)",
        "multi_margin(z, y, reduction = \"avg\")",
        // label_smoothing is checked when compiling, so it must be a number
        "cce(z, t, label_smoothing = s)",
        "sparse_cce(z, y, label_smoothing = s)",
    ] {
        let text = format!("{d}{body}");
        let used = used_inputs_lenient(&text, &ins);
        assert_invalid(&text, &used);
    }
}

/// The inputs a spec declares (for specs that do not compile).
fn used_inputs_lenient(text: &str, ins: &OwnedInputs) -> OwnedInputs {
    ins.iter()
        .filter(|(n, _)| text.contains(&format!("{n}:")))
        .map(|(n, d)| (n.clone(), d.clone()))
        .collect()
}

#[test]
fn none_reductions_are_not_scalar_objectives() {
    let mut rng = rng("none_reductions_are_not_scalar_objectives");
    let (n, c) = (3, 4);
    let ins = inputs(vec![
        ("z", f64_data(&[n, c], &rng.normals(n * c, 1.0))),
        ("y", i64_data(&[n], &[0, 1, 3])),
        (
            "t",
            f64_data(
                &[n, c],
                &(0..n).flat_map(|_| rng.simplex(c)).collect::<Vec<_>>(),
            ),
        ),
    ]);
    let d = "input z: f64[N, C]\ntarget y: i64[N]\ntarget t: f64[N, C]\n";
    for body in [
        "bce(z, t, reduction = \"none\")",
        "cce(z, t, reduction = \"none\")",
        "sparse_cce(z, y, reduction = \"none\")",
        "nll(z, y, reduction = \"none\")",
        "categorical_focal(z, y, reduction = \"none\")",
        "poly1(z, y, reduction = \"none\")",
        "squared_hinge(z, t, reduction = \"none\")",
        "categorical_hinge(z, t, reduction = \"none\")",
        "multi_margin(z, y, reduction = \"none\")",
    ] {
        let text = format!("{d}{body}");
        let used = used_inputs_lenient(&text, &ins);
        match LossSpec::from_str(&text).unwrap().evaluate(None, &used) {
            Err(Error::Compile(e)) => assert!(
                matches!(e.kind(), DiagKind::NonScalarObjective { .. }),
                "`{text}`: {:?}",
                e.kind()
            ),
            other => panic!("`{text}` should be a NonScalarObjective error, got {other:?}"),
        }
    }
}
