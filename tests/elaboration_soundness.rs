//! Elaboration, IR and reference-evaluator soundness: shapes that elaboration
//! accepts are shapes the IR accepts, inlining shares work, open inputs'
//! dimensions are named so that documented forms check, the simplifier keeps
//! IEEE semantics, and the reference evaluator stays accurate at extremes.

mod common;

use common::native::compare;
use common::*;
use lossc::native::Precision;

// ---- shapes: per-class operands under per-row reductions --------------------

/// A `[C]` weight times an `[N, C]` element loss under a per-row reduction:
/// the derivative's product of the row adjoint `[N]` and the weight `[C]`
/// used to be rebuilt by a simplifier rule as `[N] * [C]` and panic.
#[test]
fn per_class_weight_under_a_per_row_reduction() {
    let (p, t, w) = (
        [0.0, 1.0, 2.0, 1.0, 0.0, -1.0],
        [0.0, 1.0, 1.0, 1.0, 0.0, 0.0],
        [1.0, 2.0, 0.5],
    );
    let data = inputs(vec![
        ("pred", f64_data(&[2, 3], &p)),
        ("target", f64_data(&[2, 3], &t)),
        ("w", f64_data(&[3], &w)),
    ]);
    let element = |k: usize| w[k % 3] * (t[k] * softplus(-p[k]) + (1.0 - t[k]) * softplus(p[k]));
    let rows: Vec<Vec<f64>> = (0..2)
        .map(|r| (0..3).map(|c| element(3 * r + c)).collect())
        .collect();
    let mean_exp: f64 = rows
        .iter()
        .map(|r| (r.iter().sum::<f64>() / 3.0).exp())
        .sum();
    let max_sum: f64 = rows
        .iter()
        .map(|r| r.iter().cloned().fold(f64::MIN, f64::max))
        .sum();
    for (body, want) in [
        (
            r#"sum(exp(mean(bce(weight = w, reduction = "none"), axis = -1)))"#,
            mean_exp,
        ),
        (
            r#"sum(max(bce(weight = w, reduction = "none"), axis = -1))"#,
            max_sum,
        ),
    ] {
        let src = format!("target w: f64[C]\n{body}");
        assert_close(eval(&src, None, &data).value, want, 1e-14, 0.0, body);
        for p in [Precision::F64, Precision::F32] {
            compare(&src, &data, p, 1);
        }
    }
}

/// A select whose arm is per-row, multiplied by a per-class operand: pushing
/// the product into the arm would build `[N] * [C]`.
#[test]
fn per_row_select_arm_times_per_class_operand() {
    let src = "input r: f64[N]\ntarget w: f64[C]\nsum((if pred > 0 then r else 0) * w)";
    let data = inputs(vec![
        ("pred", f64_data(&[2, 3], &[0.0, 1.0, 2.0, 1.0, 0.0, -1.0])),
        ("r", f64_data(&[2], &[1.0, 2.0])),
        ("w", f64_data(&[3], &[1.0, 2.0, 0.5])),
    ]);
    let r = eval(src, None, &data);
    assert_close(r.value, 2.0 + 0.5 + 2.0, 1e-15, 0.0, "value");
    assert_eq!(grad(&r, "r"), vec![2.5, 1.0]);
    compare(src, &data, Precision::F64, 1);
}

// ---- inlining shares work ----------------------------------------------------

/// `def g{i}(x) = g{i-1}(x) * g{i-1}(x)`: each level calls the one below
/// twice with the same argument, so expanding without sharing doubles per level.
#[test]
fn repeated_calls_with_equal_arguments_expand_once() {
    let mut src = String::from("def g0(x) = x\n");
    for i in 1..=60 {
        src += &format!("def g{i}(x) = g{j}(x) * g{j}(x)\n", j = i - 1);
    }
    src += "mean(g60(pred))";
    let start = std::time::Instant::now();
    let c = compile(
        &src,
        None,
        &inputs(vec![("pred", f64_data(&[3], &[1.0, -1.0, 1.0]))]),
    );
    assert!(
        start.elapsed().as_secs_f64() < 0.5,
        "took {:?}",
        start.elapsed()
    );
    let r = c
        .evaluate(&inputs(vec![("pred", f64_data(&[3], &[1.0, -1.0, 1.0]))]))
        .unwrap();
    assert_eq!(r.value, 1.0);
}

