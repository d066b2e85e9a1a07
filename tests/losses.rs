//! End-to-end value and gradient checks of every built-in loss against
//! independent float64 formulas written out here (values *and* hand-derived
//! gradients), on random inputs from a seeded RNG (the seed is printed; set
//! `LOSSC_TEST_SEED` to reproduce) and on extreme inputs.
//!
//! Tolerances. Both sides compute in float64 from the same inputs (f32 data
//! is rounded to f32 before the reference sees it, exactly as the library
//! widens it), with algebraically equal formulas. Differences come only from
//! summation order and from rounding of different but equivalent expressions
//! (a few ulp each, times a small condition number), so:
//! - values: `|got - want| <= 1e-10 * |want| + 1e-12`;
//! - gradients: `|got - want| <= 1e-9 * |want| + 1e-12 * max(1, max|want|)`.
//!
//! Any formula error (a wrong sign, a missing 1/N, a wrong smoothing weight)
//! is an O(1) relative error, many orders of magnitude above these bounds.

mod common;

use common::*;
use lossc::diag::DiagKind;
use lossc::{Data, Error, LossSpec, OwnedInputs};

/// Targets in [0, 1]: hard 0/1 labels or soft ones.
fn targets01(rng: &mut Rng, n: usize, soft: bool) -> Vec<f64> {
    (0..n)
        .map(|_| {
            if soft {
                rng.unit()
            } else {
                f64::from(u8::from(rng.bool(0.5)))
            }
        })
        .collect()
}

/// Logits that include saturating and overflow-prone values.
const EXTREME_LOGITS: [f64; 12] = [
    50.0, -50.0, 1e4, -1e4, 0.0, 36.0, -36.0, 40.0, -40.0, 700.0, -700.0, 800.0,
];

fn f_data(fl: Float, shape: &[usize], v: &[f64]) -> Data {
    fl.data(shape, v)
}

// ---- reference formulas ------------------------------------------------------

/// BCEWithLogits with pos_weight `pw`:
/// l = pw*y*softplus(-p) + (1-y)*softplus(p);  dl/dp = sigmoid(p)*(1 + (pw-1)*y) - pw*y.
fn bce_logits_elem(p: f64, y: f64, pw: f64) -> (f64, f64) {
    let l = pw * y * softplus(-p) + (1.0 - y) * softplus(p);
    let d = sigmoid(p) * (1.0 + (pw - 1.0) * y) - pw * y;
    (l, d)
}

/// BCELoss on probabilities, logs clamped at -100:
/// l = -(pw*y*max(ln p, -100) + (1-y)*max(ln(1-p), -100));
/// dl/dp = -(pw*y*[ln p > -100]/p - (1-y)*[ln(1-p) > -100]/(1-p)).
fn bce_probs_elem(p: f64, y: f64, pw: f64) -> (f64, f64) {
    let lp = p.ln().max(-100.0);
    let l1p = (1.0 - p).ln().max(-100.0);
    let l = -(pw * y * lp + (1.0 - y) * l1p);
    let da = if p.ln() > -100.0 { 1.0 / p } else { 0.0 };
    let db = if (1.0 - p).ln() > -100.0 {
        -1.0 / (1.0 - p)
    } else {
        0.0
    };
    let d = -(pw * y * da + (1.0 - y) * db);
    (l, d)
}

/// Categorical cross-entropy on logits over the last axis of `rows` (each of
/// length `c`), targets smoothed: ys = (1-ls)*y + ls/C. Per row:
/// l = -sum ys*log_softmax(p);  dl/dp_k = softmax(p)_k * sum(ys) - ys_k.
fn cce_logits(p: &[f64], y: &[f64], c: usize, ls: f64) -> (Vec<f64>, Vec<f64>) {
    let mut losses = Vec::new();
    let mut g = Vec::new();
    for (prow, yrow) in p.chunks(c).zip(y.chunks(c)) {
        let lq = log_softmax(prow);
        let ys: Vec<f64> = yrow
            .iter()
            .map(|&t| (1.0 - ls) * t + ls / c as f64)
            .collect();
        let sum_ys: f64 = ys.iter().sum();
        losses.push(-ys.iter().zip(&lq).map(|(a, b)| a * b).sum::<f64>());
        g.extend(lq.iter().zip(&ys).map(|(l, t)| l.exp() * sum_ys - t));
    }
    (losses, g)
}

/// Categorical cross-entropy on (unnormalised) probabilities, Keras style:
/// r = p / sum(p), q = clamp(r, 1e-7, 1 - 1e-7), l = -sum ys*ln q.
/// With g_c = -ys_c/q_c where lo <= r_c <= hi (else 0):
/// dl/dp_k = (g_k - sum_c g_c r_c) / sum(p).
fn cce_probs(p: &[f64], y: &[f64], c: usize, ls: f64) -> (Vec<f64>, Vec<f64>) {
    let (lo, hi) = (1e-7, 1.0 - 1e-7);
    let mut losses = Vec::new();
    let mut grad = Vec::new();
    for (prow, yrow) in p.chunks(c).zip(y.chunks(c)) {
        let s: f64 = prow.iter().sum();
        let r: Vec<f64> = prow.iter().map(|x| x / s).collect();
        let q: Vec<f64> = r.iter().map(|x| x.clamp(lo, hi)).collect();
        let ys: Vec<f64> = yrow
            .iter()
            .map(|&t| (1.0 - ls) * t + ls / c as f64)
            .collect();
        losses.push(-ys.iter().zip(&q).map(|(a, b)| a * b.ln()).sum::<f64>());
        let g: Vec<f64> = (0..c)
            .map(|k| {
                if r[k] >= lo && r[k] <= hi {
                    -ys[k] / q[k]
                } else {
                    0.0
                }
            })
            .collect();
        let gr: f64 = g.iter().zip(&r).map(|(a, b)| a * b).sum();
        grad.extend(g.iter().map(|gk| (gk - gr) / s));
    }
    (losses, grad)
}

/// PyTorch CrossEntropyLoss with integer labels (mean reduction), class
/// weights w (ω = w or all ones), ignore_index and label smoothing ls:
/// W = sum over non-ignored rows of w[y];
/// row loss = w[y]*(1-ls)*(-logq[y]) + ls * (-sum_c ω_c logq_c)/C;  value = sum / W.
/// Gradient on logits: (w[y]*(1-ls)*(q_k - [k==y]) - ls*(ω_k - q_k*sum ω)/C) / W;
/// on probabilities (from_logits=false, logq = ln p):
/// (-w[y]*(1-ls)*[k==y]/p_y - ls*ω_k/(C p_k)) / W.
fn sparse_cce_ref(
    p: &[f64],
    labels: &[i64],
    c: usize,
    weight: Option<&[f64]>,
    ignore: i64,
    ls: f64,
    from_logits: bool,
) -> (f64, Vec<f64>) {
    let omega: Vec<f64> = weight.map(|w| w.to_vec()).unwrap_or_else(|| vec![1.0; c]);
    let sum_omega: f64 = omega.iter().sum();
    let cf = c as f64;
    let mut total = 0.0;
    let mut wsum = 0.0;
    let mut grad = vec![0.0; p.len()];
    for (i, (prow, &y)) in p.chunks(c).zip(labels).enumerate() {
        if y == ignore {
            continue;
        }
        let y = y as usize;
        let wy = omega[y];
        wsum += wy;
        let lq: Vec<f64> = if from_logits {
            log_softmax(prow)
        } else {
            prow.iter().map(|x| x.ln()).collect()
        };
        let uniform = -omega.iter().zip(&lq).map(|(a, b)| a * b).sum::<f64>() / cf;
        total += wy * (1.0 - ls) * -lq[y] + ls * uniform;
        for k in 0..c {
            let hot = f64::from(u8::from(k == y));
            grad[i * c + k] = if from_logits {
                let q = lq[k].exp();
                wy * (1.0 - ls) * (q - hot) - ls * (omega[k] - q * sum_omega) / cf
            } else {
                -wy * (1.0 - ls) * hot / prow[k] - ls * omega[k] / (cf * prow[k])
            };
        }
    }
    (total / wsum, grad.into_iter().map(|g| g / wsum).collect())
}

