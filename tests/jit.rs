//! Native kernels against the float64 reference evaluator (tolerances in
//! `common/native.rs`).
//!
//! Inputs are random with a fresh seed per run (printed; set
//! `LOSSC_TEST_SEED` to reproduce).

mod common;

use common::native::{compare, compare_with, random};
use common::seed;
use lossc::data::{Rng, random_inputs};
use lossc::native::{Kernel, Precision};
use lossc::{Data, LossSpec, OwnedInputs, RunError};
use ndarray::{ArrayD, IxDyn};
use std::collections::HashMap;

const ELEMENTWISE: &[&str] = &[
    "mse",
    "mae",
    "huber",
    "huber(delta = 0.3)",
    "smooth_l1(beta = 0.5)",
    "hinge",
    "l1",
    "l2",
    "mse + 1e-3*l1 + 1e-4*l2",
    "mse(reduction = \"sum\")",
    "input x: f32[N]\nmean(clamp(x, -1, 0.5)^3 + max(x, 0.2) - min(x, -0.1) + abs(x) * sign(x) + relu(x - 1) + sqrt(1 + x^2))",
    "input x: f32[N]\ntarget t: f32[N]\nmean(if x > t then (x - t)^2 else 0.5 * abs(x - t)) + sum(x^-2) * 1e-6",
    "input p: f32[N]\ntarget y: i64[N]\nmean(p * (y == 1)) + mean((p - y)^2)",
    "input p: f32[N]\ntarget m: bool[N]\nmean(if m then p^2 else -p)",
    "input x: f32[N]\nmean(x * detach(x)^2 + detach(exp(x)) * x)",
    "input z: f32[N, C]\ntarget y: i64[N]\ntarget k: i32[N, C]\nmean(z * k) + mean(max(z, axis=-1) - gather(z, y))",
];

const TRANSCENDENTAL: &[&str] = &[
    "bce",
    "bce(pos_weight = 3)",
    "bce(from_logits = false)",
    "focal(gamma = 2)",
    "focal(gamma = 1.5, alpha = 0.25)",
    "dice",
    "dice(smooth = 0)",
    "0.7*focal(gamma=2) + 0.3*dice + 1e-4*l2",
    "input z: f32[N, C]\ntarget y: f32[N, C]\ncce(z, y)",
    "input z: f32[N, C]\ntarget y: f32[N, C]\ncce(z, y, label_smoothing = 0.1)",
    "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y)",
    "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y, label_smoothing = 0.2)",
    "input z: f32[N, C]\ntarget y: i64[N]\ntarget w: f32[C]\nsparse_cce(z, y, weight = w)",
    "input z: f32[N, C]\ntarget t: f32[N, C]\nkl_div(z, softmax(t))",
    "input z: f32[N, C]\ntarget t: f32[N, C]\nkl_div(z, t)",
    "input x: f32[N]\nmean(log1p(x^2) + expm1(-x^2) + tanh(x) + cosh(x/4) + sinh(x/4) + log(sigmoid(x)) + softplus(-x) + exp(-abs(x)))",
    "input x: f32[N]\nmean(pow(1 + x^2, 0.3) + (2 + sigmoid(x))^x)",
    "input z: f32[N, C]\nmean(logsumexp(z) - max(z, axis=-1) + sum(softmax(z)^2, axis=-1) + mean(log_softmax(z), axis=-1))",
];

fn check_all(specs: &[&str]) {
    let s = seed();
    for (k, src) in specs.iter().enumerate() {
        for (n, c) in [(1, 3), (7, 5), (1031, 10), (40_000, 3)] {
            let inputs = random(src, n, c, s.wrapping_add(k as u64 * 1000 + n as u64));
            for p in [Precision::F32, Precision::F64] {
                compare(src, &inputs, p, 2);
            }
        }
    }
}

#[test]
fn elementwise_losses_match_the_reference() {
    check_all(ELEMENTWISE);
}

#[test]
fn transcendental_losses_match_the_reference() {
    check_all(TRANSCENDENTAL);
}

