//! The REPL: golden transcripts of the session engine (lines in, text out),
//! state kept across errors, completion, and the real binary driven through
//! piped standard input.
//!
//! A transcript `tests/golden/repl/NAME.in` is fed line by line (joined while
//! unfinished, as the binary does); `NAME.out` holds each input after `> `
//! and the reply, errors marked `[error]`. `$DATA` stands for a scratch
//! directory holding small `.npy` files, and `:eval` timings read `<time>`.
//! Regenerate after an intended change with
//! `UPDATE_GOLDEN=1 cargo test --release --test repl`.

use lossc::plot::TermOptions;
use lossc::repl::{LineJoiner, Options, Output, Session};
use ndarray::{ArrayD, IxDyn};
use ndarray_npy::WriteNpyExt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lossc-repl-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    write_npy(&dir.join("pred.npy"), &[4], vec![2.0, -1.0, 0.5, 0.0]);
    write_npy(&dir.join("target.npy"), &[4], vec![1.0, 0.0, 1.0, 0.0]);
    dir
}

fn write_npy(path: &Path, shape: &[usize], v: Vec<f32>) {
    ArrayD::from_shape_vec(IxDyn(shape), v)
        .unwrap()
        .write_npy(std::fs::File::create(path).unwrap())
        .unwrap();
}

fn session() -> Session {
    Session::new(Options {
        plot: TermOptions {
            width: 48,
            height: 8,
            color: false,
        },
        ..Options::default()
    })
}

/// `12.345 ms` → `<time> ms`, `2 thread(s)` → `<threads> thread(s)`.
fn normalise_times(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let engine = line.contains("reference evaluator") || line.contains("native");
        let mut line = line.to_string();
        if let Some(end) = line.find(" ms").filter(|_| engine) {
            let start = line[..end].rfind(' ').map_or(0, |i| i + 1);
            line.replace_range(start..end, "<time>");
        }
        if let Some(end) = line.find(" thread(s)").filter(|_| engine) {
            let start = line[..end].rfind(' ').map_or(0, |i| i + 1);
            line.replace_range(start..end, "<threads>");
        }
        out.push_str(&line);
    }
    out
}

