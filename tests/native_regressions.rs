//! Native code against the reference evaluator on program shapes that once
//! went wrong: gradients of per-row reductions flowing back into `[N, C]`
//! gradients of several differentiated inputs, and `pow` at every kind of
//! exponent and at IEEE's special values.
//!
//! Inputs are random with a fresh seed per run (printed; set
//! `LOSSC_TEST_SEED` to reproduce).

mod common;

use common::native::{compare, random};
use lossc::codegen::Precision;
use lossc::{Data, Inputs, LossSpec};
use ndarray::{ArrayD, IxDyn};

fn seed() -> u64 {
    let s = std::env::var("LOSSC_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("LOSSC_TEST_SEED={s}");
    s
}

/// Every spec compiles natively (no fallback hides a mismatch) and agrees
/// with the reference, value and every gradient, float32 and float64, on
/// several sizes (a row shorter than a vector, tails, several blocks).
fn check_natively(specs: &[String], seed: u64) {
    for (k, src) in specs.iter().enumerate() {
        let spec = LossSpec::from_str(src).unwrap_or_else(|e| panic!("{e}"));
        let c = spec.compile(None, &Default::default()).unwrap();
        common::native::kernel(&c, Precision::F32)
            .unwrap_or_else(|e| panic!("`{src}` is not compiled natively: {e}"));
        for (n, classes) in [(1, 3), (2, 3), (7, 5), (1031, 10), (20_000, 3)] {
            let inputs = random(
                src,
                n,
                classes,
                seed.wrapping_add(k as u64 * 1000 + n as u64),
            );
            for p in [Precision::F32, Precision::F64] {
                compare(src, &inputs, p, 2);
            }
        }
    }
}

/// Per-row reductions of `[N, C]` inputs multiplied by differentiated
/// `[N, C]` (and `[N]`) inputs: the reduction's adjoint is a per-row sum
/// of the multiplier, and every input's gradient is written by the same
/// rows pass. The final loop of that pass reads back a value its phase
/// loop kept in one of the gradient buffers; a gradient written earlier
/// for the same element once overwrote it (`sum(q * logsumexp(p))` gave
/// `d/dp` constant along each row).
#[test]
fn multipliers_of_row_reductions_of_differentiated_inputs() {
    let reductions = [
        "logsumexp(p)",
        "max(p, axis=-1)",
        "sum(exp(p), axis=-1)",
        "sum(p^2, axis=-1)",
        "mean(sigmoid(p), axis=-1)",
        "sum(softmax(p) * q, axis=-1)",
        "logsumexp(p * q)",
        "max(log_softmax(p), axis=-1)",
    ];
    let mut specs = Vec::new();
    for r in reductions {
        for decl in [
            "input q: f32[N, C]\ninput p: f32[N, C]",
            "input p: f32[N, C]\ninput q: f32[N, C]",
            "param q: f32[N, C]\ninput p: f32[N, C]",
        ] {
            specs.push(format!("{decl}\nsum(q * {r})"));
            specs.push(format!("{decl}\nmean(exp(q) * {r} + q^2)"));
        }
        // The same input on both sides, and three gradients in one pass.
        specs.push(format!(
            "input p: f32[N, C]\ninput q: f32[N, C]\nsum(p * {r})"
        ));
        specs.push(format!(
            "input p: f32[N, C]\ninput q: f32[N, C]\ninput s: f32[N, C]\nmean(s * {r} + q * s)"
        ));
        specs.push(format!(
            "input u: f32[N]\ninput p: f32[N, C]\ninput q: f32[N, C]\nsum(u * {r}) + sum(q * u)"
        ));
    }
    specs.push(
        "input p: f32[N, C]\ninput q: f32[N, C]\nsum(q * logsumexp(p) + p * logsumexp(q))".into(),
    );
    specs.push(
        "input z: f32[N, C]\ninput t: f32[N, C]\nsum(kl_div(z, t, reduction = \"none\"))".into(),
    );
    specs.push(
        "input z: f32[N, C]\ninput t: f32[N, C]\nsum(kl_div(z, t, log_target = true, reduction = \"none\"))"
            .into(),
    );
    specs.push("input z: f32[N, C]\ninput t: f32[N, C]\nkl_div(z, softmax(t))".into());
    check_natively(&specs, seed());
}

/// The reproducer with its exact numbers.
#[test]
fn q_times_logsumexp_gradient_is_the_scaled_softmax() {
    let src = "input q: f64[N, C]\ninput pred: f64[N, C]\nsum(q * logsumexp(pred))";
    let mut inputs = Inputs::new();
    let arr = |v: Vec<f64>| Data::F64(ArrayD::from_shape_vec(IxDyn(&[2, 3]), v).unwrap());
    inputs.insert("pred".into(), arr(vec![0., 1., 2., 1., 0., -1.]));
    inputs.insert("q".into(), arr(vec![1.; 6]));
    let c = LossSpec::from_str(src)
        .unwrap()
        .compile_for(None, &inputs)
        .unwrap();
    let k = common::native::kernel(&c, Precision::F64).unwrap();
    let (_, grads) = k.eval(&inputs, 1).unwrap();
    let pred = grads.iter().find(|g| g.0 == "pred").unwrap().1.clone();
    let softmax = |row: [f64; 3]| {
        let s: f64 = row.iter().map(|x| x.exp()).sum();
        row.map(|x| 3.0 * x.exp() / s)
    };
    let want: Vec<f64> = [softmax([0., 1., 2.]), softmax([1., 0., -1.])].concat();
    for (a, b) in pred.iter().zip(&want) {
        assert!((a - b).abs() < 1e-12, "{pred:?} vs {want:?}");
    }
    for p in [Precision::F32, Precision::F64] {
        compare(src, &inputs, p, 1);
    }
}