/// Calls whose arguments differ at every level build a genuinely exponential
/// graph: elaboration stops with a diagnostic instead of running for hours.
#[test]
fn exponential_expansion_is_a_diagnostic() {
    let mut src = String::from("def g0(x) = x\n");
    for i in 1..=40 {
        src += &format!("def g{i}(x) = g{j}(x + 1) * g{j}(2 * x + 3)\n", j = i - 1);
    }
    src += "mean(g40(pred))";
    let start = std::time::Instant::now();
    let err = spec(&src).compile(None, &Default::default()).unwrap_err();
    assert!(
        matches!(err.kind(), lossc::diag::DiagKind::TooManyExpansions { .. }),
        "{err}"
    );
    assert!(
        start.elapsed().as_secs_f64() < 10.0,
        "took {:?}",
        start.elapsed()
    );
    println!("{err}\n{:?}", start.elapsed());
}

// ---- open inputs' dimensions -------------------------------------------------

/// Logits `[N, D, C]`, labels `[N, D]`, and the expected mean cross-entropy.
fn dense_labels() -> (Vec<f64>, Vec<i64>, f64) {
    let (n, d, c) = (2, 3, 4);
    let mut rng = rng("dense_labels");
    let p = rng.normals(n * d * c, 2.0);
    let y: Vec<i64> = (0..n * d).map(|_| rng.int(0, c as i64 - 1)).collect();
    let total: f64 = (0..n * d)
        .map(|r| -log_softmax(&p[r * c..(r + 1) * c])[y[r] as usize])
        .sum();
    (p, y, total / (n * d) as f64)
}

/// The documented `sparse_cce` form for dense predictions, with no
/// declarations: the labels' axes are named `[N, D1]`, the logits' `[N, D1, C]`.
#[test]
fn sparse_cce_on_undeclared_dense_labels() {
    let (p, y, want) = dense_labels();
    let data = inputs(vec![
        ("pred", f64_data(&[2, 3, 4], &p)),
        ("target", i64_data(&[2, 3], &y)),
    ]);
    for src in [
        "sparse_cce()",
        "sparse_cce(pred, target)",
        "nll(log_softmax(pred), target)",
    ] {
        assert_close(eval(src, None, &data).value, want, 1e-14, 0.0, src);
        compare(src, &data, Precision::F64, 2);
    }
    // Targets of the logits' rank still name the class axis.
    let onehot: Vec<f64> = (0..24)
        .map(|k| f64::from(y[k / 4] == (k % 4) as i64))
        .collect();
    let data = inputs(vec![
        ("pred", f64_data(&[2, 3, 4], &p)),
        ("target", f64_data(&[2, 3, 4], &onehot)),
    ]);
    assert_close(eval("cce()", None, &data).value, want, 1e-14, 0.0, "cce");
}

