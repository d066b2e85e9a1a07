//! Spec text and small data through both engines, compared: the float64
//! reference evaluator (the oracle) and the native kernel, on the same
//! inputs. A mismatch in the value, a term or any gradient entry is a crash
//! (a panic naming the spec, the data and the entry), and so is a mismatch in
//! a Hessian diagonal where the objective has one (compiled again
//! `with_hessians`), as is any panic, abort,
//! timeout or allocation past libFuzzer's limits. An `Err` from either engine
//! is a correct answer and ends the comparison.
//!
//! The input is spec text. Its first line may be a data directive, which the
//! spec sees as a comment:
//!
//! ```text
//! #@ n=3 c=4 seed=7 f32 v=0,-1.5,inf,1e30 i=0,2,-1
//! ```
//!
//! `n` is the batch size (leading axis, 1 to 16), `c` every other named
//! dimension (1 to 8), `seed` the seed of the synthetic data
//! (`lossc::data::random_inputs`, which fits values to each input's role),
//! `f32`/`f64` the kernel's precision (default f64; for f32, float64 inputs
//! are rounded to float32 values, so both engines read the same numbers). `v` overwrites float elements and
//! `i` integer elements, in input order, one list entry per element, until
//! the list runs out. Without a directive the data comes from a hash of the
//! text with n=3, c=4, f64.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lossc::native::Precision;
use lossc::data::random_inputs;
use lossc::ir::{Dim, Graph};
use lossc::{CompiledLoss, Data, LossSpec, OwnedInputs, Role};
use std::collections::HashMap;

/// Elements of all inputs together; larger programs are skipped (sizes come
/// from the spec's fixed dimensions, and big data would only slow the fuzzer).
const MAX_ELEMENTS: usize = 1 << 14;
/// Objectives compared per input.
const MAX_OBJECTIVES: usize = 4;

#[derive(Debug, Clone)]
struct Setup {
    batch: usize,
    classes: usize,
    seed: u64,
    precision: Precision,
    floats: Vec<f64>,
    ints: Vec<i64>,
}

impl Setup {
    fn parse(text: &str) -> Setup {
        let mut setup = Setup {
            batch: 3,
            classes: 4,
            seed: fnv(text.as_bytes()),
            precision: Precision::F64,
            floats: Vec::new(),
            ints: Vec::new(),
        };
        let Some(line) = text.lines().next().and_then(|l| l.strip_prefix("#@")) else {
            return setup;
        };
        for token in line.split_whitespace() {
            let (key, value) = token.split_once('=').unwrap_or((token, ""));
            match key {
                "n" => setup.batch = value.parse::<usize>().unwrap_or(3).clamp(1, 16),
                "c" => setup.classes = value.parse::<usize>().unwrap_or(4).clamp(1, 8),
                "seed" => setup.seed = value.parse().unwrap_or(0),
                "f32" => setup.precision = Precision::F32,
                "f64" => setup.precision = Precision::F64,
                "v" => setup.floats = value.split(',').filter_map(|x| x.parse().ok()).collect(),
                "i" => setup.ints = value.split(',').filter_map(|x| x.parse().ok()).collect(),
                _ => {}
            }
        }
        setup
    }

