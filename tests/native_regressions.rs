//! Native code against the reference evaluator on program shapes that once
//! went wrong: gradients of per-row reductions flowing back into `[N, C]`
//! gradients of several differentiated inputs, and `pow` at every kind of
//! exponent and at IEEE's special values.
//!
//! Inputs are random with a fresh seed per run (printed; set
//! `LOSSC_TEST_SEED` to reproduce).

mod common;

use common::native::{compare, random};
use common::seed;
use lossc::native::Precision;
use lossc::{Data, LossSpec, OwnedInputs};
use ndarray::{ArrayD, IxDyn};

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
            specs.push(format!("{decl}\nmean(q * {r})"));
            specs.push(format!("{decl}\nmean(exp(q) * {r} + q^2)"));
        }
        // The same input on both sides, and three gradients in one pass.
        specs.push(format!(
            "input p: f32[N, C]\ninput q: f32[N, C]\nmean(p * {r})"
        ));
        specs.push(format!(
            "input p: f32[N, C]\ninput q: f32[N, C]\ninput s: f32[N, C]\nmean(s * {r} + q * s)"
        ));
        specs.push(format!(
            "input u: f32[N]\ninput p: f32[N, C]\ninput q: f32[N, C]\nmean(u * {r}) + mean(q * u)"
        ));
    }
    specs.push(
        "input p: f32[N, C]\ninput q: f32[N, C]\nmean(q * logsumexp(p) + p * logsumexp(q))".into(),
    );
    specs.push(
        "input z: f32[N, C]\ninput t: f32[N, C]\nmean(kl_div(z, t, reduction = \"none\"))".into(),
    );
    specs.push(
        "input z: f32[N, C]\ninput t: f32[N, C]\nmean(kl_div(z, t, log_target = true, reduction = \"none\"))"
            .into(),
    );
    specs.push("input z: f32[N, C]\ninput t: f32[N, C]\nkl_div(z, softmax(t))".into());
    check_natively(&specs, seed());
}

/// A gather of an expression that itself reads a per-row value (the label
/// of a one-hot): the gathered expression is evaluated at the gather's
/// class in the row preamble, so the one-hot's label must be loaded
/// first. Found by the structural test (program 16719031135334239079):
/// code generation once panicked looking the label up.
#[test]
fn gather_of_an_expression_reading_another_label() {
    let specs = [
        "input x: f32[N, C]\ntarget t: f32[N, C]\ntarget y: i64[N]\ntarget k: i64[N]\nmean(gather(x * (t - onehot(y, C)), k))",
        "input x: f32[N]\ntarget t: f32[N, C]\ntarget y: i64[N]\ntarget k: i64[N]\nmean(x * gather(t - onehot(y, C), k))",
    ];
    check_natively(&specs.map(String::from), seed());
}

/// A class sum (`sum(x, axis = 0)`, shape `[C]`) read directly by a rows
/// pass: it is a class value, computed by an earlier pass and held by the
/// runtime; the reading pass once took it for a row reduction of its own,
/// and code generation panicked walking into the summed input.
#[test]
fn class_sums_read_by_a_later_rows_pass() {
    let specs = [
        "input x0: f32[N, K, C]\ninput x2: f32[N, C]\nmean(sum(x2, axis = 0) + x0)",
        "input x0: f32[N, K, C]\ntarget x2: f32[N, C]\nmean(sum(x2, axis = 0) * x0^2)",
        "input x0: f32[N, C]\ninput x2: f32[N, C]\nmean(sum(x2, axis = 0) * x0)",
    ];
    check_natively(&specs.map(String::from), seed());
}

