//! End-to-end tests of the `lossc` binary: exit codes, output, files.

use ndarray::{ArrayD, IxDyn};
use ndarray_npy::{ReadNpyExt, WriteNpyExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lossc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lossc"))
        .args(args)
        .output()
        .expect("run lossc")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lossc-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_f32(path: &Path, shape: &[usize], v: Vec<f32>) {
    let a = ArrayD::from_shape_vec(IxDyn(shape), v).unwrap();
    a.write_npy(std::fs::File::create(path).unwrap()).unwrap();
}

#[test]
fn check_summarises_objectives_inputs_and_gradients() {
    let o = lossc(&[
        "check",
        "-e",
        "input logits: f32[N, C]\ntarget labels: i64[N]\nloss ce = sparse_cce(logits, labels)\nloss reg = 1e-3 * l2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("loss ce (default)"), "{out}");
    assert!(
        out.contains("input  logits: f32[N, C]  -> gradient"),
        "{out}"
    );
    assert!(out.contains("target labels: i64[N]\n"), "{out}");
    assert!(out.contains("param  params: f32[K]  -> gradient"), "{out}");
}

#[test]
fn check_reports_errors_with_location_and_exit_1() {
    let dir = tmp("check-err");
    let spec = dir.join("bad.loss");
    std::fs::write(
        &spec,
        "# a comment\nloss main = 0.7*focal(gama=2) + 0.3*dice\n",
    )
    .unwrap();
    let o = lossc(&["check", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("unknown keyword argument `gama` for `focal`"),
        "{err}"
    );
    assert!(err.contains("bad.loss:2:23"), "{err}");
    assert!(err.contains("^^^^"), "{err}");
    assert!(err.contains("did you mean `gamma`?"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn missing_spec_file_is_a_clear_error() {
    let o = lossc(&["check", "/nonexistent/spec.loss"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot read `/nonexistent/spec.loss`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn derive_prints_the_gradient_and_filters_by_input() {
    let o = lossc(&["derive", "-e", "mse + 1e-4*l2", "--wrt", "params"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "d main / d params = 0.0002 * params");
    let o = lossc(&["derive", "-e", "mse", "--wrt", "target"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no gradient with respect to `target`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn eval_reads_npy_inputs_and_writes_gradients() {
    let dir = tmp("eval-npy");
    write_f32(&dir.join("p.npy"), &[4], vec![1.0, 2.0, 3.0, 4.0]);
    write_f32(&dir.join("y.npy"), &[4], vec![0.0, 2.0, 1.0, 4.0]);
    let grads = dir.join("grads");
    let o = lossc(&[
        "eval",
        "-e",
        "mse",
        "--input",
        &format!("pred={}", dir.join("p.npy").display()),
        "--input",
        &format!("target={}", dir.join("y.npy").display()),
        "--grad-dir",
        grads.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // mean((p - y)^2) = (1 + 0 + 4 + 0) / 4
    assert!(out.contains("\"value\": 1.25"), "{out}");
    assert!(out.contains("\"loss\": \"main\""), "{out}");
    assert!(
        out.contains(&format!(
            "\"pred\": \"{}\"",
            grads.join("pred.npy").display()
        )),
        "{out}"
    );
    let g = ArrayD::<f32>::read_npy(std::fs::File::open(grads.join("pred.npy")).unwrap()).unwrap();
    // d/dp = 2 (p - y) / N
    assert_eq!(g.as_slice().unwrap(), &[0.5, 0.0, 1.0, 0.0]);
    assert!(
        !grads.join("target.npy").exists(),
        "targets get no gradient"
    );
}

#[test]
fn eval_random_runs_the_composite_with_terms() {
    let o = lossc(&[
        "eval",
        "-e",
        "0.7*focal(gamma=2) + 0.3*dice + 1e-4*l2",
        "--random",
        "1000",
        "--seed",
        "7",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "main = ",
        "0.7*focal(gamma=2) = ",
        "0.3*dice = ",
        "1e-4*l2 = ",
        "|d main / d pred|",
        "|d main / d params|",
    ] {
        assert!(out.contains(needle), "missing {needle} in {out}");
    }
    // The same seed gives the same data and value.
    let again = lossc(&[
        "eval",
        "-e",
        "0.7*focal(gamma=2) + 0.3*dice + 1e-4*l2",
        "--random",
        "1000",
        "--seed",
        "7",
    ]);
    assert_eq!(stdout(&o).lines().next(), stdout(&again).lines().next());
}

#[test]
fn eval_random_sizes_named_dimensions() {
    let o = lossc(&[
        "eval",
        "-e",
        "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y)",
        "--random",
        "8",
        "--dim",
        "C=1000",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"value\": "), "{}", stdout(&o));
}

#[test]
fn loss_flag_selects_an_objective() {
    let spec = "input x: f32[N]\nloss a = mean(x)\nloss b = sum(x^2)";
    let o = lossc(&["eval", "-e", spec, "--loss", "b", "--random", "3", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"loss\": \"b\""));
    let o = lossc(&["eval", "-e", spec, "--loss", "bb", "--random", "3"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("unknown objective `bb`") && stderr(&o).contains("did you mean `b`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_runtime_inputs_name_the_input() {
    let dir = tmp("bad-inputs");
    write_f32(&dir.join("p.npy"), &[4], vec![1.0; 4]);
    write_f32(&dir.join("y3.npy"), &[3], vec![1.0; 3]);
    let p = format!("pred={}", dir.join("p.npy").display());
    // Missing target.
    let o = lossc(&["eval", "-e", "mse", "--input", &p]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("missing input `target`"),
        "{}",
        stderr(&o)
    );
    // A typo in an input name.
    let o = lossc(&[
        "eval",
        "-e",
        "mse",
        "--input",
        &p,
        "--input",
        &format!("targte={}", dir.join("p.npy").display()),
    ]);
    assert!(
        stderr(&o).contains("input `targte` is not used")
            && stderr(&o).contains("did you mean `target`?"),
        "{}",
        stderr(&o)
    );
    // Disagreeing sizes.
    let o = lossc(&[
        "eval",
        "-e",
        "mse",
        "--input",
        &p,
        "--input",
        &format!("target={}", dir.join("y3.npy").display()),
    ]);
    assert!(
        stderr(&o).contains("dimension `N` is 4 in input `pred` but 3 in input `target`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn corrupt_and_unsupported_npy_files_are_rejected() {
    let dir = tmp("corrupt");
    std::fs::write(dir.join("junk.npy"), b"this is not numpy").unwrap();
    let o = lossc(&[
        "eval",
        "-e",
        "mse",
        "--input",
        &format!("pred={}", dir.join("junk.npy").display()),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("input `pred`: cannot read") && stderr(&o).contains("bad magic"),
        "{}",
        stderr(&o)
    );
    // A valid header describing complex numbers.
    let header = "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }";
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    let padded = format!("{header:<117}\n");
    bytes.extend_from_slice(&(padded.len() as u16).to_le_bytes());
    bytes.extend_from_slice(padded.as_bytes());
    bytes.extend_from_slice(&[0u8; 16]);
    std::fs::write(dir.join("c.npy"), bytes).unwrap();
    let o = lossc(&[
        "eval",
        "-e",
        "mse",
        "--input",
        &format!("pred={}", dir.join("c.npy").display()),
    ]);
    assert!(stderr(&o).contains("holds <c8 data"), "{}", stderr(&o));
    // Truncated data after a valid f32 header.
    write_f32(&dir.join("t.npy"), &[100], vec![0.5; 100]);
    let full = std::fs::read(dir.join("t.npy")).unwrap();
    std::fs::write(dir.join("t.npy"), &full[..full.len() - 40]).unwrap();
    let o = lossc(&[
        "eval",
        "-e",
        "mse",
        "--input",
        &format!("pred={}", dir.join("t.npy").display()),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("input `pred`: cannot read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn labels_out_of_range_are_reported() {
    let dir = tmp("labels");
    write_f32(&dir.join("z.npy"), &[2, 3], vec![0.0; 6]);
    let y = ArrayD::from_shape_vec(IxDyn(&[2]), vec![1i64, 3]).unwrap();
    y.write_npy(std::fs::File::create(dir.join("y.npy")).unwrap())
        .unwrap();
    let o = lossc(&[
        "eval",
        "-e",
        "input z: f32[N, C]\ntarget y: i64[N]\nsparse_cce(z, y)",
        "--input",
        &format!("z={}", dir.join("z.npy").display()),
        "--input",
        &format!("y={}", dir.join("y.npy").display()),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("input `y` holds class index 3, outside [0, 3)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    let o = lossc(&["eval"]);
    assert_eq!(o.status.code(), Some(2));
    let o = lossc(&["eval", "-e", "mse", "--random", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--random needs a batch size of at least 1"));
}

#[test]
fn eval_is_native_by_default_and_falls_back_with_a_note() {
    let o = lossc(&["eval", "-e", "mse", "--random", "100", "--threads", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("(native f32 kernel, 2 thread(s)"),
        "{}",
        stdout(&o)
    );
    let interp = lossc(&["eval", "-e", "mse", "--random", "100", "--interp", "--json"]);
    assert!(
        stdout(&interp).contains("\"engine\": \"interp\""),
        "{}",
        stdout(&interp)
    );
    // Native and reference agree on the value (float32 vs float64).
    let native = lossc(&["eval", "-e", "mse", "--random", "100", "--json"]);
    let value = |s: &str| -> f64 {
        s.split("\"value\": ")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (a, b) = (value(&stdout(&native)), value(&stdout(&interp)));
    assert!((a - b).abs() < 1e-6 * b.abs(), "{a} vs {b}");
    // A class-axis reduction of a rank-1 array is not compiled natively yet.
    let o = lossc(&[
        "eval",
        "-e",
        "input x: f32[C]\nmax(x, axis=-1)",
        "--random",
        "5",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("note: not supported by the native code generator"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("(reference evaluator, float64"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn emit_and_bench_describe_the_kernel() {
    let o = lossc(&["emit", "-e", "mse"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("; pass 0: flat loop over [N]; 1 sum(s); writes d/d pred")
            && stdout(&o).contains("function"),
        "{}",
        stdout(&o)
    );
    let o = lossc(&["emit", "-e", "mse", "--asm"]);
    assert!(stdout(&o).contains("ret"), "{}", stdout(&o));
    let o = lossc(&[
        "bench", "-e", "mse", "--random", "1000", "--repeat", "3", "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for key in [
        "\"compile_ms\": ",
        "\"eval_ms_median\": ",
        "\"eval_ms_min\": ",
        "\"threads\": ",
        "\"elements\": 2000",
    ] {
        assert!(stdout(&o).contains(key), "missing {key} in {}", stdout(&o));
    }
}

/// `lossc` with `LOSSC_ISA` set to `level`.
fn lossc_at(level: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lossc"))
        .args(args)
        .env("LOSSC_ISA", level)
        .output()
        .expect("run lossc")
}

#[test]
fn emit_and_bench_show_the_tile_primitives_and_their_level() {
    use lossc::backend::tiles::{Level, detected};
    // Binary cross-entropy's one flat pass calls the logistic pack at AVX2
    // and above; at the scalar level it calls nothing.
    for level in Level::ALL {
        let o = lossc_at(level.name(), &["emit", "-e", "bce"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let shown = level.min(detected());
        let calls = format!("; calls logistic ({shown}) per tile");
        assert_eq!(
            stdout(&o).lines().next().unwrap().ends_with(&calls),
            shown >= Level::Avx2,
            "{level}: {}",
            stdout(&o)
        );
        let o = lossc_at(
            level.name(),
            &[
                "bench", "-e", "bce", "--random", "1000", "--repeat", "1", "--json",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let isa = format!("\"isa\": \"{shown}\"");
        assert!(stdout(&o).contains(&isa), "{level}: {}", stdout(&o));
    }
    // Cheap streaming passes stay pure Cranelift at every level.
    let o = lossc_at("avx512", &["emit", "-e", "mse"]);
    assert!(!stdout(&o).contains("calls"), "{}", stdout(&o));
    let o = lossc(&[
        "bench", "-e", "mse", "--random", "100", "--repeat", "1", "--json", "--interp",
    ]);
    assert!(stdout(&o).contains("\"isa\": null"), "{}", stdout(&o));
}

#[test]
fn sizes_past_64_bits_and_past_the_memory_limit_are_errors() {
    for (spec, random) in [
        ("input a: f32[4294967296, 4294967296]\nsum(a)", "1"),
        ("mse", "18446744073709551615"),
        ("mse", "10000000000"),
    ] {
        let o = lossc(&[
            "eval",
            "-e",
            spec,
            "--random",
            random,
            "--memory-limit",
            "8G",
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{spec} --random {random}: {err}");
        assert!(
            err.contains("overflows 64 bits") || err.contains("--memory-limit"),
            "{err}"
        );
    }
    // The limit comes from the flag or the environment; a bad one is an error.
    let o = lossc(&[
        "eval",
        "-e",
        "mse",
        "--random",
        "100000",
        "--memory-limit",
        "64k",
    ]);
    assert!(stderr(&o).contains("limit of 64.0 KiB"), "{}", stderr(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_lossc"))
        .args(["eval", "-e", "mse", "--random", "100000"])
        .env("LOSSC_MEMORY_LIMIT", "64k")
        .output()
        .unwrap();
    assert!(stderr(&o).contains("limit of 64.0 KiB"), "{}", stderr(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_lossc"))
        .args(["eval", "-e", "mse", "--random", "4"])
        .env("LOSSC_MEMORY_LIMIT", "lots")
        .output()
        .unwrap();
    assert!(
        stderr(&o).contains("LOSSC_MEMORY_LIMIT: `lots` is not a size"),
        "{}",
        stderr(&o)
    );
    let o = lossc(&[
        "eval",
        "-e",
        "mse",
        "--random",
        "4",
        "--memory-limit",
        "64k",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // An absurd fixed class count: refused at once by both engines.
    let spec = "target y: i64[N]\ninput z: f32[N]\nsum(onehot(y, 99999999999)) + mean(z)";
    for engine in [None, Some("--interp")] {
        let mut args = vec!["eval", "-e", spec, "--random", "4", "--memory-limit", "8G"];
        args.extend(engine);
        let start = std::time::Instant::now();
        let o = lossc(&args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("--memory-limit"), "{}", stderr(&o));
        assert!(start.elapsed().as_secs() < 20);
    }
}

#[test]
fn a_giant_npy_header_is_refused_from_the_file_length() {
    let dir = tmp("giant-npy");
    let path = dir.join("big.npy");
    let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }";
    let mut header = dict.to_string();
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((header.len() as u16).to_le_bytes());
    bytes.extend(header.as_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let input = format!("pred={}", path.display());
    let o = lossc(&["eval", "-e", "mse", "--input", &input, "--random", "3"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the file holds 0 bytes after the header"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn spec_files_must_be_regular_and_small() {
    let dir = tmp("spec-files");
    let spec = dir.join("zero.loss");
    std::fs::write(&spec, "use \"/dev/zero\"\nmse\n").unwrap();
    let o = lossc(&["check", spec.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    let big = dir.join("big.loss");
    std::fs::write(&big, format!("mse\n{}", " ".repeat(17 << 20))).unwrap();
    let o = lossc(&["check", big.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("16 MiB"), "{}", stderr(&o));
    let o = lossc(&["check", "/dev/zero"]);
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
}

#[test]
fn unknown_dim_names_are_errors_with_a_suggestion() {
    let o = lossc(&["eval", "-e", "sparse_cce", "--random", "4", "--dim", "c=80"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("no dimension `c`") && err.contains("did you mean `C`?"),
        "{err}"
    );
    let o = lossc(&[
        "eval",
        "-e",
        "sparse_cce",
        "--random",
        "4",
        "--dim",
        "C=80",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn integer_data_for_pred_is_an_error_naming_it() {
    let dir = tmp("int-pred");
    let path = dir.join("p.npy");
    ArrayD::from_shape_vec(IxDyn(&[3]), vec![1i64, 2, 3])
        .unwrap()
        .write_npy(std::fs::File::create(&path).unwrap())
        .unwrap();
    let input = format!("pred={}", path.display());
    for engine in [None, Some("--interp")] {
        let mut args = vec!["eval", "-e", "mean(pred)", "--input", &input];
        args.extend(engine);
        let o = lossc(&args);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("input `pred` is differentiated"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn hazard_warnings_reach_stderr_on_every_compiling_command() {
    let spec = "mean(log(pred))";
    for args in [
        vec!["eval", "-e", spec, "--random", "3"],
        vec!["eval", "-e", spec, "--random", "3", "--interp"],
        vec!["bench", "-e", spec, "--random", "3", "--repeat", "1"],
        vec!["derive", "-e", spec],
        vec!["emit", "-e", spec],
        vec!["check", "-e", spec],
    ] {
        let o = lossc(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("warning: `log` of a value that can be 0"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(!stdout(&o).contains("warning"), "{args:?}");
    }
}