fn transcript(name: &str) -> String {
    let dir = scratch(name);
    let data = dir.display().to_string();
    let input = std::fs::read_to_string(format!("tests/golden/repl/{name}.in"))
        .unwrap()
        .replace("$DATA", &data);
    let mut s = session();
    let mut joiner = LineJoiner::default();
    let mut out = String::new();
    let mut inputs: Vec<String> = Vec::new();
    for line in input.lines() {
        inputs.extend(joiner.push(line));
    }
    inputs.extend(joiner.finish());
    for text in inputs {
        let reply: Output = s.handle(&text);
        out.push_str(&format!("> {}\n", text.replace('\n', "\n. ")));
        if reply.error {
            out.push_str("[error]\n");
        }
        out.push_str(&reply.text);
        if reply.quit {
            out.push_str("[quit]\n");
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    normalise_times(&out.replace(&data, "$DATA"))
}

fn golden(name: &str) {
    let actual = transcript(name);
    let path = format!("tests/golden/repl/{name}.out");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {path}; run with UPDATE_GOLDEN=1"));
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or(actual.lines().count().min(expected.lines().count()));
        panic!(
            "transcript {name} differs from {path} at line {} (UPDATE_GOLDEN=1 regenerates it)\n--- actual ---\n{actual}",
            line + 1
        );
    }
}

#[test]
fn golden_basics() {
    golden("basics");
}

#[test]
fn golden_session() {
    golden("session");
}

#[test]
fn golden_data() {
    golden("data");
}

#[test]
fn golden_plot() {
    golden("plot");
}

#[test]
fn golden_errors() {
    golden("errors");
}

#[test]
fn failed_inputs_leave_the_session_unchanged() {
    let mut s = session();
    assert!(!s.handle("def f(x) = x^2").error);
    assert!(!s.handle("loss a = mean(f(pred))").error);
    let before = s.spec_text();
    for bad in [
        "def f(x) = y",
        "loss a = focal(gama=1)",
        "input f: f32[N]",
        "input pred: i64[N]",
        "loss b = pred",
        "def g(x) = g(x)",
        "use \"nowhere.loss\"",
        "def f(x) = x; def f(x) = x",
    ] {
        let r = s.handle(bad);
        assert!(r.error, "{bad} should fail");
        assert_eq!(s.spec_text(), before, "{bad} changed the session");
    }
    assert_eq!(s.handle("f(3)").text, "9\n");
}

#[test]
fn plots_are_checked_against_the_evaluator() {
    let mut s = session();
    assert!(!s.handle(":plot bce over pred in -6..6 with target=1").error);
    let fig = s.last_plot().unwrap();
    let c = &fig.curves[0];
    let mid = fig.xs.iter().position(|&x| x == 0.0).unwrap();
    assert!((c.values[mid] - std::f64::consts::LN_2).abs() < 1e-12);
    assert!((c.derivatives[mid] + 0.5).abs() < 1e-12);
}

#[test]
fn completion_knows_the_session() {
    let mut s = session();
    s.handle("def pinball(p = pred, y = target, tau = 0.5) = mean(max(tau * (y - p), (tau - 1) * (y - p)))");
    s.handle("input logits: f32[N, C]");
    assert_eq!(s.complete("pinb", 4), (0, vec!["pinball".to_string()]));
    assert_eq!(
        s.complete("0.5*pinball(ta", 14).1,
        vec!["tau=".to_string(), "tanh".into(), "target".into()]
    );
    assert!(s.complete("foc", 3).1.contains(&"focal".to_string()));
    assert!(s.complete("focal(", 6).1.contains(&"gamma=".to_string()));
    assert_eq!(s.complete("logi", 4).1, vec!["logits".to_string()]);
    assert!(s.complete("log", 3).1.contains(&"log_softmax".to_string()));
    assert!(s.complete("th", 2).1.contains(&"then".to_string()));
    assert_eq!(s.complete(":de", 3), (1, vec!["derive".to_string()]));
    assert_eq!(s.complete("sum(x, ax", 9).1, vec!["axis=".to_string()]);
}

#[test]
fn native_code_commands_show_code_or_a_clear_error() {
    let mut s = session();
    for cmd in [":clif mse", ":asm mse", ":clif focal(gamma=2)"] {
        let r = s.handle(cmd);
        if r.error {
            assert!(r.text.starts_with("error: "), "{cmd}: {}", r.text);
        } else {
            assert!(r.text.starts_with("; "), "{cmd}: {}", r.text);
            assert!(r.text.contains("; pass 0"), "{cmd}: {}", r.text);
        }
    }
}

#[test]
fn colour_plots_use_ansi_escapes() {
    let mut s = Session::new(Options {
        plot: TermOptions {
            width: 40,
            height: 6,
            color: true,
        },
        ..Options::default()
    });
    let r = s.handle(":plot bce, focal(gamma=2) over pred in -3..3 with target=1");
    assert!(!r.error, "{}", r.text);
    assert!(
        r.text.contains("\x1b[34m") && r.text.contains("\x1b[31m"),
        "{}",
        r.text
    );
    assert!(
        r.text
            .chars()
            .any(|c| ('\u{2801}'..='\u{28ff}').contains(&c))
    );
}

#[test]
fn spec_files_start_the_session() {
    let mut s = session();
    let r = s.load_file(Path::new("examples/custom.loss"));
    assert!(!r.error, "{}", r.text);
    assert!(
        r.text.starts_with("loaded examples/custom.loss\n"),
        "{}",
        r.text
    );
    // `use "common.loss"` inside it still resolves, and its helpers are in scope.
    let r = s.handle("log_cosh(0.0)");
    assert!(!r.error, "{}", r.text);
    assert_eq!(r.text, "0\n");
    let r = s.load_file(Path::new("examples/segmentation.loss"));
    assert!(!r.error, "{}", r.text);
    assert!(
        s.spec_text()
            .contains("loss main = 0.7*focal(gamma=2) + 0.3*dice + 1e-4*l2"),
        "{}",
        s.spec_text()
    );
    assert!(!s.handle(":derive main wrt params").error);
    let r = s.load_file(Path::new("no/such/file.loss"));
    assert!(r.error && r.text.contains("cannot read"), "{}", r.text);
}

#[test]
fn no_input_reaches_a_panic() {
    // A deterministic soup of fragments of valid and invalid input.
    let pieces = [
        "bce",
        "focal(",
        "gamma=",
        "2",
        ")",
        ",",
        " over ",
        " in ",
        " with ",
        "pred",
        "target",
        "=",
        "-6..6",
        "..",
        "6..-6",
        ":plot ",
        ":derive ",
        ":eval ",
        ":ir ",
        ":load ",
        ":save ",
        " wrt ",
        "--random ",
        "0",
        "1e308",
        "-",
        "é",
        "\"",
        "#",
        "def f(x) = ",
        "loss l = ",
        "input z: f32[N]",
        "let a = 1; ",
        "if pred > 0 then 1 else 0",
        "sum(",
        "mean(pred)",
        "(",
        "[",
        "]",
        "^",
        "none",
        ":",
        ":list",
        ":save x.txt",
        " ",
        "\u{0}",
    ];
    let mut s = session();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..400 {
        let mut input = String::new();
        for _ in 0..1 + (state % 6) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            input.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        if input.contains(":save") {
            continue; // would write files into the working directory
        }
        let r = s.handle(&input);
        assert!(
            !r.text.contains("internal error"),
            "{input:?} -> {}",
            r.text
        );
        let _ = s.complete(&input, input.len() / 2);
        let _ = lossc::repl::is_incomplete(&input);
    }
}

// ---- the binary ---------------------------------------------------------------

fn run_binary(args: &[&str], stdin: &str, home: &Path) -> (String, String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lossc"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lossc");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code(),
    )
}

