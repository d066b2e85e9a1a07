//! Divergences (`kl_div` with its reductions, `js_div`), embedding losses
//! (`cosine_embedding`, `margin_ranking`, `triplet_margin`) and the GAN
//! objectives, end to end: value and gradient against independent float64
//! formulas written out here (values *and* hand-derived gradients), on random
//! inputs from a seeded RNG (the seed is printed; set `LOSSC_TEST_SEED` to
//! reproduce) and on extreme inputs (logits of +-1e4, probabilities exactly 0
//! and 1, zero and huge embedding rows, exact ties at hinges and distance
//! swaps); central finite differences; native kernels against the reference
//! evaluator; and compile errors for invalid options.
//!
//! Tolerances.
//! - Reference comparisons: both sides compute in float64 from the same inputs
//!   (f32 data is rounded to f32 before the reference sees it, as the library
//!   widens it), with algebraically equal formulas; differences come from
//!   summation order and the rounding of different but equivalent expressions
//!   (a few ulp times a small condition number), so values agree to
//!   `1e-10 * |want| + 1e-12` and gradients to `1e-9 * |want| + 1e-12 *
//!   max(1, max|want|)` — as in tests/losses.rs. The Jensen-Shannon reference
//!   takes log M as `ln((P + Q) / 2)` where the library uses logaddexp of the
//!   logs: equal to a few ulp, well inside these bounds.
//! - Finite differences (`check_fd`): step `1e-6 * max(1, |x|)`, central, so
//!   truncation ~1e-12 and rounding ~2e-10 * |f|; checked at `rtol = 1e-5`,
//!   `atol = 1e-7`, on points away from every hinge (as tests/gradients.rs).
//! - Native kernels: `common::native` (float64 to 1e-11, float32 to 2e-6 in
//!   value and 2e-5 of the gradient scale). For the hinge losses a share of
//!   1e-3 of the gradient entries may differ: float32 rounding can put an
//!   element on the other side of the hinge than float64 does, where the
//!   gradient jumps (as tests/jit.rs).

mod common;

use common::native::{check_native, compare_with, random};
use common::*;
use lossc::diag::DiagKind;
use lossc::native::Precision;

const FD_RTOL: f64 = 1e-5;
const FD_ATOL: f64 = 1e-7;

/// Kernel vs reference over the sizes of `check_native`, allowing a share of
/// 1e-3 of gradient entries to differ (a hinge crossed by float32 rounding).
fn check_native_hinged(src: &str, seed: u64) {
    for (n, c) in [(1, 3), (7, 5), (1031, 10), (40_000, 3)] {
        let inputs = random(src, n, c, seed.wrapping_add(n as u64));
        for p in [Precision::F32, Precision::F64] {
            compare_with(src, &inputs, p, 2, 1e-3);
        }
    }
}

/// Logits that include saturating and overflow-prone values.
const EXTREME_LOGITS: [f64; 8] = [1e4, -1e4, 0.0, 50.0, -50.0, 700.0, -800.0, 36.0];

// ---- kl_div -----------------------------------------------------------------------------------

/// KL(y || softmax(p)) per row (rows of length `c`): terms y (ln y - lq), 0 where
/// y = 0 (or, for log targets, e^y (y - lq), 0 where e^y = 0).
/// Returns the per-element terms, d/dp of the row sums (q_k sum(w) - w_k, w = y or e^y)
/// and d/dy of the row sums (ln y + 1 - lq where y > 0 else 0; log targets:
/// e^y (y - lq + 1)).
fn kl_parts(p: &[f64], y: &[f64], c: usize, log_target: bool) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut t, mut gp, mut gy) = (Vec::new(), Vec::new(), Vec::new());
    for (prow, yrow) in p.chunks(c).zip(y.chunks(c)) {
        let lq = log_softmax(prow);
        let w: Vec<f64> = yrow
            .iter()
            .map(|&v| if log_target { v.exp() } else { v })
            .collect();
        let s: f64 = w.iter().sum();
        for k in 0..c {
            let (term, dy) = if log_target {
                if w[k] > 0.0 {
                    (w[k] * (yrow[k] - lq[k]), w[k] * (yrow[k] - lq[k] + 1.0))
                } else {
                    (0.0, 0.0)
                }
            } else if yrow[k] > 0.0 {
                (yrow[k] * (yrow[k].ln() - lq[k]), yrow[k].ln() + 1.0 - lq[k])
            } else {
                (0.0, 0.0)
            };
            t.push(term);
            gy.push(dy);
            gp.push(lq[k].exp() * s - w[k]);
        }
    }
    (t, gp, gy)
}

/// Apply a divergence reduction to per-element terms and per-element
/// gradients (of the plain sum); `rows` = number of rows.
fn div_reduce(t: &[f64], g: &[f64], rows: usize, reduction: &str) -> (f64, Vec<f64>) {
    let scale = match reduction {
        "batchmean" => 1.0 / rows as f64,
        "sum" => 1.0,
        "mean" => 1.0 / t.len() as f64,
        r => panic!("{r}"),
    };
    (
        t.iter().sum::<f64>() * scale,
        g.iter().map(|x| x * scale).collect(),
    )
}

/// A target distribution over `c` classes, with zeros (at least one class kept)
/// when `zeros`, or one-hot when `onehot`.
fn target_row(rng: &mut Rng, c: usize, zeros: bool, onehot: bool) -> Vec<f64> {
    if onehot {
        let k = rng.usize(0, c - 1);
        return (0..c).map(|i| if i == k { 1.0 } else { 0.0 }).collect();
    }
    let mut row = rng.simplex(c);
    if zeros {
        let keep = rng.usize(0, c - 1);
        for (k, v) in row.iter_mut().enumerate() {
            if k != keep && rng.bool(0.5) {
                *v = 0.0;
            }
        }
        if c > 1 && !row.contains(&0.0) {
            row[(keep + 1) % c] = 0.0;
        }
        let s: f64 = row.iter().sum();
        row.iter_mut().for_each(|v| *v /= s);
    }
    row
}