#[test]
fn results_are_identical_for_any_thread_count() {
    let src = "input z: f32[N, C]\ntarget y: i64[N]\ninput x: f32[M]\nmean(max(z, axis=-1) - gather(z, y)) + mean(x^2) + sum(z^2)*1e-3";
    let spec = LossSpec::from_str(src).unwrap();
    let c = spec.compile(None, &Default::default()).unwrap();
    let mut dims = HashMap::new();
    dims.insert("C".to_string(), 13);
    dims.insert("M".to_string(), 300_001);
    let inputs = random_inputs(c.graph(), 20_000, &dims, seed()).unwrap();
    let k = common::native::kernel(&c, Precision::F32).unwrap();
    let (base, grads) = k.eval(&inputs, 1).unwrap();
    for t in [2, 3, 8] {
        let (out, g) = k.eval(&inputs, t).unwrap();
        assert_eq!(out.value.to_bits(), base.value.to_bits(), "{t} threads");
        for ((_, a), (_, b)) in grads.iter().zip(&g) {
            assert!(
                a.iter()
                    .zip(b.iter())
                    .all(|(x, y)| x.to_bits() == y.to_bits()),
                "{t} threads"
            );
        }
    }
}

#[test]
fn labels_are_validated_before_native_code_runs() {
    let src = "input z: f32[N, C]\ntarget y: i64[N]\nmean(max(z, axis=-1) - gather(z, y))";
    let spec = LossSpec::from_str(src).unwrap();
    let c = spec.compile(None, &Default::default()).unwrap();
    let k = common::native::kernel(&c, Precision::F32).unwrap();
    let mut inputs = OwnedInputs::new();
    inputs.insert("z".into(), Data::F32(ArrayD::zeros(IxDyn(&[3, 4]))));
    for bad in [4i64, -1, 1 << 40] {
        inputs.insert(
            "y".into(),
            Data::I64(ArrayD::from_shape_vec(IxDyn(&[3]), vec![0, bad, 1]).unwrap()),
        );
        match k.eval(&inputs, 2) {
            Err(RunError::Eval(lossc::eval::EvalError::LabelOutOfRange {
                input, classes, ..
            })) => {
                assert_eq!((input.as_str(), classes), ("y", 4));
            }
            other => panic!("label {bad}: {other:?}"),
        }
    }
    // i32 labels are accepted (widened).
    inputs.insert(
        "y".into(),
        Data::I32(ArrayD::from_shape_vec(IxDyn(&[3]), vec![0, 3, 1]).unwrap()),
    );
    assert!(k.eval(&inputs, 1).is_ok());
}

#[test]
fn bad_inputs_are_rejected_with_typed_errors() {
    let spec = LossSpec::from_str("mse").unwrap();
    let mut inputs = OwnedInputs::new();
    inputs.insert("pred".into(), Data::F32(ArrayD::zeros(IxDyn(&[5]))));
    inputs.insert("target".into(), Data::F32(ArrayD::zeros(IxDyn(&[5]))));
    let c = spec.compile_for(None, &inputs).unwrap();
    let k = common::native::kernel(&c, Precision::F32).unwrap();
    let mut short = inputs.clone();
    short.insert("target".into(), Data::F32(ArrayD::zeros(IxDyn(&[4]))));
    assert!(matches!(
        k.eval(&short, 1),
        Err(RunError::DimMismatch { .. })
    ));
    let mut empty = inputs.clone();
    empty.insert("pred".into(), Data::F32(ArrayD::zeros(IxDyn(&[0]))));
    empty.insert("target".into(), Data::F32(ArrayD::zeros(IxDyn(&[0]))));
    assert!(matches!(k.eval(&empty, 1), Err(RunError::Empty { .. })));
    let mut rank = inputs.clone();
    rank.insert("pred".into(), Data::F32(ArrayD::zeros(IxDyn(&[5, 1]))));
    assert!(matches!(k.eval(&rank, 1), Err(RunError::Rank { .. })));
    let mut missing = inputs.clone();
    missing.remove("target");
    assert!(matches!(
        k.eval(&missing, 1),
        Err(RunError::MissingInput { .. })
    ));
    // Caller buffers of the wrong size are refused before native code runs.
    let mut small = vec![0.0f32; 4];
    assert!(matches!(
        k.eval_into_f32(&inputs, &mut [small.as_mut_slice()], 1),
        Err(RunError::GradientBufferSize { .. })
    ));
    assert!(matches!(
        k.eval_into_f32(&inputs, &mut [], 1),
        Err(RunError::GradientBuffers { .. })
    ));
    // Buffers of the other precision are refused, not a panic.
    let mut wide = vec![0.0f64; 5];
    assert!(matches!(
        k.eval_into_f64(&inputs, &mut [wide.as_mut_slice()], 1),
        Err(RunError::Precision { .. })
    ));
}

