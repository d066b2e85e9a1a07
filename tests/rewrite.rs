//! The stabilising rewrites, end to end: a naive textbook formula must give
//! the built-in's value and gradient at extreme inputs (where, evaluated
//! literally, it is inf or NaN), in the reference evaluator and in float32
//! and float64 kernels; and at ordinary inputs a rewrite must not change the
//! value beyond rounding (property test against the literal formula
//! evaluated by hand in float64).
//!
//! Tolerances.
//! - Naive vs built-in, reference evaluator: both are float64 and
//!   algebraically equal after the rewrite, so `1e-12` relative (value) and
//!   `1e-9` relative to the gradient's scale (the two forms may associate
//!   sums differently).
//! - Naive vs built-in, kernels: the same kernel arithmetic on equal
//!   formulas; float64 `1e-10`, float32 `1e-5` relative (two differently
//!   associated float32 expression trees, each a few ulp off).
//! - Rewritten vs literal at ordinary inputs (|x| <= 8, where the literal
//!   formula is still accurate in float64): `1e-10` relative to the value's
//!   scale; gradients against central differences of the literal formula
//!   (step 1e-6) to `1e-5`. The literal form loses ~`e^|x| * 1e-16` relative
//!   in `log(1 - sigmoid(x))`, which the differences divide by the step:
//!   beyond |x| of about 10 the bound would test the literal side.

mod common;

use common::*;
use lossc::native::Precision;
use lossc::rewrite::Rule;
use lossc::{LossSpec, OwnedInputs};
use proptest::prelude::*;

/// Value and gradient of `text` by the reference evaluator and by float32
/// and float64 kernels; all must be finite.
fn run_all(text: &str, ins: &OwnedInputs, wrt: &str) -> Vec<(String, f64, Vec<f64>)> {
    let spec = LossSpec::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    let c = spec
        .compile_for(None, ins)
        .unwrap_or_else(|e| panic!("{e}"));
    let r = c.evaluate(ins).unwrap();
    let mut out = vec![("reference".to_string(), r.value, grad(&r, wrt))];
    for p in [Precision::F64, Precision::F32] {
        let ins = native::to_precision(ins, p);
        let k = common::native::kernel(&c, p).unwrap_or_else(|e| panic!("`{text}`: {e}"));
        let (v, grads) = k.eval(&ins, 1).unwrap();
        let g = grads
            .iter()
            .find(|(n, _)| n == wrt)
            .map(|(_, g)| g.iter().copied().collect())
            .unwrap();
        out.push((format!("{p:?} kernel"), v.value, g));
    }
    for (engine, v, g) in &out {
        assert!(v.is_finite(), "`{text}` {engine}: value {v}");
        assert_all_finite(g, &format!("`{text}` {engine}: gradient"));
    }
    out
}

/// The naive formula and the built-in agree, engine by engine.
fn same_as_builtin(naive: &str, builtin: &str, ins: &OwnedInputs, wrt: &str) {
    let a = run_all(naive, ins, wrt);
    let b = run_all(builtin, ins, wrt);
    for ((engine, va, ga), (_, vb, gb)) in a.iter().zip(&b) {
        let (vt, gt) = match engine.as_str() {
            "reference" => (1e-12, 1e-9),
            "F64 kernel" => (1e-10, 1e-9),
            _ => (1e-5, 1e-5),
        };
        assert_close(
            *va,
            *vb,
            vt,
            1e-300,
            &format!("{engine}: `{naive}` vs `{builtin}`"),
        );
        assert_all_close(
            ga,
            gb,
            gt,
            gt,
            &format!("{engine}: d/d{wrt} `{naive}` vs `{builtin}`"),
        );
    }
}

fn flat(p: &[f64], y: &[f64]) -> OwnedInputs {
    inputs(vec![
        ("pred", f64_data(&[p.len()], p)),
        ("target", f64_data(&[y.len()], y)),
    ])
}

