//! Shared helpers for the end-to-end tests: a seeded RNG whose seed is fresh
//! per run (and printed, so a failure can be reproduced with
//! `LOSSC_TEST_SEED=<seed> cargo test --release`), array and input builders,
//! independent float64 reference math, tolerance checks and central finite
//! differences.
//!
//! Nothing here goes through the prelude: the reference formulas are written
//! out by hand in the test files.

#![allow(dead_code)]

pub mod native;

use lossc::diag::DiagKind;
use lossc::{CompiledLoss, Data, Error, Evaluation, LossSpec, OwnedInputs};
use ndarray::{ArrayD, IxDyn};
use std::sync::OnceLock;

// ---- seeded RNG -------------------------------------------------------------

/// The base seed of this test process: `LOSSC_TEST_SEED` if set, else fresh
/// from the clock.
pub fn base_seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| match std::env::var("LOSSC_TEST_SEED") {
        Ok(s) => s
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("LOSSC_TEST_SEED must be a u64, got `{s}`")),
        Err(_) => {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap();
            t.as_nanos() as u64 ^ (u64::from(std::process::id()) << 32)
        }
    })
}

/// The base seed, printed (cargo shows it when the test fails).
pub fn seed() -> u64 {
    let s = base_seed();
    eprintln!("LOSSC_TEST_SEED={s}");
    s
}

/// A generator for one test, derived from the base seed and the test's name
/// (so tests do not share streams). The seed is printed; cargo shows it when
/// the test fails.
pub fn rng(test: &str) -> Rng {
    let seed = base_seed();
    eprintln!("[{test}] reproduce with LOSSC_TEST_SEED={seed}");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in test.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    Rng::new(seed ^ h)
}

/// SplitMix64: tiny, good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-300);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    /// Uniform integer in [lo, hi] (inclusive).
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }

    pub fn usize(&mut self, lo: usize, hi: usize) -> usize {
        self.int(lo as i64, hi as i64) as usize
    }

    pub fn bool(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.usize(0, xs.len() - 1)]
    }

    pub fn normals(&mut self, n: usize, scale: f64) -> Vec<f64> {
        (0..n).map(|_| scale * self.normal()).collect()
    }

    pub fn uniforms(&mut self, n: usize, lo: f64, hi: f64) -> Vec<f64> {
        (0..n).map(|_| self.uniform(lo, hi)).collect()
    }

    /// A probability vector of length `c` (entries > 0, sum 1).
    pub fn simplex(&mut self, c: usize) -> Vec<f64> {
        let v: Vec<f64> = (0..c).map(|_| -self.unit().max(1e-12).ln()).collect();
        let s: f64 = v.iter().sum();
        v.into_iter().map(|x| x / s).collect()
    }
}

// ---- element types ----------------------------------------------------------

/// The floating-point type the data is passed in. `F32` data is rounded to
/// f32 first; the reference then uses exactly those (widened) values, as the
/// library widens every input to f64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Float {
    F32,
    F64,
}

pub const FLOATS: [Float; 2] = [Float::F32, Float::F64];

impl Float {
    /// Round values to this type (in place), returning them for the reference.
    pub fn round(self, v: Vec<f64>) -> Vec<f64> {
        match self {
            Float::F32 => v.into_iter().map(|x| x as f32 as f64).collect(),
            Float::F64 => v,
        }
    }

    pub fn data(self, shape: &[usize], v: &[f64]) -> Data {
        match self {
            Float::F32 => Data::F32(
                ArrayD::from_shape_vec(IxDyn(shape), v.iter().map(|&x| x as f32).collect())
                    .unwrap(),
            ),
            Float::F64 => Data::F64(ArrayD::from_shape_vec(IxDyn(shape), v.to_vec()).unwrap()),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Float::F32 => "f32",
            Float::F64 => "f64",
        }
    }
}

pub fn f64_data(shape: &[usize], v: &[f64]) -> Data {
    Data::F64(ArrayD::from_shape_vec(IxDyn(shape), v.to_vec()).unwrap())
}

pub fn f32_data(shape: &[usize], v: &[f64]) -> Data {
    Float::F32.data(shape, v)
}

pub fn i64_data(shape: &[usize], v: &[i64]) -> Data {
    Data::I64(ArrayD::from_shape_vec(IxDyn(shape), v.to_vec()).unwrap())
}

pub fn i32_data(shape: &[usize], v: &[i64]) -> Data {
    Data::I32(ArrayD::from_shape_vec(IxDyn(shape), v.iter().map(|&x| x as i32).collect()).unwrap())
}

pub fn inputs(items: Vec<(&str, Data)>) -> OwnedInputs {
    items.into_iter().map(|(n, d)| (n.to_string(), d)).collect()
}

// ---- running the library ------------------------------------------------------

pub fn spec(text: &str) -> LossSpec {
    LossSpec::from_str(text).unwrap_or_else(|e| panic!("spec does not compile:\n{text}\n{e}"))
}

/// Parse, compile for the data, evaluate; panic with context on any error.
pub fn eval(text: &str, objective: Option<&str>, inputs: &OwnedInputs) -> Evaluation {
    let s = spec(text);
    s.evaluate(objective, inputs)
        .unwrap_or_else(|e| panic!("evaluating `{text}` ({objective:?}) failed: {e}"))
}

