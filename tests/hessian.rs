//! Exact Hessian diagonals (`lossc::hessian::diagonals`) against central
//! finite differences of the reference gradient, against float64 formulas
//! written here, at extreme logits, on random smooth expressions, and on a
//! 100 000-term objective on a default-sized stack.
//!
//! Finite differences: `h_fd[i] = (g[i](x + s e_i) - g[i](x - s e_i)) / 2s`
//! with `s = 1e-5 * max(1, |x_i|)`, the gradient evaluated by the reference
//! evaluator in float64. The truncation error is `O(s^2 g''')` ~ 1e-10 and
//! the rounding error `~ eps |g| / s` ~ 1e-11 |g|, so the check
//! `|h - h_fd| <= 1e-5 max(|h|, |h_fd|) + 1e-6 scale` (scale: the largest
//! |h| or |g| of the input, at least 1e-3) is far above both and far below
//! a wrong rule (O(1) relative). Random points keep 0.05 away from kinks.

mod common;

use common::*;
use lossc::hessian::{HessianError, diagonals};
use lossc::ir::{InputId, NodeId};
use lossc::{AsInputs, CompiledLoss, LossSpec, OwnedInputs, eval, runtime};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

const RTOL: f64 = 1e-5;
const ATOL: f64 = 1e-6;

/// Hessian diagonals of every differentiated input, evaluated in float64.
fn hessians(c: &CompiledLoss, ins: &OwnedInputs) -> Result<Vec<(String, Vec<f64>)>, HessianError> {
    let mut obj = c.objective.clone();
    let grads: Vec<(InputId, NodeId)> = c
        .gradients
        .iter()
        .map(|g| {
            let k = obj.graph.inputs.iter().position(|i| i.name == g.input);
            (InputId(k.unwrap() as u32), g.node)
        })
        .collect();
    let h = diagonals(&mut obj.graph, obj.value, &grads)?;
    let views = ins.as_inputs();
    let dims = runtime::check(&obj.graph, &obj.name, c.declared_inputs(), &views).unwrap();
    let arrays = runtime::widen(&obj.graph, &views);
    let roots: Vec<NodeId> = h.iter().map(|&(_, n)| n).collect();
    let values = eval::evaluate(&obj.graph, &roots, &arrays, &dims).unwrap();
    Ok(c.gradients
        .iter()
        .zip(values)
        .map(|(g, v)| {
            assert_eq!(v.shape(), ins[&g.input].shape(), "h has its input's shape");
            (g.input.clone(), v.iter().copied().collect())
        })
        .collect())
}

/// Central differences of the reference gradient's own entries.
fn fd_hessian(c: &CompiledLoss, ins: &OwnedInputs, name: &str) -> Vec<f64> {
    let base = ins[name].to_f64();
    let shape = base.shape().to_vec();
    let flat: Vec<f64> = base.iter().copied().collect();
    let mut work = ins.clone();
    (0..flat.len())
        .map(|i| {
            let s = 1e-5 * flat[i].abs().max(1.0);
            let mut grad_at = |x: f64| {
                let mut v = flat.clone();
                v[i] = x;
                work.insert(name.to_string(), f64_data(&shape, &v));
                let r = c.evaluate(&work).unwrap();
                r.gradient(name).unwrap().iter().nth(i).copied().unwrap()
            };
            let (xp, xm) = (flat[i] + s, flat[i] - s);
            (grad_at(xp) - grad_at(xm)) / (xp - xm)
        })
        .collect()
}

/// Checks every input's Hessian diagonal against finite differences and
/// returns how many inputs it checked; `Err` when the pass reports the
/// objective unsupported.
fn check_fd(text: &str, ins: &OwnedInputs) -> Result<usize, HessianError> {
    let c = compile(text, None, ins);
    let hs = hessians(&c, ins)?;
    let r = c.evaluate(ins).unwrap();
    for (name, h) in &hs {
        let fd = fd_hessian(&c, ins, name);
        let g = r.gradient(name).unwrap();
        let scale = h
            .iter()
            .chain(&fd)
            .chain(g.iter())
            .fold(1e-3f64, |m, v| m.max(v.abs()));
        for (i, (a, b)) in h.iter().zip(&fd).enumerate() {
            let tol = RTOL * a.abs().max(b.abs()) + ATOL * scale;
            assert!(
                a.is_finite() && (a - b).abs() <= tol,
                "`{text}` h[{name}][{i}]: {a:e} vs finite difference {b:e} \
                 (LOSSC_TEST_SEED={})\n h  {h:?}\n fd {fd:?}",
                base_seed()
            );
        }
    }
    Ok(hs.len())
}

const N: usize = 4;
const C: usize = 3;