const EXTREME_LOGITS: [f64; 8] = [-1e4, -200.0, -30.0, -1e-3, 0.0, 17.5, 200.0, 1e4];

#[test]
fn naive_bce_is_the_builtin_at_extreme_logits() {
    let p: Vec<f64> = EXTREME_LOGITS.repeat(3);
    let y: Vec<f64> = (0..p.len()).map(|i| [0.0, 1.0, 0.3][i / 8]).collect();
    same_as_builtin(
        "mean(-(target*log(sigmoid(pred)) + (1-target)*log(1-sigmoid(pred))))",
        "bce",
        &flat(&p, &y),
        "pred",
    );
    // The sigmoid itself written out.
    same_as_builtin(
        "mean(-(target*log(1/(1+exp(-pred))) + (1-target)*log(1-1/(1+exp(-pred)))))",
        "bce",
        &flat(&p, &y),
        "pred",
    );
}

#[test]
fn naive_softplus_and_focal_are_the_builtins() {
    let p: Vec<f64> = EXTREME_LOGITS.repeat(2);
    let y: Vec<f64> = (0..p.len()).map(|i| (i / 8) as f64).collect();
    let only_pred = inputs(vec![("pred", f64_data(&[p.len()], &p))]);
    same_as_builtin(
        "mean(log(1 + exp(pred)))",
        "mean(softplus(pred))",
        &only_pred,
        "pred",
    );
    same_as_builtin(
        "mean(-(target*(1-sigmoid(pred))^2*log(sigmoid(pred)) + (1-target)*sigmoid(pred)^2*log(1-sigmoid(pred))))",
        "focal(gamma = 2)",
        &flat(&p, &y),
        "pred",
    );
}

#[test]
fn naive_cross_entropy_and_kl_are_the_builtins() {
    let z = [1e4, -1e4, 0.0, 3.0, -2.0, 150.0, -150.0, 0.5, 1.0];
    let y = [0.2, 0.0, 0.8, 0.0, 0.0, 1.0, 0.5, 0.5, 0.0];
    let ins = inputs(vec![
        ("z", f64_data(&[3, 3], &z)),
        ("y", f64_data(&[3, 3], &y)),
    ]);
    let decl = "input z: f64[N, C]\ntarget y: f64[N, C]\n";
    same_as_builtin(
        &format!("{decl}mean(-sum(y*log(softmax(z)), axis=-1))"),
        &format!("{decl}cce(z, y)"),
        &ins,
        "z",
    );
    same_as_builtin(
        &format!("{decl}mean(-sum(y*log(exp(z)/sum(exp(z), axis=-1)), axis=-1))"),
        &format!("{decl}cce(z, y)"),
        &ins,
        "z",
    );
    same_as_builtin(
        &format!("{decl}mean(-sum(y*(z - log(sum(exp(z), axis=-1))), axis=-1))"),
        &format!("{decl}cce(z, y)"),
        &ins,
        "z",
    );
    // KL(y || softmax(z)) with zeros in y: 0 * log(0 / q) is 0, not NaN.
    same_as_builtin(
        &format!("{decl}mean(sum(y*log(y/softmax(z)), axis=-1))"),
        &format!("{decl}kl_div(z, y)"),
        &ins,
        "z",
    );
}

#[test]
fn naive_log_cosh_and_expm1_are_stable() {
    let d = [1e30, -1e30, 1e4, -95.0, 3.0, 0.5, 1e-3, -1e-9, 0.0];
    let ins = flat(&d, &[0.0; 9]);
    same_as_builtin("mean(log(cosh(pred - target)))", "log_cosh", &ins, "pred");
    // exp(x) - 1 keeps the digits of tiny x (and its gradient is exp(x)).
    let x = [1e-12, -3e-9, 2e-6, 0.25, -40.0];
    let r = eval(
        "sum(exp(pred) - 1) + 0 * sum(target)",
        None,
        &flat(&x, &[0.0; 5]),
    );
    let want: f64 = x.iter().map(|v| v.exp_m1()).sum();
    assert_close(r.value, want, 1e-15, 0.0, "sum(exp(x) - 1)");
}

