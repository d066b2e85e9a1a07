//! Every command output the README shows is what the current tool prints.
//!
//! In each ```` ```text ```` block of README.md, a line starting with
//! `$ lossc` is a command (continued over the following lines while a quote
//! is open) and the lines up to the next `$` line are its expected output.
//! The command runs through `bash` with the built `lossc` first on the PATH,
//! in a scratch folder that sees the repository's `examples/`, so files it
//! writes (`--grad-dir`) land there. Timings and thread counts are masked;
//! an expected output starting with `warning:` or `error:` is compared with
//! stderr, any other with stdout; a last line of `...` matches the rest.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Example {
    line: usize,
    command: String,
    expected: Vec<String>,
}

/// The `$ lossc` examples of the README's text blocks.
fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_text = false;
    let mut open_command: Option<Example> = None;
    for (k, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            in_text = line == "```text";
            if let Some(e) = open_command.take() {
                out.push(e);
            }
            continue;
        }
        if !in_text {
            continue;
        }
        if let Some(e) = open_command.as_mut()
            && quotes_open(&e.command)
        {
            e.command.push('\n');
            e.command.push_str(line.trim_start());
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            if let Some(e) = open_command.take() {
                out.push(e);
            }
            if command.starts_with("lossc ") {
                open_command = Some(Example {
                    line: k + 1,
                    command: command.to_string(),
                    expected: Vec::new(),
                });
            }
        } else if let Some(e) = open_command.as_mut() {
            e.expected.push(line.to_string());
        }
    }
    for e in &mut out {
        while e.expected.last().is_some_and(|l| l.trim().is_empty()) {
            e.expected.pop();
        }
    }
    out
}

fn quotes_open(command: &str) -> bool {
    command.matches('\'').count() % 2 == 1
}

/// Timings and thread counts vary from run to run.
fn masked(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut l = line.to_string();
        if let Some(start) = l.find(" thread(s), ") {
            let digits = l[..start]
                .rfind(|c: char| !c.is_ascii_digit())
                .map_or(0, |i| i + 1);
            let end = l[start..]
                .find(" ms")
                .map(|i| start + i + 3)
                .unwrap_or(l.len());
            l.replace_range(digits..end, "<threads>, <time>");
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// `text` with every decimal number of more than 9 significant digits cut
/// to 9 (`0.6808389422385532` -> `0.680838942`).
fn long_numbers_cut(text: &str) -> String {
    let mut out = String::new();
    let mut digits = 0usize;
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                in_number = true;
                digits = 0;
            }
            if digits > 0 || c != '0' {
                digits += 1;
            }
            if digits > 9 {
                continue;
            }
        } else if !(in_number && c == '.') {
            in_number = false;
        }
        out.push(c);
    }
    out
}

#[test]
fn long_numbers_are_cut_to_nine_digits() {
    assert_eq!(
        long_numbers_cut("main = 0.6808389422385532, 12 x 1.5e-3"),
        "main = 0.680838942, 12 x 1.5e-3"
    );
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lossc-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["examples", "benches", "docs"] {
        std::os::unix::fs::symlink(root.join(folder), dir.join(folder)).unwrap();
    }
    dir
}

#[test]
fn readme_command_outputs_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(
        examples.len() >= 8,
        "found only {} examples",
        examples.len()
    );
    let dir = scratch();
    let bin = Path::new(env!("CARGO_BIN_EXE_lossc")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    for e in &examples {
        let out = Command::new("bash")
            .args(["-c", &e.command])
            .current_dir(&dir)
            .env("PATH", &path)
            .output()
            .unwrap();
        let first = e.expected.first().map(String::as_str).unwrap_or("");
        let stream = if first.starts_with("warning:") || first.starts_with("error:") {
            &out.stderr
        } else {
            &out.stdout
        };
        let mut actual = masked(&String::from_utf8_lossy(stream));
        let mut expected = masked(&e.expected.join("\n"));
        if lossc::native_isa() == "scalar" {
            // The README shows native values at AVX2/AVX-512, where sigmoid
            // and softplus come from the tile primitives; pure-Cranelift code
            // rounds them differently in the last bit or two (README,
            // `LOSSC_ISA`), so long numbers are compared in their first 9 digits.
            actual = long_numbers_cut(&actual);
            expected = long_numbers_cut(&expected);
        }
        let prefix_only = expected.trim_end().ends_with("\n  ...") || expected.trim_end() == "...";
        if prefix_only {
            expected = expected.trim_end().trim_end_matches("...").to_string();
        }
        let matches = if prefix_only {
            actual.starts_with(expected.trim_end_matches(' '))
        } else {
            actual.trim_end() == expected.trim_end()
        };
        if !matches {
            failures.push(format!(
                "README.md:{}: $ {}\n--- README\n{}\n--- lossc prints\n{}",
                e.line, e.command, expected, actual
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