/// Every built-in loss with a differentiated input, at a random point.
fn builtin_cases(rng: &mut common::Rng) -> Vec<(String, OwnedInputs)> {
    let m = N * C;
    let logits = rng.normals(m, 2.0);
    let y01: Vec<f64> = (0..m).map(|_| f64::from(u8::from(rng.bool(0.5)))).collect();
    let ysoft = rng.uniforms(m, 0.0, 1.0);
    let probs = rng.uniforms(m, 0.05, 0.95);
    let rows: Vec<f64> = (0..N)
        .flat_map(|_| rng.simplex(C))
        .map(|p| 0.9 * p + 0.1 / C as f64)
        .collect();
    let log_rows: Vec<f64> = rows.iter().map(|p| p.ln()).collect();
    let labels: Vec<i64> = (0..N).map(|_| rng.int(0, C as i64 - 1)).collect();
    let onehot: Vec<f64> = (0..m)
        .map(|k| f64::from(u8::from(labels[k / C] == (k % C) as i64)))
        .collect();
    let target = rng.normals(m, 1.0);
    let resid = away(rng, m, &[0.0, 0.7, -0.7, 0.5, -0.5, 1.0, -1.0]);
    let pred_reg: Vec<f64> = target.iter().zip(&resid).map(|(t, r)| t + r).collect();
    let positive = rng.uniforms(m, 0.2, 3.0);
    let ypm: Vec<f64> = (0..m)
        .map(|_| if rng.bool(0.5) { 1.0 } else { -1.0 })
        .collect();
    let margins = away(rng, m, &[1.0, -1.0]);
    let params = away(rng, 5, &[0.0]);

    let two = |p: &[f64], y: &[f64]| {
        inputs(vec![
            ("pred", f64_data(&[N, C], p)),
            ("target", f64_data(&[N, C], y)),
        ])
    };
    let sparse = |p: &[f64]| {
        inputs(vec![
            ("pred", f64_data(&[N, C], p)),
            ("target", i64_data(&[N], &labels)),
        ])
    };
    let int = "input pred: f64[N, C]\ntarget target: i64[N]\n";
    let mut cases: Vec<(String, OwnedInputs)> = vec![
        ("bce".into(), two(&logits, &ysoft)),
        ("bce(pos_weight = 2.5)".into(), two(&logits, &ysoft)),
        ("bce(from_logits = false)".into(), two(&probs, &ysoft)),
        ("cce(label_smoothing = 0.1)".into(), two(&logits, &rows)),
        ("cce(from_logits = false)".into(), two(&probs, &rows)),
        (format!("{int}sparse_cce"), sparse(&logits)),
        (
            format!("{int}sparse_cce(label_smoothing = 0.2)"),
            sparse(&logits),
        ),
        (format!("{int}nll"), sparse(&log_rows)),
        ("hinge".into(), two(&margins, &ypm)),
        ("squared_hinge".into(), two(&margins, &ypm)),
        ("categorical_hinge".into(), two(&logits, &onehot)),
        (format!("{int}multi_margin"), sparse(&logits)),
        (format!("{int}multi_margin(p_norm = 2)"), sparse(&logits)),
        ("focal(gamma = 2)".into(), two(&logits, &y01)),
        (
            "focal(gamma = 1.5, alpha = 0.25)".into(),
            two(&logits, &ysoft),
        ),
        (format!("{int}categorical_focal"), sparse(&logits)),
        (format!("{int}poly1"), sparse(&logits)),
        ("kl_div".into(), two(&logits, &rows)),
        ("js_div".into(), two(&logits, &rows)),
        ("mse".into(), two(&pred_reg, &target)),
        ("mae".into(), two(&pred_reg, &target)),
        ("huber(delta = 0.7)".into(), two(&pred_reg, &target)),
        ("smooth_l1(beta = 0.5)".into(), two(&pred_reg, &target)),
        ("log_cosh".into(), two(&pred_reg, &target)),
        ("msle".into(), two(&positive, &probs)),
        ("mape".into(), two(&pred_reg, &positive)),
        ("poisson_nll".into(), two(&logits, &positive)),
        (
            "poisson_nll(log_input = false)".into(),
            two(&positive, &probs),
        ),
        ("quantile(tau = 0.3)".into(), two(&pred_reg, &target)),
        ("dice".into(), two(&logits, &y01)),
        ("dice(mode = \"multilabel\")".into(), two(&logits, &y01)),
        (format!("{int}dice(mode = \"multiclass\")"), sparse(&logits)),
        ("jaccard".into(), two(&logits, &y01)),
        ("jaccard(mode = \"multilabel\")".into(), two(&logits, &y01)),
        (
            format!("{int}jaccard(mode = \"multiclass\")"),
            sparse(&logits),
        ),
        ("tversky(mode = \"multilabel\")".into(), two(&logits, &y01)),
        (
            format!("{int}tversky(mode = \"multiclass\")"),
            sparse(&logits),
        ),
        (
            format!("{int}focal_tversky(mode = \"multiclass\")"),
            sparse(&logits),
        ),
        ("tversky".into(), two(&logits, &y01)),
        ("focal_tversky".into(), two(&logits, &y01)),
        ("generalized_dice".into(), two(&logits, &y01)),
        (
            "generalized_dice(mode = \"multilabel\")".into(),
            two(&logits, &y01),
        ),
        (
            format!("{int}generalized_dice(mode = \"multiclass\")"),
            sparse(&logits),
        ),
    ];
    let gaussian =
        "input pred: f64[N]\ntarget target: f64[N]\ninput var: f64[N]\ngaussian_nll(var = var)";
    cases.push((
        gaussian.into(),
        inputs(vec![
            ("pred", f64_data(&[N], &pred_reg[..N])),
            ("target", f64_data(&[N], &target[..N])),
            ("var", f64_data(&[N], &positive[..N])),
        ]),
    ));
    let pairs = "input x1: f64[N, C]\ninput x2: f64[N, C]\n";
    let x1 = rng.normals(m, 1.0);
    let x2 = rng.normals(m, 1.0);
    let row_pm: Vec<f64> = ypm[..N].to_vec();
    cases.push((
        format!("{pairs}target y: f64[N]\ncosine_embedding(x1, x2, y, margin = -0.99)"),
        inputs(vec![
            ("x1", f64_data(&[N, C], &x1)),
            ("x2", f64_data(&[N, C], &x2)),
            ("y", f64_data(&[N], &row_pm)),
        ]),
    ));
    cases.push((
        "input x1: f64[N]\ninput x2: f64[N]\ntarget y: f64[N]\nmargin_ranking(x1, x2, y, margin = 5)".into(),
        inputs(vec![
            ("x1", f64_data(&[N], &x1[..N])),
            ("x2", f64_data(&[N], &x2[..N])),
            ("y", f64_data(&[N], &row_pm)),
        ]),
    ));
    cases.push((
        "input a: f64[N, C]\ninput b: f64[N, C]\ninput c: f64[N, C]\ntriplet_margin(a, b, c, margin = 20)".into(),
        inputs(vec![
            ("a", f64_data(&[N, C], &x1)),
            ("b", f64_data(&[N, C], &x2)),
            ("c", f64_data(&[N, C], &logits)),
        ]),
    ));
    let gan = |body: &str| {
        (
            format!("input real: f64[N]\ninput fake: f64[N]\n{body}"),
            inputs(vec![
                ("real", f64_data(&[N], &margins[..N])),
                ("fake", f64_data(&[N], &margins[N..2 * N])),
            ]),
        )
    };
    for body in [
        "gan_d(real, fake)",
        "gan_g(fake) + 0 * mean(real)",
        "hinge_d(real, fake)",
        "hinge_g(fake) + 0 * mean(real)",
        "wgan_d(real, fake)",
        "wgan_g(fake) + 0 * mean(real)",
        "lsgan_d(real, fake)",
        "lsgan_g(fake) + 0 * mean(real)",
    ] {
        cases.push(gan(body));
    }
    for body in ["l1", "l2", "elastic_net"] {
        cases.push((
            body.into(),
            inputs(vec![("params", f64_data(&[5], &params))]),
        ));
    }
    cases
}

