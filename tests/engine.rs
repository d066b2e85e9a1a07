//! The one evaluation API: engine choice and fallback, borrowed inputs of
//! every layout, gradient buffers addressed by input name, and the error
//! kinds callers match on.

use lossc::{
    Buffer, Engine, Error, Evaluator, InputView, LossSpec, Outputs, RunError, Running,
    native::Precision,
};
use ndarray::{Array2, ArrayD, IxDyn, ShapeBuilder, s};

const CCE: &str = "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y) + 0.1 * mean(z^2)";

fn logits(n: usize, c: usize) -> Array2<f32> {
    Array2::from_shape_fn((n, c), |(i, j)| ((i * 7 + j * 3) % 11) as f32 * 0.37 - 1.5)
}

fn labels(n: usize, c: usize) -> ArrayD<i64> {
    ArrayD::from_shape_fn(IxDyn(&[n]), |i| (i[0] * 5 % c) as i64)
}

fn evaluator(src: &str, engine: Engine) -> Evaluator {
    let c = LossSpec::from_str(src)
        .unwrap()
        .compile(None, &Default::default())
        .unwrap();
    c.into_evaluator(engine).unwrap()
}

#[test]
fn auto_runs_natively_in_the_precision_of_the_inputs() {
    let z = logits(9, 4).into_dyn();
    let y = labels(9, 4);
    let inputs = [("z", InputView::from(&z)), ("y", InputView::from(&y))];
    let auto = evaluator(CCE, Engine::Auto);
    assert_eq!(auto.running(), Running::Native(Precision::F32));
    assert_eq!(auto.fallback(), None);
    let reference = evaluator(CCE, Engine::Reference);
    assert_eq!(reference.running(), Running::Reference);
    let (a, r) = (
        auto.evaluate(&inputs).unwrap(),
        reference.evaluate(&inputs).unwrap(),
    );
    assert!(
        (a.value - r.value).abs() < 1e-6 * r.value.abs(),
        "{a:?} {r:?}"
    );
    assert_eq!(a.terms.len(), 2);
    let (ga, gr) = (a.gradient("z").unwrap(), r.gradient("z").unwrap());
    assert_eq!(ga.shape(), &[9, 4]);
    for (x, y) in ga.iter().zip(gr) {
        assert!((x - y).abs() < 1e-6, "{x} vs {y}");
    }
    // Float64 data gets a float64 kernel.
    let z64 = z.mapv(f64::from);
    let inputs = [
        ("pred", InputView::from(&z64)),
        ("target", InputView::from(&y)),
    ];
    let c = LossSpec::from_str("sparse_cce")
        .unwrap()
        .compile_for(None, &inputs)
        .unwrap();
    let e = c.evaluator(Engine::Auto).unwrap();
    assert_eq!(e.running(), Running::Native(Precision::F64));
    assert!(e.evaluate(&inputs).unwrap().value.is_finite());
}

/// The log-sum-exp of a whole rank-1 input is a reduction over its only
/// axis, a loop the code generator does not have (a row reduction of
/// `[N]` to a scalar): `Auto` falls back and says why, `Native` refuses.
#[test]
fn auto_falls_back_with_its_reason_and_native_refuses() {
    let src = "input p: f32[N]\nlogsumexp(p) + mean(p)";
    let auto = evaluator(src, Engine::Auto);
    assert_eq!(auto.running(), Running::Reference);
    let reason = auto.fallback().expect("a reason for the fallback");
    assert!(reason.contains("rank-1 array"), "{reason}");
    let c = LossSpec::from_str(src)
        .unwrap()
        .compile(None, &Default::default())
        .unwrap();
    assert!(matches!(
        c.evaluator(Engine::Native),
        Err(Error::Codegen(_))
    ));
    let p = ArrayD::from_shape_vec(IxDyn(&[5]), vec![1.0f32; 5]).unwrap();
    let r = auto.evaluate(&[("p", InputView::from(&p))]).unwrap();
    // log(5 e) + 1.
    let want = 5f64.ln() + 2.0;
    assert!((r.value - want).abs() < 1e-12, "{} vs {want}", r.value);
}

