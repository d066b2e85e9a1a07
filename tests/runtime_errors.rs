//! Run-time validation: every problem with the data is a specific
//! `RunError` (or `EvalError` inside it) naming the input, found before or
//! during evaluation, never a panic or a silent NaN.

mod common;

use common::*;
use lossc::eval::{EvalError, Label};
use lossc::{Data, Error, LossSpec, OwnedInputs, RunError};
use ndarray::{ArrayD, IxDyn};

const SPARSE: &str =
    "input logits: f64[N, C]\ntarget labels: i64[N]\nloss main = sparse_cce(logits, labels)";

fn run(text: &str, ins: &OwnedInputs) -> Result<f64, Error> {
    LossSpec::from_str(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .evaluate(None, ins)
        .map(|r| r.value)
}

fn run_error(text: &str, ins: &OwnedInputs) -> RunError {
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

// ---- sizes and the memory budget ----

use lossc::budget::BudgetError;
use lossc::data::{DataError, random_inputs_within, read_npy_within};
use lossc::native::Precision;
use std::collections::HashMap;

/// A `.npy` file of version 1 with this header dictionary and data bytes.
fn npy_file(name: &str, dict: &str, data: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lossc-rt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let mut dict = dict.to_string();
    while (10 + dict.len() + 1) % 64 != 0 {
        dict.push(' ');
    }
    dict.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((dict.len() as u16).to_le_bytes());
    bytes.extend(dict.as_bytes());
    bytes.extend(data);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn npy_headers_are_checked_against_the_file_length_before_allocating() {
    // 128 bytes that claim 10^12 float64s: refused from the header alone.
    let path = npy_file(
        "huge.npy",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }",
        &[],
    );
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 128);
    match read_npy_within(&path, u64::MAX) {
        Err(DataError::Read { reason, .. }) => {
            assert!(reason.contains("8000000000000 bytes of data"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    // A shape whose size overflows 64 bits.
    let path = npy_file(
        "overflow.npy",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
        &[],
    );
    assert!(
        read_npy_within(&path, u64::MAX)
            .unwrap_err()
            .to_string()
            .contains("overflows")
    );
    // A truthful file over the memory limit is a budget error.
    let data: Vec<u8> = (0..64).flat_map(|i| (i as f64).to_le_bytes()).collect();
    let path = npy_file(
        "ok.npy",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (8, 8), }",
        &data,
    );
    assert!(matches!(
        read_npy_within(&path, 100),
        Err(DataError::Budget(BudgetError::Memory {
            needed: 512,
            limit: 100,
            ..
        }))
    ));
    assert_eq!(read_npy_within(&path, 512).unwrap().shape(), &[8, 8]);
    // Not a regular file.
    let dir = path.parent().unwrap();
    assert!(
        read_npy_within(dir, u64::MAX)
            .unwrap_err()
            .to_string()
            .contains("not a regular file")
    );
}

#[test]
fn long_headers_and_every_byte_order_mark_read() {
    let data: Vec<u8> = [1.5f32, -2.0]
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    for descr in ["<f4", "=f4", "|f4"] {
        // Padded past 512 bytes, as numpy does for long shapes or extra spaces.
        let dict = format!(
            "{{'descr': '{descr}', 'fortran_order': False, 'shape': (2,), }}{}",
            " ".repeat(700)
        );
        let path = npy_file(
            &format!("long{}.npy", descr.len() + descr.as_bytes()[0] as usize),
            &dict,
            &data,
        );
        assert_eq!(
            read_npy_within(&path, u64::MAX).unwrap(),
            f32_data(&[2], &[1.5, -2.0]),
            "{descr}"
        );
    }
}

#[test]
fn synthetic_sizes_are_checked_products_within_the_budget() {
    let c = compile(
        "input a: f32[4294967296, 4294967296]\nsum(a)",
        None,
        &OwnedInputs::new(),
    );
    assert!(matches!(
        random_inputs_within(c.graph(), 1, &HashMap::new(), 0, u64::MAX),
        Err(DataError::Budget(BudgetError::Overflow { .. }))
    ));
    let c = compile("mse", None, &OwnedInputs::new());
    for batch in [usize::MAX, 10_000_000_000] {
        match random_inputs_within(c.graph(), batch, &HashMap::new(), 0, 8 << 30) {
            Err(DataError::Budget(BudgetError::Memory { needed, limit, .. })) => {
                assert!(needed >= 80_000_000_000 && limit == 8 << 30, "{needed}")
            }
            other => panic!("batch {batch}: {other:?}"),
        }
    }
    let ins = random_inputs_within(c.graph(), 1000, &HashMap::new(), 0, 8000).unwrap();
    assert_eq!(ins["pred"].shape(), &[1000]);
    assert!(random_inputs_within(c.graph(), 1001, &HashMap::new(), 0, 8000).is_err());
}

#[test]
fn evaluations_are_budgeted_before_allocating() {
    // onehot over 99999999999 classes: terabytes for the reference evaluator,
    // an absurd domain for a native kernel. Both refuse at once.
    let text =
        "input z: f64[N]\ntarget y: i64[N]\nloss main = sum(onehot(y, 99999999999)) + mean(z)";
    let ins = inputs(vec![
        ("z", f64_data(&[4], &[0.0; 4])),
        ("y", i64_data(&[4], &[0, 1, 2, 3])),
    ]);
    let mut c = compile(text, None, &ins);
    c.set_memory_limit(Some(8 << 30));
    let start = std::time::Instant::now();
    match c.evaluate(&ins) {
        Err(RunError::Budget(BudgetError::Memory { needed, .. })) => {
            assert!(needed > 3_000_000_000_000, "{needed}")
        }
        other => panic!("{other:?}"),
    }
    if let Ok(k) = c.native(Precision::F64) {
        match k.eval(&ins, 2) {
            Err(RunError::Budget(BudgetError::Work { elements, .. })) => {
                assert!(elements >= 399_999_999_996, "{elements}")
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(start.elapsed().as_secs() < 10);
    // The estimate covers ordinary evaluations: a small limit refuses them,
    // and the same evaluation runs under a sufficient one.
    let ins = inputs(vec![
        ("logits", logits(64, 8)),
        ("labels", i64_data(&[64], &[1; 64])),
    ]);
    let mut c = compile(SPARSE, None, &ins);
    c.set_memory_limit(Some(1000));
    let e = c.evaluate(&ins).unwrap_err();
    assert!(
        matches!(e, RunError::Budget(BudgetError::Memory { .. })),
        "{e:?}"
    );
    assert!(e.to_string().contains("--memory-limit"), "{e}");
    let mut k = c.native(Precision::F64).unwrap();
    let e = k.eval(&ins, 1).map(|_| ()).unwrap_err();
    assert!(matches!(e, RunError::Budget(_)), "{e:?}");
    k.set_memory_limit(Some(1 << 20));
    assert!(k.eval(&ins, 1).is_ok());
    c.set_memory_limit(Some(1 << 20));
    assert!(c.evaluate(&ins).is_ok());
}

#[test]
fn peak_estimate_bounds_the_live_values() {
    // sum(exp(z) * w) over [N]: the estimate counts the inputs' float64 copies
    // and at least one live [N] temporary with its broadcast copies.
    let text = "input z: f64[N]\ninput w: f64[N]\nsum(exp(z) * w)";
    let n = 1000usize;
    let ins = inputs(vec![
        ("z", f64_data(&[n], &vec![0.0; n])),
        ("w", f64_data(&[n], &vec![1.0; n])),
    ]);
    let c = compile(text, None, &ins);
    let dims = vec![n; c.graph().num_dims()];
    let mut roots = vec![c.objective.value];
    roots.extend(c.gradients.iter().map(|g| g.node));
    let peak = lossc::eval::peak_bytes(c.graph(), &roots, &dims);
    assert!(peak >= (2 + 2) as u64 * 8 * n as u64, "{peak}");
    assert!(peak <= 20 * 8 * n as u64, "{peak}");
}

// ---- data that cannot be what the spec means ----

#[test]
fn integer_data_for_a_differentiated_input_is_an_error() {
    let ins = inputs(vec![
        ("pred", i64_data(&[2], &[1, 2])),
        ("target", f64_data(&[2], &[0.0, 1.0])),
    ]);
    match run_error("mse", &ins) {
        RunError::NotDifferentiable { input, found, .. } => {
            assert_eq!((input.as_str(), found.as_str()), ("pred", "i64"))
        }
        e => panic!("{e:?}"),
    }
    // A declared integer target is fine.
    let ins = inputs(vec![
        ("logits", logits(2, 3)),
        ("labels", i64_data(&[2], &[0, 2])),
    ]);
    assert!(run(SPARSE, &ins).is_ok());
}

#[test]
fn huge_labels_are_printed_exactly() {
    for label in [i64::MAX, i64::MIN, (1 << 53) + 1] {
        let ins = inputs(vec![
            ("logits", logits(2, 3)),
            ("labels", i64_data(&[2], &[0, label])),
        ]);
        let e = run_error(SPARSE, &ins);
        match &e {
            RunError::Eval(EvalError::LabelOutOfRange { value, .. }) => {
                assert_eq!(*value, Label::Int(label))
            }
            e => panic!("{e:?}"),
        }
        assert!(
            e.to_string().contains(&format!("class index {label},")),
            "{e}"
        );
        let c = compile(SPARSE, None, &ins);
        let k = c.native(Precision::F64).unwrap();
        let e = k.eval(&ins, 1).unwrap_err();
        assert!(
            e.to_string().contains(&format!("class index {label},")),
            "native: {e}"
        );
    }
}