/// Built-ins the pass reports `Unsupported`, with why: the overlap losses
/// in multiclass mode. Their gradients sum, per row over the classes
/// (softmax's backward), values that depend on every row and class (the
/// per-class totals over the batch), so their Hessian diagonal needs each
/// row's full Jacobian, not its diagonal. Binary and multilabel modes
/// (sigmoid per element) are exact.
const UNSUPPORTED: &[&str] = &[
    "dice(mode = \"multiclass\")",
    "jaccard(mode = \"multiclass\")",
    "tversky(mode = \"multiclass\")",
    "focal_tversky(mode = \"multiclass\")",
    "generalized_dice(mode = \"multiclass\")",
];

#[test]
fn builtin_losses_match_finite_differences_of_the_gradient() {
    let mut rng = rng("builtin_losses_match_finite_differences_of_the_gradient");
    for _ in 0..2 {
        let mut unsupported = Vec::new();
        for (text, ins) in builtin_cases(&mut rng) {
            match check_fd(&text, &ins) {
                Ok(checked) => assert!(checked > 0, "`{text}` has no differentiated input"),
                Err(HessianError::Unsupported { reason, .. }) => {
                    let name = text.lines().last().unwrap().to_string();
                    eprintln!("unsupported: {name}: {reason}");
                    unsupported.push(name);
                }
            }
        }
        assert_eq!(unsupported, UNSUPPORTED);
    }
}

// ---- independent float64 formulas ------------------------------------------------

/// The Hessian diagonal of input `name` of `text` (which must be supported).
fn hessian_of(text: &str, ins: &OwnedInputs, name: &str) -> Vec<f64> {
    let c = compile(text, None, ins);
    let hs = hessians(&c, ins).unwrap_or_else(|e| panic!("`{text}`: {e}"));
    hs.into_iter().find(|(n, _)| n == name).unwrap().1
}

/// `σ(x)(1 - σ(x))` as `σ(x)σ(-x)`: no cancellation at large |x|.
fn sigmoid_slope(x: f64) -> f64 {
    sigmoid(x) * sigmoid(-x)
}

/// Binary focal loss (gamma = 2, hard labels) per element, second
/// derivative in the logit. For y = 1, with p = σ(x), q = 1 - p,
/// f = -q² log p, p' = pq, (log p)' = q, q' = -pq:
/// f' = 2pq² log p - q³ and
/// f'' = 2pq³ log p - 4p²q² log p + 2pq³ + 3pq³ = pq²((2q - 4p) log p + 5q).
/// y = 0 is the mirror image (x → -x swaps p and q).
fn focal2_second(x: f64, y: f64) -> f64 {
    let (p, q, log_p) = if y == 1.0 {
        (sigmoid(x), sigmoid(-x), -softplus(-x))
    } else {
        (sigmoid(-x), sigmoid(x), -softplus(x))
    };
    let lp = if p == 0.0 { 0.0 } else { log_p }; // p log p → 0
    p * q * q * ((2.0 * q - 4.0 * p) * lp + 5.0 * q)
}

/// `got` equals `want` to 1e-9 relative, or 1e-15 absolute: the local
/// derivative of `sigmoid` is `s * (1 - s)` (derive.rs's rule), which
/// cancels where `s` rounds near 1, an absolute error below one unit in
/// the last place of the 1/4 it is bounded by.
fn assert_formula(got: &[f64], want: &[f64], what: &str) {
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!(
            a.is_finite() && close(*a, *b, 1e-9, 1e-15),
            "{what}[{i}]: {a:e} vs formula {b:e}\n got  {got:?}\n want {want:?}"
        );
    }
}

fn pair(x: &[f64], y: &[f64]) -> OwnedInputs {
    inputs(vec![
        ("pred", f64_data(&[x.len()], x)),
        ("target", f64_data(&[y.len()], y)),
    ])
}