/// torchvision sigmoid_focal_loss, per element, with s = sigmoid(p):
/// ce = y*softplus(-p) + (1-y)*softplus(p);  m = 1 - p_t = s*(1-y) + (1-s)*y;
/// a_t = alpha*y + (1-alpha)*(1-y) (1 when alpha is none);  l = a_t * m^gamma * ce.
/// dm/dp = s*(1-s)*(1-2y), dce/dp = s - y, so
/// dl/dp = a_t * (gamma*m^(gamma-1)*dm/dp*ce + m^gamma*(s - y)).
fn focal_elem(p: f64, y: f64, gamma: f64, alpha: Option<f64>) -> (f64, f64) {
    let s = sigmoid(p);
    let sn = sigmoid(-p); // 1 - s without cancellation
    let ce = y * softplus(-p) + (1.0 - y) * softplus(p);
    let m = s * (1.0 - y) + sn * y;
    let a_t = alpha.map_or(1.0, |a| a * y + (1.0 - a) * (1.0 - y));
    let l = a_t * m.powf(gamma) * ce;
    let dm = s * sn * (1.0 - 2.0 * y);
    // m^(gamma-1) * dm ~ m^gamma * s: where m underflows to 0 the product is 0
    // (gamma > 0), even though m^(gamma-1) alone may be infinite.
    let first = if gamma == 0.0 || m == 0.0 {
        0.0
    } else {
        gamma * m.powf(gamma - 1.0) * dm * ce
    };
    let d = a_t * (first + m.powf(gamma) * (s - y));
    (l, d)
}

/// Soft Dice on q = sigmoid(p) (or q = p): I = sum q*y, S = sum q + sum y + smooth,
/// D = max(S, 1e-7), l = 1 - (2I + smooth)/D;
/// dl/dq_i = -2 y_i / D + (2I + smooth)/D^2 * [S > 1e-7];  dq/dp = s*(1-s).
fn dice_ref(p: &[f64], y: &[f64], smooth: f64, from_logits: bool) -> (f64, Vec<f64>) {
    let q: Vec<f64> = p
        .iter()
        .map(|&x| if from_logits { sigmoid(x) } else { x })
        .collect();
    let inter: f64 = q.iter().zip(y).map(|(a, b)| a * b).sum();
    let s = q.iter().sum::<f64>() + y.iter().sum::<f64>() + smooth;
    let d = s.max(1e-7);
    let num = 2.0 * inter + smooth;
    let l = 1.0 - num / d;
    let through = if s > 1e-7 { 1.0 } else { 0.0 };
    let g = p
        .iter()
        .zip(y)
        .map(|(&x, &t)| {
            let dq = -2.0 * t / d + num / (d * d) * through;
            if from_logits {
                dq * sigmoid(x) * sigmoid(-x)
            } else {
                dq
            }
        })
        .collect();
    (l, g)
}

/// KL(target || softmax(p)), summed over the last axis, mean over rows.
/// With t_c = y_c (log_target = false; terms y*(ln y - logq), 0 where y = 0)
/// or t_c = exp(y_c) (log_target = true; terms exp(y)*(y - logq)):
/// dl/dp_k = (softmax(p)_k * sum_c t_c - t_k) / rows.
fn kl_ref(p: &[f64], y: &[f64], c: usize, log_target: bool) -> (f64, Vec<f64>) {
    let rows = p.len() / c;
    let mut total = 0.0;
    let mut grad = Vec::new();
    for (prow, yrow) in p.chunks(c).zip(y.chunks(c)) {
        let lq = log_softmax(prow);
        let t: Vec<f64> = yrow
            .iter()
            .map(|&v| if log_target { v.exp() } else { v.max(0.0) })
            .collect();
        for k in 0..c {
            total += if log_target {
                t[k] * (yrow[k] - lq[k])
            } else if yrow[k] > 0.0 {
                yrow[k] * (yrow[k].ln() - lq[k])
            } else {
                0.0
            };
        }
        let st: f64 = t.iter().sum();
        grad.extend((0..c).map(|k| lq[k].exp() * st - t[k]));
    }
    let n = rows as f64;
    (total / n, grad.into_iter().map(|g| g / n).collect())
}

// ---- bce --------------------------------------------------------------------

#[test]
fn bce_logits_random() {
    let mut rng = rng("bce_logits_random");
    for trial in 0..8 {
        for fl in FLOATS {
            let (shape, n) = random_shape(&mut rng);
            let p = fl.round(rng.normals(n, 3.0));
            let y = fl.round(targets01(&mut rng, n, trial % 2 == 1));
            let pw = rng.pick(&[1.0, 0.5, 3.0, 2.5]);
            let red = rng.pick(&["mean", "sum"]);
            let text = format!("bce(pos_weight = {pw:?}, reduction = \"{red}\")");
            let parts: Vec<_> = p
                .iter()
                .zip(&y)
                .map(|(&a, &b)| bce_logits_elem(a, b, pw))
                .collect();
            let (v, g) = reduce(&parts, red);
            let ins = inputs(vec![
                ("pred", f_data(fl, &shape, &p)),
                ("target", f_data(fl, &shape, &y)),
            ]);
            check(
                &text,
                &ins,
                v,
                &[("pred", &g)],
                &format!("trial {trial} {} {shape:?}", fl.name()),
            );
        }
    }
    // Default arguments: plain `bce` is pos_weight 1, mean.
    let p = rng.normals(5, 2.0);
    let y = targets01(&mut rng, 5, false);
    let parts: Vec<_> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| bce_logits_elem(a, b, 1.0))
        .collect();
    let (v, g) = reduce(&parts, "mean");
    check(
        "bce",
        &inputs(vec![
            ("pred", f64_data(&[5], &p)),
            ("target", f64_data(&[5], &y)),
        ]),
        v,
        &[("pred", &g)],
        "defaults",
    );
}

#[test]
fn bce_pos_weight_per_class() {
    // pos_weight as a per-class array [C] broadcast along the last axis (PyTorch).
    let mut rng = rng("bce_pos_weight_per_class");
    let text = "input logits: f64[N, C]\ntarget labels: f64[N, C]\ntarget pw: f64[C]\nloss main = bce(logits, labels, pos_weight = pw)";
    for trial in 0..6 {
        for fl in FLOATS {
            let (n, c) = (rng.usize(1, 5), rng.usize(1, 4));
            let p = fl.round(rng.normals(n * c, 3.0));
            let y = fl.round(targets01(&mut rng, n * c, trial % 2 == 0));
            let pw = fl.round(rng.uniforms(c, 0.2, 5.0));
            let parts: Vec<_> = (0..n * c)
                .map(|i| bce_logits_elem(p[i], y[i], pw[i % c]))
                .collect();
            let (v, g) = reduce(&parts, "mean");
            let ins = inputs(vec![
                ("logits", f_data(fl, &[n, c], &p)),
                ("labels", f_data(fl, &[n, c], &y)),
                ("pw", f_data(fl, &[c], &pw)),
            ]);
            let r = check(
                text,
                &ins,
                v,
                &[("logits", &g)],
                &format!("trial {trial} {}", fl.name()),
            );
            assert!(
                r.gradient("pw").is_none() && r.gradient("labels").is_none(),
                "targets get no gradient"
            );
        }
    }
}