#[test]
#[cfg(feature = "cli")]
fn sparse_cce_on_dense_labels_from_npy_files() {
    use ndarray::{ArrayD, IxDyn};
    use ndarray_npy::WriteNpyExt;
    let (p, y, want) = dense_labels();
    let dir = std::env::temp_dir().join(format!("lossc-dense-labels-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (pf, yf) = (dir.join("p.npy"), dir.join("y.npy"));
    ArrayD::from_shape_vec(IxDyn(&[2, 3, 4]), p)
        .unwrap()
        .write_npy(std::fs::File::create(&pf).unwrap())
        .unwrap();
    ArrayD::from_shape_vec(IxDyn(&[2, 3]), y)
        .unwrap()
        .write_npy(std::fs::File::create(&yf).unwrap())
        .unwrap();
    for engine in [&[][..], &["--interp"][..]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lossc"))
            .args(["eval", "-e", "sparse_cce()", "--json"])
            .arg(format!("--input=pred={}", pf.display()))
            .arg(format!("--input=target={}", yf.display()))
            .args(engine)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_close(json["value"].as_f64().unwrap(), want, 1e-12, 0.0, "value");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- the reference evaluator at extreme magnitudes ----------------------------

/// Exact float64 `log1p(sum(exp(d)))` over offsets `d <= 0` from a row's
/// maximum (with the maximum's own 0 left out), summed in order of size.
fn log1p_rest(offsets: &[f64]) -> f64 {
    let mut terms: Vec<f64> = offsets.iter().map(|d| d.exp()).collect();
    terms.sort_by(f64::total_cmp);
    terms.iter().sum::<f64>().ln_1p()
}

#[test]
fn softmax_rows_sum_to_one_at_huge_logits() {
    let mut rng = rng("softmax_rows_sum_to_one_at_huge_logits");
    let z = rng.normals(40, 1.0);
    let data = inputs(vec![("z", f64_data(&[4, 10], &z))]);
    let r = eval("input z: f64[N, C]\nsum(softmax(z + 1e17))", None, &data);
    assert_close(r.value, 4.0, 1e-14, 0.0, "sum of 4 softmax rows");
    // Its gradient is 0 up to rounding (each row sums to 1 whatever z).
    assert!(
        grad(&r, "z").iter().all(|g| g.abs() < 1e-14),
        "{:?}",
        grad(&r, "z")
    );
    // d sum(logsumexp(z)) / dz = softmax(z): rows sum to 1.
    let r = eval("input z: f64[N, C]\nsum(logsumexp(z + 1e17))", None, &data);
    for row in grad(&r, "z").chunks(10) {
        assert_close(row.iter().sum(), 1.0, 1e-14, 0.0, "softmax row");
    }
}

#[test]
fn log_softmax_of_a_constant_row_is_minus_log_c() {
    for (c, big) in [(4usize, 1e26), (10, -1e26), (7, 1e300)] {
        let data = inputs(vec![("z", f64_data(&[1, c], &vec![big; c]))]);
        let r = eval("input z: f64[N, C]\nsum(log_softmax(z))", None, &data);
        assert_close(
            r.value,
            -(c as f64) * (c as f64).ln(),
            1e-15,
            0.0,
            "log_softmax",
        );
        let r = eval("input z: f64[N, C]\nsum(logsumexp(z) - z)", None, &data);
        assert_close(r.value, (c as f64) * (c as f64).ln(), 1e-15, 0.0, "lse - z");
    }
}

/// Cross-entropy at logits around ±1e12, where one unit in the last place of
/// the logits is 1.2e-4: the loss of a row is `(m - x_y) + log1p(rest)`, which
/// must not be rounded through `m + log1p(rest)`.
#[test]
fn sparse_cce_at_huge_logits_matches_float64_formula() {
    let mut rng = rng("sparse_cce_at_huge_logits_matches_float64_formula");
    let (n, c) = (16, 5);
    let mut p = Vec::new();
    let mut want = 0.0;
    let y: Vec<i64> = (0..n).map(|_| rng.int(0, c as i64 - 1)).collect();
    for &label in &y {
        // Integer offsets from ±1e12 are exact; the first entry is the maximum.
        let base = rng.pick(&[1e12, -1e12]);
        let offsets: Vec<f64> = (0..c)
            .map(|k| if k == 0 { 0.0 } else { -(rng.int(0, 6) as f64) })
            .collect();
        p.extend(offsets.iter().map(|d| base + d));
        want += -offsets[label as usize] + log1p_rest(&offsets[1..]);
    }
    want /= n as f64;
    let data = inputs(vec![
        ("pred", f64_data(&[n, c], &p)),
        ("target", i64_data(&[n], &y)),
    ]);
    let r = eval("sparse_cce()", None, &data);
    assert_close(r.value, want, 1e-14, 0.0, "sparse_cce");
    // The gradient is (softmax - onehot) / N: each row sums to 0.
    for row in grad(&r, "pred").chunks(c) {
        assert!(row.iter().sum::<f64>().abs() < 1e-16, "{row:?}");
    }
    let logits = rng.normals(n * c, 1e12);
    let data = inputs(vec![
        ("pred", f64_data(&[n, c], &logits)),
        ("target", i64_data(&[n], &y)),
    ]);
    let want: f64 = (0..n)
        .map(|r| {
            let row = &logits[r * c..(r + 1) * c];
            let m = row.iter().cloned().fold(f64::MIN, f64::max);
            let top = row.iter().position(|&x| x == m).unwrap();
            let rest: Vec<f64> = (0..c).filter(|&k| k != top).map(|k| row[k] - m).collect();
            (m - row[y[r] as usize]) + log1p_rest(&rest)
        })
        .sum::<f64>()
        / n as f64;
    assert_close(
        eval("sparse_cce()", None, &data).value,
        want,
        1e-15,
        0.0,
        "random",
    );
}

/// `1e16 + 1 + 1 - 1e16` is 2, not the 0 of a naive running sum; for a whole
/// sum, a row sum and a column (leading-axis) sum.
#[test]
fn sums_are_compensated() {
    let v = [1e16, 1.0, 1.0, -1e16];
    let data = inputs(vec![("x", f64_data(&[4], &v))]);
    assert_eq!(eval("input x: f64[N]\nsum(x)", None, &data).value, 2.0);
    assert_eq!(eval("input x: f64[N]\nmean(x)", None, &data).value, 0.5);
    let rows = inputs(vec![("x", f64_data(&[2, 4], &[v, v].concat()))]);
    let src = "input x: f64[N, C]\nsum(sum(x, axis = -1) ^ 2)";
    assert_eq!(eval(src, None, &rows).value, 8.0);
    let cols: Vec<f64> = v.iter().flat_map(|&x| [x, x]).collect();
    let cols = inputs(vec![("x", f64_data(&[4, 2], &cols))]);
    let src = "input x: f64[N, C]\nsum(sum(x, axis = 0) ^ 2)";
    assert_eq!(eval(src, None, &cols).value, 8.0);
}

// ---- hazard analysis -----------------------------------------------------------

fn warnings(text: &str) -> String {
    objective_warnings(text, None)
}

fn objective_warnings(text: &str, objective: Option<&str>) -> String {
    let c = spec(text).compile(objective, &Default::default()).unwrap();
    c.render_warnings().to_string()
}

/// The range analysis bounds values, not only signs: `sigmoid` is at most 1,
/// so `1 - max(sigmoid(p) - 0.05, 0)` is at least 0.05.
#[test]
fn bounded_log_arguments_are_not_hazards() {
    for text in [
        "mean(log(1 - max(sigmoid(pred) - 0.05, 0)))",
        "mean(log(2 - tanh(pred)))",
        "mean(log(1.5 - min(sigmoid(pred), 0.5)))",
        "mean(log(clamp(pred, 1e-6, 1)))",
    ] {
        assert_eq!(warnings(text), "", "`{text}`");
    }
    for text in [
        "mean(log(1 - min(pred, 1)))",
        "mean(log(1 - max(sigmoid(pred) - 0.05, 0) - 0.05))",
        "mean(log(2 * sigmoid(pred)))",
    ] {
        assert!(warnings(text).contains("can be 0"), "`{text}`");
    }
}

#[test]
fn hazard_warnings_name_their_objective() {
    let text = "loss first = mean(pred)\nloss second = mean(-target * log(pred))";
    let w = objective_warnings(text, Some("second"));
    assert!(w.contains("in objective `second`"), "{w}");
}