#[test]
fn hessians_match_closed_forms() {
    let mut rng = rng("hessians_match_closed_forms");
    let n = 6;
    let nf = n as f64;
    let x = rng.normals(n, 2.0);
    let y01: Vec<f64> = (0..n).map(|_| f64::from(u8::from(rng.bool(0.5)))).collect();
    let ysoft = rng.uniforms(n, 0.0, 1.0);
    let t = rng.normals(n, 1.0);
    let decl = "input pred: f64[N]\ntarget target: f64[N]\n";

    let want: Vec<f64> = x.iter().map(|&v| sigmoid_slope(v) / nf).collect();
    assert_formula(
        &hessian_of(&format!("{decl}bce"), &pair(&x, &ysoft), "pred"),
        &want,
        "bce",
    );

    let want = vec![2.0 / nf; n];
    assert_formula(
        &hessian_of(&format!("{decl}mse"), &pair(&x, &t), "pred"),
        &want,
        "mse",
    );

    let want: Vec<f64> = x.iter().map(|&v| v.exp() / nf).collect();
    let h = hessian_of(&format!("{decl}poisson_nll"), &pair(&x, &ysoft), "pred");
    assert_formula(&h, &want, "poisson_nll");

    // Huber: 0.5 r² inside |r| < delta (second derivative 1), linear outside (0).
    let r: Vec<f64> = away(&mut rng, n, &[0.0, 0.8, -0.8]);
    let p: Vec<f64> = t.iter().zip(&r).map(|(t, r)| t + r).collect();
    let want: Vec<f64> = r
        .iter()
        .map(|r| if r.abs() < 0.8 { 1.0 / nf } else { 0.0 })
        .collect();
    let h = hessian_of(&format!("{decl}huber(delta = 0.8)"), &pair(&p, &t), "pred");
    assert_formula(&h, &want, "huber");

    // log cosh: (log cosh r)'' = 1 - tanh² r.
    let want: Vec<f64> = r.iter().map(|r| (1.0 - r.tanh().powi(2)) / nf).collect();
    let h = hessian_of(&format!("{decl}log_cosh"), &pair(&p, &t), "pred");
    assert_formula(&h, &want, "log_cosh");

    let want: Vec<f64> = x
        .iter()
        .zip(&y01)
        .map(|(&v, &y)| focal2_second(v, y) / nf)
        .collect();
    let h = hessian_of(&format!("{decl}focal(gamma = 2)"), &pair(&x, &y01), "pred");
    assert_formula(&h, &want, "focal");

    // Weighted: bce(pos_weight = w) is w y softplus(-x) + (1 - y) softplus(x).
    let want: Vec<f64> = x
        .iter()
        .zip(&ysoft)
        .map(|(&v, &y)| (2.5 * y + 1.0 - y) * sigmoid_slope(v) / nf)
        .collect();
    let h = hessian_of(
        &format!("{decl}bce(pos_weight = 2.5)"),
        &pair(&x, &ysoft),
        "pred",
    );
    assert_formula(&h, &want, "bce(pos_weight)");

    // Binary soft Dice over sigmoid (smooth = 1): L = 1 - A/B with
    // A = 2 Σ q t + 1, B = Σ q + Σ t + 1, q = σ(x): L_qq = 4t/B² - 2A/B³,
    // L_q = -2t/B + A/B², h = L_qq q'² + L_q q'' with q' = q(1-q), q'' = q'(1-2q).
    let q: Vec<f64> = x.iter().map(|&v| sigmoid(v)).collect();
    let a = 2.0 * q.iter().zip(&y01).map(|(q, t)| q * t).sum::<f64>() + 1.0;
    let b = q.iter().sum::<f64>() + y01.iter().sum::<f64>() + 1.0;
    let want: Vec<f64> = q
        .iter()
        .zip(&y01)
        .map(|(&q, &t)| {
            let d1 = q * (1.0 - q);
            let d2 = d1 * (1.0 - 2.0 * q);
            (4.0 * t / (b * b) - 2.0 * a / (b * b * b)) * d1 * d1
                + (-2.0 * t / b + a / (b * b)) * d2
        })
        .collect();
    let h = hessian_of(&format!("{decl}dice"), &pair(&x, &y01), "pred");
    assert_formula(&h, &want, "dice");
}

#[test]
fn sparse_cross_entropy_hessian_is_p_times_one_minus_p_per_row() {
    let mut rng = rng("sparse_cross_entropy_hessian_is_p_times_one_minus_p_per_row");
    let (n, c) = (5, 4);
    let logits = rng.normals(n * c, 3.0);
    let labels: Vec<i64> = (0..n).map(|_| rng.int(0, c as i64 - 1)).collect();
    let w = rng.uniforms(c, 0.2, 2.0);
    let ins = inputs(vec![
        ("logits", f64_data(&[n, c], &logits)),
        ("labels", i64_data(&[n], &labels)),
        ("w", f64_data(&[c], &w)),
    ]);
    let decl = "input logits: f64[N, C]\ntarget labels: i64[N]\ntarget w: f64[C]\n";
    let p: Vec<f64> = logits.chunks(c).flat_map(softmax).collect();
    let want: Vec<f64> = p.iter().map(|p| p * (1.0 - p) / n as f64).collect();
    let h = hessian_of(&format!("{decl}sparse_cce(logits, labels)"), &ins, "logits");
    assert_formula(&h, &want, "sparse_cce");
    // Weighted mean: Σ_n w_{y_n} (-log p[n, y_n]) / Σ_n w_{y_n}.
    let total: f64 = labels.iter().map(|&k| w[k as usize]).sum();
    let want: Vec<f64> = p
        .iter()
        .enumerate()
        .map(|(k, p)| w[labels[k / c] as usize] * p * (1.0 - p) / total)
        .collect();
    let h = hessian_of(
        &format!("{decl}sparse_cce(logits, labels, weight = w)"),
        &ins,
        "logits",
    );
    assert_formula(&h, &want, "sparse_cce(weight)");
}

// ---- extremes ------------------------------------------------------------------------