#[test]
fn kl_div_reductions_random() {
    let mut rng = rng("kl_div_reductions_random");
    for trial in 0..12 {
        for fl in FLOATS {
            let (n, c) = (rng.usize(1, 5), rng.usize(2, 5));
            let d = if trial % 4 == 3 { 2 } else { 1 };
            let shape = if d > 1 { vec![n, d, c] } else { vec![n, c] };
            let rows = n * d;
            let p = fl.round(rng.normals(rows * c, 3.0));
            let log_target = trial % 3 == 2;
            let mut y: Vec<f64> = (0..rows)
                .flat_map(|_| target_row(&mut rng, c, trial % 2 == 1, false))
                .collect();
            if log_target {
                y = y.iter().map(|v| v.ln()).collect(); // zeros become -inf
            }
            let y = fl.round(y);
            let red = rng.pick(&["batchmean", "sum", "mean"]);
            let text = format!("kl_div(log_target = {log_target}, reduction = \"{red}\")");
            let (t, gp, _) = kl_parts(&p, &y, c, log_target);
            let (v, g) = div_reduce(&t, &gp, rows, red);
            let ins = inputs(vec![
                ("pred", fl.data(&shape, &p)),
                ("target", fl.data(&shape, &y)),
            ]);
            check(
                &text,
                &ins,
                v,
                &[("pred", &g)],
                &format!("trial {trial} {} {shape:?}", fl.name()),
            );
            // "none" keeps the per-element terms: their sum is the "sum" reduction.
            let r = eval(
                &format!("sum(kl_div(log_target = {log_target}, reduction = \"none\"))"),
                None,
                &ins,
            );
            assert_close(
                r.value,
                t.iter().sum(),
                V_RTOL,
                V_ATOL,
                &format!("trial {trial}: none"),
            );
        }
    }
}

#[test]
fn kl_div_differentiated_target_with_zeros() {
    // The target is a network output too (e.g. a teacher being trained):
    // PyTorch's d/dy at y = 0 is NaN (xlogy's backward); here the y = 0 terms
    // are 0 with no gradient, and everything is finite.
    let mut rng = rng("kl_div_differentiated_target_with_zeros");
    for trial in 0..6 {
        let (n, c) = (rng.usize(1, 4), rng.usize(2, 5));
        let mut p = rng.normals(n * c, 3.0);
        if trial == 5 {
            p[0] = 1e4;
            p[c - 1] = -1e4;
        }
        let y: Vec<f64> = (0..n)
            .flat_map(|_| target_row(&mut rng, c, true, trial % 2 == 0))
            .collect();
        assert!(y.contains(&0.0));
        let (t, gp, gy) = kl_parts(&p, &y, c, false);
        let (v, gp) = div_reduce(&t, &gp, n, "batchmean");
        let gy: Vec<f64> = gy.iter().map(|x| x / n as f64).collect();
        let ins = inputs(vec![
            ("p", f64_data(&[n, c], &p)),
            ("t", f64_data(&[n, c], &y)),
        ]);
        check(
            "input p: f64[N, C]\ninput t: f64[N, C]\nkl_div(p, t)",
            &ins,
            v,
            &[("p", &gp), ("t", &gy)],
            &format!("trial {trial}"),
        );
    }
}

#[test]
fn kl_div_extreme() {
    // Logits of +-1e4 against targets with exact 0 and 1 (including the target's
    // mass on a class whose log q is -2e4); log targets of -inf and -1e4.
    let c = 3;
    let p = vec![
        1e4, -1e4, 0.0, 1e4, -1e4, 0.0, 50.0, -50.0, 0.0, -800.0, 800.0, 0.0,
    ];
    let y = vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.5, 0.0, 0.5, 0.2, 0.0, 0.8];
    let ins = inputs(vec![
        ("pred", f64_data(&[4, c], &p)),
        ("target", f64_data(&[4, c], &y)),
    ]);
    for red in ["batchmean", "sum", "mean"] {
        let (t, gp, _) = kl_parts(&p, &y, c, false);
        let (v, g) = div_reduce(&t, &gp, 4, red);
        assert!(v.is_finite());
        check(
            &format!("kl_div(reduction = \"{red}\")"),
            &ins,
            v,
            &[("pred", &g)],
            "extreme",
        );
    }
    let yl: Vec<f64> = vec![
        0.0,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
        -1e4,
        0.0,
        -1e4,
        -0.5f64.exp().ln_1p(),
        f64::NEG_INFINITY,
        -1.0,
        -3.0,
        -2.0,
        -0.1,
    ];
    let (t, gp, _) = kl_parts(&p, &yl, c, true);
    let (v, g) = div_reduce(&t, &gp, 4, "batchmean");
    assert!(v.is_finite());
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

// ---- js_div -----------------------------------------------------------------------------------

