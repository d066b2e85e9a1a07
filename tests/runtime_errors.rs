//! Run-time validation: every problem with the data is a specific
//! `RunError` (or `EvalError` inside it) naming the input, found before or
//! during evaluation, never a panic or a silent NaN.

mod common;

use common::*;
use lossc::eval::{EvalError, Label};
use lossc::{Data, Error, Inputs, LossSpec, RunError};
use ndarray::{ArrayD, IxDyn};

const SPARSE: &str =
    "input logits: f64[N, C]\ntarget labels: i64[N]\nloss main = sparse_cce(logits, labels)";

fn run(text: &str, ins: &Inputs) -> Result<f64, Error> {
    LossSpec::from_str(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .evaluate(None, ins)
        .map(|r| r.value)
}

fn run_error(text: &str, ins: &Inputs) -> RunError {
    match run(text, ins) {
        Err(Error::Run(e)) => {
            assert!(!e.to_string().is_empty());
            e
        }
        other => panic!("`{text}`: expected a run-time error, got {other:?}"),
    }
}

fn logits(n: usize, c: usize) -> Data {
    f64_data(
        &[n, c],
        &(0..n * c)
            .map(|i| (i as f64 * 0.37).sin())
            .collect::<Vec<_>>(),
    )
}

#[test]
fn valid_inputs_evaluate() {
    // The baseline the error cases below perturb.
    let ins = inputs(vec![
        ("logits", logits(4, 3)),
        ("labels", i64_data(&[4], &[0, 2, 1, -100])),
    ]);
    assert!(run(SPARSE, &ins).unwrap().is_finite());
}

#[test]
fn missing_input() {
    let ins = inputs(vec![("logits", logits(4, 3))]);
    match run_error(SPARSE, &ins) {
        RunError::MissingInput { input, expected } => {
            assert_eq!(input, "labels");
            assert!(
                expected.contains("labels") && expected.contains("i64"),
                "{expected}"
            );
        }
        e => panic!("expected MissingInput, got {e:?}"),
    }
    // One-liner: `target` is missing.
    let ins = inputs(vec![("pred", f64_data(&[3], &[1.0, 2.0, 3.0]))]);
    assert!(
        matches!(run_error("mse", &ins), RunError::MissingInput { input, .. } if input == "target")
    );
}

#[test]
fn unknown_input_with_hint() {
    let ins = inputs(vec![
        ("logits", logits(4, 3)),
        ("labels", i64_data(&[4], &[0, 2, 1, 0])),
        ("lables", i64_data(&[4], &[0, 2, 1, 0])),
    ]);
    match run_error(SPARSE, &ins) {
        RunError::UnknownInput {
            input,
            objective,
            hint,
        } => {
            assert_eq!(input, "lables");
            assert_eq!(objective, "main");
            assert_eq!(hint.as_deref(), Some("did you mean `labels`?"));
        }
        e => panic!("expected UnknownInput, got {e:?}"),
    }
    // A typo of a default input name in a one-liner.
    let ins = inputs(vec![
        ("pred", f64_data(&[3], &[1.0, 2.0, 3.0])),
        ("target", f64_data(&[3], &[1.0, 2.0, 3.0])),
        ("targte", f64_data(&[3], &[1.0, 2.0, 3.0])),
    ]);
    assert!(
        matches!(run_error("mse", &ins), RunError::UnknownInput { input, .. } if input == "targte")
    );
}

#[test]
fn wrong_dtype() {
    // Float labels where i64 is declared.
    let ins = inputs(vec![
        ("logits", logits(4, 3)),
        ("labels", f64_data(&[4], &[0.0, 2.0, 1.0, 0.0])),
    ]);
    match run_error(SPARSE, &ins) {
        RunError::Dtype {
            input,
            expected,
            found,
        } => {
            assert_eq!(input, "labels");
            assert_eq!(expected, "i64");
            assert_eq!(found, "f64");
        }
        e => panic!("expected Dtype, got {e:?}"),
    }
    // Integer data for float logits, bool for float.
    let ins = inputs(vec![
        ("logits", Data::I64(ArrayD::zeros(IxDyn(&[4, 3])))),
        ("labels", i64_data(&[4], &[0, 2, 1, 0])),
    ]);
    assert!(matches!(run_error(SPARSE, &ins), RunError::Dtype { input, .. } if input == "logits"));
    let ins = inputs(vec![
        (
            "logits",
            Data::Bool(ArrayD::from_elem(IxDyn(&[4, 3]), true)),
        ),
        ("labels", i64_data(&[4], &[0, 2, 1, 0])),
    ]);
    assert!(
        matches!(run_error(SPARSE, &ins), RunError::Dtype { input, found, .. } if input == "logits" && found == "bool")
    );
    // i32 for i64 and f32 for f64 are accepted (widened).
    let ins = inputs(vec![
        ("logits", f32_data(&[4, 3], &[0.5; 12])),
        ("labels", i32_data(&[4], &[0, 2, 1, 0])),
    ]);
    assert!(run(SPARSE, &ins).unwrap().is_finite());
}

#[test]
fn rank_mismatch() {
    let ins = inputs(vec![
        ("logits", f64_data(&[12], &[0.5; 12])),
        ("labels", i64_data(&[4], &[0, 2, 1, 0])),
    ]);
    match run_error(SPARSE, &ins) {
        RunError::Rank {
            input,
            expected,
            found,
            shape,
            ..
        } => {
            assert_eq!(input, "logits");
            assert_eq!((expected, found), (2, 1));
            assert_eq!(shape, vec![12]);
        }
        e => panic!("expected Rank, got {e:?}"),
    }
    let ins = inputs(vec![
        ("logits", logits(4, 3)),
        ("labels", i64_data(&[4, 1], &[0, 2, 1, 0])),
    ]);
    assert!(
        matches!(run_error(SPARSE, &ins), RunError::Rank { input, expected: 1, found: 2, .. } if input == "labels")
    );
}

#[test]
fn dimension_disagreement() {
    // N is 4 in logits but 5 in labels.
    let ins = inputs(vec![
        ("logits", logits(4, 3)),
        ("labels", i64_data(&[5], &[0, 2, 1, 0, 1])),
    ]);
    match run_error(SPARSE, &ins) {
        RunError::DimMismatch {
            dim,
            input_a,
            size_a,
            input_b,
            size_b,
        } => {
            assert_eq!(dim, "N");
            assert_eq!((input_a.as_str(), size_a), ("logits", 4));
            assert_eq!((input_b.as_str(), size_b), ("labels", 5));
        }
        e => panic!("expected DimMismatch, got {e:?}"),
    }
    // The class axis of a per-class weight must agree with the logits.
    let text = "input logits: f64[N, C]\ntarget labels: i64[N]\ntarget w: f64[C]\nloss main = sparse_cce(logits, labels, weight = w)";
    let ins = inputs(vec![
        ("logits", logits(4, 3)),
        ("labels", i64_data(&[4], &[0, 2, 1, 0])),
        ("w", f64_data(&[2], &[1.0, 2.0])),
    ]);
    assert!(matches!(run_error(text, &ins), RunError::DimMismatch { dim, .. } if dim == "C"));
    // One-liners infer [N] for both pred and target.
    let ins = inputs(vec![
        ("pred", f64_data(&[3], &[1.0, 2.0, 3.0])),
        ("target", f64_data(&[2], &[1.0, 2.0])),
    ]);
    assert!(matches!(run_error("mse", &ins), RunError::DimMismatch { dim, .. } if dim == "N"));
}

#[test]
fn fixed_dimension_mismatch() {
    let text = "input x: f64[N, 3]\nloss main = mean(x^2)";
    let ins = inputs(vec![("x", f64_data(&[2, 4], &[0.5; 8]))]);
    assert!(
        matches!(run_error(text, &ins), RunError::FixedDim { input, axis: 1, expected: 3, found: 4 } if input == "x")
    );
}

#[test]
fn empty_batch() {
    let ins = inputs(vec![
        ("logits", f64_data(&[0, 3], &[])),
        ("labels", i64_data(&[0], &[])),
    ]);
    match run_error(SPARSE, &ins) {
        RunError::Empty { input, shape } => {
            assert_eq!(input, "logits");
            assert_eq!(shape, vec![0, 3]);
        }
        e => panic!("expected Empty, got {e:?}"),
    }
    let ins = inputs(vec![
        ("pred", f64_data(&[0], &[])),
        ("target", f64_data(&[0], &[])),
    ]);
    assert!(matches!(run_error("mse", &ins), RunError::Empty { .. }));
    // Zero classes.
    let ins = inputs(vec![
        ("logits", f64_data(&[2, 0], &[])),
        ("labels", i64_data(&[2], &[0, 0])),
    ]);
    assert!(matches!(run_error(SPARSE, &ins), RunError::Empty { input, .. } if input == "logits"));
}

#[test]
fn label_out_of_range() {
    for (bad, why) in [
        (3, "== C"),
        (7, "> C"),
        (-1, "negative, not ignore_index"),
        (-99, "negative"),
    ] {
        let ins = inputs(vec![
            ("logits", logits(4, 3)),
            ("labels", i64_data(&[4], &[0, bad, 1, 0])),
        ]);
        match run_error(SPARSE, &ins) {
            RunError::Eval(EvalError::LabelOutOfRange {
                input,
                value,
                classes,
            }) => {
                assert_eq!(input, "labels", "{why}");
                assert_eq!(value, bad as f64, "{why}");
                assert_eq!(classes, 3, "{why}");
            }
            e => panic!("label {bad} ({why}): expected LabelOutOfRange, got {e:?}"),
        }
    }
    // -100 is the default ignore_index, so it is fine; with another
    // ignore_index it is out of range.
    let ins = inputs(vec![
        ("logits", logits(4, 3)),
        ("labels", i64_data(&[4], &[0, -100, 1, 0])),
    ]);
    assert!(run(SPARSE, &ins).unwrap().is_finite());
    let text = "input logits: f64[N, C]\ntarget labels: i64[N]\nloss main = sparse_cce(logits, labels, ignore_index = 2)";
    assert!(
        matches!(run_error(text, &ins), RunError::Eval(EvalError::LabelOutOfRange { value, .. }) if value == -100.0)
    );
    // gather and onehot in user code check their indices too.
    let text = "input z: f64[N, C]\ntarget k: i64[N]\nloss a = mean(gather(z, k))\nloss b = sum(onehot(k, C) * z)";
    let ins = inputs(vec![("z", logits(2, 3)), ("k", i64_data(&[2], &[1, 3]))]);
    let spec = LossSpec::from_str(text).unwrap();
    for objective in ["a", "b"] {
        match spec.evaluate(Some(objective), &ins) {
            Err(Error::Run(RunError::Eval(EvalError::LabelOutOfRange {
                input,
                value,
                classes,
            }))) => {
                assert_eq!(
                    (input.as_str(), value, classes),
                    ("k", Label::Int(3), 3),
                    "{objective}"
                );
            }
            other => panic!("{objective}: expected LabelOutOfRange, got {other:?}"),
        }
    }
}

#[test]
fn unsized_dimension() {
    // C appears only on an input this objective does not read.
    let text = "input x: f64[N]\ntarget k: i64[N]\ninput z: f64[N, C]\nloss main = mean(sum(onehot(k, C), axis = -1) * x)";
    let ins = inputs(vec![
        ("x", f64_data(&[2], &[1.0, 2.0])),
        ("k", i64_data(&[2], &[0, 1])),
    ]);
    assert!(matches!(run_error(text, &ins), RunError::UnsizedDim { dim } if dim == "C"));
}

#[test]
fn compile_errors_from_evaluate() {
    // `evaluate` reports spec problems as compile errors, not run errors.
    let ins = inputs(vec![
        ("pred", f64_data(&[3], &[1.0, 2.0, 3.0])),
        ("target", f64_data(&[3], &[1.0, 2.0, 3.0])),
    ]);
    let spec = LossSpec::from_str("loss a = mse\nloss b = mae").unwrap();
    match spec.evaluate(Some("c"), &ins) {
        Err(Error::Compile(e)) => assert!(matches!(
            e.kind(),
            lossc::diag::DiagKind::UnknownObjective { .. }
        )),
        other => panic!("expected UnknownObjective, got {other:?}"),
    }
    assert!(
        LossSpec::from_str("focal(gama = 2)")
            .is_err_and(|e| matches!(e.kind(), lossc::diag::DiagKind::UnknownKeyword { .. }))
    );
}
