//! The language's semantics, observed through evaluation.

use lossc::diag::DiagKind;
use lossc::{Data, LossSpec, OwnedInputs};
use ndarray::{ArrayD, IxDyn};

fn arr(shape: &[usize], v: &[f64]) -> Data {
    Data::F64(ArrayD::from_shape_vec(IxDyn(shape), v.to_vec()).unwrap())
}

fn value(spec: &str, inputs: &[(&str, Data)]) -> f64 {
    eval_all(spec, inputs).value
}

fn eval_all(spec: &str, inputs: &[(&str, Data)]) -> lossc::Evaluation {
    let inputs: OwnedInputs = inputs
        .iter()
        .map(|(n, d)| (n.to_string(), d.clone()))
        .collect();
    LossSpec::from_str(spec)
        .unwrap_or_else(|e| panic!("{e}"))
        .evaluate(None, &inputs)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn compile_error(spec: &str) -> DiagKind {
    match LossSpec::from_str(spec).and_then(|s| s.compile(None, &Default::default())) {
        Ok(_) => panic!("`{spec}` compiled"),
        Err(e) => e.kind().clone(),
    }
}

#[test]
fn arithmetic_precedence_is_conventional() {
    let x = [("x", arr(&[1], &[3.0]))];
    let v = |s: &str| value(&format!("input x: f64[N]\nsum({s})"), &x);
    assert_eq!(v("-x^2"), -9.0);
    assert_eq!(v("2^3^2 + 0*x"), 512.0);
    assert_eq!(v("x - 1 - 1"), 1.0);
    assert_eq!(v("x / 3 * 2"), 2.0);
    assert_eq!(v("x^-1"), 1.0 / 3.0);
}

#[test]
fn definitions_take_positional_keyword_and_default_arguments() {
    let spec = "input x: f64[N]\ndef f(a, b = 2, c = b + 1) = a * 100 + b * 10 + c\nloss main = sum(f(x) + f(x, 5) + f(x, c = 0) + f(b = 1, a = x))";
    let x = [("x", arr(&[1], &[1.0]))];
    assert_eq!(value(spec, &x), 123.0 + 156.0 + 120.0 + 112.0);
}

#[test]
fn let_and_elementwise_if() {
    let spec = "input p: f64[N]\ntarget y: f64[N]\n\
        def smooth_l1(p, y, beta = 1.0) = let d = abs(p - y); if d < beta then 0.5 * d^2 / beta else d - 0.5 * beta\n\
        loss main = sum(smooth_l1(p, y))";
    let v = value(
        spec,
        &[
            ("p", arr(&[3], &[0.0, 0.5, 3.0])),
            ("y", arr(&[3], &[0.0, 0.0, 0.0])),
        ],
    );
    assert_eq!(v, 0.0 + 0.125 + 2.5);
}

#[test]
fn static_options_select_branches() {
    let p = arr(&[2], &[1.0, 3.0]);
    let y = arr(&[2], &[0.0, 0.0]);
    let ins = [("pred", p), ("target", y)];
    assert_eq!(value("mse(reduction = \"sum\")", &ins), 10.0);
    assert_eq!(value("mse", &ins), 5.0);
    assert_eq!(value("sum(mse(reduction = \"none\"))", &ins), 10.0);
    assert!(
        matches!(compile_error("mse(reduction = \"avg\")"), DiagKind::InvalidArgument(m) if m.contains("reduction must be"))
    );
    assert!(matches!(
        compile_error("mse(reduction = \"none\")"),
        DiagKind::NonScalarObjective { .. }
    ));
}

#[test]
fn user_definitions_shadow_the_prelude() {
    let ins = [
        ("pred", arr(&[2], &[1.0, 3.0])),
        ("target", arr(&[2], &[0.0, 0.0])),
    ];
    assert_eq!(
        value(
            "def mse(p = pred, y = target) = sum(abs(p - y))\nloss main = mse",
            &ins
        ),
        4.0
    );
}

#[test]
fn imports_bring_definitions_relative_to_the_importer() {
    let dir = std::env::temp_dir().join(format!("lossc-lang-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(
        dir.join("lib/common.loss"),
        "use \"more.loss\"\ndef twice(x) = 2 * thrice(x) / 3\n",
    )
    .unwrap();
    std::fs::write(dir.join("lib/more.loss"), "def thrice(x) = 3 * x\n").unwrap();
    std::fs::write(
        dir.join("main.loss"),
        "use \"lib/common.loss\"\ninput x: f64[N]\nloss main = sum(twice(x))\n",
    )
    .unwrap();
    let spec = LossSpec::from_file(dir.join("main.loss")).unwrap_or_else(|e| panic!("{e}"));
    let inputs: OwnedInputs = [("x".to_string(), arr(&[2], &[1.0, 2.0]))]
        .into_iter()
        .collect();
    assert_eq!(spec.evaluate(None, &inputs).unwrap().value, 6.0);
    // A cycle is an error.
    std::fs::write(
        dir.join("lib/more.loss"),
        "use \"common.loss\"\ndef thrice(x) = 3 * x\n",
    )
    .unwrap();
    let err = LossSpec::from_file(dir.join("main.loss")).unwrap_err();
    assert!(
        matches!(err.kind(), DiagKind::ImportCycle { chain } if chain.contains("common.loss -> ") && chain.contains("more.loss")),
        "{err}"
    );
}

#[test]
fn class_axis_operations() {
    let z = arr(&[2, 3], &[1.0, 2.0, 3.0, 0.0, 0.0, 0.0]);
    let ins = [("z", z)];
    let lse0 = (1f64.exp() + 2f64.exp() + 3f64.exp()).ln();
    let lse1 = 3f64.ln();
    let v = |s: &str| value(&format!("input z: f64[N, C]\n{s}"), &ins);
    assert!((v("sum(logsumexp(z))") - (lse0 + lse1)).abs() < 1e-12);
    assert!((v("sum(softmax(z))") - 2.0).abs() < 1e-12);
    assert!((v("sum(max(z, axis = -1))") - 3.0).abs() < 1e-12);
    assert!((v("sum(min(z, axis = -1))") - 1.0).abs() < 1e-12);
    assert!((v("sum(sum(z, axis = -1))") - 6.0).abs() < 1e-12);
    assert!((v("mean(mean(z, axis = -1))") - 1.0).abs() < 1e-12);
    assert!((v("sum(log_softmax(z) - (z - logsumexp(z)))")).abs() < 1e-12);
    assert_eq!(
        v("dim(z) + dim(z, axis = 0) + numel(z) + C"),
        3.0 + 2.0 + 6.0 + 3.0
    );
}

#[test]
fn gather_and_onehot_select_the_label_entry() {
    let spec = "input z: f64[N, C]\ntarget y: i64[N]\nloss main = sum(gather(z, y)) + 10 * sum(onehot(y, C) * z)";
    let ins = [
        ("z", arr(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])),
        (
            "y",
            Data::I64(ArrayD::from_shape_vec(IxDyn(&[2]), vec![2, 0]).unwrap()),
        ),
    ];
    assert_eq!(value(spec, &ins), 7.0 + 70.0);
}

#[test]
fn broadcasting_rows_and_classes() {
    let ins = [
        ("z", arr(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])),
        ("r", arr(&[2], &[1.0, 10.0])),
        ("w", arr(&[3], &[1.0, 0.0, 0.0])),
    ];
    let spec = "input z: f64[N, C]\ntarget r: f64[N]\ntarget w: f64[C]\n";
    // Per-row values broadcast along the class axis, per-class values along rows.
    assert_eq!(value(&format!("{spec}sum(z * r)"), &ins), 6.0 + 150.0);
    assert_eq!(value(&format!("{spec}sum(z * w)"), &ins), 5.0);
    assert!(matches!(
        compile_error("input a: f32[N]\ninput b: f32[M]\nmean(a + b)"),
        DiagKind::Shape(_)
    ));
}