#[test]
fn non_contiguous_and_mixed_precision_inputs_are_copied() {
    let src = "input z: f32[N, C]\ntarget t: f32[N, C]\nmean((z - t)^2)";
    let spec = LossSpec::from_str(src).unwrap();
    let mut rng = Rng::new(seed());
    let z = ArrayD::from_shape_vec(
        IxDyn(&[6, 9]),
        (0..54).map(|_| rng.normal() as f32).collect(),
    )
    .unwrap();
    let t =
        ArrayD::from_shape_vec(IxDyn(&[9, 6]), (0..54).map(|_| rng.normal()).collect()).unwrap();
    let mut inputs = OwnedInputs::new();
    inputs.insert("z".into(), Data::F32(z));
    // A transposed (column-major) float64 view of a [6, 9] array.
    inputs.insert("t".into(), Data::F64(t.reversed_axes()));
    let c = spec.compile_for(None, &inputs).unwrap();
    let k = common::native::kernel(&c, Precision::F32).unwrap();
    let r = c.evaluate(&inputs).unwrap();
    let (out, _) = k.eval(&inputs, 2).unwrap();
    assert!(
        (r.value - out.value).abs() < 1e-5 * r.value.abs(),
        "{} vs {}",
        r.value,
        out.value
    );
}

#[test]
fn eval_into_writes_caller_buffers() {
    let spec = LossSpec::from_str("mse + 1e-2*l2").unwrap();
    let mut inputs = OwnedInputs::new();
    inputs.insert(
        "pred".into(),
        Data::F32(ArrayD::from_shape_vec(IxDyn(&[3]), vec![1.0, 2.0, 3.0]).unwrap()),
    );
    inputs.insert(
        "target".into(),
        Data::F32(ArrayD::from_shape_vec(IxDyn(&[3]), vec![1.0, 0.0, 0.0]).unwrap()),
    );
    inputs.insert(
        "params".into(),
        Data::F32(ArrayD::from_shape_vec(IxDyn(&[2]), vec![1.0, -2.0]).unwrap()),
    );
    let c = spec.compile_for(None, &inputs).unwrap();
    let k = common::native::kernel(&c, Precision::F32).unwrap();
    assert_eq!(k.gradient_inputs(), vec!["pred", "params"]);
    let mut gp = vec![9.0f32; 3];
    let mut gw = vec![9.0f32; 2];
    let out = k
        .eval_into_f32(&inputs, &mut [gp.as_mut_slice(), gw.as_mut_slice()], 1)
        .unwrap();
    assert!((out.value - (13.0 / 3.0 + 0.05)).abs() < 1e-6);
    assert_eq!(out.terms.len(), 2);
    assert_eq!(gp, vec![0.0, 4.0 / 3.0, 2.0]);
    assert_eq!(gw, vec![0.02, -0.04]);
}

#[test]
fn a_kernel_is_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Kernel>();
    let spec = LossSpec::from_str("mse").unwrap();
    let c = spec.compile(None, &Default::default()).unwrap();
    let k = common::native::kernel(&c, Precision::F32).unwrap();
    let inputs = random_inputs(c.graph(), 5000, &HashMap::new(), 1).unwrap();
    let (expected, _) = k.eval(&inputs, 1).unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..20 {
                    assert_eq!(
                        k.eval(&inputs, 2).unwrap().0.value.to_bits(),
                        expected.value.to_bits()
                    );
                }
            });
        }
    });
}