#[test]
fn bce_logits_extreme() {
    // Logits of +-50, +-1e4 (and up to 800, where exp overflows) against
    // targets 0, 1 and 0.5: softplus must not overflow, values and gradients
    // must be finite and equal to the stable formulas.
    let mut p = Vec::new();
    let mut y = Vec::new();
    for &x in &EXTREME_LOGITS {
        for t in [0.0, 1.0, 0.5] {
            p.push(x);
            y.push(t);
        }
    }
    let n = p.len();
    for pw in [1.0, 3.0] {
        for fl in FLOATS {
            let p = fl.round(p.clone());
            let parts: Vec<_> = p
                .iter()
                .zip(&y)
                .map(|(&a, &b)| bce_logits_elem(a, b, pw))
                .collect();
            let (v, g) = reduce(&parts, "mean");
            assert!(v.is_finite());
            let ins = inputs(vec![
                ("pred", f_data(fl, &[n], &p)),
                ("target", f_data(fl, &[n], &y)),
            ]);
            check(
                &format!("bce(pos_weight = {pw:?})"),
                &ins,
                v,
                &[("pred", &g)],
                fl.name(),
            );
        }
    }
}

#[test]
fn bce_probs_random() {
    let mut rng = rng("bce_probs_random");
    for trial in 0..8 {
        for fl in FLOATS {
            let (shape, n) = random_shape(&mut rng);
            let p = fl.round(rng.uniforms(n, 1e-3, 1.0 - 1e-3));
            let y = fl.round(targets01(&mut rng, n, trial % 2 == 1));
            let pw = rng.pick(&[1.0, 2.0, 0.3]);
            let red = rng.pick(&["mean", "sum"]);
            let text =
                format!("bce(from_logits = false, pos_weight = {pw:?}, reduction = \"{red}\")");
            let parts: Vec<_> = p
                .iter()
                .zip(&y)
                .map(|(&a, &b)| bce_probs_elem(a, b, pw))
                .collect();
            let (v, g) = reduce(&parts, red);
            let ins = inputs(vec![
                ("pred", f_data(fl, &shape, &p)),
                ("target", f_data(fl, &shape, &y)),
            ]);
            check(
                &text,
                &ins,
                v,
                &[("pred", &g)],
                &format!("trial {trial} {} {shape:?}", fl.name()),
            );
        }
    }
}

/// Probabilities exactly 0 and 1 (and 1e-50, whose log is below -100): each
/// log is clamped at -100, so the value is finite.
fn boundary_probs() -> (Vec<f64>, Vec<f64>) {
    let mut p = Vec::new();
    let mut y = Vec::new();
    for x in [0.0, 1.0, 1e-50, 0.5] {
        for t in [0.0, 1.0, 0.3] {
            p.push(x);
            y.push(t);
        }
    }
    (p, y)
}

#[test]
fn bce_probs_boundary_value() {
    let (p, y) = boundary_probs();
    let n = p.len();
    let parts: Vec<_> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| bce_probs_elem(a, b, 1.0))
        .collect();
    let (v, _) = reduce(&parts, "mean");
    assert!(v.is_finite());
    let ins = inputs(vec![
        ("pred", f64_data(&[n], &p)),
        ("target", f64_data(&[n], &y)),
    ]);
    check("bce(from_logits = false)", &ins, v, &[], "boundary value");
}

#[test]
fn bce_probs_boundary_gradient() {
    // Where a log is clamped its gradient is 0 (the clamp is a max with a
    // constant); the other log contributes its ordinary gradient. The true
    // gradient of the written formula is finite everywhere here.
    let (p, y) = boundary_probs();
    let n = p.len();
    let parts: Vec<_> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| bce_probs_elem(a, b, 1.0))
        .collect();
    let (v, g) = reduce(&parts, "mean");
    assert_all_finite(&g, "reference");
    let ins = inputs(vec![
        ("pred", f64_data(&[n], &p)),
        ("target", f64_data(&[n], &y)),
    ]);
    check(
        "bce(from_logits = false)",
        &ins,
        v,
        &[("pred", &g)],
        "boundary gradient",
    );
}

// ---- cce --------------------------------------------------------------------

#[test]
fn cce_logits_random() {
    let mut rng = rng("cce_logits_random");
    for trial in 0..8 {
        for fl in FLOATS {
            let c = rng.usize(2, 5);
            let shape = if trial % 3 == 2 {
                vec![rng.usize(1, 3), rng.usize(1, 3), c]
            } else {
                vec![rng.usize(1, 6), c]
            };
            let rows: usize = shape[..shape.len() - 1].iter().product();
            let p = fl.round(rng.normals(rows * c, 3.0));
            let soft = rng.bool(0.5);
            let mut y = Vec::new();
            for _ in 0..rows {
                if soft {
                    y.extend(rng.simplex(c));
                } else {
                    let k = rng.usize(0, c - 1);
                    y.extend((0..c).map(|j| f64::from(u8::from(j == k))));
                }
            }
            let y = fl.round(y);
            let ls = rng.pick(&[0.0, 0.1, 0.25]);
            let red = rng.pick(&["mean", "sum"]);
            let text = format!("cce(label_smoothing = {ls:?}, reduction = \"{red}\")");
            let (losses, g) = cce_logits(&p, &y, c, ls);
            let k = if red == "mean" { rows as f64 } else { 1.0 };
            let v = losses.iter().sum::<f64>() / k;
            let g: Vec<f64> = g.iter().map(|x| x / k).collect();
            let ins = inputs(vec![
                ("pred", f_data(fl, &shape, &p)),
                ("target", f_data(fl, &shape, &y)),
            ]);
            check(
                &text,
                &ins,
                v,
                &[("pred", &g)],
                &format!("trial {trial} {} {shape:?}", fl.name()),
            );
        }
    }
}

#[test]
fn cce_logits_extreme() {
    // Rows with logits of +-1e4 and +-50, the target on the largest and on
    // the smallest logit: log_softmax must stay finite (loss up to 2e4).
    let c = 3;
    let p = vec![
        1e4, -1e4, 0.0, 1e4, -1e4, 0.0, 50.0, -50.0, 50.0, -1e4, -1e4, -1e4, 800.0, 0.0, -800.0,
    ];
    let y = vec![
        1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0,
    ];
    let rows = p.len() / c;
    for ls in [0.0, 0.1] {
        for fl in FLOATS {
            let (losses, g) = cce_logits(&p, &y, c, ls);
            let v = losses.iter().sum::<f64>() / rows as f64;
            let g: Vec<f64> = g.iter().map(|x| x / rows as f64).collect();
            let ins = inputs(vec![
                ("pred", f_data(fl, &[rows, c], &p)),
                ("target", f_data(fl, &[rows, c], &y)),
            ]);
            check(
                &format!("cce(label_smoothing = {ls:?})"),
                &ins,
                v,
                &[("pred", &g)],
                fl.name(),
            );
        }
    }
}

#[test]
fn cce_probs_random_and_boundary() {
    // from_logits = false: unnormalised probabilities, including exact zeros
    // and a row that is exactly one-hot (r = 1 and r = 0 are clamped).
    let mut rng = rng("cce_probs_random_and_boundary");
    for trial in 0..8 {
        for fl in FLOATS {
            let (n, c) = (rng.usize(1, 5), rng.usize(2, 4));
            let mut p = rng.uniforms(n * c, 0.01, 2.0);
            if trial >= 4 {
                // exact zeros (never a whole row) and a one-hot row
                for (i, x) in p.iter_mut().enumerate() {
                    if i % c != 0 && rng.bool(0.3) {
                        *x = 0.0;
                    }
                }
                for k in 0..c {
                    p[k] = if k == 0 { 1.0 } else { 0.0 };
                }
            }
            let p = fl.round(p);
            let mut y = Vec::new();
            for _ in 0..n {
                y.extend(rng.simplex(c));
            }
            let y = fl.round(y);
            let ls = rng.pick(&[0.0, 0.2]);
            let (losses, g) = cce_probs(&p, &y, c, ls);
            let v = losses.iter().sum::<f64>() / n as f64;
            let g: Vec<f64> = g.iter().map(|x| x / n as f64).collect();
            let text = format!("cce(from_logits = false, label_smoothing = {ls:?})");
            let ins = inputs(vec![
                ("pred", f_data(fl, &[n, c], &p)),
                ("target", f_data(fl, &[n, c], &y)),
            ]);
            check(
                &text,
                &ins,
                v,
                &[("pred", &g)],
                &format!("trial {trial} {}", fl.name()),
            );
        }
    }
}