/// C-ordered, Fortran-ordered and strided views, and slices with a shape,
/// all give the same results (a copy is made only where the layout needs it).
#[test]
fn every_layout_of_borrowed_inputs_gives_the_same_result() {
    let (n, c) = (37, 5);
    let z = logits(n, c);
    let y = labels(n, c);
    let e = evaluator(CCE, Engine::Auto);
    let want = run(&e, InputView::from(z.view().into_dyn()), &y);
    // Fortran order: the same logical array, transposed memory.
    let mut fortran = Array2::<f32>::zeros((n, c).f());
    fortran.assign(&z);
    // Strided: every other row of a twice-as-tall array.
    let mut tall = Array2::<f32>::zeros((2 * n, c));
    tall.slice_mut(s![..;2, ..]).assign(&z);
    let flat: Vec<f32> = z.iter().copied().collect();
    let views = [
        InputView::from(fortran.view().into_dyn()),
        InputView::from(tall.slice(s![..;2, ..]).into_dyn()),
        InputView::from_slice(&flat, &[n, c]).unwrap(),
    ];
    for view in views {
        let got = run(&e, view, &y);
        assert_eq!(got.value.to_bits(), want.value.to_bits());
        assert_eq!(got.gradient("z"), want.gradient("z"));
    }
    assert!(InputView::from_slice(&flat, &[n, c + 1]).is_none());
}

fn run(e: &Evaluator, z: InputView<'_>, y: &ArrayD<i64>) -> lossc::Evaluation {
    // Views are invariant in their lifetime: `reborrow` shortens one to
    // match the local borrow of `y`.
    e.evaluate(&[("z", z.reborrow()), ("y", InputView::from(y))])
        .unwrap()
}

#[test]
fn gradient_buffers_are_addressed_by_name() {
    let src = "input a: f32[N]\ninput b: f32[N]\ntarget t: f32[N]\nmse(a, t) + 2 * mse(b, t)";
    let (a, b, t) = ([1.0f32, 2.0, 3.0], [0.5f32, 0.0, -1.0], [0.0f32; 3]);
    let inputs = [
        ("a", InputView::from_slice(&a, &[3]).unwrap()),
        ("b", InputView::from_slice(&b, &[3]).unwrap()),
        ("t", InputView::from_slice(&t, &[3]).unwrap()),
    ];
    for engine in [Engine::Native, Engine::Reference] {
        let e = evaluator(src, engine);
        let (mut ga, mut gb) = ([0.0f32; 3], [0.0f32; 3]);
        // Given in the other order than the expression's.
        let mut out = Outputs::new()
            .gradient("b", &mut gb[..])
            .gradient("a", &mut ga[..]);
        let v = e.evaluate_into(&inputs, &mut out).unwrap();
        let expected = (1.0 + 4.0 + 9.0) / 3.0 + 2.0 * (0.25 + 1.0) / 3.0;
        assert!((v.value - expected).abs() < 1e-6, "{engine:?}: {}", v.value);
        assert_eq!(ga, [2.0 / 3.0, 4.0 / 3.0, 2.0], "{engine:?}");
        assert_eq!(gb, [2.0 / 3.0, 0.0, -4.0 / 3.0], "{engine:?}");
    }
}

