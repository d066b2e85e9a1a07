//! Loading a spec and everything it `use`s.
//!
//! The prelude (the standard library, `src/prelude/*.loss`, compiled into the
//! binary) is always the first files, one per family in the order of
//! [`PRELUDE_FILES`], named `<prelude>/family.loss` in diagnostics. Imports are resolved relative to the importing
//! file, loaded once each, and a file that imports itself, directly or
//! through others, is an [`DiagKind::ImportCycle`].

use super::ast::{Item, Module};
use super::parse;
use crate::diag::{CompileError, DiagKind, Diagnostic};
use crate::source::{FileId, SourceMap, Span};
use std::path::{Path, PathBuf};

/// The prelude's files, one per family of losses so each reads as a chapter,
/// in the order they are joined into [`PRELUDE`].
pub const PRELUDE_FILES: [(&str, &str); 7] = [
    ("core", include_str!("../prelude/core.loss")),
    (
        "classification",
        include_str!("../prelude/classification.loss"),
    ),
    ("segmentation", include_str!("../prelude/segmentation.loss")),
    ("regression", include_str!("../prelude/regression.loss")),
    (
        "distributions",
        include_str!("../prelude/distributions.loss"),
    ),
    ("regularisers", include_str!("../prelude/regularisers.loss")),
    ("gan", include_str!("../prelude/gan.loss")),
];

/// The whole standard library as one text (the files of [`PRELUDE_FILES`]
/// joined in order), for searching it.
pub const PRELUDE: &str = concat!(
    include_str!("../prelude/core.loss"),
    "\n",
    include_str!("../prelude/classification.loss"),
    "\n",
    include_str!("../prelude/segmentation.loss"),
    "\n",
    include_str!("../prelude/regression.loss"),
    "\n",
    include_str!("../prelude/distributions.loss"),
    "\n",
    include_str!("../prelude/regularisers.loss"),
    "\n",
    include_str!("../prelude/gan.loss"),
);
/// The prelude parses the same way every time: parse it once per process
/// (it is most of the work of a typical one-line spec otherwise).
fn parsed_prelude(file: FileId) -> Module {
    static PRELUDE_AST: std::sync::OnceLock<Vec<Module>> = std::sync::OnceLock::new();
    PRELUDE_AST.get_or_init(|| {
        PRELUDE_FILES
            .iter()
            .enumerate()
            .map(|(i, (_, text))| {
                parse(FileId(i as u32), text).expect("the prelude parses (tested)")
            })
            .collect()
    })[file.0 as usize]
        .clone()
}

/// Register the prelude's files, which always come first.
fn add_prelude(sources: &mut SourceMap) {
    for (family, text) in PRELUDE_FILES {
        sources.add(format!("<prelude>/{family}.loss"), None, text);
    }
}

/// Is `file` one of the prelude's files?
pub fn is_prelude(file: FileId) -> bool {
    (file.0 as usize) < PRELUDE_FILES.len()
}

/// Parsed sources: the prelude, imported files, and the entry file.
#[derive(Debug, Clone)]
pub struct Program {
    pub sources: SourceMap,
    /// Every parsed module; imports come before the files that import them.
    pub modules: Vec<Module>,
    pub entry: FileId,
}

impl Program {
    pub fn module(&self, file: FileId) -> &Module {
        self.modules
            .iter()
            .find(|m| m.file == file)
            .expect("every registered file is parsed")
    }
}

/// The largest spec file read (a spec is text a person writes; this keeps
/// `use "/dev/zero"` or a mistaken data file from exhausting memory).
pub const MAX_SPEC_BYTES: u64 = 16 << 20;

/// The text of a spec file: a regular file of at most [`MAX_SPEC_BYTES`],
/// in UTF-8.
pub fn read_spec(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let too_large = || {
        format!(
            "larger than the {} MiB a spec file may be",
            MAX_SPEC_BYTES >> 20
        )
    };
    if meta.len() > MAX_SPEC_BYTES {
        return Err(too_large());
    }
    // The file may grow while it is read: never read past the limit.
    let mut bytes = Vec::new();
    file.take(MAX_SPEC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| "stream did not contain valid UTF-8".into())
}