// ---- sparse_cce ---------------------------------------------------------------

fn sparse_spec(args: &str) -> String {
    format!(
        "input logits: f32[N, C]\ntarget labels: i64[N]\ntarget w: f64[C]\nloss main = sparse_cce(logits, labels{args})"
    )
}

fn label_data(rng: &mut Rng, labels: &[i64]) -> Data {
    if rng.bool(0.5) {
        i64_data(&[labels.len()], labels)
    } else {
        i32_data(&[labels.len()], labels)
    }
}

/// One random sparse_cce case: f32/f64 logits (or probability rows when
/// `from_logits` is false), i32/i64 labels with some rows equal to
/// `ignore` (default -100, or a real class), optional class weights, label
/// smoothing `ls`.
fn sparse_case(
    rng: &mut Rng,
    fl: Float,
    weighted: bool,
    ls: f64,
    ignore: Option<i64>,
    from_logits: bool,
    ctx: &str,
) {
    let (n, c) = (rng.usize(1, 6), rng.usize(2, 5));
    let p = if from_logits {
        rng.normals(n * c, 3.0)
    } else {
        (0..n).flat_map(|_| rng.simplex(c)).collect()
    };
    let p = fl.round(p);
    let ignore_value = match ignore {
        Some(k) => k.min(c as i64 - 1),
        None => -100,
    };
    let mut labels: Vec<i64> = (0..n).map(|_| rng.int(0, c as i64 - 1)).collect();
    for l in labels.iter_mut() {
        if rng.bool(0.25) {
            *l = ignore_value;
        }
    }
    if labels[0] == ignore_value {
        labels[0] = (ignore_value + 1).rem_euclid(c as i64); // at least one row counts
    }
    let w = fl.round(rng.uniforms(c, 0.1, 3.0));
    let mut args = String::new();
    if weighted {
        args.push_str(", weight = w");
    }
    if ignore.is_some() {
        args.push_str(&format!(", ignore_index = {ignore_value}"));
    }
    if ls != 0.0 || rng.bool(0.5) {
        args.push_str(&format!(", label_smoothing = {ls:?}"));
    }
    if !from_logits {
        args.push_str(", from_logits = false");
    }
    let (v, g) = sparse_cce_ref(
        &p,
        &labels,
        c,
        weighted.then_some(&w[..]),
        ignore_value,
        ls,
        from_logits,
    );
    let lab = label_data(rng, &labels);
    let ins = inputs(vec![
        ("logits", f_data(fl, &[n, c], &p)),
        ("labels", lab),
        ("w", f_data(fl, &[c], &w)),
    ]);
    check(
        &sparse_spec(&args),
        &ins,
        v,
        &[("logits", &g)],
        &format!("{ctx} {} labels {labels:?}", fl.name()),
    );
}

#[test]
fn sparse_cce_random() {
    // Unweighted and weighted, with any smoothing.
    let mut rng = rng("sparse_cce_random");
    for trial in 0..12 {
        for fl in FLOATS {
            let from_logits = trial % 4 != 3;
            let ignore = if trial % 3 == 2 {
                Some(rng.int(0, 4))
            } else {
                None
            };
            let ctx = format!("trial {trial}");
            let ls = rng.pick(&[0.0, 0.1, 0.3]);
            sparse_case(&mut rng, fl, false, ls, ignore, from_logits, &ctx);
            sparse_case(&mut rng, fl, true, ls, ignore, from_logits, &ctx);
        }
    }
}

#[test]
fn sparse_cce_weight_with_label_smoothing() {
    let mut rng = rng("sparse_cce_weight_with_label_smoothing");
    for trial in 0..12 {
        for fl in FLOATS {
            let from_logits = trial % 4 != 3;
            let ignore = if trial % 3 == 2 {
                Some(rng.int(0, 4))
            } else {
                None
            };
            let ls = rng.pick(&[0.1, 0.3]);
            sparse_case(
                &mut rng,
                fl,
                true,
                ls,
                ignore,
                from_logits,
                &format!("trial {trial}"),
            );
        }
    }
}

#[test]
fn sparse_cce_one_liner() {
    // Without declarations: `pred` [N, C] floats and integer `target` [N].
    let mut rng = rng("sparse_cce_one_liner");
    let (n, c) = (4, 3);
    let p = rng.normals(n * c, 2.0);
    let labels: Vec<i64> = (0..n).map(|_| rng.int(0, c as i64 - 1)).collect();
    let (v, g) = sparse_cce_ref(&p, &labels, c, None, -100, 0.1, true);
    let ins = inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", i64_data(&[n], &labels)),
    ]);
    check(
        "sparse_cce(label_smoothing = 0.1)",
        &ins,
        v,
        &[("pred", &g)],
        "one-liner",
    );
}

fn sparse_extreme(weighted: bool, ls: f64) {
    let c = 3;
    let p = vec![
        1e4, -1e4, 0.0, 1e4, -1e4, 0.0, 50.0, -50.0, 50.0, -800.0, 800.0, 0.0,
    ];
    let labels = vec![0, 1, 1, 0];
    let w = vec![0.5, 2.0, 1.0];
    let args = format!(
        "{}, label_smoothing = {ls:?}",
        if weighted { ", weight = w" } else { "" }
    );
    let (v, g) = sparse_cce_ref(&p, &labels, c, weighted.then_some(&w[..]), -100, ls, true);
    assert!(v.is_finite());
    let ins = inputs(vec![
        ("logits", f64_data(&[4, c], &p)),
        ("labels", i64_data(&[4], &labels)),
        ("w", f64_data(&[c], &w)),
    ]);
    check(&sparse_spec(&args), &ins, v, &[("logits", &g)], "extreme");
}

#[test]
fn sparse_cce_extreme() {
    // Logits of +-1e4 with the label on the smallest logit: loss 2e4, finite.
    sparse_extreme(false, 0.0);
    sparse_extreme(true, 0.0);
    sparse_extreme(false, 0.1);
}

#[test]
fn sparse_cce_extreme_weight_with_label_smoothing() {
    sparse_extreme(true, 0.2);
}

// label_smoothing = 1 leaves only the uniform term: per row
// -mean_c log_softmax(p)_c, whose gradient is softmax(p)_k - 1/C (each row
// sums to 0). The library returns softmax(p)_k / C - 1/C: the per-row
// adjoint reaching log_softmax = p - logsumexp(p) is passed to the [N]
// logsumexp without summing over the C classes it was broadcast along.

#[test]
fn sparse_cce_label_smoothing_one() {
    let mut rng = rng("sparse_cce_label_smoothing_one");
    let (n, c) = (3, 4);
    let p = rng.normals(n * c, 2.0);
    let labels: Vec<i64> = (0..n).map(|_| rng.int(0, c as i64 - 1)).collect();
    let (v, g) = sparse_cce_ref(&p, &labels, c, None, -100, 1.0, true);
    let ins = inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", i64_data(&[n], &labels)),
    ]);
    check(
        "sparse_cce(label_smoothing = 1.0)",
        &ins,
        v,
        &[("pred", &g)],
        "sparse_cce ls = 1",
    );
}