#[test]
fn gradient_buffer_mistakes_are_typed_errors() {
    let src = "input a: f32[N]\ntarget t: f32[N]\nmse(a, t)";
    let (a, t) = ([1.0f32, 2.0], [0.0f32; 2]);
    let inputs = [
        ("a", InputView::from_slice(&a, &[2]).unwrap()),
        ("t", InputView::from_slice(&t, &[2]).unwrap()),
    ];
    let native = evaluator(src, Engine::Native);
    let reference = evaluator(src, Engine::Reference);
    let run = |e: &Evaluator, buffers: Vec<(&str, Buffer<'_>)>| {
        let mut out = Outputs::new();
        for (name, b) in buffers {
            out = out.gradient(name, b);
        }
        e.evaluate_into(&inputs, &mut out).unwrap_err()
    };
    for e in [&native, &reference] {
        let (mut g, mut h) = ([0.0f32; 2], [0.0f32; 2]);
        let mut short = [0.0f32; 1];
        assert!(matches!(
            run(e, vec![]),
            Error::Run(RunError::MissingGradientBuffer { input }) if input == "a"
        ));
        assert!(matches!(
            run(e, vec![("a", (&mut g[..]).into()), ("t", (&mut h[..]).into())]),
            Error::Run(RunError::UnknownGradientBuffer { input, .. }) if input == "t"
        ));
        assert!(matches!(
            run(
                e,
                vec![("a", (&mut g[..]).into()), ("a", (&mut h[..]).into())]
            ),
            Error::Run(RunError::DuplicateGradientBuffer { .. })
        ));
        assert!(matches!(
            run(e, vec![("a", (&mut short[..]).into())]),
            Error::Run(RunError::GradientBufferSize {
                expected: 2,
                found: 1,
                ..
            })
        ));
    }
    // A float32 kernel cannot write float64 buffers; the reference can.
    let mut g64 = [0.0f64; 2];
    assert!(matches!(
        run(&native, vec![("a", (&mut g64[..]).into())]),
        Error::Run(RunError::Precision { .. })
    ));
    let mut out = Outputs::new().gradient("a", &mut g64[..]);
    reference.evaluate_into(&inputs, &mut out).unwrap();
    assert_eq!(g64, [1.0, 2.0]);
}

#[test]
fn failures_are_one_error_type_with_kinds() {
    assert!(matches!(
        LossSpec::from_str("mse(").map_err(Error::from),
        Err(Error::Compile(_))
    ));
    let c = LossSpec::from_str("mse")
        .unwrap()
        .compile(None, &Default::default())
        .unwrap();
    assert!(matches!(
        c.derivative_text(Some("target")),
        Err(Error::NoGradient { input, available, .. }) if input == "target" && available == ["pred"]
    ));
    let c = LossSpec::from_str("target x: i64[N]\nsum(x)")
        .unwrap()
        .compile(None, &Default::default())
        .unwrap();
    assert!(matches!(
        c.derivative_text(None),
        Err(Error::NotDifferentiated { .. })
    ));
    let e = c.evaluator(Engine::Auto).unwrap();
    let x = [1.0f32];
    let wrong = [("x", InputView::from_slice(&x, &[1]).unwrap())];
    assert!(matches!(
        e.evaluate(&wrong),
        Err(Error::Run(RunError::Dtype { .. }))
    ));
}

#[test]
fn an_evaluator_serves_several_threads_with_identical_results() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Evaluator>();
    let e = evaluator(CCE, Engine::Auto).with_threads(3);
    let z = logits(20_000, 7).into_dyn();
    let y = labels(20_000, 7);
    let inputs = [("z", InputView::from(&z)), ("y", InputView::from(&y))];
    let results: Vec<f64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| e.evaluate(&inputs).unwrap().value))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let one = evaluator(CCE, Engine::Auto).with_threads(1);
    let single = one.evaluate(&inputs).unwrap().value;
    for v in results {
        assert_eq!(v.to_bits(), single.to_bits());
    }
}