/// Jensen-Shannon divergence per element: with P = softmax(p), lP = log_softmax(p),
/// M = (P + Q)/2, ln M = ln((P + Q)/2) (ln(1/2) + lP where Q = 0):
/// term = (P (lP - ln M) + Q (ln Q - ln M)) / 2, Q ln Q = 0 at Q = 0.
/// d/dP_k of the row sum = (lP_k - ln M_k)/2, so d/dp_j = P_j (g_j - sum_k P_k g_k);
/// d/dQ_k = (ln Q_k - ln M_k)/2 where Q_k > 0, else 0 (the library's convention).
fn js_parts(p: &[f64], y: &[f64], c: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut t, mut gp, mut gy) = (Vec::new(), Vec::new(), Vec::new());
    for (prow, qrow) in p.chunks(c).zip(y.chunks(c)) {
        let lp = log_softmax(prow);
        let pr: Vec<f64> = lp.iter().map(|x| x.exp()).collect();
        let lm: Vec<f64> = (0..c)
            .map(|k| {
                if qrow[k] > 0.0 {
                    (0.5 * (pr[k] + qrow[k])).ln()
                } else {
                    0.5f64.ln() + lp[k]
                }
            })
            .collect();
        let g: Vec<f64> = (0..c).map(|k| 0.5 * (lp[k] - lm[k])).collect();
        let pg: f64 = (0..c).map(|k| pr[k] * g[k]).sum();
        for k in 0..c {
            let qterm = if qrow[k] > 0.0 {
                qrow[k] * (qrow[k].ln() - lm[k])
            } else {
                0.0
            };
            t.push(0.5 * (pr[k] * (lp[k] - lm[k]) + qterm));
            gp.push(pr[k] * (g[k] - pg));
            gy.push(if qrow[k] > 0.0 {
                0.5 * (qrow[k].ln() - lm[k])
            } else {
                0.0
            });
        }
    }
    (t, gp, gy)
}