#[test]
fn booleans_are_checked() {
    assert!(matches!(
        compile_error("input x: f32[N]\nmean(if x then 1 else 0)"),
        DiagKind::Type { .. }
    ));
    assert!(matches!(
        compile_error("input x: f32[N]\nmean(x and x > 0)"),
        DiagKind::Type { .. }
    ));
    assert!(matches!(
        compile_error("input x: f32[N]\nmean(x + \"a\")"),
        DiagKind::Type { .. }
    ));
    assert!(matches!(
        compile_error("input x: i64[N]\nmean(x)"),
        DiagKind::Type { .. }
    ));
}

#[test]
fn several_objectives_first_is_default() {
    let spec = LossSpec::from_str("input x: f64[N]\nloss a = sum(x)\nloss b = sum(2 * x)").unwrap();
    assert_eq!(spec.objectives(), vec!["a", "b"]);
    let inputs: OwnedInputs = [("x".to_string(), arr(&[2], &[1.0, 2.0]))]
        .into_iter()
        .collect();
    assert_eq!(spec.evaluate(None, &inputs).unwrap().value, 3.0);
    assert_eq!(spec.evaluate(Some("b"), &inputs).unwrap().value, 6.0);
    assert!(matches!(
        spec.compile(Some("c"), &Default::default())
            .unwrap_err()
            .kind(),
        DiagKind::UnknownObjective { .. }
    ));
}