/// `evaluate_into` writes every element of every buffer (the Python
/// binding hands it uninitialised memory): buffers filled with a sentinel
/// come back equal to `evaluate`'s results, for gradients written by a flat
/// pass, a rows pass, filled from a scalar, or copied from a class value.
#[test]
fn evaluate_into_overwrites_every_element() {
    let (n, c) = (23, 7);
    let z = logits(n, c);
    let y = labels(n, c);
    let w: Vec<f32> = (0..c).map(|j| 0.1 * j as f32).collect();
    let cases = [
        "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y)",
        "input z: f32[N, C]\ntarget y: i64[N]\nmean(sigmoid(z))",
        "input z: f32[N, C]\ntarget y: i64[N]\nparam w: f32[C]\nsparse_cce(z + w, y) + sum(w^2)",
        "input z: f32[N, C]\ntarget y: i64[N]\nparam w: f32[C]\nsum(z) * 0 + mean(w)",
    ];
    for src in cases {
        for engine in [Engine::Native, Engine::Reference] {
            let spec = LossSpec::from_str(src).unwrap();
            let mut ins = vec![
                ("z", InputView::F32(z.view().into_dyn())),
                ("y", InputView::I64(y.view())),
            ];
            if src.contains("param w") {
                ins.push(("w", InputView::from_slice(&w, &[c]).unwrap()));
            }
            let compiled = spec.compile_for(None, &ins[..]).unwrap();
            // With Hessian buffers where the diagonal pass supports them.
            let compiled = compiled.clone().with_hessians().unwrap_or(compiled);
            let e = compiled.into_evaluator(engine).unwrap();
            let want = e.evaluate(&ins[..]).unwrap();
            let mut bufs: Vec<Vec<f32>> = want
                .gradients
                .iter()
                .chain(&want.hessians)
                .map(|(_, a)| vec![f32::NAN; a.len()])
                .collect();
            let k = want.gradients.len();
            let (gs, hs) = bufs.split_at_mut(k);
            let mut out = Outputs::new();
            for ((name, _), b) in want.gradients.iter().zip(gs.iter_mut()) {
                out = out.gradient(name, &mut b[..]);
            }
            for ((name, _), b) in want.hessians.iter().zip(hs.iter_mut()) {
                out = out.hessian(name, &mut b[..]);
            }
            e.evaluate_into(&ins[..], &mut out).unwrap();
            drop(out);
            for ((name, a), b) in want.gradients.iter().chain(&want.hessians).zip(&bufs) {
                for (u, &v) in a.iter().zip(b) {
                    assert_eq!(*u as f32, v, "{src} {engine:?} `{name}`");
                }
            }
        }
    }
}

/// An objective compiled `without_value` computes the same gradients and
/// Hessians (the passes only lose the value's work; bit for bit from the
/// reference evaluator, and natively to the last bits of `σ`, which a pass
/// with the value's `softplus` takes from the logistic pack at AVX2 and
/// above) and reports the value as NaN with no terms.
#[test]
fn without_value_gives_the_same_derivatives_and_no_value() {
    let (n, c) = (29, 6);
    let z = logits(n, c);
    let y = labels(n, c);
    let ins = [
        ("z", InputView::F32(z.view().into_dyn())),
        ("y", InputView::I64(y.view())),
    ];
    for src in [CCE, "input z: f32[N, C]\ntarget y: i64[N]\nbce(z, y > 2)"] {
        let full = LossSpec::from_str(src)
            .unwrap()
            .compile_for(None, &ins)
            .unwrap()
            .with_hessians()
            .unwrap();
        let bare = full.clone().without_value();
        assert!(full.computes_value() && !bare.computes_value());
        for engine in [Engine::Native, Engine::Reference] {
            let a = full.evaluator(engine).unwrap().evaluate(&ins).unwrap();
            let b = bare.evaluator(engine).unwrap().evaluate(&ins).unwrap();
            assert!(a.value.is_finite(), "{src} {engine:?}");
            assert!(b.value.is_nan() && b.terms.is_empty(), "{src} {engine:?}");
            if engine == Engine::Reference {
                assert_eq!(a.gradients, b.gradients, "{src} {engine:?}");
                assert_eq!(a.hessians, b.hessians, "{src} {engine:?}");
                continue;
            }
            for ((name, x), (_, y)) in a
                .gradients
                .iter()
                .chain(&a.hessians)
                .zip(b.gradients.iter().chain(&b.hessians))
            {
                let scale = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                for (u, v) in x.iter().zip(y.iter()) {
                    assert!(
                        (u - v).abs() <= 8.0 * f64::from(f32::EPSILON) * scale,
                        "{src} `{name}`: {u} vs {v}"
                    );
                }
            }
        }
    }
}