#[test]
fn saturated_logits_give_finite_limits() {
    let x = [50.0, -50.0, 1e4, -1e4, 0.0, 30.0];
    let n = x.len() as f64;
    let y = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0];
    let decl = "input pred: f64[N]\ntarget target: f64[N]\n";
    let want: Vec<f64> = x.iter().map(|&v| sigmoid_slope(v) / n).collect();
    assert_formula(
        &hessian_of(&format!("{decl}bce"), &pair(&x, &y), "pred"),
        &want,
        "bce",
    );
    let want: Vec<f64> = x
        .iter()
        .zip(&y)
        .map(|(&v, &y)| focal2_second(v, y) / n)
        .collect();
    let h = hessian_of(&format!("{decl}focal(gamma = 2)"), &pair(&x, &y), "pred");
    assert_formula(&h, &want, "focal");
    // Rows [50, -50, 0], [1e4, -1e4, 0], ...: p(1 - p) per entry, 0 in the limit.
    let rows = [50.0, -50.0, 0.0, 1e4, -1e4, 0.0, -1e4, 1e4, 3.0];
    let labels = [0i64, 1, 2];
    let ins = inputs(vec![
        ("pred", f64_data(&[3, 3], &rows)),
        ("target", i64_data(&[3], &labels)),
    ]);
    let p: Vec<f64> = rows.chunks(3).flat_map(softmax).collect();
    let want: Vec<f64> = p.iter().map(|p| p * (1.0 - p) / 3.0).collect();
    let h = hessian_of(
        "input pred: f64[N, C]\ntarget target: i64[N]\nsparse_cce",
        &ins,
        "pred",
    );
    // p(1 - p) with p rounded to 1 is 0 in the formula; the pass may keep
    // the exact tiny value (e^-50), so compare absolutely there.
    for (i, (a, b)) in h.iter().zip(&want).enumerate() {
        assert!(
            a.is_finite() && (a - b).abs() <= 1e-12 * b.abs().max(1e-9),
            "sparse_cce[{i}]: {a:e} vs {b:e}"
        );
    }
    // Every built-in at saturated logits: the Hessian is finite wherever the gradient is.
    let mut rng = rng("saturated_logits_give_finite_limits");
    for scale in [50.0, 1e4] {
        for (text, mut ins) in builtin_cases(&mut rng) {
            if !ins.contains_key("pred")
                || text.contains("from_logits = false")
                || ["msle", "mape", "poisson", "nll", "kl_div", "js_div"]
                    .iter()
                    .any(|l| text.contains(l))
            {
                continue;
            }
            let base = ins["pred"].to_f64();
            let shape = base.shape().to_vec();
            let v: Vec<f64> = base
                .iter()
                .map(|x| if *x >= 0.0 { scale } else { -scale })
                .collect();
            ins.insert("pred".into(), f64_data(&shape, &v));
            let c = compile(&text, None, &ins);
            let r = c.evaluate(&ins).unwrap();
            let Ok(hs) = hessians(&c, &ins) else { continue };
            for (name, h) in hs {
                let g = r.gradient(&name).unwrap();
                if g.iter().all(|v| v.is_finite()) {
                    assert!(
                        h.iter().all(|v| v.is_finite()),
                        "`{text}` at ±{scale}: h[{name}] = {h:?}"
                    );
                }
            }
        }
    }
}

// ---- random expressions ---------------------------------------------------------------

/// A random smooth expression over x: [N] and z: [N, C] (the grammar of
/// `tests/gradients.rs`'s property, without `if`: finite differences of the
/// gradient must not straddle a branch).
#[derive(Clone, Debug)]
enum Ex {
    X,
    Z,
    Num(f64),
    Unary(usize, Box<Ex>),
    Binary(usize, Box<Ex>, Box<Ex>),
    Reduce(usize, Box<Ex>),
    Class(usize, Box<Ex>),
}

const UNARY: &[&str] = &[
    "tanh({})",
    "sigmoid({})",
    "softplus({})",
    "log(1 + ({})^2)",
    "sqrt(1 + ({})^2)",
    "exp(-({})^2)",
    "exp(tanh({}))",
    "cosh(tanh({}))",
    "pow(1 + ({})^2, 0.75)",
    "-({})",
];
const BINARY: &[&str] = &["({} + {})", "({} - {})", "({} * {})", "({} / (1 + ({})^2))"];
const REDUCE: &[&str] = &[
    "sum({}, axis = -1)",
    "mean({}, axis = -1)",
    "logsumexp({}, axis = -1)",
    "mean({})",
];
const CLASS: &[&str] = &["softmax({})", "log_softmax({})"];

impl Ex {
    /// Source text and rank (0, 1 for [N], 2 for [N, C]).
    fn render(&self) -> (String, usize) {
        match self {
            Ex::X => ("x".into(), 1),
            Ex::Z => ("z".into(), 2),
            Ex::Num(v) => (format!("({v:?})"), 0),
            Ex::Unary(i, a) => {
                let (s, r) = a.render();
                (UNARY[*i].replace("{}", &s), r)
            }
            Ex::Binary(i, a, b) => {
                let ((sa, ra), (sb, rb)) = (a.render(), b.render());
                let text = BINARY[*i].replacen("{}", &sa, 1).replacen("{}", &sb, 1);
                (text, ra.max(rb))
            }
            Ex::Reduce(i, a) => match a.render() {
                (s, 0) => (s, 0),
                (s, _) if *i == 3 => (REDUCE[3].replace("{}", &s), 0),
                (s, r) => (REDUCE[*i].replace("{}", &s), r - 1),
            },
            Ex::Class(i, a) => match a.render() {
                (s, r) if r > 0 => (CLASS[*i].replace("{}", &s), r),
                other => other,
            },
        }
    }
}