/// Random expressions over a flat input and a [N, C] input, built from
/// operations the generator keeps in their domains.
fn random_expression(rng: &mut Rng, depth: usize, rows: bool) -> String {
    let leaf = |rng: &mut Rng| -> String {
        match rng.below(4) {
            0 => format!("{:.3}", rng.normal()),
            1 if rows => "z".into(),
            _ => {
                if rows {
                    "z".into()
                } else {
                    "x".into()
                }
            }
        }
    };
    if depth == 0 {
        return leaf(rng);
    }
    let a = random_expression(rng, depth - 1, rows);
    let b = random_expression(rng, depth - 1, rows);
    match rng.below(12) {
        0 => format!("({a} + {b})"),
        1 => format!("({a} - {b})"),
        2 => format!("({a} * {b})"),
        3 => format!("({a} / (1 + {b}^2))"),
        4 => format!("abs({a})"),
        5 => format!("max({a}, {b})"),
        6 => format!("clamp({a}, -1, 1)"),
        // Continuous at a = b (both arms meet), so that float32 rounding
        // which puts an element on the other side only moves the gradient
        // (the kinks `compare_with` allows), not the value: with `else -b`
        // an element near z = 1 in `if max(min(z, 0.5), 0) > z / (1 + z^2)`
        // jumped by 1.0 (seed 1795637988144079841).
        7 => format!("(if {a} > {b} then {a} else 2 * {b} - {a})"),
        8 => format!("({a})^2"),
        9 => format!("relu({a})"),
        10 => format!("sqrt(1 + ({a})^2)"),
        _ => format!("min({a}, 0.5)"),
    }
}

#[test]
fn random_expressions_match_the_reference() {
    let mut rng = Rng::new(seed());
    for case in 0..60 {
        let rows = case % 2 == 1;
        // `+ 0.01*v` keeps a constant draw an array of the input's shape.
        let v = if rows { "z" } else { "x" };
        let body = format!("({} + 0.01*{v})", random_expression(&mut rng, 3, rows));
        let src = if rows {
            format!(
                "input z: f32[N, C]\ntarget y: i64[N]\nmean({body}) + mean(max({body}, axis=-1) - gather({body}, y))"
            )
        } else {
            format!("input x: f32[N]\nmean({body})")
        };
        let inputs = random(&src, 1 + rng.below(3000), 1 + rng.below(9), rng.next_u64());
        compare(&src, &inputs, Precision::F64, 2);
        // Float32 also loses digits to cancellation the generator likes to
        // produce; the float64 comparison above is the strict one.
        compare_with(&src, &inputs, Precision::F32, 2, 0.05);
    }
}

#[test]
fn float32_means_are_accumulated_accurately() {
    // 2^22 float32 elements: a float32 running sum would be off by ~1e-3;
    // float64 block partials keep the mean within 1e-7 of the float64 value.
    let spec = LossSpec::from_str("mse").unwrap();
    let c = spec.compile(None, &Default::default()).unwrap();
    let inputs = random_inputs(c.graph(), 1 << 22, &HashMap::new(), seed()).unwrap();
    let k = common::native::kernel(&c, Precision::F32).unwrap();
    let reference = c.evaluate(&inputs).unwrap().value;
    let (out, _) = k.eval(&inputs, 2).unwrap();
    let rel = ((out.value - reference) / reference).abs();
    assert!(rel < 1e-7, "relative error {rel:e}");
}