/// Class weights given as a list literal are gathered by each row's label
/// in the rows pass (they once made the objective fall back to the
/// reference evaluator).
#[test]
fn list_literal_class_weights_compile_natively() {
    let specs = [
        "input z: f32[N, 3]\ntarget y: i64[N]\nsparse_cce(z, y, weight = [1, 2, 0.5])",
        "input z: f32[N, 3]\ntarget y: i64[N]\nsparse_cce(z, y, weight = [1, 2, 0.5], label_smoothing = 0.1)",
        "input z: f32[N, 3]\ntarget y: i64[N]\nnll(log_softmax(z), y, weight = [0.5, 1, 3])",
    ];
    let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
    // check_natively sizes C freely; these fix it at 3.
    for (k, src) in specs.iter().enumerate() {
        let c = LossSpec::from_str(src)
            .unwrap()
            .compile(None, &Default::default())
            .unwrap();
        common::native::kernel(&c, Precision::F32)
            .unwrap_or_else(|e| panic!("`{src}` is not compiled natively: {e}"));
        for n in [1, 7, 20_000] {
            let inputs = random(src, n, 3, seed().wrapping_add(k as u64 * 100 + n as u64));
            for p in [Precision::F32, Precision::F64] {
                compare(src, &inputs, p, 2);
            }
        }
    }
}

/// A constant list gathered by each label in a loop over rows alone (no
/// `[N, C]` array anywhere): the rows pass over the labels' rows and the
/// list's classes is made for it (it once fell back: "one loop would need
/// both [N] and [3]").
#[test]
fn list_literals_gathered_per_row_compile_natively() {
    let specs = [
        "input p: f32[N]\ntarget y: i64[N]\nsum(p * gather([1, 2, 3], y))",
        "input p: f32[N]\ntarget y: i64[N]\nmean(p * gather([1, 2, 3], y)) + mean(gather([0.5, 1, 2], y) * p^2)",
        "input p: f32[N]\ntarget y: i64[N]\nmean(if y == 1 then gather([2, -1, 0.5], y) * exp(p) else p)",
    ];
    for (k, src) in specs.iter().enumerate() {
        let c = LossSpec::from_str(src)
            .unwrap()
            .compile(None, &Default::default())
            .unwrap();
        common::native::kernel(&c, Precision::F32)
            .unwrap_or_else(|e| panic!("`{src}` is not compiled natively: {e}"));
        for n in [1, 7, 20_000] {
            let inputs = random(src, n, 3, seed().wrapping_add(k as u64 * 100 + n as u64));
            for p in [Precision::F32, Precision::F64] {
                compare(src, &inputs, p, 2);
            }
        }
    }
}