fn arb_ex() -> impl Strategy<Value = Ex> {
    let leaf = prop_oneof![
        3 => Just(Ex::X),
        3 => Just(Ex::Z),
        1 => (-2.0..2.0f64).prop_map(|v| Ex::Num((v * 100.0).round() / 100.0)),
    ];
    leaf.prop_recursive(5, 32, 3, |inner| {
        prop_oneof![
            4 => (0..UNARY.len(), inner.clone()).prop_map(|(i, a)| Ex::Unary(i, Box::new(a))),
            4 => (0..BINARY.len(), inner.clone(), inner.clone())
                .prop_map(|(i, a, b)| Ex::Binary(i, Box::new(a), Box::new(b))),
            2 => (0..REDUCE.len(), inner.clone()).prop_map(|(i, a)| Ex::Reduce(i, Box::new(a))),
            1 => (0..CLASS.len(), inner).prop_map(|(i, a)| Ex::Class(i, Box::new(a))),
        ]
    })
}

fn proptest_config() -> Config {
    let seed = base_seed();
    eprintln!("proptest seed {seed} (LOSSC_TEST_SEED={seed})");
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(proptest_config())]

    /// The Hessian diagonal of a random smooth expression agrees with
    /// central differences of its reference gradient, or the pass says it
    /// is unsupported (an argument mixing rows and classes under a partial
    /// reduction), never a wrong number.
    #[test]
    fn random_expressions_match_finite_differences_of_the_gradient(
        e in arb_ex(),
        x in prop::collection::vec(-2.0..2.0f64, 3),
        z in prop::collection::vec(-2.0..2.0f64, 9),
    ) {
        let (body, _) = e.render();
        let text = format!("input x: f64[N]\ninput z: f64[N, C]\nloss main = mean({body})");
        let ins = inputs(vec![("x", f64_data(&[3], &x)), ("z", f64_data(&[3, 3], &z))]);
        let _ = check_fd(&text, &ins);
    }
}

// ---- long objectives --------------------------------------------------------------------

/// The pass is a loop over the arena: a 100 000-term objective gets its
/// Hessian on a thread with Rust's default 2 MiB stack.
#[test]
fn a_100_000_term_objective_gets_its_hessian_on_a_default_stack() {
    let terms: Vec<String> = (0..100_000)
        .map(|k| format!("tanh(pred * {})", 1 + k % 7))
        .collect();
    let text = format!("input pred: f64[N]\nmean({})", terms.join(" + "));
    let x = [0.3, -0.7];
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let spec = LossSpec::from_str(&text).unwrap();
            let ins = inputs(vec![("pred", f64_data(&[2], &x))]);
            let c = spec.compile_for(None, &ins).unwrap();
            hessians(&c, &ins).unwrap().remove(0).1
        })
        .unwrap()
        .join()
        .unwrap();
    // d²/dx² tanh(kx) = -2k² tanh(kx)(1 - tanh²(kx)); 100 000 terms cycle k = 1..7.
    let want: Vec<f64> = x
        .iter()
        .map(|&v| {
            (0..100_000)
                .map(|i| {
                    let k = (1 + i % 7) as f64;
                    let t = (k * v).tanh();
                    -2.0 * k * k * t * (1.0 - t * t)
                })
                .sum::<f64>()
                / 2.0
        })
        .collect();
    for (a, b) in h.iter().zip(&want) {
        assert!(close(*a, *b, 1e-9, 1e-9), "{a} vs {b}");
    }
}

// ---- each rule of the pass ----------------------------------------------------------------

/// One objective per rule of the pass (see the module docs of
/// `lossc::hessian`), over x: [N], z: [N, C] (both differentiated),
/// v: [C], labels k: [N].
const RULES: &[(&str, &str)] = &[
    // elementwise chain, select
    (
        "elementwise",
        "mean(tanh(z * x) * exp(-x^2) + (if z > 0 then z^3 else z^2))",
    ),
    // rule 1, the reduced axis not x's (x: [N] under a class-axis softmax)
    ("reduce_non_x_axis", "mean(softmax(z * x) * z)"),
    // rule 1, a reduced x-axis kept in the joint shape ([C] per-class totals, x: [N])
    (
        "per_class_totals",
        "sum(sum(z * x, axis = 0)^2) + sum(log(1 + sum(z^2, axis = 0)))",
    ),
    // rule 1 for logsumexp, max and gather over an x-axis
    ("logsumexp", "mean(logsumexp(z) * x^2)"),
    ("max", "mean(max(z, axis = -1)^2 * x)"),
    ("gather", "mean(gather(z, k)^3 + gather(log_softmax(z), k))"),
    // rule 2: a per-row reduction of an argument mixing only the reduced axis
    (
        "reverse_gradient",
        "mean(log(1 + z^2) / sum(1 + z^2, axis = -1))",
    ),
    // full reductions, always exact
    ("full", "sum(z)^2 + mean(x)^3 + mean(z * x)^2"),
    // a class parameter v: [C] against rows
    (
        "class_parameter",
        "mean(logsumexp(z * v) + sum(v^2 * z, axis = -1)^2)",
    ),
];

#[test]
fn every_rule_matches_finite_differences_of_the_gradient() {
    let mut rng = rng("every_rule_matches_finite_differences_of_the_gradient");
    let (n, c) = (4, 3);
    for (name, body) in RULES {
        let text = format!(
            "input x: f64[N]\ninput z: f64[N, C]\ninput v: f64[C]\ntarget k: i64[N]\nloss main = {body}"
        );
        let z = away(&mut rng, n * c, &[0.0]);
        let ins = inputs(vec![
            ("x", f64_data(&[n], &rng.normals(n, 1.0))),
            ("z", f64_data(&[n, c], &z)),
            ("v", f64_data(&[c], &rng.normals(c, 1.0))),
            ("k", i64_data(&[n], &[0, 2, 1, 2])),
        ]);
        let checked = check_fd(&text, &ins).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(checked > 0, "{name}");
    }
}