#[test]
fn cce_label_smoothing_one() {
    let mut rng = rng("cce_label_smoothing_one");
    let (n, c) = (3, 4);
    let p = rng.normals(n * c, 2.0);
    let y: Vec<f64> = (0..n).flat_map(|_| rng.simplex(c)).collect();
    let (losses, g) = cce_logits(&p, &y, c, 1.0);
    let v = losses.iter().sum::<f64>() / n as f64;
    let g: Vec<f64> = g.iter().map(|x| x / n as f64).collect();
    let ins = inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", f64_data(&[n, c], &y)),
    ]);
    check(
        "cce(label_smoothing = 1.0)",
        &ins,
        v,
        &[("pred", &g)],
        "cce ls = 1",
    );
}

#[test]
fn sparse_cce_rank3() {
    // logits [N, D, C] with labels [N, D] (e.g. per-token classification).
    let mut rng = rng("sparse_cce_rank3");
    for trial in 0..4 {
        let (n, d, c) = (rng.usize(1, 3), rng.usize(1, 3), rng.usize(2, 4));
        let p = rng.normals(n * d * c, 2.0);
        let mut labels: Vec<i64> = (0..n * d).map(|_| rng.int(0, c as i64 - 1)).collect();
        if n * d > 1 {
            labels[1] = -100;
        }
        let w = rng.uniforms(c, 0.5, 2.0);
        let weighted = trial % 2 == 1;
        let ls = if weighted { 0.0 } else { 0.1 };
        let text = format!(
            "input logits: f64[N, D, C]\ntarget labels: i64[N, D]\ntarget w: f64[C]\nloss main = sparse_cce(logits, labels{}, label_smoothing = {ls:?})",
            if weighted { ", weight = w" } else { "" }
        );
        let (v, g) = sparse_cce_ref(&p, &labels, c, weighted.then_some(&w[..]), -100, ls, true);
        let ins = inputs(vec![
            ("logits", f64_data(&[n, d, c], &p)),
            ("labels", i64_data(&[n, d], &labels)),
            ("w", f64_data(&[c], &w)),
        ]);
        check(&text, &ins, v, &[("logits", &g)], &format!("trial {trial}"));
    }
}

// ---- hinge ---------------------------------------------------------------------

/// Keras hinge: targets all in {0, 1} are mapped to 2y - 1; l = max(0, 1 - s*p),
/// dl/dp = -s where 1 - s*p > 0, else 0.
fn hinge_ref(p: &[f64], y: &[f64], reduction: &str) -> (f64, Vec<f64>) {
    let all01 = y.iter().all(|&t| t == 0.0 || t == 1.0);
    let parts: Vec<_> = p
        .iter()
        .zip(y)
        .map(|(&x, &t)| {
            let s = if all01 { 2.0 * t - 1.0 } else { t };
            let m = 1.0 - s * x;
            (m.max(0.0), if m > 0.0 { -s } else { 0.0 })
        })
        .collect();
    reduce(&parts, reduction)
}

#[test]
fn hinge_targets() {
    let mut rng = rng("hinge_targets");
    for trial in 0..12 {
        for fl in FLOATS {
            let (shape, n) = random_shape(&mut rng);
            let p = fl.round(rng.normals(n, 2.0));
            let y: Vec<f64> = match trial % 3 {
                0 => (0..n).map(|_| rng.pick(&[-1.0, 1.0])).collect(),
                1 => (0..n).map(|_| rng.pick(&[0.0, 1.0])).collect(),
                // {-1, 0, 1} (a -1 forces it): not all 0/1, so no mapping
                _ => (0..n)
                    .map(|i| {
                        if i == 0 {
                            -1.0
                        } else {
                            rng.pick(&[-1.0, 0.0, 1.0])
                        }
                    })
                    .collect(),
            };
            let red = rng.pick(&["mean", "sum"]);
            let (v, g) = hinge_ref(&p, &y, red);
            let ins = inputs(vec![
                ("pred", f_data(fl, &shape, &p)),
                ("target", f_data(fl, &shape, &y)),
            ]);
            check(
                &format!("hinge(reduction = \"{red}\")"),
                &ins,
                v,
                &[("pred", &g)],
                &format!("trial {trial} {} y {y:?}", fl.name()),
            );
        }
    }
    // Integer targets work too.
    let p = rng.normals(6, 2.0);
    let y = [1i64, -1, -1, 1, 1, -1];
    let (v, g) = hinge_ref(&p, &y.map(|t| t as f64), "mean");
    check(
        "hinge",
        &inputs(vec![
            ("pred", f64_data(&[6], &p)),
            ("target", i64_data(&[6], &y)),
        ]),
        v,
        &[("pred", &g)],
        "i64 +-1",
    );
    let y = [1i64, 0, 0, 1, 1, 0];
    let (v, g) = hinge_ref(&p, &y.map(|t| t as f64), "mean");
    check(
        "hinge",
        &inputs(vec![
            ("pred", f64_data(&[6], &p)),
            ("target", i64_data(&[6], &y)),
        ]),
        v,
        &[("pred", &g)],
        "i64 0/1",
    );
}

// ---- regression -------------------------------------------------------------------

/// Per-element regression losses and their derivatives in p, with d = p - y:
/// mse: d^2, 2d;  mae: |d|, sign(d);
/// huber(delta): 0.5 d^2 if |d| < delta else delta(|d| - delta/2); d or delta*sign(d);
/// smooth_l1(beta): 0.5 d^2/beta if |d| < beta else |d| - beta/2; d/beta or sign(d).
fn regression_elem(kind: &str, k: f64, p: f64, y: f64) -> (f64, f64) {
    let d = p - y;
    let a = d.abs();
    match kind {
        "mse" => (d * d, 2.0 * d),
        "mae" => (a, sign(d)),
        "huber" => {
            if a < k {
                (0.5 * d * d, d)
            } else {
                (k * (a - 0.5 * k), k * sign(d))
            }
        }
        "smooth_l1" => {
            if a < k {
                (0.5 * d * d / k, d / k)
            } else {
                (a - 0.5 * k, sign(d))
            }
        }
        _ => unreachable!(),
    }
}

#[test]
fn regression_losses_random() {
    let mut rng = rng("regression_losses_random");
    for kind in ["mse", "mae", "huber", "smooth_l1"] {
        for trial in 0..8 {
            for fl in FLOATS {
                let (shape, n) = random_shape(&mut rng);
                let p = fl.round(rng.normals(n, 2.0));
                let mut y = fl.round(rng.normals(n, 2.0));
                if trial == 7 {
                    y[0] = p[0]; // exact zero residual: subgradient 0, as PyTorch
                }
                let k = rng.pick(&[1.0, 0.5, 2.0, 0.1]);
                let red = rng.pick(&["mean", "sum"]);
                let text = match kind {
                    "huber" => format!("huber(delta = {k:?}, reduction = \"{red}\")"),
                    "smooth_l1" => format!("smooth_l1(beta = {k:?}, reduction = \"{red}\")"),
                    _ => format!("{kind}(reduction = \"{red}\")"),
                };
                let parts: Vec<_> = p
                    .iter()
                    .zip(&y)
                    .map(|(&a, &b)| regression_elem(kind, k, a, b))
                    .collect();
                let (v, g) = reduce(&parts, red);
                let ins = inputs(vec![
                    ("pred", f_data(fl, &shape, &p)),
                    ("target", f_data(fl, &shape, &y)),
                ]);
                check(
                    &text,
                    &ins,
                    v,
                    &[("pred", &g)],
                    &format!("trial {trial} {} {shape:?}", fl.name()),
                );
            }
        }
    }
    // Defaults: huber delta = 1, smooth_l1 beta = 1.
    let p = rng.normals(7, 2.0);
    let y = rng.normals(7, 2.0);
    let ins = inputs(vec![
        ("pred", f64_data(&[7], &p)),
        ("target", f64_data(&[7], &y)),
    ]);
    for kind in ["huber", "smooth_l1"] {
        let parts: Vec<_> = p
            .iter()
            .zip(&y)
            .map(|(&a, &b)| regression_elem(kind, 1.0, a, b))
            .collect();
        let (v, g) = reduce(&parts, "mean");
        check(kind, &ins, v, &[("pred", &g)], "defaults");
    }
}

