//! Golden tests for what users read: rendered compile diagnostics and
//! printed derivatives.
//!
//! Each `tests/golden/diagnostics/NAME.loss` fails to compile; the rendered
//! [`CompileError`] must equal `NAME.stderr` beside it, and the first
//! diagnostic must be of the expected [`DiagKind`]. Each
//! `tests/golden/derive/NAME.txt` holds `CompiledLoss::derivative_text(None)`
//! of a standard loss.
//!
//! After an intended change of wording or layout, regenerate the files with
//!
//!     UPDATE_GOLDEN=1 cargo test --release --test diagnostics
//!
//! and review the difference before committing it.

use lossc::diag::DiagKind;
use lossc::{CompileError, LossSpec};

const DIAGNOSTICS: &str = "tests/golden/diagnostics";
const DERIVE: &str = "tests/golden/derive";

fn updating() -> bool {
    std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1")
}

/// Compare `actual` with the golden file, or rewrite it under `UPDATE_GOLDEN=1`.
fn golden(path: &str, actual: &str) {
    if updating() {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("writing {path}: {e}"));
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "reading {path}: {e}\n(run with UPDATE_GOLDEN=1 to create it)\nactual output:\n{actual}"
        )
    });
    if expected != actual {
        panic!(
            "{path} does not match (run with UPDATE_GOLDEN=1 to accept the new output)\n\
             ---- expected ----\n{expected}---- actual ----\n{actual}---- end ----"
        );
    }
}

/// Rendered diagnostics with machine-specific path prefixes removed: files
/// reached through `use` are named by their resolved path.
fn render(err: &CompileError) -> String {
    let root = format!("{}/", env!("CARGO_MANIFEST_DIR"));
    err.render().replace(&root, "")
}

/// Check and compile `NAME.loss` (objective `objective`, or the default),
/// expecting failure; compare the rendering with `NAME.stderr`.
fn failing_case(name: &str, objective: Option<&str>) -> CompileError {
    let path = format!("{DIAGNOSTICS}/{name}.loss");
    let err = match LossSpec::from_file(&path)
        .and_then(|spec| spec.compile(objective, &Default::default()))
    {
        Ok(_) => panic!("{path} compiled, but it should not"),
        Err(e) => e,
    };
    golden(&format!("{DIAGNOSTICS}/{name}.stderr"), &render(&err));
    err
}

/// One test per golden case: `case!(name, objective, pattern)`.
macro_rules! case {
    ($name:ident, $objective:expr, $kind:pat $(if $guard:expr)?) => {
        #[test]
        fn $name() {
            let err = failing_case(stringify!($name), $objective);
            assert!(
                matches!(err.kind(), $kind $(if $guard)?),
                "{}: unexpected diagnostic kind {:?}\n{}",
                stringify!($name),
                err.kind(),
                err.render()
            );
        }
    };
}

/// Every golden case, in the order of [`DiagKind`]'s variants.
const CASES: &[&str] = &[
    "syntax_error",
    "power_operator_hint",
    "comment_hint",
    "indexing_hint",
    "missing_import",
    "import_cycle",
    "duplicate_definition",
    "unknown_name",
    "unknown_function",
    "not_a_function",
    "arity",
    "unknown_keyword",
    "long_line",
    "duplicate_keyword",
    "missing_argument",
    "type_error",
    "type_error_in_prelude",
    "integer_input",
    "dimension_too_large",
    "shape_mismatch",
    "non_scalar",
    "recursion",
    "unknown_objective",
    "no_objective",
    "invalid_argument",
    "option_out_of_range",
];