pub fn compile(text: &str, objective: Option<&str>, inputs: &OwnedInputs) -> CompiledLoss {
    spec(text)
        .compile_for(objective, inputs)
        .unwrap_or_else(|e| panic!("compiling `{text}` ({objective:?}) failed: {e}"))
}

/// The gradient for `name` as a flat row-major vector.
pub fn grad(r: &Evaluation, name: &str) -> Vec<f64> {
    let g = r.gradient(name).unwrap_or_else(|| {
        panic!(
            "no gradient for `{name}`; have {:?}",
            r.gradients.iter().map(|(n, _)| n).collect::<Vec<_>>()
        )
    });
    g.iter().copied().collect()
}

// ---- independent reference math ------------------------------------------------

/// Logistic sigmoid without overflow: 1/(1+e^-x) for x >= 0, e^x/(1+e^x) otherwise.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// log(1 + e^x) without overflow.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// log softmax of one row: x - max - log(sum(exp(x - max))).
pub fn log_softmax(row: &[f64]) -> Vec<f64> {
    let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let lse = m + row.iter().map(|&x| (x - m).exp()).sum::<f64>().ln();
    row.iter().map(|&x| x - lse).collect()
}

pub fn softmax(row: &[f64]) -> Vec<f64> {
    log_softmax(row).into_iter().map(f64::exp).collect()
}

pub fn logsumexp(row: &[f64]) -> f64 {
    let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    m + row.iter().map(|&x| (x - m).exp()).sum::<f64>().ln()
}

pub fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

// ---- tolerance checks -------------------------------------------------------------

/// `|got - want| <= atol + rtol * |want|`, with NaN/inf only equal to themselves.
pub fn close(got: f64, want: f64, rtol: f64, atol: f64) -> bool {
    if want.is_nan() {
        return got.is_nan();
    }
    if want.is_infinite() {
        return got == want;
    }
    got.is_finite() && (got - want).abs() <= atol + rtol * want.abs()
}

pub fn assert_close(got: f64, want: f64, rtol: f64, atol: f64, what: &str) {
    assert!(
        close(got, want, rtol, atol),
        "{what}: got {got:e}, want {want:e} (diff {:e}, rtol {rtol:e}, atol {atol:e})",
        (got - want).abs()
    );
}

/// Elementwise comparison; `atol` is scaled by the largest |want| so that a
/// gradient whose entries differ in magnitude is judged against its scale.
pub fn assert_all_close(got: &[f64], want: &[f64], rtol: f64, atol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let scale = want
        .iter()
        .filter(|x| x.is_finite())
        .fold(0.0f64, |m, x| m.max(x.abs()));
    let atol = atol * scale.max(1.0);
    let bad: Vec<String> = got
        .iter()
        .zip(want)
        .enumerate()
        .filter(|(_, (g, w))| !close(**g, **w, rtol, atol))
        .take(6)
        .map(|(i, (g, w))| format!("[{i}] got {g:e} want {w:e}"))
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: {} mismatches (rtol {rtol:e}, atol {atol:e}): {}\n got  {got:?}\n want {want:?}",
        bad.len(),
        bad.join("; ")
    );
}

pub fn assert_all_finite(v: &[f64], what: &str) {
    let bad: Vec<(usize, f64)> = v
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, x)| !x.is_finite())
        .collect();
    assert!(bad.is_empty(), "{what}: non-finite entries {bad:?}");
}

// ---- checking a loss against its reference -------------------------------

/// Tolerances of [`check`] (both sides float64; see tests/losses.rs):
/// values `|got - want| <= 1e-10 |want| + 1e-12`, gradients
/// `|got - want| <= 1e-9 |want| + 1e-12 max(1, max|want|)`.
pub const V_RTOL: f64 = 1e-10;
pub const V_ATOL: f64 = 1e-12;
pub const G_RTOL: f64 = 1e-9;
pub const G_ATOL: f64 = 1e-12;

/// Evaluate `text` on `ins` and compare value and gradients to the reference.
pub fn check(
    text: &str,
    ins: &OwnedInputs,
    want: f64,
    grads: &[(&str, &[f64])],
    ctx: &str,
) -> Evaluation {
    let r = eval(text, None, ins);
    if want.is_finite() {
        assert!(
            r.value.is_finite(),
            "{ctx}: `{text}` value {} is not finite (want {want:e})",
            r.value
        );
    }
    assert_close(
        r.value,
        want,
        V_RTOL,
        V_ATOL,
        &format!("{ctx}: value of `{text}`"),
    );
    for (name, w) in grads {
        let g = grad(&r, name);
        if w.iter().all(|x| x.is_finite()) {
            assert_all_finite(&g, &format!("{ctx}: d/d{name} of `{text}`"));
        }
        assert_all_close(
            &g,
            w,
            G_RTOL,
            G_ATOL,
            &format!("{ctx}: d/d{name} of `{text}`"),
        );
    }
    r
}

// ---- shared builders and reference helpers ---------------------------------