#[test]
fn regression_extreme() {
    // Large residuals (1e4) and zero residuals: finite, linear branches.
    let p = vec![1e4, -1e4, 0.0, 3.0, 1e-300];
    let y = vec![-1e4, 1e4, 0.0, 3.0, 0.0];
    let ins = inputs(vec![
        ("pred", f64_data(&[5], &p)),
        ("target", f64_data(&[5], &y)),
    ]);
    for kind in ["mse", "mae", "huber", "smooth_l1"] {
        let parts: Vec<_> = p
            .iter()
            .zip(&y)
            .map(|(&a, &b)| regression_elem(kind, 1.0, a, b))
            .collect();
        let (v, g) = reduce(&parts, "mean");
        check(kind, &ins, v, &[("pred", &g)], "extreme");
    }
}

// ---- focal ------------------------------------------------------------------------

fn alpha_text(alpha: Option<f64>) -> String {
    alpha.map_or("none".to_string(), |a| format!("{a:?}"))
}

#[test]
fn focal_random() {
    let mut rng = rng("focal_random");
    for trial in 0..16 {
        for fl in FLOATS {
            let (shape, n) = random_shape(&mut rng);
            let p = fl.round(rng.normals(n, 3.0));
            // Soft targets only with integer gamma >= 1 (m^gamma stays defined
            // even if rounding makes 1 - p_t a hair below 0).
            let soft = trial % 4 == 3;
            let gamma = if soft {
                rng.pick(&[1.0, 2.0, 3.0])
            } else {
                rng.pick(&[0.0, 1.0, 2.0, 3.0, 1.5, 2.5])
            };
            let y = fl.round(targets01(&mut rng, n, soft));
            let alpha = if rng.bool(0.5) {
                None
            } else {
                Some(rng.pick(&[0.25, 0.75, 0.5]))
            };
            let red = rng.pick(&["mean", "sum"]);
            let text = format!(
                "focal(gamma = {gamma:?}, alpha = {}, reduction = \"{red}\")",
                alpha_text(alpha)
            );
            let parts: Vec<_> = p
                .iter()
                .zip(&y)
                .map(|(&a, &b)| focal_elem(a, b, gamma, alpha))
                .collect();
            let (v, g) = reduce(&parts, red);
            let ins = inputs(vec![
                ("pred", f_data(fl, &shape, &p)),
                ("target", f_data(fl, &shape, &y)),
            ]);
            check(
                &text,
                &ins,
                v,
                &[("pred", &g)],
                &format!("trial {trial} {} {shape:?}", fl.name()),
            );
        }
    }
    // Defaults: gamma = 2, no alpha weighting, mean.
    let p = rng.normals(6, 2.0);
    let y = targets01(&mut rng, 6, false);
    let parts: Vec<_> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| focal_elem(a, b, 2.0, None))
        .collect();
    let (v, g) = reduce(&parts, "mean");
    check(
        "focal",
        &inputs(vec![
            ("pred", f64_data(&[6], &p)),
            ("target", f64_data(&[6], &y)),
        ]),
        v,
        &[("pred", &g)],
        "defaults",
    );
}

fn extreme_binary() -> (Vec<f64>, Vec<f64>) {
    let mut p = Vec::new();
    let mut y = Vec::new();
    for &x in &EXTREME_LOGITS {
        for t in [0.0, 1.0] {
            p.push(x);
            y.push(t);
        }
    }
    (p, y)
}

#[test]
fn focal_extreme() {
    // Saturated sigmoids (|p| >= 37 makes s exactly 0 or 1 in float64): the
    // loss is finite (softplus is stable), and so is the gradient.
    let (p, y) = extreme_binary();
    let n = p.len();
    for gamma in [0.0, 1.0, 2.0, 1.5, 3.0] {
        for alpha in [None, Some(0.25)] {
            let parts: Vec<_> = p
                .iter()
                .zip(&y)
                .map(|(&a, &b)| focal_elem(a, b, gamma, alpha))
                .collect();
            let (v, g) = reduce(&parts, "mean");
            assert!(v.is_finite());
            let ins = inputs(vec![
                ("pred", f64_data(&[n], &p)),
                ("target", f64_data(&[n], &y)),
            ]);
            let text = format!("focal(gamma = {gamma:?}, alpha = {})", alpha_text(alpha));
            check(&text, &ins, v, &[("pred", &g)], "extreme");
        }
    }
}

#[test]
fn focal_extreme_fractional_gamma_below_one() {
    // gamma < 1: (1 - p_t)^gamma has an infinite derivative at 1 - p_t = 0,
    // which float64 reaches for saturated, correctly classified logits
    // (p = 50, y = 1). The true gradient there is finite (~ -(1+gamma) e^{-(1+gamma)p}).
    let (p, y) = extreme_binary();
    let n = p.len();
    let gamma = 0.5;
    let parts: Vec<_> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| focal_elem(a, b, gamma, None))
        .collect();
    let (v, g) = reduce(&parts, "mean");
    assert_all_finite(&g, "reference");
    let ins = inputs(vec![
        ("pred", f64_data(&[n], &p)),
        ("target", f64_data(&[n], &y)),
    ]);
    check(
        "focal(gamma = 0.5)",
        &ins,
        v,
        &[("pred", &g)],
        "extreme, gamma 0.5",
    );
}

// ---- dice ---------------------------------------------------------------------------

#[test]
fn dice_random() {
    let mut rng = rng("dice_random");
    for trial in 0..10 {
        for fl in FLOATS {
            let (shape, n) = random_shape(&mut rng);
            let from_logits = trial % 3 != 2;
            let p = if from_logits {
                rng.normals(n, 3.0)
            } else {
                rng.uniforms(n, 0.0, 1.0)
            };
            let p = fl.round(p);
            let y = fl.round(targets01(&mut rng, n, trial % 2 == 1));
            let smooth = rng.pick(&[1.0, 0.5, 1e-5, 0.0]);
            let text = if from_logits {
                format!("dice(smooth = {smooth:?})")
            } else {
                format!("dice(smooth = {smooth:?}, from_logits = false)")
            };
            let (v, g) = dice_ref(&p, &y, smooth, from_logits);
            let ins = inputs(vec![
                ("pred", f_data(fl, &shape, &p)),
                ("target", f_data(fl, &shape, &y)),
            ]);
            check(
                &text,
                &ins,
                v,
                &[("pred", &g)],
                &format!("trial {trial} {} {shape:?}", fl.name()),
            );
        }
    }
    let p = rng.normals(5, 2.0);
    let y = targets01(&mut rng, 5, false);
    let (v, g) = dice_ref(&p, &y, 1.0, true);
    check(
        "dice",
        &inputs(vec![
            ("pred", f64_data(&[5], &p)),
            ("target", f64_data(&[5], &y)),
        ]),
        v,
        &[("pred", &g)],
        "defaults",
    );
}