#[test]
fn extreme_inputs_match_the_reference() {
    let logits = [
        -1e4, -800.0, -50.0, -1.0, -0.0, 0.0, 1e-30, 1.0, 50.0, 800.0, 1e4, 3.0,
    ];
    let flat = |pred: &[f64], target: &[f64]| -> OwnedInputs {
        let mut i = OwnedInputs::new();
        i.insert(
            "pred".into(),
            Data::F32(
                ArrayD::from_shape_vec(
                    IxDyn(&[pred.len()]),
                    pred.iter().map(|&x| x as f32).collect(),
                )
                .unwrap(),
            ),
        );
        i.insert(
            "target".into(),
            Data::F32(
                ArrayD::from_shape_vec(
                    IxDyn(&[target.len()]),
                    target.iter().map(|&x| x as f32).collect(),
                )
                .unwrap(),
            ),
        );
        i
    };
    let mut pred = Vec::new();
    let mut target = Vec::new();
    for &p in &logits {
        for y in [0.0, 1.0] {
            pred.push(p);
            target.push(y);
        }
    }
    for src in [
        "bce",
        "bce(pos_weight = 2)",
        "focal(gamma = 2)",
        "focal(gamma = 0.5, alpha = 0.25)",
        "dice",
        "mse",
        "huber",
        "hinge",
        "0.7*focal(gamma=2) + 0.3*dice",
    ] {
        for p in [Precision::F32, Precision::F64] {
            compare(src, &flat(&pred, &target), p, 2);
        }
    }
    // Probabilities exactly 0 and 1.
    let probs = [0.0, 1.0, 0.0, 1.0, 0.5, 1e-30, 1.0 - 1e-7, 0.25];
    let ys = [0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0];
    for p in [Precision::F32, Precision::F64] {
        compare("bce(from_logits = false)", &flat(&probs, &ys), p, 1);
    }
    // Class axis: huge logits and zero-probability targets.
    let rows: Vec<f64> = vec![
        1e4, -1e4, 0.0, 50.0, -50.0, 0.0, 0.0, 0.0, 0.0, -1e4, 1e4, 1e4,
    ];
    let mut i = OwnedInputs::new();
    i.insert(
        "z".into(),
        Data::F32(
            ArrayD::from_shape_vec(IxDyn(&[4, 3]), rows.iter().map(|&x| x as f32).collect())
                .unwrap(),
        ),
    );
    i.insert(
        "y".into(),
        Data::I64(ArrayD::from_shape_vec(IxDyn(&[4]), vec![1, 0, 2, 1]).unwrap()),
    );
    i.insert(
        "t".into(),
        Data::F32(
            ArrayD::from_shape_vec(
                IxDyn(&[4, 3]),
                vec![0.0, 1.0, 0.0, 0.5, 0.5, 0.0, 0.2, 0.3, 0.5, 0.0, 0.0, 1.0],
            )
            .unwrap(),
        ),
    );
    for src in [
        "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y, label_smoothing = 0.1)",
        "input z: f32[N, C]\ntarget t: f32[N, C]\ncce(z, t)",
        "input z: f32[N, C]\ntarget t: f32[N, C]\nkl_div(z, t)",
    ] {
        let spec = LossSpec::from_str(src).unwrap();
        let c = spec.compile_for(None, &i).unwrap();
        let used: OwnedInputs = i
            .iter()
            .filter(|(n, _)| c.inputs().iter().any(|x| &x.name == *n))
            .map(|(n, d)| (n.clone(), d.clone()))
            .collect();
        for p in [Precision::F32, Precision::F64] {
            compare(src, &used, p, 2);
        }
        let (out, grads) = common::native::kernel(&c, Precision::F32)
            .unwrap()
            .eval(&used, 1)
            .unwrap();
        assert!(
            out.value.is_finite() && grads.iter().all(|(_, g)| g.iter().all(|x| x.is_finite())),
            "`{src}`"
        );
    }
}

/// Per-class totals over the batch (`sum(x, axis=0)`) and what is computed
/// from them (multiclass and multilabel overlap losses, class-weight
/// gradients) run natively: class sums accumulate per class in float64,
/// class values are computed between passes.
const PER_CLASS: &[&str] = &[
    "input z: f32[N, C]\ntarget y: f32[N, C]\nsum(1 - (2*sum(sigmoid(z)*y, axis=0) + 1) / (sum(sigmoid(z), axis=0) + sum(y, axis=0) + 1)) / dim(z)",
    "input z: f32[N, C]\ntarget y: i64[N]\ndice(z, y, mode = \"multiclass\")",
    "input z: f32[N, C]\ntarget y: i64[N]\njaccard(z, y, mode = \"multiclass\", ignore_index = 1)",
    "input z: f32[N, C]\ntarget y: f32[N, C]\ntversky(z, y, mode = \"multilabel\", alpha = 0.3, beta = 0.7)",
    "input z: f32[N, C]\ntarget y: f32[N, C]\ngeneralized_dice(z, y, mode = \"multilabel\")",
    "input z: f32[N, C]\ntarget y: i64[N]\nparam w: f32[C]\nmean(gather(z - w, y)^2) + sum(mean(z, axis=0) * w)",
];