#[test]
fn binary_reads_piped_input_without_prompts() {
    let home = scratch("binary");
    let script = "focal(2.0, 1,\n  gamma=2)\ndef sq(x) = x^2\nsq(3)\n:plot bce over pred in -6..6 with target=1\nbce(gama=1)\n:nope\n:save /nonexistent-lossc-dir/curves.svg\nsq(4)\n:quit\nsq(5)\n";
    let (out, err, code) = run_binary(&["repl", "examples/segmentation.loss"], script, &home);
    assert!(
        out.starts_with("loaded examples/segmentation.loss\n"),
        "{out}"
    );
    assert!(
        out.contains("\n0.0018035628352403793\ndefined sq(x)\n9\n"),
        "{out}"
    );
    assert!(
        out.contains("bce over pred in [-6, 6] at target = 1\nvalue\n"),
        "{out}"
    );
    assert!(out.ends_with("16\n"), "{out}");
    assert!(!out.contains("lossc>") && !out.contains('\x1b'), "{out}");
    assert!(!out.contains("25"), "input after :quit was read: {out}");
    assert!(
        err.contains("unknown keyword argument `gama` for `bce`"),
        "{err}"
    );
    assert!(err.contains("unknown command `:nope`"), "{err}");
    assert!(
        err.contains("cannot write `/nonexistent-lossc-dir/curves.svg`"),
        "{err}"
    );
    assert!(err.ends_with("error: 3 inputs failed\n"), "{err}");
    assert_eq!(code, Some(1));
    // Piped sessions leave no history behind.
    assert!(!home.join("data").exists());
    let (out, err, code) = run_binary(&["repl"], "bce(0.0, 1)\n", &home);
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("0.6931471805599453\n", "", Some(0))
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn history_lives_in_the_data_directory() {
    // Only the location is testable without a terminal.
    let old = (std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"));
    let p = lossc::repl::history_path();
    if let Some(x) = &old.0.filter(|x| Path::new(x).is_absolute()) {
        assert_eq!(p, Some(Path::new(x).join("lossc").join("history")));
    } else if let Some(h) = &old.1.filter(|h| Path::new(h).is_absolute()) {
        assert_eq!(p, Some(Path::new(h).join(".local/share/lossc/history")));
    }
}

#[test]
fn results_come_with_the_hazard_warnings_of_their_expression() {
    let mut s = session();
    let r = s.handle(":eval mean(log(pred)) --random 3");
    assert!(!r.error, "{}", r.text);
    let (result, warning) = r.text.split_once("warning:").expect("a warning");
    assert!(result.contains("mean(log(pred)) = "), "{}", r.text);
    assert!(
        warning.contains("`log` of a value that can be 0"),
        "{}",
        r.text
    );
    // Without a hazard there is no warning.
    let r = s.handle(":eval mean(pred^2) --random 3");
    assert!(!r.text.contains("warning"), "{}", r.text);
}