case!(syntax_error, None, DiagKind::Syntax(msg) if msg.contains("expected an expression"));
case!(power_operator_hint, None, DiagKind::Syntax(_));
case!(comment_hint, None, DiagKind::Syntax(_));
case!(indexing_hint, None, DiagKind::Syntax(_));
case!(missing_import, None, DiagKind::MissingFile { path, .. } if path == "imports/no_such_file.loss");
case!(import_cycle, None, DiagKind::ImportCycle { chain } if chain.contains("cycle_other.loss"));
case!(duplicate_definition, None, DiagKind::Duplicate { name } if name == "penalty");
case!(unknown_name, None, DiagKind::UnknownName { name } if name == "msk");
case!(unknown_function, None, DiagKind::UnknownFunction { name } if name == "hubber");
case!(not_a_function, None, DiagKind::NotAFunction { name } if name == "pred");
case!(arity, None, DiagKind::Arity { name, got: 4, .. } if name == "mse");
case!(unknown_keyword, None, DiagKind::UnknownKeyword { name, keyword } if name == "focal" && keyword == "gama");
case!(long_line, None, DiagKind::UnknownKeyword { keyword, .. } if keyword == "gama");
case!(duplicate_keyword, None, DiagKind::DuplicateKeyword { keyword, .. } if keyword == "gamma");
case!(missing_argument, None, DiagKind::MissingArgument { name, param } if name == "scaled" && param == "k");
case!(type_error, None, DiagKind::Type { expected, .. } if expected.contains("integer"));
case!(type_error_in_prelude, None, DiagKind::Type { expected, .. } if expected.contains("integer"));
case!(integer_input, None, DiagKind::Type { found, .. } if found == "i64");
case!(dimension_too_large, None, DiagKind::DimensionTooLarge { size, limit } if size == "99999999999999999999999" && *limit == i64::MAX as u64);
case!(shape_mismatch, None, DiagKind::Shape(msg) if msg.contains("[M, 4]") && msg.contains("[N, 4]"));
case!(non_scalar, None, DiagKind::NonScalarObjective { name, shape } if name == "per_sample" && shape == "[N]");
case!(recursion, None, DiagKind::Recursion { .. });
case!(unknown_objective, Some("nope"), DiagKind::UnknownObjective { name } if name == "nope");
case!(no_objective, None, DiagKind::NoObjective);
case!(option_out_of_range, None, DiagKind::InvalidArgument(msg) if msg == "alpha must be none or a number in [0, 1]");
case!(invalid_argument, None, DiagKind::InvalidArgument(msg) if msg.contains("reduction"));

#[test]
fn every_golden_file_belongs_to_a_case() {
    let mut on_disk: Vec<String> = std::fs::read_dir(DIAGNOSTICS)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".loss") || n.ends_with(".stderr"))
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = CASES
        .iter()
        .flat_map(|c| [format!("{c}.loss"), format!("{c}.stderr")])
        .collect();
    expected.sort();
    if !updating() {
        assert_eq!(
            on_disk, expected,
            "golden files without a case, or cases without golden files"
        );
    }
}

#[test]
fn diagnostics_point_into_the_users_file() {
    // A mistake inside a standard-library expansion is reported at the user's
    // call, and the note shows where in the prelude it happened.
    let err = failing_case("type_error_in_prelude", None);
    let d = &err.diagnostics[0];
    assert_eq!(
        err.sources.file(d.span.file).name,
        "tests/golden/diagnostics/type_error_in_prelude.loss"
    );
    assert_eq!(err.sources.snippet(d.span), "sparse_cce(logits, labels)");
    let note = d.notes[0].span.expect("the note points into the prelude");
    assert_eq!(
        err.sources.file(note.file).name,
        "<prelude>/classification.loss"
    );
}

#[test]
fn did_you_mean_hints() {
    let help = |name: &str| {
        failing_case(name, None).diagnostics[0]
            .help
            .clone()
            .unwrap_or_default()
    };
    assert_eq!(help("unknown_name"), "did you mean `mask`?");
    assert_eq!(help("unknown_function"), "did you mean `huber`?");
    assert_eq!(help("unknown_keyword"), "did you mean `gamma`?");
    assert!(help("non_scalar").contains("mean(...)"));
    assert!(help("power_operator_hint").contains("`^` is the power operator"));
    assert!(help("comment_hint").contains("`#` starts a comment"));
    assert!(help("indexing_hint").contains("gather"));
}