#[test]
fn mixing_reductions_are_unsupported_not_approximated() {
    let ins = inputs(vec![(
        "pred",
        f64_data(&[2, 3], &[0.1, 0.5, -0.3, 1.0, 2.0, 0.7]),
    )]);
    for body in [
        "mean(logsumexp(pred / mean(pred)))",
        "mean(softmax(pred / mean(pred)) * pred)",
        "mean(sum(pred * sum(pred, axis = 0), axis = -1)^2)",
    ] {
        let text = format!("input pred: f64[N, C]\n{body}");
        match check_fd(&text, &ins) {
            Err(HessianError::Unsupported { input, reason }) => {
                assert_eq!(input, "pred");
                assert!(reason.contains("full Jacobian"), "{body}: {reason}");
            }
            Ok(_) => panic!("`{body}` should be unsupported"),
        }
    }
}

// ---- through the API: both engines, buffers, the boosting policy ---------------

/// Every supported built-in's Hessian diagonals from the native kernel
/// (float32 and float64) against the reference evaluator's, through
/// `CompiledLoss::with_hessians` and `Evaluator`.
#[test]
fn native_hessians_match_the_reference_for_every_builtin() {
    use lossc::native::Precision;
    use lossc::{Engine, Running};
    let mut rng = rng("native_hessians_match_the_reference_for_every_builtin");
    let mut native = 0;
    for (text, ins) in builtin_cases(&mut rng) {
        for precision in [Precision::F32, Precision::F64] {
            let ins = common::native::to_precision(&ins, precision);
            let Ok(c) = compile(&text, None, &ins).with_hessians() else {
                continue; // the UNSUPPORTED list, checked above
            };
            let reference = c
                .evaluator(Engine::Reference)
                .unwrap()
                .evaluate(&ins)
                .unwrap();
            let e = c.evaluator(Engine::Auto).unwrap();
            if e.running() == Running::Reference {
                continue;
            }
            native += 1;
            let got = e.evaluate(&ins).unwrap();
            assert_eq!(got.hessians.len(), reference.hessians.len());
            let rel = if precision == Precision::F32 {
                2e-3
            } else {
                1e-9
            };
            for ((name, want), (_, have)) in reference.hessians.iter().zip(&got.hessians) {
                let scale = want.iter().fold(1e-3f64, |m, x| m.max(x.abs()));
                for (w, h) in want.iter().zip(have) {
                    assert!(
                        (w - h).abs() <= rel * scale,
                        "`{text}` {precision:?} d2/d{name}^2: {w} (reference) vs {h} (native)"
                    );
                }
            }
        }
    }
    assert!(native > 40, "only {native} objectives ran natively");
}

/// Piecewise-linear losses have a Hessian of 0; the policy replaces it.
#[test]
fn the_boosting_policy_replaces_zero_hessians() {
    use lossc::{Engine, HessianPolicy, InputView, Outputs};
    let (p, y) = ([0.5f64, -1.0, 2.0], [0.0f64, 0.0, 3.0]);
    let ins = [
        ("pred", InputView::from_slice(&p, &[3]).unwrap()),
        ("target", InputView::from_slice(&y, &[3]).unwrap()),
    ];
    for text in ["mae", "quantile(tau = 0.9)", "hinge"] {
        let c = LossSpec::from_str(text)
            .unwrap()
            .compile_for(None, &ins)
            .unwrap()
            .with_hessians()
            .unwrap();
        for engine in [Engine::Native, Engine::Reference] {
            let expect = [
                (HessianPolicy::Exact, 0.0),
                (HessianPolicy::Clip, HessianPolicy::CLIP_FLOOR),
                (HessianPolicy::Constant, 1.0),
            ];
            for (policy, want) in expect {
                let e = c.evaluator(engine).unwrap().with_hessian_policy(policy);
                let r = e.evaluate(&ins).unwrap();
                let h = r.hessian("pred").unwrap();
                assert!(h.iter().all(|&x| x == want), "{text} {policy:?}: {h}");
                let (mut g, mut hb) = ([0.0f64; 3], [7.0f64; 3]);
                let mut out = Outputs::new()
                    .gradient("pred", &mut g[..])
                    .hessian("pred", &mut hb[..]);
                e.evaluate_into(&ins, &mut out).unwrap();
                assert_eq!(hb, [want; 3], "{text} {policy:?} {engine:?} into buffers");
                assert_eq!(&g[..], r.gradient("pred").unwrap().as_slice().unwrap());
            }
        }
    }
}

/// Hessian buffers are addressed by name, like gradient buffers, and only
/// exist for an objective compiled with them.
#[test]
fn hessian_buffers_are_checked() {
    use lossc::{Engine, Error, InputView, Outputs, RunError};
    let (p, y) = ([0.5f32, -1.0], [1.0f32, 0.0]);
    let ins = [
        ("pred", InputView::from_slice(&p, &[2]).unwrap()),
        ("target", InputView::from_slice(&y, &[2]).unwrap()),
    ];
    let plain = LossSpec::from_str("bce")
        .unwrap()
        .compile_for(None, &ins)
        .unwrap();
    let (mut g, mut h) = ([0.0f32; 2], [0.0f32; 2]);
    let e = plain.evaluator(Engine::Auto).unwrap();
    let mut out = Outputs::new()
        .gradient("pred", &mut g[..])
        .hessian("pred", &mut h[..]);
    assert!(matches!(
        e.evaluate_into(&ins, &mut out),
        Err(Error::Run(RunError::UnknownHessianBuffer { .. }))
    ));
    let e = plain
        .with_hessians()
        .unwrap()
        .into_evaluator(Engine::Auto)
        .unwrap();
    let mut out = Outputs::new().gradient("pred", &mut g[..]);
    assert!(matches!(
        e.evaluate_into(&ins, &mut out),
        Err(Error::Run(RunError::MissingHessianBuffer { .. }))
    ));
    let mut out = Outputs::new()
        .hessian("pred", &mut h[..])
        .gradient("pred", &mut g[..]);
    e.evaluate_into(&ins, &mut out).unwrap();
    let sigma = |x: f32| 1.0 / (1.0 + (-x).exp());
    for (k, &x) in p.iter().enumerate() {
        let want = sigma(x) * (1.0 - sigma(x)) / 2.0;
        assert!((h[k] - want).abs() < 1e-6, "{} vs {want}", h[k]);
    }
    // A loss whose diagonal is not expressible is a typed error.
    let z = [0.1f32; 6];
    let t = [0i64, 2];
    let multi = [
        ("pred", InputView::from_slice(&z, &[2, 3]).unwrap()),
        ("target", InputView::from_slice(&t, &[2]).unwrap()),
    ];
    let c = LossSpec::from_str("dice(mode = \"multiclass\")")
        .unwrap()
        .compile_for(None, &multi)
        .unwrap();
    assert!(matches!(c.with_hessians(), Err(Error::Hessian(_))));
}