#[test]
fn js_div_random() {
    let mut rng = rng("js_div_random");
    for trial in 0..12 {
        for fl in FLOATS {
            let (n, c) = (rng.usize(1, 5), rng.usize(2, 5));
            let d = if trial % 4 == 3 { 2 } else { 1 };
            let shape = if d > 1 { vec![n, d, c] } else { vec![n, c] };
            let rows = n * d;
            let p = fl.round(rng.normals(rows * c, 3.0));
            let y: Vec<f64> = (0..rows)
                .flat_map(|_| target_row(&mut rng, c, trial % 2 == 1, trial % 5 == 4))
                .collect();
            let y = fl.round(y);
            let red = rng.pick(&["batchmean", "sum", "mean"]);
            let (t, gp, _) = js_parts(&p, &y, c);
            let (v, g) = div_reduce(&t, &gp, rows, red);
            assert!(
                (0.0..=std::f64::consts::LN_2 * 1.000001)
                    .contains(&(t.iter().sum::<f64>() / rows as f64))
            );
            let ins = inputs(vec![
                ("pred", fl.data(&shape, &p)),
                ("target", fl.data(&shape, &y)),
            ]);
            let text = if trial % 3 == 0 {
                "js_div".to_string()
            } else {
                format!("js_div(reduction = \"{red}\")")
            };
            let (v, g) = if trial % 3 == 0 {
                div_reduce(&t, &gp, rows, "batchmean")
            } else {
                (v, g)
            };
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
fn js_div_extreme_and_symmetric() {
    // P with exact 0s and 1s (logits +-1e4) against targets with exact 0s and
    // 1s: disjoint supports give the maximum, log 2.
    let c = 3;
    let p = vec![
        1e4, -1e4, 0.0, 1e4, -1e4, 0.0, -800.0, 800.0, 0.0, 0.0, 0.0, 0.0, 1e4, 1e4, -1e4,
    ];
    let y = vec![
        0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.5, 0.5, 0.0,
    ];
    let (t, gp, gy) = js_parts(&p, &y, c);
    let rows = 5;
    let (v, g) = div_reduce(&t, &gp, rows, "batchmean");
    assert!(v.is_finite());
    // row 0: disjoint supports, JS = ln 2; row 1: identical one-hots, 0; row 4: identical.
    assert_close(
        t[..3].iter().sum(),
        std::f64::consts::LN_2,
        1e-15,
        0.0,
        "row 0",
    );
    assert_close(t[3..6].iter().sum(), 0.0, 0.0, 1e-300, "row 1");
    let ins = inputs(vec![
        ("pred", f64_data(&[rows, c], &p)),
        ("target", f64_data(&[rows, c], &y)),
    ]);
    check("js_div", &ins, v, &[("pred", &g)], "extreme");
    // The target differentiated too: finite, 0 where the target is 0.
    let gy: Vec<f64> = gy.iter().map(|x| x / rows as f64).collect();
    let ins = inputs(vec![
        ("p", f64_data(&[rows, c], &p)),
        ("t", f64_data(&[rows, c], &y)),
    ]);
    check(
        "input p: f64[N, C]\ninput t: f64[N, C]\njs_div(p, t)",
        &ins,
        v,
        &[("p", &g), ("t", &gy)],
        "extreme, target differentiated",
    );
    // Symmetry: js(a, softmax(b)) = js(b, softmax(a)).
    let mut rng = rng("js_div_extreme_and_symmetric");
    let a = rng.normals(12, 3.0);
    let b = rng.normals(12, 3.0);
    let ins = inputs(vec![
        ("a", f64_data(&[4, 3], &a)),
        ("b", f64_data(&[4, 3], &b)),
    ]);
    let x = eval(
        "input a: f64[N, C]\ntarget b: f64[N, C]\njs_div(a, softmax(b))",
        None,
        &ins,
    );
    let z = eval(
        "target a: f64[N, C]\ninput b: f64[N, C]\njs_div(b, softmax(a))",
        None,
        &ins,
    );
    assert_close(x.value, z.value, 1e-12, 1e-15, "symmetry");
}

// ---- cosine_embedding ------------------------------------------------------------------------

/// PyTorch's EPSILON (1e-12 stored as a float32).
const COS_EPS: f64 = 1e-12f32 as f64;

/// CosineEmbeddingLoss per row and its gradients: cos = x1.x2 / (n1 n2),
/// n_i = sqrt(|x_i|^2 + eps); d cos/dx1 = x2/(n1 n2) - cos x1/n1^2 (and
/// symmetrically); l = 1 - cos (y = 1), relu(cos - margin) (y = -1), 0 otherwise.
fn cosine_rows(
    x1: &[f64],
    x2: &[f64],
    y: &[f64],
    d: usize,
    margin: f64,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut l, mut g1, mut g2) = (Vec::new(), Vec::new(), Vec::new());
    for ((a, b), &t) in x1.chunks(d).zip(x2.chunks(d)).zip(y) {
        let dot: f64 = a.iter().zip(b).map(|(u, v)| u * v).sum();
        let m1: f64 = a.iter().map(|u| u * u).sum::<f64>() + COS_EPS;
        let m2: f64 = b.iter().map(|u| u * u).sum::<f64>() + COS_EPS;
        let (n1, n2) = (m1.sqrt(), m2.sqrt());
        let cos = dot / (n1 * n2);
        let (loss, dl) = if t == 1.0 {
            (1.0 - cos, -1.0)
        } else if t == -1.0 {
            if cos - margin > 0.0 {
                (cos - margin, 1.0)
            } else {
                (0.0, 0.0)
            }
        } else {
            (0.0, 0.0)
        };
        l.push(loss);
        for k in 0..d {
            g1.push(dl * (b[k] / (n1 * n2) - cos * a[k] / m1));
            g2.push(dl * (a[k] / (n1 * n2) - cos * b[k] / m2));
        }
    }
    (l, g1, g2)
}

fn mean_or_sum(l: &[f64], g: &[&[f64]], red: &str) -> (f64, Vec<Vec<f64>>) {
    let s = if red == "mean" {
        1.0 / l.len() as f64
    } else {
        1.0
    };
    (
        l.iter().sum::<f64>() * s,
        g.iter()
            .map(|v| v.iter().map(|x| x * s).collect())
            .collect(),
    )
}

const COS_SPEC: &str = "input a: f32[N, D]\ninput b: f32[N, D]\ntarget y: f32[N]\n";

#[test]
fn cosine_embedding_random() {
    let mut rng = rng("cosine_embedding_random");
    for trial in 0..12 {
        for fl in FLOATS {
            let (n, d) = (rng.usize(1, 6), rng.usize(1, 5));
            let a = fl.round(rng.normals(n * d, 2.0));
            let mut b = fl.round(rng.normals(n * d, 2.0));
            if trial % 4 == 1 {
                // identical rows: cos = 1
                b[..d].copy_from_slice(&a[..d]);
            }
            let y: Vec<f64> = (0..n).map(|_| rng.pick(&[1.0, -1.0, -1.0, 0.0])).collect();
            let margin = rng.pick(&[None, Some(0.3), Some(-0.4)]);
            let red = rng.pick(&["mean", "sum"]);
            let m = margin.unwrap_or(0.0);
            let (l, g1, g2) = cosine_rows(&a, &b, &y, d, m);
            let (v, g) = mean_or_sum(&l, &[&g1, &g2], red);
            let margin_arg = margin.map_or(String::new(), |m| format!(", margin = {m:?}"));
            let ins = inputs(vec![
                ("a", fl.data(&[n, d], &a)),
                ("b", fl.data(&[n, d], &b)),
                ("y", fl.data(&[n], &y)),
            ]);
            check(
                &format!("{COS_SPEC}cosine_embedding(a, b, y{margin_arg}, reduction = \"{red}\")"),
                &ins,
                v,
                &[("a", &g[0]), ("b", &g[1])],
                &format!("trial {trial} {}", fl.name()),
            );
        }
    }
}

#[test]
fn cosine_embedding_extreme_rows_and_integer_labels() {
    // A zero row (cos 0), rows of 1e150 and 1e-150, identical rows, a hinge
    // tie (cos = margin: gradient 0), integer labels.
    let d = 3;
    let a = vec![
        0.0, 0.0, 0.0, 1e150, -2e150, 3e149, 1e-150, 2e-150, -1e-150, 0.3, -0.2, 0.9, 1.0, 0.0, 0.0,
    ];
    let b = vec![
        0.5, -1.0, 2.0, -3e149, 1e150, 2e150, 2.0, 1.0, 0.5, 0.3, -0.2, 0.9, 0.0, 1.0, 0.0,
    ];
    let y = vec![1.0, -1.0, 1.0, 1.0, -1.0];
    let (l, g1, g2) = cosine_rows(&a, &b, &y, d, 0.0);
    let (v, g) = mean_or_sum(&l, &[&g1, &g2], "mean");
    assert!(v.is_finite());
    let yi: Vec<i64> = y.iter().map(|&x| x as i64).collect();
    let ins = inputs(vec![
        ("a", f64_data(&[5, d], &a)),
        ("b", f64_data(&[5, d], &b)),
        ("y", i64_data(&[5], &yi)),
    ]);
    check(
        "input a: f64[N, D]\ninput b: f64[N, D]\ntarget y: i64[N]\ncosine_embedding(a, b, y)",
        &ins,
        v,
        &[("a", &g[0]), ("b", &g[1])],
        "extreme rows",
    );
}

// ---- margin_ranking ---------------------------------------------------------------------------

#[test]
fn margin_ranking_random_and_ties() {
    // l = relu(-y (x1 - x2) + margin); d/dx1 = -y, d/dx2 = y where l > 0, else 0
    // (also at the hinge, as PyTorch).
    let mut rng = rng("margin_ranking_random_and_ties");
    for trial in 0..12 {
        for fl in FLOATS {
            let n = rng.usize(1, 8);
            let a = fl.round(rng.normals(n, 2.0));
            let mut b = fl.round(rng.normals(n, 2.0));
            let y: Vec<f64> = (0..n).map(|_| rng.pick(&[1.0, -1.0])).collect();
            let margin = rng.pick(&[None, Some(0.5), Some(1.0)]);
            let m = margin.unwrap_or(0.0);
            if trial % 3 == 0 && m == 0.0 {
                b[0] = a[0]; // exactly at the hinge
            }
            let red = rng.pick(&["mean", "sum"]);
            let mut l = Vec::new();
            let (mut g1, mut g2) = (Vec::new(), Vec::new());
            for i in 0..n {
                let z = -y[i] * (a[i] - b[i]) + m;
                let on = z > 0.0;
                l.push(if on { z } else { 0.0 });
                g1.push(if on { -y[i] } else { 0.0 });
                g2.push(if on { y[i] } else { 0.0 });
            }
            let (v, g) = mean_or_sum(&l, &[&g1, &g2], red);
            let margin_arg = margin.map_or(String::new(), |m| format!(", margin = {m:?}"));
            let ins = inputs(vec![
                ("a", fl.data(&[n], &a)),
                ("b", fl.data(&[n], &b)),
                ("y", fl.data(&[n], &y)),
            ]);
            check(
                &format!(
                    "input a: f32[N]\ninput b: f32[N]\ntarget y: f32[N]\nmargin_ranking(a, b, y{margin_arg}, reduction = \"{red}\")"
                ),
                &ins,
                v,
                &[("a", &g[0]), ("b", &g[1])],
                &format!("trial {trial} {}", fl.name()),
            );
        }
    }
    // Scores of 1e30.
    let a = vec![1e30, -1e30, 1e4, 0.0];
    let b = vec![-1e30, 1e30, -1e4, 0.0];
    let y = vec![-1.0, -1.0, 1.0, 1.0];
    let ins = inputs(vec![
        ("a", f64_data(&[4], &a)),
        ("b", f64_data(&[4], &b)),
        ("y", f64_data(&[4], &y)),
    ]);
    check(
        "input a: f64[N]\ninput b: f64[N]\ntarget y: f64[N]\nmargin_ranking(a, b, y, margin = 1.0)",
        &ins,
        (2e30 + 1.0 + 1.0) / 4.0,
        &[
            ("a", &[0.25, 0.0, 0.0, -0.25]),
            ("b", &[-0.25, 0.0, 0.0, 0.25]),
        ],
        "huge",
    );
}

// ---- triplet_margin ---------------------------------------------------------------------------

/// p-norm of u and its gradient (0 at u = 0, as PyTorch's norm backward).
fn pnorm(u: &[f64], p: f64) -> (f64, Vec<f64>) {
    if p == 1.0 {
        return (
            u.iter().map(|x| x.abs()).sum(),
            u.iter().map(|&x| sign(x)).collect(),
        );
    }
    let nrm = u.iter().map(|x| x.abs().powf(p)).sum::<f64>().powf(1.0 / p);
    if nrm == 0.0 {
        return (0.0, vec![0.0; u.len()]);
    }
    let g = u
        .iter()
        .map(|&x| sign(x) * x.abs().powf(p - 1.0) / nrm.powf(p - 1.0))
        .collect();
    (nrm, g)
}

/// TripletMarginLoss per row with gradients for anchor, positive, negative.
#[allow(clippy::too_many_arguments)]
fn triplet_rows(
    an: &[f64],
    po: &[f64],
    ne: &[f64],
    d: usize,
    margin: f64,
    p: f64,
    eps: f64,
    swap: bool,
) -> (Vec<f64>, [Vec<f64>; 3]) {
    let mut l = Vec::new();
    let mut g: [Vec<f64>; 3] = Default::default();
    for i in 0..an.len() / d {
        let (a, q, n) = (&an[i * d..][..d], &po[i * d..][..d], &ne[i * d..][..d]);
        let diff =
            |x: &[f64], y: &[f64]| -> Vec<f64> { (0..d).map(|k| x[k] - y[k] + eps).collect() };
        let (dp, gp) = pnorm(&diff(a, q), p);
        let (dan, gan) = pnorm(&diff(a, n), p);
        let (dpn, gpn) = pnorm(&diff(q, n), p);
        // weights of the two candidate negative distances (min, ties split)
        let (w_an, w_pn) = if !swap || dan < dpn {
            (1.0, 0.0)
        } else if dpn < dan {
            (0.0, 1.0)
        } else {
            (0.5, 0.5)
        };
        let dn = if swap { dan.min(dpn) } else { dan };
        let z = margin + dp - dn;
        let on = if z > 0.0 { 1.0 } else { 0.0 };
        l.push(z.max(0.0));
        for k in 0..d {
            g[0].push(on * (gp[k] - w_an * gan[k]));
            g[1].push(on * (-gp[k] - w_pn * gpn[k]));
            g[2].push(on * (w_an * gan[k] + w_pn * gpn[k]));
        }
    }
    (l, g)
}

const TRIPLET_SPEC: &str = "input a: f32[N, D]\ninput pos: f32[N, D]\ninput neg: f32[N, D]\n";

#[test]
fn triplet_margin_random() {
    let mut rng = rng("triplet_margin_random");
    for trial in 0..16 {
        for fl in FLOATS {
            let (n, d) = (rng.usize(1, 6), rng.usize(1, 5));
            let an = fl.round(rng.normals(n * d, 1.5));
            let po = fl.round(rng.normals(n * d, 1.5));
            let ne = fl.round(rng.normals(n * d, 1.5));
            let p: Option<f64> = rng.pick(&[None, Some(1.0), Some(2.0), Some(3.0), Some(1.5)]);
            let margin = rng.pick(&[None, Some(0.5), Some(3.0)]);
            let eps = rng.pick(&[None, Some(0.0), Some(1e-3)]);
            let swap = rng.bool(0.5);
            let red = rng.pick(&["mean", "sum"]);
            let mut args = String::new();
            if let Some(m) = margin {
                args.push_str(&format!(", margin = {m:?}"));
            }
            if let Some(p) = p {
                // integer and fractional norms
                if p.fract() == 0.0 && rng.bool(0.5) {
                    args.push_str(&format!(", p = {}", p as i64));
                } else {
                    args.push_str(&format!(", p = {p:?}"));
                }
            }
            if let Some(e) = eps {
                args.push_str(&format!(", eps = {e:?}"));
            }
            if swap || rng.bool(0.3) {
                args.push_str(&format!(", swap = {swap}"));
            }
            args.push_str(&format!(", reduction = \"{red}\""));
            let (l, g) = triplet_rows(
                &an,
                &po,
                &ne,
                d,
                margin.unwrap_or(1.0),
                p.unwrap_or(2.0),
                eps.unwrap_or(1e-6),
                swap,
            );
            let (v, g) = mean_or_sum(&l, &[&g[0], &g[1], &g[2]], red);
            let ins = inputs(vec![
                ("a", fl.data(&[n, d], &an)),
                ("pos", fl.data(&[n, d], &po)),
                ("neg", fl.data(&[n, d], &ne)),
            ]);
            check(
                &format!("{TRIPLET_SPEC}triplet_margin(a, pos, neg{args})"),
                &ins,
                v,
                &[("a", &g[0]), ("pos", &g[1]), ("neg", &g[2])],
                &format!("trial {trial} {}", fl.name()),
            );
        }
    }
}

#[test]
fn triplet_margin_ties_and_zero_distances() {
    // Row 0: anchor - positive + eps = 0 exactly when eps = 1e-6 (a zero
    // distance: gradient 0, not NaN). Row 2: exactly at the hinge when eps = 0
    // (1 + 1 - 2: gradient 0, as PyTorch). Row 3: entries of 1e100.
    let d = 2;
    let an = vec![-1e-6, -1e-6, 0.0, 0.0, 0.0, 0.0, 1e100, -1e100];
    let po = vec![0.0, 0.0, 3.0, 0.0, 1.0, 0.0, -1e100, 1e100];
    let ne = vec![2.0, 1.0, 0.0, 3.0, 0.0, 2.0, 3e100, 0.0];
    for (swap, eps, p) in [
        (false, 1e-6, 2.0),
        (true, 1e-6, 2.0),
        (true, 0.0, 2.0),
        (false, 0.0, 1.0),
    ] {
        let (l, g) = triplet_rows(&an, &po, &ne, d, 1.0, p, eps, swap);
        let (v, g) = mean_or_sum(&l, &[&g[0], &g[1], &g[2]], "mean");
        assert!(v.is_finite());
        let ins = inputs(vec![
            ("a", f64_data(&[4, d], &an)),
            ("pos", f64_data(&[4, d], &po)),
            ("neg", f64_data(&[4, d], &ne)),
        ]);
        check(
            &format!(
                "input a: f64[N, D]\ninput pos: f64[N, D]\ninput neg: f64[N, D]\ntriplet_margin(a, pos, neg, swap = {swap}, eps = {eps:?}, p = {p:?})"
            ),
            &ins,
            v,
            &[("a", &g[0]), ("pos", &g[1]), ("neg", &g[2])],
            &format!("swap {swap} eps {eps} p {p}"),
        );
    }
    // An exact swap tie: d(a, neg) = d(pos, neg) (eps = 0): the gradient splits.
    let an = vec![0.0, 0.0];
    let po = vec![4.0, 0.0];
    let ne = vec![2.0, 5.0];
    let (l, g) = triplet_rows(&an, &po, &ne, 2, 10.0, 2.0, 0.0, true);
    assert!(l[0] > 0.0);
    let ins = inputs(vec![
        ("a", f64_data(&[1, 2], &an)),
        ("pos", f64_data(&[1, 2], &po)),
        ("neg", f64_data(&[1, 2], &ne)),
    ]);
    check(
        "input a: f64[N, D]\ninput pos: f64[N, D]\ninput neg: f64[N, D]\ntriplet_margin(a, pos, neg, margin = 10.0, eps = 0.0, swap = true)",
        &ins,
        l[0],
        &[("a", &g[0]), ("pos", &g[1]), ("neg", &g[2])],
        "swap tie",
    );
}

// ---- GAN objectives ---------------------------------------------------------------------------

/// (name, value, d/dreal, d/dfake) for real and fake logits.
fn gan_ref(name: &str, r: &[f64], f: &[f64]) -> (f64, Vec<f64>, Vec<f64>) {
    let (nr, nf) = (r.len() as f64, f.len() as f64);
    let mean =
        |v: &[f64], h: &dyn Fn(f64) -> f64| v.iter().map(|&x| h(x)).sum::<f64>() / v.len() as f64;
    let each =
        |v: &[f64], n: f64, h: &dyn Fn(f64) -> f64| v.iter().map(|&x| h(x) / n).collect::<Vec<_>>();
    let relu_d = |z: f64| if z > 0.0 { 1.0 } else { 0.0 };
    match name {
        // softplus(-r): d = -sigmoid(-r); softplus(f): d = sigmoid(f)
        "gan_d" => (
            mean(r, &|x| softplus(-x)) + mean(f, &|x| softplus(x)),
            each(r, nr, &|x| -sigmoid(-x)),
            each(f, nf, &|x| sigmoid(x)),
        ),
        "gan_g" => (
            mean(f, &|x| softplus(-x)),
            vec![],
            each(f, nf, &|x| -sigmoid(-x)),
        ),
        "hinge_d" => (
            mean(r, &|x| (1.0 - x).max(0.0)) + mean(f, &|x| (1.0 + x).max(0.0)),
            each(r, nr, &|x| -relu_d(1.0 - x)),
            each(f, nf, &|x| relu_d(1.0 + x)),
        ),
        "hinge_g" | "wgan_g" => (-mean(f, &|x| x), vec![], each(f, nf, &|_| -1.0)),
        "wgan_d" => (
            mean(f, &|x| x) - mean(r, &|x| x),
            each(r, nr, &|_| -1.0),
            each(f, nf, &|_| 1.0),
        ),
        "lsgan_d" => (
            0.5 * mean(r, &|x| (x - 1.0) * (x - 1.0)) + 0.5 * mean(f, &|x| x * x),
            each(r, nr, &|x| x - 1.0),
            each(f, nf, &|x| x),
        ),
        "lsgan_g" => (
            0.5 * mean(f, &|x| (x - 1.0) * (x - 1.0)),
            vec![],
            each(f, nf, &|x| x - 1.0),
        ),
        _ => unreachable!(),
    }
}

const GAN: [&str; 8] = [
    "gan_d", "gan_g", "hinge_d", "hinge_g", "wgan_d", "wgan_g", "lsgan_d", "lsgan_g",
];

fn gan_text(name: &str, decl_ty: &str) -> String {
    let call = if name.ends_with("_d") {
        format!("{name}(real, fake)")
    } else {
        format!("{name}(fake)")
    };
    let real = if name.ends_with("_d") {
        format!("input real: {decl_ty}[N]\n")
    } else {
        String::new()
    };
    format!("{real}input fake: {decl_ty}[M]\n{call}")
}

fn gan_check(name: &str, fl: Float, r: &[f64], f: &[f64], ctx: &str) {
    let (v, gr, gf) = gan_ref(name, r, f);
    let mut items = vec![("fake", fl.data(&[f.len()], f))];
    let mut grads: Vec<(&str, &[f64])> = vec![("fake", &gf)];
    if name.ends_with("_d") {
        items.push(("real", fl.data(&[r.len()], r)));
        grads.push(("real", &gr));
    }
    check(&gan_text(name, "f32"), &inputs(items), v, &grads, ctx);
}

#[test]
fn gan_objectives_random_and_extreme() {
    let mut rng = rng("gan_objectives_random_and_extreme");
    for name in GAN {
        for trial in 0..6 {
            for fl in FLOATS {
                // independent batch sizes; logits around the hinges +-1 too
                let (n, m) = (rng.usize(1, 7), rng.usize(1, 7));
                let r = fl.round(rng.normals(n, 2.0));
                let mut f = fl.round(rng.normals(m, 2.0));
                if trial == 5 {
                    f[0] = -1.0; // hinge_d's kink: relu'(0) = 0
                }
                gan_check(
                    name,
                    fl,
                    &r,
                    &f,
                    &format!("{name} trial {trial} {}", fl.name()),
                );
            }
        }
        // Logits of +-1e4 and other saturating values, both batches.
        let r = EXTREME_LOGITS.to_vec();
        let f: Vec<f64> = EXTREME_LOGITS.iter().rev().map(|x| -x).collect();
        gan_check(name, Float::F64, &r, &f, &format!("{name} extreme"));
    }
}

// ---- finite differences ------------------------------------------------------------------------

#[test]
fn distributions_finite_differences() {
    let mut rng = rng("distributions_finite_differences");
    let (n, c) = (3, 4);
    let p = rng.normals(n * c, 2.0);
    let y: Vec<f64> = (0..n)
        .flat_map(|_| target_row(&mut rng, c, true, false))
        .collect();
    let ins = inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", f64_data(&[n, c], &y)),
    ]);
    for text in [
        "kl_div",
        "kl_div(reduction = \"sum\")",
        "js_div",
        "js_div(reduction = \"mean\")",
    ] {
        let _ = check_fd(text, None, &ins, FD_RTOL, FD_ATOL);
    }
    // both distributions differentiated (strictly positive targets)
    let t: Vec<f64> = (0..n).flat_map(|_| rng.simplex(c)).collect();
    let ins2 = inputs(vec![
        ("p", f64_data(&[n, c], &p)),
        ("t", f64_data(&[n, c], &t)),
    ]);
    for text in ["kl_div(p, t)", "js_div(p, t)"] {
        let _ = check_fd(
            &format!("input p: f64[N, C]\ninput t: f64[N, C]\n{text}"),
            None,
            &ins2,
            FD_RTOL,
            FD_ATOL,
        );
    }
    // embeddings: hinge terms kept away from 0 by the choice of margin
    let d = 4;
    let a = rng.normals(n * d, 1.0);
    let b = rng.normals(n * d, 1.0);
    let e = rng.normals(n * d, 1.0);
    let ins3 = inputs(vec![
        ("a", f64_data(&[n, d], &a)),
        ("pos", f64_data(&[n, d], &b)),
        ("neg", f64_data(&[n, d], &e)),
        ("y", f64_data(&[n], &[1.0, -1.0, -1.0])),
    ]);
    let decl = "input a: f64[N, D]\ninput pos: f64[N, D]\ninput neg: f64[N, D]\ntarget y: f64[N]\n";
    for call in [
        "cosine_embedding(a, pos, y, margin = -1.0)",
        "triplet_margin(a, pos, neg, margin = 20.0)",
        "triplet_margin(a, pos, neg, margin = 20.0, p = 3, swap = true)",
        "margin_ranking(sum(a, axis = -1), sum(pos, axis = -1), y, margin = 20.0)",
    ] {
        let _ = check_fd(&format!("{decl}{call}"), None, &ins3, FD_RTOL, FD_ATOL);
    }
    // GAN: logits away from the hinges at +-1
    let r = vec![0.3, -2.0, 1.7, 4.0];
    let f = vec![-0.4, 2.2, -3.0];
    let ins4 = inputs(vec![
        ("real", f64_data(&[4], &r)),
        ("fake", f64_data(&[3], &f)),
    ]);
    for name in GAN {
        let mut ins = ins4.clone();
        if !name.ends_with("_d") {
            ins.remove("real");
        }
        let _ = check_fd(&gan_text(name, "f64"), None, &ins, FD_RTOL, FD_ATOL);
    }
}

