//! Native kernels against the float64 reference evaluator, shared by the
//! test files that check losses end to end (`compare` for one input set,
//! `check_native` over sizes and precisions).
//!
//! Tolerances: a float64 kernel differs from the reference only by the
//! elementary-function approximations (≤ 2 ulp) and summation order, so
//! values and gradients agree to 1e-11 relative to the largest gradient
//! entry. A float32 kernel rounds every intermediate to float32 (relative
//! error ~6e-8 per operation, a few dozen operations deep), so it agrees to
//! 2e-5 of the gradient scale (the larger of the largest entry and 1/N, the
//! size of a mean's gradient before cancellation); its sums are accumulated
//! in float64, so the
//! value agrees to 2e-6 relative (1e-5 for losses with kinks, whose value is
//! a difference of float32 row sums; see `compare_with`).

use lossc::CompiledLoss;
use lossc::data::random_inputs;
use lossc::native::{CodegenError, Kernel, Precision};
use lossc::{Data, LossSpec, OwnedInputs};
use std::collections::HashMap;

/// `Kernel::compile` with Cranelift's IR verifier on: in the tests, a
/// malformed lowering must fail loudly rather than run.
pub fn kernel(c: &CompiledLoss, p: Precision) -> Result<Kernel, CodegenError> {
    lossc::backend::cranelift::verify_generated_ir(true);
    c.native(p)
}

pub fn to_precision(inputs: &OwnedInputs, p: Precision) -> OwnedInputs {
    inputs
        .iter()
        .map(|(n, d)| {
            let d = match (d, p) {
                (Data::F32(a), Precision::F64) => Data::F64(a.mapv(f64::from)),
                (Data::F64(a), Precision::F32) => Data::F32(a.mapv(|x| x as f32)),
                (d, _) => d.clone(),
            };
            (n.clone(), d)
        })
        .collect()
}

/// Compare kernel and reference on `inputs`; panics with context on mismatch.
pub fn compare(src: &str, inputs: &OwnedInputs, p: Precision, threads: usize) {
    compare_with(src, inputs, p, threads, 0.0)
}

/// As [`compare`], allowing a fraction `kink_share` of gradient entries to
/// differ: float32 rounding can put an element on the other side of a kink
/// (`clamp`, `max`, `if`) than float64 does, where the gradient jumps.
pub fn compare_with(
    src: &str,
    inputs: &OwnedInputs,
    p: Precision,
    threads: usize,
    kink_share: f64,
) {
    let inputs = to_precision(inputs, p);
    let spec = LossSpec::from_str(src).unwrap_or_else(|e| panic!("{e}"));
    let c = spec
        .compile_for(None, &inputs)
        .unwrap_or_else(|e| panic!("{e}"));
    let k = kernel(&c, p).unwrap_or_else(|e| panic!("`{src}`: {e}"));
    // The reference sees exactly the values the kernel sees.
    let r = c.evaluate(&inputs).unwrap();
    let (out, grads) = k.eval(&inputs, threads).unwrap();
    let (tv, tg) = match p {
        Precision::F64 => (1e-11, 1e-11),
        // Float32 values are judged at 1e-5: losses with kinks (hinges,
        // margins) are differences of float32 row sums (distances over D
        // features), much smaller than the sums they cancel, and products
        // of row sums with signed multipliers (`mean(u * sum(exp(p), axis
        // = -1))`) cancel too (4.6e-6 was seen).
        Precision::F32 => (1e-5, 2e-5),
    };
    let ok = |a: f64, b: f64, scale: f64, tol: f64| {
        (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= tol * scale.max(1e-300)
    };
    // Float32 values are compared at the scale of their O(1) operands rather
    // than their own: `1 - ratio` (Dice near a perfect overlap) cannot be
    // more accurate than float32's ~1e-7 absolute, whatever its size.
    let floor = if kink_share > 0.0 || p == Precision::F32 {
        1.0
    } else {
        1e-3
    };
    assert!(
        ok(r.value, out.value, r.value.abs().max(floor), tv),
        "`{src}` {p:?}: value {} (reference) vs {} (kernel)",
        r.value,
        out.value
    );
    for ((label, a), b) in r.terms.iter().zip(&out.terms) {
        assert!(
            ok(*a, *b, a.abs().max(floor), tv),
            "`{src}` {p:?}: term {label}: {a} vs {b}"
        );
    }
    for ((name, a), (name2, b)) in r.gradients.iter().zip(&grads) {
        assert_eq!(name, name2);
        let scale = a.iter().fold(
            0.0f64,
            |m, x| if x.is_finite() { m.max(x.abs()) } else { m },
        );
        // Likewise for gradients: the derivative of a mean of O(1) operands
        // is O(1/N) per element, whatever cancellation leaves of it (Dice's
        // gradient on one element is a difference of O(1) terms).
        let scale = if kink_share > 0.0 || p == Precision::F32 {
            scale.max(1.0 / a.len() as f64)
        } else {
            scale
        };
        let mut bad = Vec::new();
        for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
            if !ok(*x, *y, scale.max(1e-30), tg) {
                bad.push(format!(
                    "d/d{name}[{i}] = {x} (reference) vs {y} (kernel), scale {scale}"
                ));
            }
        }
        let allowed = (kink_share * a.len() as f64).floor() as usize;
        assert!(
            bad.len() <= allowed,
            "`{src}` {p:?}: {} of {} entries differ, e.g. {}",
            bad.len(),
            a.len(),
            bad[0]
        );
    }
}

pub fn random(src: &str, n: usize, classes: usize, seed: u64) -> OwnedInputs {
    let spec = LossSpec::from_str(src).unwrap_or_else(|e| panic!("{e}"));
    let c = spec.compile(None, &Default::default()).unwrap();
    let mut dims = HashMap::new();
    dims.insert("C".to_string(), classes);
    dims.insert("K".to_string(), 37);
    random_inputs(c.graph(), n, &dims, seed).unwrap()
}

/// Compare kernel and reference for `src` on random inputs of several sizes
/// (1, 7, 1031 and 40 000 rows; 3 to 10 classes), float32 and float64, with
/// seeds derived from `seed`.
pub fn check_native(src: &str, seed: u64) {
    for (n, c) in [(1, 3), (7, 5), (1031, 10), (40_000, 3)] {
        let inputs = random(src, n, c, seed.wrapping_add(n as u64));
        for p in [Precision::F32, Precision::F64] {
            compare(src, &inputs, p, 2);
        }
    }
}