#[test]
fn dice_empty_and_extreme() {
    // Empty mask, empty prediction: 1 - smooth/smooth = 0; with smooth = 0 the
    // denominator is clamped to 1e-7, so the value is 1 - 0 = 1.
    let n = 6;
    let p = vec![-1e4; n];
    let y = vec![0.0; n];
    let ins = inputs(vec![
        ("pred", f64_data(&[n], &p)),
        ("target", f64_data(&[n], &y)),
    ]);
    for smooth in [1.0, 0.0] {
        let (v, g) = dice_ref(&p, &y, smooth, true);
        assert_eq!(v, if smooth == 0.0 { 1.0 } else { 0.0 });
        check(
            &format!("dice(smooth = {smooth:?})"),
            &ins,
            v,
            &[("pred", &g)],
            "empty",
        );
    }
    // Saturated logits against a mask.
    let (p, y) = extreme_binary();
    let n = p.len();
    let ins = inputs(vec![
        ("pred", f64_data(&[n], &p)),
        ("target", f64_data(&[n], &y)),
    ]);
    for smooth in [1.0, 1e-5] {
        let (v, g) = dice_ref(&p, &y, smooth, true);
        check(
            &format!("dice(smooth = {smooth:?})"),
            &ins,
            v,
            &[("pred", &g)],
            "extreme",
        );
    }
}

// ---- kl_div ----------------------------------------------------------------------------

#[test]
fn kl_div_random() {
    let mut rng = rng("kl_div_random");
    for trial in 0..10 {
        for fl in FLOATS {
            // [N, C], or [N, D, C] (rows are all leading positions)
            let (n, c) = (rng.usize(1, 5), rng.usize(2, 5));
            let d = if trial >= 6 { rng.usize(2, 3) } else { 1 };
            let shape = if d > 1 { vec![n, d, c] } else { vec![n, c] };
            let n = n * d;
            let p = fl.round(rng.normals(n * c, 3.0));
            let log_target = trial % 3 == 2;
            let mut y = Vec::new();
            for _ in 0..n {
                let mut row = rng.simplex(c);
                if !log_target && trial % 2 == 1 {
                    // zeros in the target (0 * log 0 = 0), keep at least one class
                    let keep = rng.usize(0, c - 1);
                    for (k, v) in row.iter_mut().enumerate() {
                        if k != keep && rng.bool(0.5) {
                            *v = 0.0;
                        }
                    }
                    let s: f64 = row.iter().sum();
                    row.iter_mut().for_each(|v| *v /= s);
                }
                y.extend(row);
            }
            if log_target {
                y = y.iter().map(|v| v.ln()).collect();
            }
            let y = fl.round(y);
            let text = if log_target {
                "kl_div(log_target = true)"
            } else {
                "kl_div"
            };
            let (v, g) = kl_ref(&p, &y, c, log_target);
            let ins = inputs(vec![
                ("pred", f_data(fl, &shape, &p)),
                ("target", f_data(fl, &shape, &y)),
            ]);
            check(
                text,
                &ins,
                v,
                &[("pred", &g)],
                &format!("trial {trial} {} {shape:?}", fl.name()),
            );
        }
    }
}

#[test]
fn kl_div_extreme() {
    // Logits of +-1e4 against targets with zeros (including a zero where
    // log q is -2e4) and one-hot targets on the least likely class.
    let c = 3;
    let p = vec![
        1e4, -1e4, 0.0, 1e4, -1e4, 0.0, 50.0, -50.0, 0.0, -800.0, 800.0, 0.0,
    ];
    let y = vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.5, 0.0, 0.5, 0.2, 0.0, 0.8];
    let (v, g) = kl_ref(&p, &y, c, false);
    assert!(v.is_finite());
    let ins = inputs(vec![
        ("pred", f64_data(&[4, c], &p)),
        ("target", f64_data(&[4, c], &y)),
    ]);
    check("kl_div", &ins, v, &[("pred", &g)], "extreme");
    // log targets far below zero (probabilities that underflow to 0).
    let yl = vec![
        0.0, -1e4, -1e4, -1e4, 0.0, -1e4, -0.5, -800.0, -1.0, -3.0, -2.0, -0.1,
    ];
    let (v, g) = kl_ref(&p, &yl, c, true);
    let ins = inputs(vec![
        ("pred", f64_data(&[4, c], &p)),
        ("target", f64_data(&[4, c], &yl)),
    ]);
    check(
        "kl_div(log_target = true)",
        &ins,
        v,
        &[("pred", &g)],
        "extreme log targets",
    );
}

// ---- regularisers ----------------------------------------------------------------------

#[test]
fn l1_l2_random() {
    // l1 = sum |w| (d = sign(w), 0 at 0); l2 = sum w^2 (d = 2w).
    let mut rng = rng("l1_l2_random");
    for trial in 0..8 {
        for fl in FLOATS {
            let shape = if trial % 2 == 0 {
                vec![rng.usize(1, 8)]
            } else {
                vec![rng.usize(1, 3), rng.usize(1, 4)]
            };
            let n: usize = shape.iter().product();
            let mut w = fl.round(rng.normals(n, 2.0));
            if trial == 3 {
                w[0] = 0.0;
            }
            let ins = inputs(vec![("params", f_data(fl, &shape, &w))]);
            let v1: f64 = w.iter().map(|x| x.abs()).sum();
            let g1: Vec<f64> = w.iter().map(|&x| sign(x)).collect();
            check(
                "l1",
                &ins,
                v1,
                &[("params", &g1)],
                &format!("trial {trial} {}", fl.name()),
            );
            let v2: f64 = w.iter().map(|x| x * x).sum();
            let g2: Vec<f64> = w.iter().map(|x| 2.0 * x).collect();
            check(
                "l2",
                &ins,
                v2,
                &[("params", &g2)],
                &format!("trial {trial} {}", fl.name()),
            );
        }
    }
}

// ---- composite -----------------------------------------------------------------------------

#[test]
fn composite_focal_dice_l2() {
    let text = "0.7*focal(gamma=2) + 0.3*dice + 1e-4*l2";
    let mut rng = rng("composite_focal_dice_l2");
    for trial in 0..8 {
        for fl in FLOATS {
            let (shape, n) = random_shape(&mut rng);
            let mut p = rng.normals(n, 3.0);
            if trial == 7 {
                p[0] = 1e4;
            }
            let p = fl.round(p);
            let y = fl.round(targets01(&mut rng, n, false));
            let k = rng.usize(1, 6);
            let w = fl.round(rng.normals(k, 1.0));
            let parts: Vec<_> = p
                .iter()
                .zip(&y)
                .map(|(&a, &b)| focal_elem(a, b, 2.0, None))
                .collect();
            let (vf, gf) = reduce(&parts, "mean");
            let (vd, gd) = dice_ref(&p, &y, 1.0, true);
            let vl: f64 = w.iter().map(|x| x * x).sum();
            let want = 0.7 * vf + 0.3 * vd + 1e-4 * vl;
            let gp: Vec<f64> = gf.iter().zip(&gd).map(|(a, b)| 0.7 * a + 0.3 * b).collect();
            let gw: Vec<f64> = w.iter().map(|x| 1e-4 * 2.0 * x).collect();
            let ins = inputs(vec![
                ("pred", f_data(fl, &shape, &p)),
                ("target", f_data(fl, &shape, &y)),
                ("params", f_data(fl, &[k], &w)),
            ]);
            let ctx = format!("trial {trial} {} {shape:?}", fl.name());
            let r = check(text, &ins, want, &[("pred", &gp), ("params", &gw)], &ctx);
            let labels: Vec<&str> = r.terms.iter().map(|(l, _)| l.as_str()).collect();
            assert_eq!(
                labels,
                ["0.7*focal(gamma=2)", "0.3*dice", "1e-4*l2"],
                "{ctx}: term labels"
            );
            for ((label, got), want) in r.terms.iter().zip([0.7 * vf, 0.3 * vd, 1e-4 * vl]) {
                assert_close(*got, want, V_RTOL, V_ATOL, &format!("{ctx}: term {label}"));
            }
            let total: f64 = r.terms.iter().map(|t| t.1).sum();
            assert_close(
                total,
                r.value,
                V_RTOL,
                V_ATOL,
                &format!("{ctx}: terms add up to the value"),
            );
        }
    }
}

