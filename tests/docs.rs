//! The reference page of the built-in losses (`docs/losses.md`) is generated
//! from the prelude's doc comments; it must be in sync, and every public
//! definition must be documented (summary, `Formula:`, `Reference:`).
//! `UPDATE_GOLDEN=1 cargo test --release --test docs` regenerates the page.

use lossc::doc;

#[test]
fn every_builtin_is_documented() {
    let entries = doc::entries()
        .unwrap_or_else(|missing| panic!("undocumented built-ins:\n{}", missing.join("\n")));
    for name in [
        "bce",
        "sparse_cce",
        "focal",
        "dice",
        "huber",
        "kl_div",
        "l2",
    ] {
        assert!(entries.iter().any(|e| e.name == name), "`{name}` missing");
    }
    // No built-in loss shadows a builtin function.
    for e in &entries {
        assert!(
            lossc::check::builtin_names().all(|b| b != e.name),
            "`{}` shadows a builtin function",
            e.name
        );
    }
}

#[test]
fn the_reference_page_is_in_sync() {
    let page = doc::reference().unwrap_or_else(|m| panic!("{}", m.join("\n")));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/losses.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &page).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == page,
        "docs/losses.md is out of date: run `UPDATE_GOLDEN=1 cargo test --release --test docs`"
    );
}

#[test]
fn lossc_doc_prints_one_entry_or_suggests() {
    let exe = env!("CARGO_BIN_EXE_lossc");
    let out = std::process::Command::new(exe)
        .args(["doc", "focal"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("### focal\n\n```text\nfocal(p = pred, y = target, gamma = "),
        "{text}"
    );
    assert!(text.contains("**Reference:** torchvision"), "{text}");
    let out = std::process::Command::new(exe)
        .args(["doc", "focl"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("`focl` is not a built-in loss; did you mean `focal`?"),
        "{err}"
    );
}