// ---- native kernels ------------------------------------------------------------------------------

#[test]
fn distributions_native_kernels() {
    let mut rng = rng("distributions_native_kernels");
    for src in [
        "input z: f32[N, C]\ntarget y: f32[N, C]\nkl_div(z, y, reduction = \"sum\")",
        "input z: f32[N, C]\ntarget y: f32[N, C]\nkl_div(z, log_softmax(3 * y), log_target = true)",
        "input z: f32[N, C]\ntarget y: f32[N, C]\njs_div(z, y)",
        "input z: f32[N, C]\ninput w: f32[N, C]\njs_div(z, softmax(w), reduction = \"mean\")",
    ] {
        check_native(src, rng.next_u64());
    }
    for name in GAN {
        check_native_hinged(&gan_text(name, "f32"), rng.next_u64());
    }
    for src in [
        "input a: f32[N, D]\ninput b: f32[N, D]\ntarget y: f32[N]\ncosine_embedding(a, b, 2 * y - 1, margin = 0.1)",
        "input a: f32[N]\ninput b: f32[N]\ntarget y: f32[N]\nmargin_ranking(a, b, 2 * y - 1, margin = 0.5)",
        "input a: f32[N, D]\ninput pos: f32[N, D]\ninput neg: f32[N, D]\ntriplet_margin(a, pos, neg)",
        "input a: f32[N, D]\ninput pos: f32[N, D]\ninput neg: f32[N, D]\ntriplet_margin(a, pos, neg, p = 1, swap = true, margin = 2.0)",
        "input a: f32[N, D]\ninput pos: f32[N, D]\ninput neg: f32[N, D]\ntriplet_margin(a, pos, neg, p = 3)",
    ] {
        check_native_hinged(src, rng.next_u64());
    }
}