/// The reproducer with its exact numbers.
#[test]
fn q_times_logsumexp_gradient_is_the_scaled_softmax() {
    let src = "input q: f64[N, C]\ninput pred: f64[N, C]\nsum(q * logsumexp(pred))";
    let mut inputs = OwnedInputs::new();
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

/// Do a native result `b` and the reference's `a` agree? Both NaN, equal
/// (infinities included, with their sign), or within the kernel's rounding
/// error of each other (float32: a few roundings of 2^-24,
/// relative to the larger (float32: after rounding the reference to float32,
/// or both below float32's smallest normal, where precision is absolute).
/// The relative tolerance of [`agree`].
fn tolerance(p: Precision) -> f64 {
    match p {
        Precision::F64 => 1e-12,
        Precision::F32 => 5.0 * 2f64.powi(-24),
    }
}

fn agree(a: f64, b: f64, p: Precision) -> bool {
    let (rel, tiny) = match p {
        Precision::F64 => (tolerance(p), 0.0),
        Precision::F32 => (tolerance(p), f32::MIN_POSITIVE as f64),
    };
    // A float32 kernel's result is at best the reference rounded to float32
    // (an infinity or a zero outside its range).
    let a = if p == Precision::F32 {
        a as f32 as f64
    } else {
        a
    };
    (a.is_nan() && b.is_nan())
        || a == b
        || (a.is_finite() && b.is_finite() && (a - b).abs() <= rel * a.abs().max(b.abs()))
        || (a.abs() <= tiny && b.abs() <= tiny)
}

fn array(p: Precision, v: &[f64]) -> Data {
    let shape = IxDyn(&[v.len()]);
    match p {
        Precision::F64 => Data::F64(ArrayD::from_shape_vec(shape, v.to_vec()).unwrap()),
        Precision::F32 => {
            Data::F32(ArrayD::from_shape_vec(shape, v.iter().map(|&x| x as f32).collect()).unwrap())
        }
    }
}

/// Every gradient of `src` on `inputs`, native against reference, element by
/// element (value too, unless `skip_value`).
fn compare_elementwise(src: &str, inputs: &OwnedInputs, p: Precision) {
    compare_elementwise_at_scale(src, inputs, p, 0.0);
}

/// As [`compare_elementwise`], where a gradient entry may also differ by the
/// precision's relative tolerance times `scale` (a difference such as
/// `sigmoid(x) - y` cancels to a few ulps of 1).
fn compare_elementwise_at_scale(src: &str, inputs: &OwnedInputs, p: Precision, scale: f64) {
    let c = LossSpec::from_str(src)
        .unwrap()
        .compile_for(None, inputs)
        .unwrap();
    let k = common::native::kernel(&c, p).unwrap_or_else(|e| panic!("`{src}`: {e}"));
    let r = c.evaluate(inputs).unwrap();
    let (out, grads) = k.eval(inputs, 2).unwrap();
    assert!(
        agree(r.value, out.value, p),
        "`{src}` {p:?}: value {} vs {}",
        r.value,
        out.value
    );
    let x: Vec<f64> = match &inputs["x"] {
        Data::F64(a) => a.iter().copied().collect(),
        Data::F32(a) => a.iter().map(|&v| v as f64).collect(),
        _ => unreachable!(),
    };
    for ((name, a), (_, b)) in r.gradients.iter().zip(&grads) {
        for (i, (u, v)) in a.iter().zip(b.iter()).enumerate() {
            assert!(
                agree(*u, *v, p) || (u - v).abs() <= tolerance(p) * scale,
                "`{src}` {p:?}: d/d{name}[{i}] (x = {:e}) = {u:e} (reference) vs {v:e} (kernel)",
                x[i]
            );
        }
    }
}

const POW_BASES: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    2.0,
    -2.0,
    0.5,
    -0.5,
    3.7,
    -3.7,
    1e-30,
    -1e-30,
    1e30,
    -1e30,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    1.0000001,
    -0.9999999,
];

const POW_EXPONENTS: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    2.0,
    3.0,
    -3.0,
    16.0,
    17.0,
    -17.0,
    33.0,
    64.0,
    -64.0,
    65.0,
    -65.0,
    100.0,
    0.5,
    -0.5,
    2.5,
    -2.5,
    1e-3,
    1e20,
    -1e20,
    4503599627370497.0,
    9007199254740992.0,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
];

/// `x^y` with `y` known only at run time (an array, a scalar parameter) and
/// with every kind of constant exponent (small and large integers, odd and
/// even, negative; non-integers), at IEEE `pow`'s special values: negative
/// bases (an odd integer power keeps the sign, a non-integer one is NaN),
/// `0^0 = 1`, `1^y = 1` and `x^0 = 1` for every `y` and `x` (NaN and
/// infinities included), `(±0)^negative = ±inf`, `(±1)^(±inf) = 1`,
/// infinite bases and exponents. Each result is a gradient (`d/dw` of
/// `sum(w * x^y)`), so every element is compared, in float32 and float64
/// kernels, in vector lanes and in the scalar tail.
#[test]
fn pow_matches_the_reference_at_special_values() {
    for p in [Precision::F64, Precision::F32] {
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for &x in POW_BASES {
            for &y in POW_EXPONENTS {
                xs.push(x);
                ys.push(y);
            }
        }
        let mut inputs = OwnedInputs::new();
        inputs.insert("x".into(), array(p, &xs));
        inputs.insert("y".into(), array(p, &ys));
        inputs.insert("w".into(), array(p, &vec![1.0; xs.len()]));
        compare_elementwise(
            "param w: f64[N]\ntarget x: f64[N]\ntarget y: f64[N]\nsum(w * x ^ y)",
            &inputs,
            p,
        );
        // Constant exponents, by multiplication or not.
        let mut inputs = OwnedInputs::new();
        inputs.insert("x".into(), array(p, POW_BASES));
        inputs.insert("w".into(), array(p, &vec![1.0; POW_BASES.len()]));
        for &y in POW_EXPONENTS.iter().filter(|y| y.is_finite()) {
            let src = format!("param w: f64[N]\ntarget x: f64[N]\nsum(w * x ^ {y:?})");
            compare_elementwise(&src, &inputs, p);
        }
    }
}