/// Load a spec from a file on disk.
pub fn load_file(path: &Path) -> Result<Program, CompileError> {
    let mut sources = SourceMap::new();
    add_prelude(&mut sources);
    let text = read_spec(path).map_err(|e| {
        let f = sources.add(path.display().to_string(), None, "");
        let d = Diagnostic::new(
            DiagKind::MissingFile {
                path: path.display().to_string(),
                reason: e,
            },
            Span::new(f, 0, 0),
        );
        CompileError {
            diagnostics: vec![d],
            sources: sources.clone(),
        }
    })?;
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let entry = sources.add(path.display().to_string(), Some(&canonical), text);
    finish(sources, entry)
}

/// Load a spec given as text; `use` paths are relative to `base_dir`.
pub fn load_str(name: &str, text: &str, base_dir: Option<&Path>) -> Result<Program, CompileError> {
    let mut sources = SourceMap::new();
    add_prelude(&mut sources);
    let pseudo = base_dir
        .unwrap_or(Path::new("."))
        .join(format!("{name}\u{0}"));
    let entry = sources.add(name, Some(&pseudo), text);
    finish(sources, entry)
}

fn finish(sources: SourceMap, entry: FileId) -> Result<Program, CompileError> {
    let mut loader = Loader {
        sources,
        modules: Vec::new(),
        stack: Vec::new(),
    };
    let result = (0..PRELUDE_FILES.len() as u32)
        .try_for_each(|i| loader.load(FileId(i)))
        .and_then(|_| loader.load(entry));
    match result {
        Ok(()) => Ok(Program {
            sources: loader.sources,
            modules: loader.modules,
            entry,
        }),
        Err(d) => Err(CompileError {
            diagnostics: vec![d],
            sources: loader.sources,
        }),
    }
}

struct Loader {
    sources: SourceMap,
    modules: Vec<Module>,
    stack: Vec<FileId>,
}

impl Loader {
    fn load(&mut self, file: FileId) -> Result<(), Diagnostic> {
        let module = if is_prelude(file) {
            parsed_prelude(file)
        } else {
            parse(file, &self.sources.file(file).text.clone())?
        };
        self.stack.push(file);
        for item in &module.items {
            if let Item::Use(u) = item {
                let target = self.resolve(file, &u.path, u.span)?;
                if let Some(pos) = self.stack.iter().position(|&f| f == target) {
                    let mut chain: Vec<String> = self.stack[pos..]
                        .iter()
                        .map(|&f| self.sources.file(f).name.clone())
                        .collect();
                    chain.push(self.sources.file(target).name.clone());
                    return Err(Diagnostic::new(
                        DiagKind::ImportCycle {
                            chain: chain.join(" -> "),
                        },
                        u.span,
                    )
                    .label("this import closes the cycle"));
                }
                if !self.modules.iter().any(|m| m.file == target) {
                    self.load(target)?;
                }
            }
        }
        self.stack.pop();
        self.modules.push(module);
        Ok(())
    }

    /// The file a `use` names, registering it on first sight.
    fn resolve(&mut self, from: FileId, path: &str, span: Span) -> Result<FileId, Diagnostic> {
        let base: PathBuf = self
            .sources
            .file(from)
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let full = base.join(path);
        let missing = |reason: String| {
            Diagnostic::new(
                DiagKind::MissingFile {
                    path: path.to_string(),
                    reason,
                },
                span,
            )
            .label("imported here")
        };
        let canonical = full.canonicalize().map_err(|e| missing(e.to_string()))?;
        if let Some(id) = self.sources.find_path(&canonical) {
            return Ok(id);
        }
        let text = read_spec(&canonical).map_err(missing)?;
        // Shown relative to how the importing file was named, like the entry file.
        let shown = Path::new(&self.sources.file(from).name)
            .parent()
            .map(|d| d.join(path))
            .unwrap_or_else(|| PathBuf::from(path));
        Ok(self
            .sources
            .add(shown.display().to_string(), Some(&canonical), text))
    }
}