    /// Sizes of the named dimensions: the batch for a leading axis of a
    /// non-parameter input, the class count for every other one.
    fn dims(&self, graph: &Graph) -> HashMap<String, usize> {
        let mut dims = HashMap::new();
        for info in &graph.inputs {
            for (axis, &d) in graph.shape(info.shape).iter().enumerate() {
                if let Dim::Named(name) = graph.dim(d) {
                    let size = if axis == 0 && info.role != Role::Param {
                        self.batch
                    } else {
                        self.classes
                    };
                    dims.entry(name.clone()).or_insert(size);
                }
            }
        }
        dims
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Total elements of the graph's inputs at these sizes; `None` past `MAX_ELEMENTS`.
fn total_elements(graph: &Graph, dims: &HashMap<String, usize>) -> Option<usize> {
    graph.inputs.iter().try_fold(0usize, |total, info| {
        let len =
            graph
                .shape(info.shape)
                .iter()
                .try_fold(1usize, |len, &d| match graph.dim(d) {
                    Dim::Fixed(n) => len.checked_mul(usize::try_from(*n).ok()?),
                    Dim::Named(name) => len.checked_mul(dims[name]),
                })?;
        total.checked_add(len).filter(|&t| t <= MAX_ELEMENTS)
    })
}

/// Synthetic data for the graph's inputs (of the element types the spec
/// declares), with the directive's overrides.
/// `None` where the sizes are refused (a checked error, not a finding).
fn make_inputs(
    graph: &Graph,
    setup: &Setup,
    dims: &HashMap<String, usize>,
) -> Option<OwnedInputs> {
    let mut inputs = random_inputs(graph, setup.batch, dims, setup.seed).ok()?;
    let mut floats = setup.floats.iter().copied();
    let mut ints = setup.ints.iter().copied();
    for info in &graph.inputs {
        let Some(data) = inputs.get_mut(&info.name) else {
            continue;
        };
        match data {
            Data::F32(a) => a
                .iter_mut()
                .zip(&mut floats)
                .for_each(|(x, v)| *x = v as f32),
            Data::F64(a) => a.iter_mut().zip(&mut floats).for_each(|(x, v)| *x = v),
            Data::I32(a) => a.iter_mut().zip(&mut ints).for_each(|(x, v)| *x = v as i32),
            Data::I64(a) => a.iter_mut().zip(&mut ints).for_each(|(x, v)| *x = v),
            Data::Bool(_) => {}
        }
    }
    // A float32 kernel rounds float64 inputs as it reads them; the
    // reference must see the same values.
    if setup.precision == Precision::F32 {
        for data in inputs.values_mut() {
            if let Data::F64(a) = data {
                a.mapv_inplace(|x| f64::from(x as f32));
            }
        }
    }
    Some(inputs)
}

/// How closely the kernel must match the reference.
struct Tolerance {
    /// Relative to the larger of the reference's magnitude and `floor`.
    relative: f64,
    floor: f64,
}

impl Tolerance {
    fn of(p: Precision) -> Tolerance {
        match p {
            // Elementary functions within a few ulp and another summation
            // order; cancellation in arbitrary programs amplifies both, so
            // this is looser than the test suite's 1e-11 on known losses.
            Precision::F64 => Tolerance {
                relative: 1e-8,
                floor: 1e-6,
            },
            // Every intermediate is rounded to float32 (~6e-8 each, a few
            // dozen deep, then amplified by cancellation); only clearly wrong
            // answers are reported.
            Precision::F32 => Tolerance {
                relative: 1e-2,
                floor: 1.0,
            },
        }
    }

    /// Whether kernel value `b` matches reference value `a` at `scale`.
    fn agrees(&self, p: Precision, a: f64, b: f64, scale: f64) -> bool {
        if a == b || (a.is_nan() && b.is_nan()) {
            return true;
        }
        // Float32 overflows (to inf) and underflows where float64 does not.
        if p == Precision::F32 && (!a.is_finite() || a.abs() > 1e30 || !b.is_finite()) {
            return true;
        }
        (a - b).abs() <= self.relative * scale.max(self.floor)
    }
}

fn compare(text: &str, setup: &Setup, objective: &str, spec: &LossSpec) {
    let Ok(probe) = spec.compile(Some(objective), &HashMap::new()) else {
        return;
    };
    let dims = setup.dims(probe.graph());
    if total_elements(probe.graph(), &dims).is_none() {
        return;
    }
    let Some(inputs) = make_inputs(probe.graph(), setup, &dims) else {
        return;
    };
    let Ok(compiled) = spec.compile_for(Some(objective), &inputs) else {
        return;
    };
    let p = setup.precision;
    let Ok(kernel) = compiled.native(p) else {
        return;
    };
    let (Ok(reference), Ok((native, native_grads))) =
        (compiled.evaluate(&inputs), kernel.eval(&inputs, 1))
    else {
        return;
    };
    let tol = Tolerance::of(p);
    let fail = |what: String| {
        let mut data: Vec<String> = inputs
            .iter()
            .map(|(name, d)| format!("{name} ({:?}) = {}", d.dtype(), d.to_f64()))
            .collect();
        data.sort();
        panic!(
            "engines disagree on objective `{objective}` ({p:?}, {setup:?}): {what}\n--- inputs ---\n{}\n--- spec ---\n{text}",
            data.join("\n")
        )
    };
    if !tol.agrees(p, reference.value, native.value, reference.value.abs()) {
        fail(format!(
            "value {} (reference) vs {} (native)",
            reference.value, native.value
        ));
    }
    for ((label, a), &b) in reference.terms.iter().zip(&native.terms) {
        if !tol.agrees(p, *a, b, a.abs()) {
            fail(format!("term `{label}`: {a} (reference) vs {b} (native)"));
        }
    }
    compare_arrays(&tol, p, "gradient", &reference.gradients, &native_grads, &fail);
    compare_hessians(&tol, p, &compiled, &inputs, &fail);
}

/// Per-input arrays (gradients or Hessian diagonals), entry by entry, each
/// judged against its array's largest finite entry.
fn compare_arrays(
    tol: &Tolerance,
    p: Precision,
    what: &str,
    reference: &[(String, ndarray::ArrayD<f64>)],
    native: &[(String, ndarray::ArrayD<f64>)],
    fail: &dyn Fn(String),
) {
    if reference.len() != native.len() {
        fail(format!(
            "{} {what}s (reference) vs {} (native)",
            reference.len(),
            native.len()
        ));
    }
    for ((name, a), (native_name, b)) in reference.iter().zip(native) {
        if name != native_name || a.shape() != b.shape() {
            fail(format!(
                "{what} d/d{name} {:?} (reference) vs d/d{native_name} {:?} (native)",
                a.shape(),
                b.shape()
            ));
        }
        let scale = a
            .iter()
            .filter(|x| x.is_finite())
            .fold(0.0f64, |m, x| m.max(x.abs()));
        for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
            if !tol.agrees(p, *x, *y, scale) {
                fail(format!(
                    "{what} d/d{name}[{i}] = {x} (reference) vs {y} (native), scale {scale}\nreference {a}\nnative {b}"
                ));
            }
        }
    }
}

/// The Hessian diagonals, where the objective has them and the native
/// engine compiles them, in the precision of the comparison (the kernel
/// returns them after the gradients).
fn compare_hessians(
    tol: &Tolerance,
    p: Precision,
    compiled: &CompiledLoss,
    inputs: &OwnedInputs,
    fail: &dyn Fn(String),
) {
    let Ok(with_hessians) = compiled.clone().with_hessians() else {
        return;
    };
    let Ok(kernel) = with_hessians.native(p) else {
        return;
    };
    let (Ok(reference), Ok((_, outputs))) = (with_hessians.evaluate(inputs), kernel.eval(inputs, 1))
    else {
        return;
    };
    let native = &outputs[kernel.gradient_count().min(outputs.len())..];
    compare_arrays(tol, p, "Hessian", &reference.hessians, native, fail);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(spec) = LossSpec::from_str(text) else {
        return;
    };
    let setup = Setup::parse(text);
    for objective in spec.objectives().into_iter().take(MAX_OBJECTIVES) {
        compare(text, &setup, objective, &spec);
    }
});