/// The example, and exponents known only at run time with their
/// gradients (a scalar parameter, an input array), on random data with
/// negative bases.
#[test]
fn pow_of_negative_bases_and_runtime_exponents() {
    let s = seed();
    let specs: Vec<String> = [
        "sum(pred^17)",
        "mean((-1 - abs(pred))^-17 + (-1 - pred^2)^-64)",
        "mean(pred^33 + (-1 - pred^2)^-63)",
        "input x: f32[N]\nparam e: f32\nmean(abs(x)^e) + mean(x^3)",
        "input x: f32[N]\ninput e: f32[N]\nmean((1 + x^2)^e + abs(x)^(e/3))",
        "input z: f32[N, C]\nparam e: f32\nmean(abs(z)^e * logsumexp(z))",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    check_natively(&specs, s);
    // With an integer-valued runtime exponent, negative bases have a real
    // value with the exponent's parity.
    for p in [Precision::F32, Precision::F64] {
        // Bases of both signs, alternating, away from 0 (where a negative power's
        // float32 terms would cancel to noise) and from overflow.
        let xs: Vec<f64> = (0..37)
            .map(|i| (0.5 + 0.04 * i as f64) * if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        for e in [2.0, 3.0, 17.0, -17.0, 70.0, 71.0, 0.5] {
            let mut inputs = OwnedInputs::new();
            inputs.insert("x".into(), array(p, &xs));
            let src = "input x: f64[N]\nparam e: f64\nsum(x ^ e)";
            let e_data = match p {
                Precision::F64 => Data::F64(ArrayD::from_elem(IxDyn(&[]), e)),
                Precision::F32 => Data::F32(ArrayD::from_elem(IxDyn(&[]), e as f32)),
            };
            inputs.insert("e".into(), e_data);
            compare_elementwise(src, &inputs, p);
        }
    }
}

/// `mean((pred + a) + (pred + b) + (pred + a) + …)`: a flat sum of `terms`
/// terms, a chain as deep as it is long through value and gradient. (The
/// issue's form, `pred*a + pred*b + …`, is now folded by the simplifier into
/// one product, `(a + b + …) * pred`: `products_sharing_a_factor_fold_in_a_long_sum`.)
fn long_sum(terms: usize, constants: impl Fn(usize) -> String) -> String {
    let body: Vec<String> = (0..terms)
        .map(|i| format!("(pred + {})", constants(i)))
        .collect();
    format!("input pred: f64[N]\nmean({})", body.join(" + "))
}

/// Runs `f` on a thread with Rust's default stack of 2 MiB, as a caller's
/// thread would have.
fn on_default_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// Every pass over the graph in code generation (the scheduler's rewrite,
/// the simplifier's sums it calls, the lowering of values and row values)
/// iterates: a 100 000-term objective compiles and runs natively on a
/// default-sized thread, through `native()` and through the listing that
/// `lossc emit` and the REPL's `:clif` show.
#[test]
fn a_100_000_term_objective_compiles_natively_on_a_default_stack() {
    let src = long_sum(100_000, |i| {
        if i % 2 == 0 { "2.5" } else { "1.5" }.to_string()
    });
    let (native, reference, listed) = on_default_stack(move || {
        let c = LossSpec::from_str(&src)
            .unwrap()
            .compile(None, &Default::default())
            .unwrap();
        let inputs = random(&src, 1031, 1, 7);
        let k = c.native(Precision::F64).expect("compiled natively");
        let (out, _) = k.eval(&inputs, 2).unwrap();
        let (_, listing) = c.native_with_listing(Precision::F32, true).unwrap();
        (
            out.value,
            c.evaluate(&inputs).unwrap().value,
            listing.ir.concat().len(),
        )
    });
    assert!(
        (native - reference).abs() <= 1e-9 * reference.abs(),
        "{native} vs {reference}"
    );
    assert!(listed > 100_000, "a listing of {listed} characters");
}

/// `pred*0 + pred*1 + … + pred*29999`, a distinct constant per term, was a
/// sum too large for the native code generator; sharing the factor `pred`,
/// it folds term by term into one product as it is built (in constant time
/// per term), and compiles natively to the reference's value.
#[test]
fn products_sharing_a_factor_fold_in_a_long_sum() {
    let body: Vec<String> = (0..30_000).map(|i| format!("pred*{i}")).collect();
    let src = format!("input pred: f64[N]\nmean({})", body.join(" + "));
    let started = std::time::Instant::now();
    let (value, reference, derivative) = on_default_stack(move || {
        let c = LossSpec::from_str(&src)
            .unwrap()
            .compile(None, &Default::default())
            .unwrap();
        let inputs = random(&src, 257, 1, 11);
        let k = c.native(Precision::F64).expect("compiled natively");
        let (out, _) = k.eval(&inputs, 2).unwrap();
        let derivative = c.derivative_text(None).unwrap();
        (out.value, c.evaluate(&inputs).unwrap().value, derivative)
    });
    assert!(
        (value - reference).abs() <= 1e-12 * reference.abs(),
        "{value} vs {reference}"
    );
    // 0 + 1 + … + 29999 = 449985000, over N.
    assert!(derivative.ends_with("= 449985000 / N\n"), "{derivative}");
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

/// Tens of thousands of distinct constants in one loop would take the
/// register allocator minutes (its time grows with their square): such a
/// pass is `Unsupported` at once, and the objective runs on the reference.
#[test]
fn too_many_loop_invariants_fall_back_instead_of_hanging() {
    let src = long_sum(30_000, |i| i.to_string());
    let started = std::time::Instant::now();
    let (err, value) = on_default_stack(move || {
        let c = LossSpec::from_str(&src)
            .unwrap()
            .compile(None, &Default::default())
            .unwrap();
        let err = c.native(Precision::F32).err().map(|e| e.to_string());
        let inputs = random(&src, 5, 1, 3);
        (err, c.evaluate(&inputs).unwrap().value)
    });
    let err = err.expect("not compiled natively");
    assert!(err.contains("distinct constants and scalars"), "{err}");
    assert!(value.is_finite());
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

/// Every command on a generated 100 000-term spec — `check`, `derive` (and
/// `--hessian`), `eval` (native and reference), `emit`, `plot` and the
/// REPL's `:eval`, `:derive`, `:clif` — and `eval`/`emit` on a sum with a
/// distinct constant per term, which falls back. No pass over
/// the graph may recurse (ARCHITECTURE.md); `bench` runs `eval`'s path.
#[test]
#[cfg(feature = "cli")]
fn every_command_handles_100_000_terms() {
    let dir = std::env::temp_dir().join(format!("lossc-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exit = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lossc"))
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.code(), text)
    };
    let run = |args: &[&str]| {
        let (code, text) = exit(args);
        assert_eq!(code, Some(0), "lossc {args:?}: {text}");
        text
    };
    for (name, src) in [
        (
            "repeated",
            long_sum(100_000, |i| ["2.5", "1.5"][i % 2].to_string()),
        ),
        ("distinct", long_sum(30_000, |i| i.to_string())),
    ] {
        let path = dir.join(format!("{name}.loss"));
        std::fs::write(&path, src).unwrap();
        let path = path.to_str().unwrap();
        let native = run(&["eval", path, "--random", "64", "--json"]);
        let reference = run(&["eval", path, "--random", "64", "--json", "--interp"]);
        let value = |text: &str| -> f64 {
            let v = text.split("\"value\": ").nth(1).unwrap();
            v[..v.find(',').unwrap()].parse().unwrap()
        };
        let (a, b) = (value(&native), value(&reference));
        assert!((a - b).abs() <= 1e-9 * b.abs(), "{name}: {a} vs {b}");
        if name == "repeated" {
            let listing = run(&["emit", path]);
            assert!(listing.contains("function u0:0"), "{}", &listing[..200]);
            assert!(run(&["check", path]).contains(": ok"));
            assert!(run(&["derive", path]).contains("d main / d pred"));
            assert!(run(&["derive", path, "--hessian"]).contains("d2 main / d pred^2 = 0"));
            let svg = dir.join("long.svg");
            let svg = svg.to_str().unwrap();
            let plot = [path, "--over", "pred=-1..1", "-o", svg, "--points", "5"];
            assert!(run(&[&["plot"], &plot[..]].concat()).contains("1 curve"));
            repl_on(path, ":eval main --random 8\n:derive main\n:clif main\n");
        } else {
            // Nothing native to show: an error, not a crash.
            let (code, text) = exit(&["emit", path]);
            assert_eq!(code, Some(1), "{text}");
            assert!(
                text.contains("not supported by the native code generator"),
                "{text}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The REPL on `spec` with `commands` piped in: every command must succeed
/// (no `error:` line) and the session must end normally.
#[cfg(feature = "cli")]
fn repl_on(spec: &str, commands: &str) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lossc"))
        .args(["repl", "--no-history", spec])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(commands.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("error:"), "{text}");
    assert!(
        text.contains("function u0:0"),
        "no listing in {}",
        &text[..text.len().min(400)]
    );
}

/// Cross-entropy on logits at infinite, NaN and huge logits with labels 0,
/// 1 and in between, per element (the value of each element is the
/// gradient of its weight): the native form of `y·softplus(-x) +
/// (1 - y)·softplus(x)` once subtracted `y·x` from `relu(x)` and made
/// `x = +inf, y = 0` NaN where the loss is infinite (found by the `engines`
/// fuzz target through `focal(pred / target)` with a label of 0).
#[test]
fn cross_entropy_on_logits_matches_the_reference_at_infinite_logits() {
    let logits = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        1e4,
        -1e4,
        20.0,
        -20.0,
        0.0,
    ];
    let labels = [0.0, 1.0, 0.3];
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for &x in &logits {
        for &y in &labels {
            xs.push(x);
            ys.push(y);
        }
    }
    for p in [Precision::F64, Precision::F32] {
        let mut inputs = OwnedInputs::new();
        inputs.insert("x".into(), array(p, &xs));
        inputs.insert("y".into(), array(p, &ys));
        inputs.insert("w".into(), array(p, &vec![1.0; xs.len()]));
        for loss in ["bce", "focal", "focal(gamma = 2, alpha = 0.25)"] {
            let call = match loss.split_once('(') {
                Some((name, args)) => format!("{name}(x, y, reduction = \"none\", {args}"),
                None => format!("{loss}(x, y, reduction = \"none\")"),
            };
            let src =
                format!("param w: f64[N]\ninput x: f64[N]\ntarget y: f64[N]\nsum(w * {call})");
            // d/dx is `w·(sigmoid(x) - y)` (times focal's factor): at
            // |x| = 20 it cancels to a few ulps of 1.
            compare_elementwise_at_scale(&src, &inputs, p, 4.0);
        }
    }
}

/// sigmoid's derivative where sigmoid rounds to 1: `σ(x)·σ(-x)` keeps its
/// relative accuracy (float32 at x = 20: 2.1e-9), where `σ(x)·(1 - σ(x))`
/// cancelled to 0 (a structural-test program, `(sigmoid(w)^12)^4`, found it).
#[test]
fn sigmoid_derivative_keeps_its_accuracy_where_sigmoid_rounds_to_one() {
    let xs = [20.0, -20.0, 17.0, 30.0, 40.0, 80.0, -80.0, 0.0, 1e4, -1e4];
    for p in [Precision::F64, Precision::F32] {
        let mut inputs = OwnedInputs::new();
        inputs.insert("x".into(), array(p, &xs));
        compare_elementwise("param x: f64[N]\nsum(sigmoid(x))", &inputs, p);
        compare_elementwise("param x: f64[N]\nsum(sigmoid(2 * x)^3)", &inputs, p);
    }
}