// ---- invalid options ------------------------------------------------------------------------------

#[test]
fn invalid_options_are_compile_errors() {
    let mut rng = rng("invalid_options_are_compile_errors");
    let p = rng.normals(6, 1.0);
    let ins = inputs(vec![
        ("pred", f64_data(&[2, 3], &p)),
        ("target", f64_data(&[2, 3], &[0.2, 0.3, 0.5, 1.0, 0.0, 0.0])),
    ]);
    for text in [
        "kl_div(reduction = \"avg\")",
        "js_div(reduction = \"avg\")",
        "kl_div(log_target = true, reduction = \"batch\")",
    ] {
        let k = compile_error(text, &ins);
        assert!(
            matches!(&k, DiagKind::InvalidArgument(m) if m.contains("batchmean")),
            "`{text}`: {k:?}"
        );
    }
    let emb = inputs(vec![
        ("a", f64_data(&[2, 3], &p)),
        ("b", f64_data(&[2, 3], &p)),
        ("c", f64_data(&[2, 3], &p)),
        ("y", f64_data(&[2], &[1.0, -1.0])),
    ]);
    let decl = "input a: f64[N, D]\ninput b: f64[N, D]\ninput c: f64[N, D]\ntarget y: f64[N]\n";
    for (call, needle) in [
        ("triplet_margin(a, b, c, p = 0.5)", "p must be"),
        ("triplet_margin(a, b, c, margin = 0.0)", "margin must be"),
        ("triplet_margin(a, b, c, margin = -1.0)", "margin must be"),
        ("triplet_margin(a, b, c, reduction = \"avg\")", "reduction"),
        (
            "cosine_embedding(a, b, y, reduction = \"avg\")",
            "reduction",
        ),
        (
            "margin_ranking(sum(a, axis = -1), sum(b, axis = -1), y, reduction = \"avg\")",
            "reduction",
        ),
    ] {
        let mut ins = emb.clone();
        if !call.contains(", c,") {
            ins.remove("c");
        }
        if !call.contains(", y") {
            ins.remove("y");
        }
        let text = format!("{decl}{call}");
        let k = compile_error(&text, &ins);
        assert!(
            matches!(&k, DiagKind::InvalidArgument(m) if m.contains(needle)),
            "`{call}`: {k:?}"
        );
    }
    // GAN objectives take both batches explicitly.
    let k = compile_error("gan_d(pred)", &ins);
    assert!(
        matches!(&k, DiagKind::MissingArgument { param, .. } if param == "fake"),
        "{k:?}"
    );
}