/// Which rules fire on a spec.
fn rules(text: &str) -> Vec<Rule> {
    let s = LossSpec::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    let c = s.compile(None, &Default::default()).unwrap();
    c.rewrites.iter().map(|r| r.rule).collect()
}

#[test]
fn each_rule_fires_on_its_pattern_and_records_where() {
    let cases: &[(&str, &[Rule])] = &[
        ("mean(log(sigmoid(pred)))", &[Rule::LogSigmoid]),
        ("mean(log(1 - sigmoid(pred)))", &[Rule::LogOneMinusSigmoid]),
        ("mean(log(exp(pred)))", &[Rule::LogExp]),
        ("mean(log(1 + pred^2))", &[Rule::LogOnePlus]),
        ("mean(log(pred^2 + 1))", &[Rule::LogOnePlus]),
        ("mean(log1p(exp(pred)))", &[Rule::Softplus]),
        ("mean(exp(pred) - 1)", &[Rule::Expm1]),
        ("mean(1 - exp(pred))", &[Rule::Expm1]),
        ("mean(log(cosh(pred)))", &[Rule::LogCosh]),
        ("mean(sqrt(pred^2))", &[Rule::SqrtOfSquare]),
        ("mean(1 / (1 + exp(-pred)))", &[Rule::Sigmoid]),
        ("mean(exp(pred) / (1 + exp(pred)))", &[Rule::Sigmoid]),
        ("mean(target * log(target))", &[Rule::XLogX]),
        (
            "input z: f32[N, C]\nmean(log(sum(exp(z), axis=-1)))",
            &[Rule::LogSumExp],
        ),
        (
            "input z: f32[N, C]\nmean(log(softmax(z)))",
            &[Rule::LogSoftmax],
        ),
        (
            "input z: f32[N, C]\nmean(exp(z) / sum(exp(z), axis=-1))",
            &[Rule::Softmax],
        ),
        // Stable forms are left alone.
        ("mean(softplus(pred) + log1p(pred^2) + expm1(pred))", &[]),
        ("mean(log(pred))", &[]),
    ];
    for (text, want) in cases {
        assert_eq!(&rules(text), want, "rules applied to `{text}`");
    }
    // The span is the user's expression.
    let s = LossSpec::from_str("mean(log(sigmoid(pred)))").unwrap();
    let c = s.compile(None, &Default::default()).unwrap();
    let text = c.explain();
    assert!(
        text.starts_with("<inline>:1:6: `log(sigmoid(pred))`\n  log(sigmoid(x)) -> -softplus(-x)"),
        "{text}"
    );
}

#[test]
fn the_prelude_needs_no_rewrites_and_has_no_hazards() {
    for text in [
        "bce",
        "bce(from_logits = false)",
        "focal(gamma = 0.5, alpha = 0.25)",
        "dice",
        "mse + mae + huber + smooth_l1 + l1 + l2",
        "input z: f32[N, C]\ntarget y: f32[N, C]\ncce(z, y) + kl_div(z, y)",
        "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y)",
    ] {
        let s = LossSpec::from_str(text).unwrap();
        let c = s.compile(None, &Default::default()).unwrap();
        assert!(c.rewrites.is_empty(), "`{text}`: {:?}", c.rewrites);
        assert!(c.warnings.is_empty(), "`{text}`: {}", c.render_warnings());
    }
}