#[test]
fn deep_and_long_specs_neither_overflow_nor_hang() {
    let long = format!(
        "input x: f64[N]\nloss main = {}",
        vec!["sum(x)"; 30000].join(" + ")
    );
    let spec = LossSpec::from_str(&long).unwrap();
    let c = spec.compile(None, &Default::default()).unwrap();
    // Hash-consing: thirty thousand identical terms share one node each.
    assert!(c.graph().len() < 60100, "{}", c.graph().len());
    let deep_lets: String = (0..150).map(|i| format!("let v{i} = x + {i};")).collect();
    assert!(LossSpec::from_str(&format!("input x: f64[N]\nmean({deep_lets} v149)")).is_ok());
    let too_deep: String = (0..5000).map(|i| format!("let v{i} = x;")).collect();
    assert!(matches!(
        LossSpec::from_str(&format!("input x: f64[N]\nmean({too_deep} x)"))
            .unwrap_err()
            .kind(),
        DiagKind::TooDeep { .. }
    ));
}

#[test]
fn probabilities_of_exactly_zero_and_one_stay_finite() {
    let ins = [
        ("pred", arr(&[4], &[0.0, 1.0, 0.0, 1.0])),
        ("target", arr(&[4], &[0.0, 1.0, 1.0, 0.0])),
    ];
    let inputs: OwnedInputs = ins
        .iter()
        .map(|(n, d)| (n.to_string(), d.clone()))
        .collect();
    let r = LossSpec::from_str("bce(from_logits = false)")
        .unwrap()
        .evaluate(None, &inputs)
        .unwrap();
    // Two perfect predictions (0) and two clamped at -log = 100, as PyTorch's BCELoss.
    assert_eq!(r.value, 50.0);
    assert!(
        r.gradient("pred").unwrap().iter().all(|g| g.is_finite()),
        "{:?}",
        r.gradient("pred")
    );
}

#[test]
fn simplified_constants_keep_their_shape() {
    // `z - z` folds to 0, and `exp(-0^2)` to 1, but both are still [N, C]:
    // the class-axis reduction after them must see the class axis.
    let ins = [("z", arr(&[2, 4], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]))];
    let v = value(
        "input z: f64[N, C]\nmean(logsumexp(exp(-(z - z)^2), axis = -1)) + sum(softmax(0 * z))",
        &ins,
    );
    assert!((v - (1.0 + 4f64.ln() + 2.0)).abs() < 1e-12, "{v}");
}