#[test]
fn per_class_sums_match_the_reference_and_are_deterministic() {
    let s = seed();
    for (k, src) in PER_CLASS.iter().enumerate() {
        let spec = LossSpec::from_str(src).unwrap_or_else(|e| panic!("{e}"));
        let c = spec.compile(None, &Default::default()).unwrap();
        common::native::kernel(&c, Precision::F32)
            .unwrap_or_else(|e| panic!("`{src}` is not compiled natively: {e}"));
        for (n, classes) in [(1, 3), (7, 5), (4099, 4), (20_000, 3)] {
            let inputs = random(src, n, classes, s.wrapping_add(k as u64 * 100 + n as u64));
            for p in [Precision::F32, Precision::F64] {
                compare(src, &inputs, p, 2);
            }
        }
        let inputs = random(src, 30_000, 7, s ^ 0x5eed);
        let k = common::native::kernel(&c, Precision::F32).unwrap();
        let (base, grads) = k.eval(&inputs, 1).unwrap();
        for t in [2, 3, 8] {
            let (out, g) = k.eval(&inputs, t).unwrap();
            assert_eq!(
                out.value.to_bits(),
                base.value.to_bits(),
                "`{src}`, {t} threads"
            );
            for ((_, a), (_, b)) in grads.iter().zip(&g) {
                assert!(
                    a.iter()
                        .zip(b.iter())
                        .all(|(x, y)| x.to_bits() == y.to_bits()),
                    "`{src}`, {t} threads"
                );
            }
        }
    }
}

#[test]
fn a_nan_anywhere_in_a_row_is_its_maximum() {
    // Vector loops take x86's max (which drops a NaN already in the
    // accumulator) and track NaN lanes apart; the scalar tail keeps NaN with
    // a compare and a select. A NaN in any lane, in the unrolled loop, the
    // one-vector loop or the scalar tail, must win, also when larger values
    // follow it (the values increase along each row).
    let src = "input z: f32[N, C]\nsum(max(z, axis=-1) != max(z, axis=-1)) + 0 * sum(z)";
    let spec = LossSpec::from_str(src).unwrap();
    for classes in [3, 4, 13, 40] {
        let rows = classes;
        let mut data: Vec<f32> = (0..rows * classes).map(|i| (i % classes) as f32).collect();
        for r in 0..rows {
            data[r * classes + r] = f32::NAN; // row r: a NaN at class r
        }
        let mut inputs = OwnedInputs::new();
        inputs.insert(
            "z".into(),
            Data::F32(ArrayD::from_shape_vec(IxDyn(&[rows, classes]), data).unwrap()),
        );
        let c = spec.compile_for(None, &inputs).unwrap();
        let k = common::native::kernel(&c, Precision::F32).unwrap();
        let (out, _) = k.eval(&inputs, 1).unwrap();
        // Every row's maximum is NaN, in the kernel as in the reference.
        assert_eq!(out.value, rows as f64, "C = {classes}");
        assert_eq!(
            c.evaluate(&inputs).unwrap().value,
            rows as f64,
            "C = {classes}"
        );
    }
}

#[test]
fn focal_and_dice_carry_one_exponential_between_passes() {
    // Dice's sums need sigmoid(p) in the first pass and focal the same
    // e^-|p| in the second: the first pass leaves it in the gradient buffer,
    // the second reads it back before writing the gradient there. The result
    // must not depend on what the caller's buffer held, on the thread count
    // or on where blocks end (40 000 elements: three blocks and a tail).
    let src = "0.7*focal(gamma=2) + 0.3*dice";
    let spec = LossSpec::from_str(src).unwrap();
    let c = spec.compile(None, &Default::default()).unwrap();
    let k = common::native::kernel(&c, Precision::F32).unwrap();
    let carried = |p: &lossc::native::schedule::Pass| !p.carry_in.is_empty();
    assert!(k.plan().passes.iter().any(carried), "{}", k.describe());
    let s = seed();
    for n in [1, 13, 40_000] {
        let inputs = random(src, n, 1, s.wrapping_add(n as u64));
        compare(src, &inputs, Precision::F32, 2);
        compare(src, &inputs, Precision::F64, 3);
        let mut first: Option<(f64, Vec<f32>)> = None;
        for (threads, fill) in [(1, 0.0f32), (2, f32::NAN), (3, 1e30), (4, -7.0)] {
            let mut g = vec![fill; n];
            let out = k
                .eval_into_f32(&inputs, &mut [g.as_mut_slice()], threads)
                .unwrap();
            match &first {
                None => first = Some((out.value, g)),
                Some((v, g0)) => {
                    assert_eq!(
                        out.value.to_bits(),
                        v.to_bits(),
                        "n = {n}, {threads} threads"
                    );
                    assert!(g.iter().zip(g0).all(|(a, b)| a.to_bits() == b.to_bits()));
                }
            }
        }
    }
}