#[test]
fn hazards_are_warned_about_in_user_code() {
    let s = LossSpec::from_str("mean(-target*log(pred))\n+ sum(pred)/sum(target)").unwrap();
    let c = s.compile(None, &Default::default()).unwrap();
    let w = c.render_warnings();
    assert!(
        w.contains("warning: `log` of a value that can be 0\n --> <inline>:1:14"),
        "{w}"
    );
    assert!(
        w.contains("warning: division by a sum that can be 0\n --> <inline>:2:3"),
        "{w}"
    );
    // Guarded forms are not warned about.
    for text in [
        "mean(log(max(pred, 1e-12)))",
        "mean(log(exp(pred) + 1e-3))",
        "sum(pred) / (sum(abs(target)) + 1)",
        "mean(target * log(target))",
    ] {
        let s = LossSpec::from_str(text).unwrap();
        let c = s.compile(None, &Default::default()).unwrap();
        assert!(c.warnings.is_empty(), "`{text}`: {}", c.render_warnings());
    }
}

/// A naive formula with its literal float64 evaluation (and derivative,
/// written out by hand) for the property test.
struct Literal {
    text: &'static str,
    value: fn(f64, f64) -> f64,
}

const LITERALS: &[Literal] = &[
    Literal {
        text: "-(target*log(sigmoid(pred)) + (1-target)*log(1-sigmoid(pred)))",
        value: |p, y| {
            let s = 1.0 / (1.0 + (-p).exp());
            -(y * s.ln() + (1.0 - y) * (1.0 - s).ln())
        },
    },
    Literal {
        text: "log(1 + exp(pred)) - target",
        value: |p, y| (1.0 + p.exp()).ln() - y,
    },
    Literal {
        text: "log(cosh(pred - target))",
        value: |p, y| (p - y).cosh().ln(),
    },
    Literal {
        text: "(exp(pred) - 1) * target",
        value: |p, y| (p.exp() - 1.0) * y,
    },
    Literal {
        text: "(1 - sigmoid(pred))^2 * log(sigmoid(pred)) * target",
        value: |p, y| {
            let s = 1.0 / (1.0 + (-p).exp());
            (1.0 - s).powi(2) * s.ln() * y
        },
    },
    Literal {
        text: "target * log(target / sigmoid(pred))",
        value: |p, y| y * (y / (1.0 / (1.0 + (-p).exp()))).ln(),
    },
    Literal {
        text: "sqrt(pred^2) + 1 / (1 + exp(-target))",
        value: |p, y| (p * p).sqrt() + 1.0 / (1.0 + (-y).exp()),
    },
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// At ordinary inputs the rewritten formula has the literal formula's
    /// value (sum over a small batch), and its gradient matches central
    /// differences of the literal formula.
    #[test]
    fn rewrites_keep_the_value_at_ordinary_inputs(
        k in 0..LITERALS.len(),
        p in proptest::collection::vec(-8.0f64..8.0, 1..6),
        y in proptest::collection::vec(0.05f64..1.0, 6),
    ) {
        let lit = &LITERALS[k];
        let y = &y[..p.len()];
        let ins = flat(&p, y);
        let text = format!("sum({})", lit.text);
        prop_assert!(!rules(&text).is_empty(), "`{}` was not rewritten", text);
        let r = eval(&text, None, &ins);
        let want: f64 = p.iter().zip(y).map(|(&p, &y)| (lit.value)(p, y)).sum();
        let scale: f64 = p.iter().zip(y).map(|(&p, &y)| (lit.value)(p, y).abs()).sum::<f64>().max(1.0);
        prop_assert!((r.value - want).abs() <= 1e-10 * scale, "`{}`: {} vs literal {}", text, r.value, want);
        let g = grad(&r, "pred");
        for (i, &pi) in p.iter().enumerate() {
            let h = 1e-6 * pi.abs().max(1.0);
            let fd = ((lit.value)(pi + h, y[i]) - (lit.value)(pi - h, y[i])) / (2.0 * h);
            prop_assert!((g[i] - fd).abs() <= 1e-5 * fd.abs().max(1.0), "`{}`: d/dpred[{}] {} vs fd {}", text, i, g[i], fd);
        }
    }
}