// ---- pathological inputs: generated, never a crash ------------------------

fn compile_str(text: &str) -> Result<lossc::CompiledLoss, CompileError> {
    LossSpec::from_str(text).and_then(|s| s.compile(None, &Default::default()))
}

fn assert_too_deep(what: &str, text: &str) {
    let err = compile_str(text)
        .err()
        .unwrap_or_else(|| panic!("{what}: compiled"));
    assert_eq!(
        err.kind(),
        &DiagKind::TooDeep {
            limit: lossc::syntax::MAX_DEPTH
        },
        "{what}"
    );
    let rendered = err.render();
    assert!(
        rendered.starts_with("error: expression nested too deeply"),
        "{what}: {rendered}"
    );
    assert!(rendered.contains("nesting limit reached here"), "{what}");
}

#[test]
fn deeply_nested_parentheses_are_too_deep() {
    let n = 5000;
    assert_too_deep(
        "parentheses",
        &format!("mean({}pred{})", "(".repeat(n), ")".repeat(n)),
    );
    // Unbalanced: the depth check comes before the syntax error.
    assert_too_deep(
        "unclosed parentheses",
        &format!("mean({}pred", "(".repeat(n)),
    );
}

#[test]
fn brackets_in_strings_and_comments_do_not_hide_nesting() {
    // `("x)" + ` opens one level per repetition: the `)` is inside a string.
    assert_too_deep(
        "string",
        &format!("mean({}pred)", "(\"x)\" + ".repeat(200_000)),
    );
    assert_too_deep(
        "string, 300",
        &format!("mean({}pred)", "(\"x)\" + ".repeat(300)),
    );
    assert_too_deep(
        "comment",
        &format!("mean({}pred{})", "( # )\n".repeat(300), ")".repeat(300)),
    );
}

#[test]
fn deep_unary_minus_chain_is_too_deep() {
    assert_too_deep("minus", &format!("mean({}pred)", "-".repeat(5000)));
    assert_too_deep("spaced minus", &format!("mean({}pred)", "- ".repeat(5000)));
}

#[test]
fn deep_power_let_if_and_not_chains_are_too_deep() {
    assert_too_deep("power", &format!("mean(pred{})", "^1".repeat(5000)));
    let lets: String = (0..5000).map(|i| format!("let x{i} = pred; ")).collect();
    assert_too_deep("let", &format!("mean({lets}pred)"));
    assert_too_deep(
        "if",
        &format!(
            "mean({}pred{})",
            "if pred > 0 then pred else ".repeat(5000),
            ""
        ),
    );
    assert_too_deep(
        "not",
        &format!("mean(if {}pred > 0 then pred else 0)", "not ".repeat(5000)),
    );
}

/// Run `f` on a thread with the stack a program's main thread gets (8 MiB).
fn on_main_sized_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn_scoped(s, f)
            .unwrap()
            .join()
            .unwrap()
    })
}

#[test]
fn nesting_below_the_limit_compiles() {
    // Well inside the limit, on the test harness's own (2 MiB) thread.
    let loss = compile_str(&format!("mean({}pred{})", "(".repeat(100), ")".repeat(100))).unwrap();
    assert_eq!(
        loss.derivative_text(Some("pred")).unwrap(),
        "d main / d pred = 1 / N\n"
    );
    // At the limit. Parsing runs on the caller's thread, and in release builds
    // pest needs about 11 KiB of stack per parenthesis level, which is more
    // than a 2 MiB thread holds at this depth: give it a main thread's stack.
    let n = lossc::syntax::MAX_DEPTH - 1; // `mean(` is one level
    on_main_sized_stack(move || {
        let loss = compile_str(&format!("mean({}pred{})", "(".repeat(n), ")".repeat(n))).unwrap();
        assert_eq!(
            loss.derivative_text(Some("pred")).unwrap(),
            "d main / d pred = 1 / N\n"
        );
        let half = n / 2;
        let loss = compile_str(&format!(
            "mean({}pred{})",
            "-(".repeat(half),
            ")".repeat(half)
        ))
        .unwrap();
        assert!(
            loss.derivative_text(Some("pred"))
                .unwrap()
                .starts_with("d main / d pred = ")
        );
        compile_str(&format!("mean(pred{})", "^1".repeat(n - 1))).unwrap();
    });
}

