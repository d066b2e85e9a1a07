//! List literals (`weight = [1, 2, 0.5]`): a constant `[K]` array evaluates
//! exactly as the same values passed as a declared input, with the reference
//! evaluator and with native kernels in both precisions, gradients included.

mod common;

use common::native::compare;
use common::*;
use lossc::diag::DiagKind;
use lossc::native::Precision;
use lossc::{LossSpec, OwnedInputs};

const DECL: &str = "input p: f64[N, 3]\ntarget t: f64[N, 3]\ntarget y: i64[N]\ntarget w: f64[3]\n";
const WEIGHTS: [f64; 3] = [1.0, 2.0, 0.5];

fn data(seed: &str) -> OwnedInputs {
    let mut rng = rng(seed);
    let n = 5;
    let t: Vec<f64> = (0..n).flat_map(|_| rng.simplex(3)).collect();
    inputs(vec![
        ("p", f64_data(&[n, 3], &rng.normals(n * 3, 2.0))),
        ("t", f64_data(&[n, 3], &t)),
        ("y", i64_data(&[n], &[0, 2, 1, 2, 0])),
        ("w", f64_data(&[3], &WEIGHTS)),
    ])
}

/// Value and gradient of `call` with the list literal, and with `w`, with
/// the reference evaluator and (when `native`) both kernel precisions.
fn literal_and_input(call: &str, ins: &OwnedInputs, native: bool) {
    let with_list = format!("{DECL}{}", call.replace("W", "[1, 2, 0.5]"));
    let with_input = format!("{DECL}{}", call.replace("W", "w"));
    let a = eval(&with_list, None, ins);
    let b = eval(&with_input, None, ins);
    assert_eq!(a.value, b.value, "{call}: values differ");
    assert_eq!(grad(&a, "p"), grad(&b, "p"), "{call}: gradients differ");
    if !native {
        return;
    }
    for p in [Precision::F64, Precision::F32] {
        compare(&with_list, ins, p, 1);
        let c = compile(&with_list, None, ins);
        let k = c.native(p).unwrap_or_else(|e| panic!("{call}: {e}"));
        let (out, _) = k.eval(ins, 1).unwrap();
        let tol = if p == Precision::F64 { 1e-12 } else { 1e-5 };
        assert_close(out.value, b.value, tol, tol, call);
    }
}

#[test]
fn list_weights_equal_an_input_of_the_same_values() {
    let ins = data("list_weights_equal_an_input_of_the_same_values");
    for call in [
        "cce(p, t, weight = W)",
        "bce(p, t, weight = W)",
        "bce(p, t, pos_weight = W)",
        "mean(p * W) + sum(W)",
    ] {
        literal_and_input(call, &ins, true);
    }
    // A gather from a constant array is a per-class value the native code
    // generator does not support yet (`Unsupported`: callers fall back to the
    // reference evaluator), so these are compared on the reference only.
    for call in [
        "sparse_cce(p, y, weight = W)",
        "sparse_cce(p, y, weight = W, label_smoothing = 0.1)",
    ] {
        literal_and_input(call, &ins, false);
    }
}

#[test]
fn list_literals_are_constant_numbers() {
    let ins = data("list_literals_are_constant_numbers");
    // Items may be any compile-time number; the list has its length as a fixed dimension.
    let v = eval(&format!("{DECL}sum([1, -2, 1/4, 2^3,])"), None, &ins).value;
    assert_eq!(v, 1.0 - 2.0 + 0.25 + 8.0);
    let err = |text: &str| match LossSpec::from_str(&format!("{DECL}{text}"))
        .and_then(|s| s.compile(None, &Default::default()))
    {
        Ok(_) => panic!("`{text}` compiled"),
        Err(e) => e,
    };
    assert!(matches!(err("sum([1, p])").kind(), DiagKind::Type { .. }));
    assert!(matches!(
        err("sum([1, \"a\"])").kind(),
        DiagKind::Type { .. }
    ));
    // Four weights for three classes: a fixed dimension that does not match.
    assert!(matches!(
        err("cce(p, t, weight = [1, 2, 3, 4])").kind(),
        DiagKind::Shape(_)
    ));
    assert!(matches!(err("sum([])").kind(), DiagKind::Syntax(_)));
}
