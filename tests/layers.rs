//! ARCHITECTURE.md's "Layers" table, enforced: every module of `src/` has
//! a layer, no module's code names a module of a higher layer, and the
//! modules' uses form no cycle. Read off the source: every `crate::<name>`
//! path outside comments and unit-test modules (a capitalised name is an
//! item the crate root re-exports: the API layer).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The table of ARCHITECTURE.md, lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    ("vocabulary", &["types", "source", "budget"]),
    ("IR", &["ir"]),
    ("front end", &["diag", "syntax", "check", "doc"]),
    ("middle", &["rewrite", "derive", "hessian", "distributed"]),
    (
        "execution",
        &["runtime", "labels", "eval", "data", "native"],
    ),
    ("backend", &["backend"]),
    ("API", &["lib", "engine", "snippet"]),
    ("tools", &["repl", "plot", "main"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn sources(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(dir).unwrap();
                let first = rel.components().next().unwrap().as_os_str();
                let module = Path::new(first).file_stem().unwrap().to_string_lossy();
                out.push((module.to_string(), path));
            }
        }
    }
    out
}

/// The modules a file's code names as `crate::<module>` (comments skipped).
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // Unit tests sit at the end of their file and may use the whole crate.
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    for line in code.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(k) = rest.find("crate::") {
            rest = &rest[k + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                out.insert("lib".to_string());
            } else if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, path) in sources(&src) {
        let text = std::fs::read_to_string(&path).unwrap();
        let deps = uses(&text);
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(deps.into_iter().filter(|d| *d != module));
    }
    graph
}

#[test]
fn every_module_has_a_layer_and_uses_none_above_it() {
    let graph = module_graph();
    let mut problems = Vec::new();
    for (module, deps) in &graph {
        let Some(own) = layer_of(module) else {
            problems.push(format!(
                "`{module}` is in no layer of ARCHITECTURE.md's table"
            ));
            continue;
        };
        for dep in deps {
            match layer_of(dep) {
                Some(l) if l > own => problems.push(format!(
                    "`{module}` ({}) uses `{dep}` ({}), a higher layer",
                    LAYERS[own].0, LAYERS[l].0
                )),
                Some(_) => {}
                None => problems.push(format!("`{module}` uses `{dep}`, which has no layer")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn modules_use_each_other_without_cycles() {
    let graph = module_graph();
    // Kahn's algorithm: modules whose uses are all placed are placed next;
    // what is never placed lies on a cycle.
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    loop {
        let ready: Vec<&str> = graph
            .iter()
            .filter(|(m, deps)| {
                !placed.contains(m.as_str())
                    && deps
                        .iter()
                        .all(|d| placed.contains(d.as_str()) || !graph.contains_key(d))
            })
            .map(|(m, _)| m.as_str())
            .collect();
        if ready.is_empty() {
            break;
        }
        placed.extend(ready);
    }
    let cyclic: Vec<String> = graph
        .iter()
        .filter(|(m, _)| !placed.contains(m.as_str()))
        .map(|(m, deps)| format!("`{m}` uses {deps:?}"))
        .collect();
    assert!(
        cyclic.is_empty(),
        "modules on a cycle:\n{}",
        cyclic.join("\n")
    );
}

#[test]
fn the_scan_sees_uses_and_skips_comments() {
    let text = "use crate::ir::Graph; // crate::repl\n/// [`crate::plot`]\nlet x = crate::eval::f(crate::Engine::Auto);\n#[cfg(test)]\nuse crate::main;";
    let found: Vec<String> = uses(text).into_iter().collect();
    assert_eq!(found, ["eval", "ir", "lib"]);
}