/// Reduce per-element (loss, d loss / d p) pairs like PyTorch's `reduction`.
pub fn reduce(parts: &[(f64, f64)], reduction: &str) -> (f64, Vec<f64>) {
    let n = parts.len() as f64;
    let total: f64 = parts.iter().map(|p| p.0).sum();
    match reduction {
        "mean" => (total / n, parts.iter().map(|p| p.1 / n).collect()),
        "sum" => (total, parts.iter().map(|p| p.1).collect()),
        r => panic!("reduction {r}"),
    }
}

/// A random `[N]`, `[N, C]` or `[N, D, C]` shape and its element count.
pub fn random_shape(rng: &mut Rng) -> (Vec<usize>, usize) {
    let n = rng.usize(1, 6);
    match rng.usize(0, 4) {
        0 | 1 => (vec![n], n),
        2 | 3 => {
            let c = rng.usize(1, 4);
            (vec![n, c], n * c)
        }
        _ => {
            let (d, c) = (rng.usize(1, 3), rng.usize(1, 3));
            (vec![n, d, c], n * d * c)
        }
    }
}

/// `n` values with |x| in [0.1, 2] (random sign) that keep 0.05 away from every kink.
pub fn away(rng: &mut Rng, n: usize, kinks: &[f64]) -> Vec<f64> {
    (0..n)
        .map(|_| {
            loop {
                let x = rng.uniform(0.1, 2.0) * if rng.bool(0.5) { 1.0 } else { -1.0 };
                if kinks.iter().all(|k| (x - k).abs() > 0.05) {
                    break x;
                }
            }
        })
        .collect()
}

/// The kind of the compile error `text` gives for inputs like `ins` (panics
/// if it compiles).
pub fn compile_error(text: &str, ins: &OwnedInputs) -> DiagKind {
    let spec = match LossSpec::from_str(text) {
        Ok(s) => s,
        Err(e) => return e.kind().clone(),
    };
    match spec.evaluate(None, ins) {
        Err(Error::Compile(e)) => e.kind().clone(),
        other => panic!("`{text}` should not compile, got {other:?}"),
    }
}

// ---- finite differences ---------------------------------------------------------

/// Central finite differences of a compiled objective with respect to the
/// float input `name` (perturbed in float64), step `h = rel * max(1, |x|)`.
pub fn finite_diff(c: &CompiledLoss, inputs: &OwnedInputs, name: &str, rel: f64) -> Vec<f64> {
    let base = inputs[name].to_f64();
    let shape = base.shape().to_vec();
    let flat: Vec<f64> = base.iter().copied().collect();
    let mut out = Vec::with_capacity(flat.len());
    let mut work = inputs.clone();
    for i in 0..flat.len() {
        let h = rel * flat[i].abs().max(1.0);
        let mut at = |x: f64| {
            let mut v = flat.clone();
            v[i] = x;
            work.insert(name.to_string(), f64_data(&shape, &v));
            c.evaluate(&work)
                .unwrap_or_else(|e| panic!("finite difference evaluation failed: {e}"))
                .value
        };
        let (xp, xm) = (flat[i] + h, flat[i] - h);
        out.push((at(xp) - at(xm)) / (xp - xm));
    }
    out
}

/// Check the analytic gradient of every differentiated input against central
/// differences. Inputs are converted to f64 first (so the perturbation is
/// exact). Tolerance: `|g - fd| <= rtol * max(|g|, |fd|) + atol * max(1, |f|)`;
/// see the callers for why.
pub fn check_fd(
    text: &str,
    objective: Option<&str>,
    inputs: &OwnedInputs,
    rtol: f64,
    atol: f64,
) -> Evaluation {
    let inputs: OwnedInputs = inputs
        .iter()
        .map(|(n, d)| {
            (
                n.clone(),
                if matches!(d, Data::F32(_)) {
                    Data::F64(d.to_f64())
                } else {
                    d.clone()
                },
            )
        })
        .collect();
    let c = compile(text, objective, &inputs);
    let r = c
        .evaluate(&inputs)
        .unwrap_or_else(|e| panic!("evaluating `{text}` failed: {e}"));
    assert!(
        r.value.is_finite(),
        "`{text}` ({objective:?}): value {} is not finite",
        r.value
    );
    assert!(
        !r.gradients.is_empty() || c.inputs().iter().all(|i| !i.role.is_differentiated()),
        "`{text}`: no gradients"
    );
    for (name, g) in &r.gradients {
        let g: Vec<f64> = g.iter().copied().collect();
        let fd = finite_diff(&c, &inputs, name, 1e-6);
        let f = r.value.abs().max(1.0);
        for (i, (a, b)) in g.iter().zip(&fd).enumerate() {
            let tol = rtol * a.abs().max(b.abs()) + atol * f;
            assert!(
                a.is_finite() && (a - b).abs() <= tol,
                "`{text}` ({objective:?}) d/d{name}[{i}]: analytic {a:e} vs finite difference {b:e} (diff {:e} > tol {tol:e})\n analytic {g:?}\n fd       {fd:?}",
                (a - b).abs()
            );
        }
    }
    r
}