#[test]
fn subtracted_term_is_negated() {
    // `a - b` at the top level has terms a and -b.
    let p = [0.5, -1.0, 2.0];
    let y = [0.0, 1.0, 1.0];
    let ins = inputs(vec![
        ("pred", f64_data(&[3], &p)),
        ("target", f64_data(&[3], &y)),
    ]);
    let r = eval("mse - 0.5*mae", None, &ins);
    let mse: f64 = p
        .iter()
        .zip(&y)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        / 3.0;
    let mae: f64 = p.iter().zip(&y).map(|(a, b)| (a - b).abs()).sum::<f64>() / 3.0;
    assert_close(r.value, mse - 0.5 * mae, V_RTOL, V_ATOL, "value");
    assert_eq!(r.terms.len(), 2);
    assert_eq!(r.terms[1].0, "-0.5*mae");
    assert_close(r.terms[1].1, -0.5 * mae, V_RTOL, V_ATOL, "negated term");
}

#[test]
fn mixed_float_types_and_declared_roles() {
    // f32 predictions with f64 targets (and the reverse), declared `input`,
    // `target` and `param` roles: gradients for input and param only.
    let mut rng = rng("mixed_float_types_and_declared_roles");
    let text = "input scores: f64[N]\ntarget truth: f64[N]\nparam w: f32[K]\nloss main = mse(scores, truth) + 0.01 * l2(w) + 0.1 * l1(w)";
    for (fp, ft) in [(Float::F32, Float::F64), (Float::F64, Float::F32)] {
        let n = rng.usize(1, 6);
        let p = fp.round(rng.normals(n, 2.0));
        let y = ft.round(rng.normals(n, 2.0));
        let w = Float::F32.round(rng.normals(3, 1.0));
        let parts: Vec<_> = p
            .iter()
            .zip(&y)
            .map(|(&a, &b)| regression_elem("mse", 0.0, a, b))
            .collect();
        let (vm, gm) = reduce(&parts, "mean");
        let want = vm
            + 0.01 * w.iter().map(|x| x * x).sum::<f64>()
            + 0.1 * w.iter().map(|x| x.abs()).sum::<f64>();
        let gw: Vec<f64> = w.iter().map(|&x| 0.02 * x + 0.1 * sign(x)).collect();
        let ins = inputs(vec![
            ("scores", f_data(fp, &[n], &p)),
            ("truth", f_data(ft, &[n], &y)),
            ("w", f_data(Float::F32, &[3], &w)),
        ]);
        let r = check(
            text,
            &ins,
            want,
            &[("scores", &gm), ("w", &gw)],
            &format!("{} / {}", fp.name(), ft.name()),
        );
        assert!(r.gradient("truth").is_none(), "a target has no gradient");
        assert_eq!(r.terms.len(), 3);
    }
}

#[test]
fn smooth_l1_beta_zero_is_l1() {
    // PyTorch: beta = 0 makes SmoothL1Loss exactly L1Loss (the quadratic
    // branch, with its division by beta, is never taken).
    let mut rng = rng("smooth_l1_beta_zero_is_l1");
    let p = rng.normals(7, 2.0);
    let y = rng.normals(7, 2.0);
    let parts: Vec<_> = p
        .iter()
        .zip(&y)
        .map(|(&a, &b)| regression_elem("mae", 0.0, a, b))
        .collect();
    let (v, g) = reduce(&parts, "mean");
    let ins = inputs(vec![
        ("pred", f64_data(&[7], &p)),
        ("target", f64_data(&[7], &y)),
    ]);
    check("smooth_l1(beta = 0.0)", &ins, v, &[("pred", &g)], "beta 0");
}

// ---- reductions ------------------------------------------------------------------------------

/// Inputs suitable for each loss that takes a `reduction` argument.
fn reduction_inputs(rng: &mut Rng, loss: &str) -> OwnedInputs {
    let (n, c) = (4, 3);
    let p = rng.normals(n * c, 2.0);
    let y: Vec<f64> = match loss {
        "cce" => (0..n).flat_map(|_| rng.simplex(c)).collect(),
        "bce" | "focal" | "hinge" => targets01(rng, n * c, false),
        _ => rng.normals(n * c, 2.0),
    };
    inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", f64_data(&[n, c], &y)),
    ])
}

const REDUCIBLE: [&str; 8] = [
    "bce",
    "cce",
    "hinge",
    "focal",
    "mse",
    "mae",
    "huber",
    "smooth_l1",
];

#[test]
fn reduction_none_is_not_a_scalar_objective() {
    let mut rng = rng("reduction_none_is_not_a_scalar_objective");
    for loss in REDUCIBLE {
        let ins = reduction_inputs(&mut rng, loss);
        for text in [
            format!("{loss}(reduction = \"none\")"),
            format!("sum({loss}(reduction = \"none\"), axis = -1)"),
        ] {
            if loss == "cce" && text.starts_with("sum") {
                continue; // cce's per-row losses are [N]; summing the last axis gives a scalar
            }
            let spec = LossSpec::from_str(&text).unwrap();
            match spec.evaluate(None, &ins) {
                Err(Error::Compile(e)) => assert!(
                    matches!(e.kind(), DiagKind::NonScalarObjective { .. }),
                    "`{text}`: {:?}",
                    e.kind()
                ),
                other => {
                    panic!("`{text}` should be a NonScalarObjective compile error, got {other:?}")
                }
            }
        }
    }
}

#[test]
fn reduction_none_wrapped_matches_mean_and_sum() {
    // mean(loss(reduction = "none")) is the default mean reduction and
    // sum(...) the "sum" reduction, value and gradient.
    let mut rng = rng("reduction_none_wrapped_matches_mean_and_sum");
    for loss in REDUCIBLE {
        let ins = reduction_inputs(&mut rng, loss);
        for (wrapped, plain) in [
            (
                format!("mean({loss}(reduction = \"none\"))"),
                loss.to_string(),
            ),
            (
                format!("sum({loss}(reduction = \"none\"))"),
                format!("{loss}(reduction = \"sum\")"),
            ),
        ] {
            let a = eval(&wrapped, None, &ins);
            let b = eval(&plain, None, &ins);
            assert_close(
                a.value,
                b.value,
                V_RTOL,
                V_ATOL,
                &format!("`{wrapped}` vs `{plain}`"),
            );
            assert_all_close(
                &grad(&a, "pred"),
                &grad(&b, "pred"),
                G_RTOL,
                G_ATOL,
                &format!("gradient of `{wrapped}` vs `{plain}`"),
            );
        }
    }
    // Row sums then a mean over rows: the per-element mse summed per row.
    let ins = reduction_inputs(&mut rng, "mse");
    let p = ins["pred"].to_f64();
    let y = ins["target"].to_f64();
    let d = &p - &y;
    let want = d.mapv(|x| x * x).sum() / 4.0;
    let r = eval(
        "mean(sum(mse(reduction = \"none\"), axis = -1))",
        None,
        &ins,
    );
    assert_close(r.value, want, V_RTOL, V_ATOL, "row sums");
    let g: Vec<f64> = d.iter().map(|x| 2.0 * x / 4.0).collect();
    assert_all_close(&grad(&r, "pred"), &g, G_RTOL, G_ATOL, "row sums gradient");
}

#[test]
fn reduction_unknown_is_invalid_argument() {
    let mut rng = rng("reduction_unknown_is_invalid_argument");
    let ins = reduction_inputs(&mut rng, "mse");
    let spec = LossSpec::from_str("mse(reduction = \"avg\")").unwrap();
    match spec.evaluate(None, &ins) {
        Err(Error::Compile(e)) => assert!(
            matches!(e.kind(), DiagKind::InvalidArgument(_)),
            "{:?}",
            e.kind()
        ),
        other => panic!("expected an InvalidArgument compile error, got {other:?}"),
    }
}