#[test]
fn onehot_takes_the_size_of_a_named_axis_and_axis_0_sums_per_class() {
    let x = arr(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let y = Data::I64(ArrayD::from_shape_vec(IxDyn(&[2]), vec![2, 0]).unwrap());
    let decl = "input x: f64[N, C]\ntarget y: i64[N]\n";
    let picked = value(
        &format!("{decl}sum(onehot(y, dim(x)) * x)"),
        &[("x", x.clone()), ("y", y.clone())],
    );
    assert_eq!(picked, 3.0 + 4.0);
    // Per-class totals over the batch: [5, 7, 9], then weighted by class.
    let per_class = value(
        &format!("{decl}sum(sum(x, axis=0) * sum(onehot(y, dim(x)), axis=0))"),
        &[("x", x.clone()), ("y", y.clone())],
    );
    assert_eq!(per_class, 5.0 + 9.0);
    let mean0 = value(
        &format!("{decl}sum(mean(x, axis=0)^2) + 0*sum(y)"),
        &[("x", x), ("y", y)],
    );
    assert_eq!(mean0, 2.5f64.powi(2) + 3.5f64.powi(2) + 4.5f64.powi(2));
    assert!(matches!(
        compile_error("input x: f32[N, N]\nsum(sum(x, axis=0))"),
        DiagKind::Shape(_)
    ));
}

#[test]
fn let_names_and_parameters_shadow_definitions_in_the_recursion_check() {
    let v = value(
        "def f(x) = let g = 2 * x; g\ndef g(x) = f(x)\nloss main = sum(g(pred))",
        &[("pred", arr(&[2], &[1.0, 2.0]))],
    );
    assert_eq!(v, 6.0);
    assert!(matches!(
        compile_error("def f(x) = let y = 2 * x; g(y)\ndef g(x) = f(x)\nloss main = sum(g(pred))"),
        DiagKind::Recursion { .. }
    ));
}

#[test]
fn a_parameter_declared_without_a_shape_may_be_a_scalar() {
    // Kendall-style task weighting: the objective is a scalar only when `s` is.
    let spec = LossSpec::from_str("param s: f32\nexp(-s) * mse + s").unwrap();
    let c = spec.compile(None, &Default::default()).unwrap();
    let s = c.inputs().iter().find(|i| i.name == "s").unwrap();
    assert!(c.graph().shape(s.shape).is_empty());
}

#[test]
fn fixed_dimensions_are_checked_integers() {
    let max = i64::MAX;
    let check = |spec: &str| LossSpec::from_str(spec).map(|_| ());
    assert!(check(&format!("input x: f32[N, {max}]\nmean(x)")).is_ok());
    for size in [
        format!("{}", max as u64 + 1),
        "18446744073709551616".to_string(),
        "99999999999999999999999".to_string(),
    ] {
        let err = check(&format!("input x: f32[N, {size}]\nmean(x)")).unwrap_err();
        assert_eq!(
            err.kind(),
            &DiagKind::DimensionTooLarge {
                size: size.clone(),
                limit: max as u64
            }
        );
        assert!(err.render().contains("= help:"), "{}", err.render());
    }
    assert!(matches!(
        compile_error("target y: i64[N]\nsum(onehot(y, 1e30))"),
        DiagKind::DimensionTooLarge { .. }
    ));
}

/// `log_sigmoid` and `where`, which users reach for, are prelude functions:
/// values and gradients against float64 formulas, at extremes too.
#[test]
fn log_sigmoid_and_where_are_functions() {
    let xs = [-1e4, -50.0, -1.0, 0.0, 2.0, 50.0, 1e4];
    let ins = |x: &[f64]| vec![("x", arr(&[x.len()], x))];
    let r = eval_all("input x: f64[N]\nsum(log_sigmoid(x))", &ins(&xs));
    let log_sigmoid = |x: f64| {
        if x < 0.0 {
            x - (-x).exp().ln_1p()
        } else {
            -(-x).exp().ln_1p()
        }
    };
    let want: f64 = xs.iter().map(|&x| log_sigmoid(x)).sum();
    assert!(
        (r.value - want).abs() <= 1e-12 * want.abs(),
        "{} vs {want}",
        r.value
    );
    let g = r.gradient("x").unwrap();
    for (&x, &d) in xs.iter().zip(g.iter()) {
        let sigma_neg = 1.0 / (1.0 + x.exp()); // d/dx log σ(x) = σ(-x)
        assert!((d - sigma_neg).abs() <= 1e-12, "at {x}: {d} vs {sigma_neg}");
    }
    let r = eval_all(
        "input x: f64[N]\nsum(where(x > 0, x^2, -x))",
        &ins(&[-2.0, 3.0]),
    );
    assert_eq!(r.value, 2.0 + 9.0);
    assert_eq!(r.gradient("x").unwrap().as_slice().unwrap(), &[-1.0, 6.0]);
}

/// The first diagnostic's help line for a spec that does not compile.
fn help_of(spec: &str) -> String {
    let err = LossSpec::from_str(spec)
        .and_then(|s| s.compile(None, &Default::default()))
        .err()
        .unwrap_or_else(|| panic!("`{spec}` compiled"));
    err.diagnostics[0].help.clone().unwrap_or_default()
}

#[test]
fn unknown_functions_get_suggestions_and_targeted_hints() {
    assert_eq!(help_of("mean(focla(pred))"), "did you mean `focal`?");
    assert_eq!(help_of("focla"), "did you mean `focal`?");
    assert_eq!(help_of("0.5 * dcie"), "did you mean `dice`?");
    assert!(help_of("mean(logsigmoid(pred))").contains("log_sigmoid(x)"));
    assert!(help_of("mean(select(pred > 0, pred, 0))").contains("if c then a else b"));
    assert!(help_of("mean(norm(pred))").contains("sqrt(sum(x^2))"));
    // A definition of that name is used, not hinted at.
    let v = value(
        "input x: f64[N]\ndef norm(v) = sqrt(sum(v^2))\nnorm(x)",
        &[("x", arr(&[2], &[3.0, 4.0]))],
    );
    assert_eq!(v, 5.0);
}

#[test]
fn axis_errors_say_which_axes_are_allowed() {
    let err = LossSpec::from_str("input x: f32[N, D, C]\nsum(x, axis=1)")
        .and_then(|s| s.compile(None, &Default::default()))
        .unwrap_err();
    let text = err.render();
    assert!(
        text.contains("`sum` reduces every axis (no `axis`), the leading axis (`axis = 0`) or the last axis (`axis = -1`)"),
        "{text}"
    );
    let err = LossSpec::from_str("input x: f32[N, D, C]\nsum(logsumexp(x, axis=1))")
        .and_then(|s| s.compile(None, &Default::default()))
        .unwrap_err();
    assert!(
        err.render()
            .contains("`logsumexp` reduces the class (last) axis only")
    );
}

/// Every documented option range of the standard library: a number outside
/// it is an `InvalidArgument` reported at the user's call; the ends of the
/// range and values known only at run time compile.
#[test]
fn option_ranges_are_enforced_at_the_users_call() {
    let decl = "input p: f64[N, C]\ntarget t: f64[N, C]\ntarget y: i64[N]\ntarget s: f64\n\
                input a: f64[N, C]\ninput b: f64[N, C]\ninput c: f64[N, C]\ntarget v: f64[N]\nparam w: f64[K]\n";
    let out_of_range = [
        ("focal(p, t, alpha = 2)", "alpha"),
        ("focal(p, t, alpha = -0.1)", "alpha"),
        ("focal(p, t, gamma = -1)", "gamma"),
        ("categorical_focal(p, y, gamma = -1)", "gamma"),
        ("categorical_focal(p, y, alpha = -1)", "alpha"),
        ("bce(p, t, pos_weight = -1)", "pos_weight"),
        ("poly1(p, y, epsilon = -2)", "epsilon"),
        ("cce(p, t, label_smoothing = 1.5)", "label_smoothing"),
        ("huber(p, t, delta = 0)", "delta"),
        ("huber(p, t, delta = -1)", "delta"),
        ("smooth_l1(p, t, beta = -1)", "beta"),
        ("msle(p, t, eps = -1)", "eps"),
        ("mape(p, t, eps = 0)", "eps"),
        ("poisson_nll(p, t, eps = -1)", "eps"),
        ("gaussian_nll(p, t, var = 1, eps = 0)", "eps"),
        ("quantile(p, t, tau = 1.5)", "tau"),
        ("quantile(p, t, tau = -0.5)", "tau"),
        ("cosine_embedding(a, b, v, margin = 2)", "margin"),
        ("triplet_margin(a, b, c, margin = 0)", "margin"),
        ("triplet_margin(a, b, c, p = 0.5)", "p must"),
        ("triplet_margin(a, b, c, eps = -1)", "eps"),
        ("elastic_net(w, l1_ratio = 1.5)", "l1_ratio"),
        ("dice(p, t, smooth = -1)", "smooth"),
        ("dice(p, t, eps = 0)", "eps"),
        ("jaccard(p, t, eps = -1)", "eps"),
        ("tversky(p, t, alpha = -1)", "alpha"),
        ("tversky(p, t, beta = -1)", "beta"),
        ("focal_tversky(p, t, gamma = 0)", "gamma"),
        ("generalized_dice(p, t, smooth = -1)", "smooth"),
    ];
    for (call, needle) in out_of_range {
        let spec = format!("{decl}loss main = 1.0 * {call}");
        let err = LossSpec::from_str(&spec)
            .and_then(|s| s.compile(None, &Default::default()))
            .err()
            .unwrap_or_else(|| panic!("`{call}` compiled"));
        let d = &err.diagnostics[0];
        assert!(
            matches!(&d.kind, DiagKind::InvalidArgument(m) if m.contains(needle)),
            "{call}: {}",
            err.render()
        );
        assert_eq!(err.sources.snippet(d.span), call, "{call}: not at the call");
    }
    let in_range = [
        "focal(p, t, alpha = 0, gamma = 0)",
        "focal(p, t, alpha = 1, gamma = s)",
        "categorical_focal(p, y, alpha = 0)",
        "bce(p, t, pos_weight = 0)",
        "bce(p, t, pos_weight = t)",
        "poly1(p, y, epsilon = -1)",
        "cce(p, t, label_smoothing = 1)",
        "huber(p, t, delta = 1e-9)",
        "huber(p, t, delta = s)",
        "smooth_l1(p, t, beta = 0)",
        "msle(p, t, eps = 0)",
        "quantile(p, t, tau = 0) + quantile(p, t, tau = 1) + quantile(p, t, tau = s)",
        "cosine_embedding(a, b, v, margin = -1) + cosine_embedding(a, b, v, margin = 1)",
        "triplet_margin(a, b, c, margin = 1e-9, p = 1, eps = 0)",
        "elastic_net(w, l1_ratio = 0) + elastic_net(w, l1_ratio = 1)",
        "dice(p, t, smooth = 0) + tversky(p, t, alpha = 0, beta = 0)",
        "focal_tversky(p, t, gamma = 1e-3)",
    ];
    for call in in_range {
        let spec = format!("{decl}loss main = 1.0 * ({call})");
        if let Err(e) = LossSpec::from_str(&spec).and_then(|s| s.compile(None, &Default::default()))
        {
            panic!("`{call}`: {e}");
        }
    }
}