/// Gradient boosting's scale: the gradients and Hessian diagonals of
/// `N · mean(...)`, computed by the kernel itself; the value stays the mean.
/// `N · (1/N)` is folded by the runtime in float64 and rounds to exactly 1
/// in a float32 kernel, so there `bce`'s gradient is `sigmoid(x) - y` to the
/// last bit of the kernel's `sigmoid`.
#[test]
fn gradients_scaled_by_a_dimension_are_those_of_the_scaled_objective() {
    use lossc::{Engine, Error, InputView};
    let n = 37;
    let p: Vec<f32> = (0..n).map(|i| (i as f32 * 0.61).sin() * 4.0).collect();
    let y: Vec<f32> = (0..n).map(|i| (i % 3 == 0) as u8 as f32).collect();
    let z: Vec<f32> = (0..n * 5).map(|i| (i as f32 * 0.37).cos() * 3.0).collect();
    let l: Vec<i64> = (0..n).map(|i| (i * 3 % 5) as i64).collect();
    let bin = [
        ("pred", InputView::from_slice(&p, &[n]).unwrap()),
        ("target", InputView::from_slice(&y, &[n]).unwrap()),
    ];
    let multi = [
        ("pred", InputView::from_slice(&z, &[n, 5]).unwrap()),
        ("target", InputView::from_slice(&l, &[n]).unwrap()),
    ];
    let cases: [(&str, &[(&str, InputView<'_>)]); 4] = [
        ("bce", &bin),
        ("focal(gamma = 2)", &bin),
        ("sparse_cce", &multi),
        ("sparse_cce + 0.1 * mean(pred^2)", &multi),
    ];
    for (text, ins) in cases {
        let spec = LossSpec::from_str(text).unwrap();
        let plain = spec
            .compile_for(None, ins)
            .unwrap()
            .with_hessians()
            .unwrap();
        let scaled = spec
            .compile_for(None, ins)
            .unwrap()
            .with_gradient_scale(&["N"])
            .unwrap()
            .with_hessians()
            .unwrap();
        // Scaling after the Hessians recomputes them.
        let late = spec
            .compile_for(None, ins)
            .unwrap()
            .with_hessians()
            .unwrap()
            .with_gradient_scale(&["N"])
            .unwrap();
        for engine in [Engine::Reference, Engine::Native] {
            let a = plain.evaluator(engine).unwrap().evaluate(ins).unwrap();
            for c in [&scaled, &late] {
                let b = c.evaluator(engine).unwrap().evaluate(ins).unwrap();
                assert_eq!(
                    a.value, b.value,
                    "{text} {engine:?}: the value is not scaled"
                );
                for (x, s) in [(&a.gradients, &b.gradients), (&a.hessians, &b.hessians)] {
                    let (x, s) = (&x[0].1, &s[0].1);
                    for (u, v) in x.iter().zip(s.iter()) {
                        let want = u * n as f64;
                        assert!(
                            (v - want).abs() <= 1e-5 * want.abs().max(1e-3),
                            "{text} {engine:?}: {v} vs {want}"
                        );
                    }
                }
            }
        }
        if text == "bce" {
            // Per row: sigmoid(x) - y and sigmoid(x)(1 - sigmoid(x)).
            let b = scaled
                .evaluator(Engine::Native)
                .unwrap()
                .evaluate(ins)
                .unwrap();
            for (k, (&g, &h)) in b.gradients[0]
                .1
                .iter()
                .zip(b.hessians[0].1.iter())
                .enumerate()
            {
                let s = 1.0 / (1.0 + (-(p[k] as f64)).exp());
                assert!(
                    (g - (s - y[k] as f64)).abs() < 1e-6,
                    "{g} vs {}",
                    s - y[k] as f64
                );
                assert!((h - s * (1.0 - s)).abs() < 1e-6, "{h} vs {}", s * (1.0 - s));
            }
            // In a float32 kernel `N · (1/N)` rounds to exactly 1: the same
            // bits as the summed spec, whose gradient has no scalar at all.
            let summed = LossSpec::from_str("bce(reduction = \"sum\")")
                .unwrap()
                .compile_for(None, ins)
                .unwrap()
                .evaluator(Engine::Native)
                .unwrap()
                .evaluate(ins)
                .unwrap();
            assert_eq!(b.gradients[0].1, summed.gradients[0].1);
        }
    }
    // Errors: an unknown dimension, and a scale asked after `distributed`.
    let c = LossSpec::from_str("bce")
        .unwrap()
        .compile_for(None, &bin)
        .unwrap();
    let e = c.clone().with_gradient_scale(&["M"]).err().unwrap();
    assert!(
        matches!(e, Error::Scale(_)) && e.to_string().contains("no dimension `M`"),
        "{e}"
    );
    let e = c
        .distributed(&["N"])
        .unwrap()
        .with_gradient_scale(&["N"])
        .err()
        .unwrap();
    assert!(matches!(e, Error::Scale(_)), "{e}");
}