#[test]
fn a_long_flat_sum_compiles() {
    use lossc::{Data, OwnedInputs};
    let n = 20_000;
    let mut inputs = OwnedInputs::new();
    inputs.insert(
        "pred".into(),
        Data::F64(ndarray::array![1.0, 2.0, 3.0, 4.0].into_dyn()),
    );
    // A sum of 20000 objective terms, each reported on its own.
    let terms: Vec<String> = (0..n)
        .map(|i| format!("{}e-4*mean(pred)", i % 7 + 1))
        .collect();
    let loss = compile_str(&terms.join(" + ")).unwrap();
    assert_eq!(loss.objective.terms.len(), n);
    let weight: f64 = (0..n).map(|i| (i % 7 + 1) as f64 * 1e-4).sum();
    let result = loss.evaluate(&inputs).unwrap();
    assert!(
        (result.value - 2.5 * weight).abs() < 1e-9,
        "{}",
        result.value
    );
    assert_eq!(result.terms.len(), n);
    // And a long sum inside one reduction: d/dpred mean(sum_i k_i * pred) = sum_i k_i / N.
    let inner: Vec<String> = (0..n).map(|i| format!("{}*pred", i % 5 + 1)).collect();
    let loss = compile_str(&format!("mean({})", inner.join(" + "))).unwrap();
    assert!(
        loss.derivative_text(Some("pred"))
            .unwrap()
            .contains("d main / d pred = ")
    );
    let k: f64 = (0..n).map(|i| (i % 5 + 1) as f64).sum();
    let g = loss
        .evaluate(&inputs)
        .unwrap()
        .gradient("pred")
        .unwrap()
        .clone();
    assert!(g.iter().all(|&x| (x - k / 4.0).abs() < 1e-6 * k), "{g}");
    // Differences chain the same way.
    let inner: Vec<String> = (0..n).map(|_| "pred".to_string()).collect();
    compile_str(&format!("mean({})", inner.join(" - "))).unwrap();
}

// ---- printed derivatives --------------------------------------------------

fn derive_case(name: &str, spec: LossSpec) {
    let loss = spec
        .compile(None, &Default::default())
        .unwrap_or_else(|e| panic!("{name}:\n{}", e.render()));
    golden(
        &format!("{DERIVE}/{name}.txt"),
        &loss.derivative_text(None).unwrap(),
    );
}

fn derive_str(name: &str, text: &str) {
    derive_case(
        name,
        LossSpec::from_str(text).unwrap_or_else(|e| panic!("{name}:\n{}", e.render())),
    );
}

#[test]
fn derivative_of_mse() {
    derive_str("mse", "mse");
}

#[test]
fn derivative_of_bce() {
    derive_str("bce", "bce");
}

#[test]
fn derivative_of_focal() {
    derive_str("focal", "focal(gamma=2)");
}

#[test]
fn derivative_of_dice() {
    derive_str("dice", "dice");
}

#[test]
fn derivative_of_sparse_cce() {
    derive_str(
        "sparse_cce",
        "input logits: f32[N, C]\ntarget labels: i64[N]\nsparse_cce(logits, labels)",
    );
}

#[test]
fn derivative_of_huber() {
    derive_str("huber", "huber");
}

#[test]
fn derivative_of_the_segmentation_objective() {
    derive_case(
        "segmentation",
        LossSpec::from_file("examples/segmentation.loss").unwrap(),
    );
}
